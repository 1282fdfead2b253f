"""The secret address of each person's calendar feed of meetings."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse


def new_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A person's iCalendar feed. Anyone holding the address can read it, so the person can replace it."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(auto_now=True, help_text="When this address was made.")

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"

    def get_absolute_url(self) -> str:
        return reverse("workstreams:calendar")

    @property
    def feed_path(self) -> str:
        return reverse("workstreams:calendar_feed", args=[self.token])
