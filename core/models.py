from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A person who signs in. Their organisation, job title and roles live in the partnerships app."""

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def display_name(self) -> str:
        return str(self)


class WorkerHeartbeat(models.Model):
    """When each Celery worker last ran the heartbeat task: shown by /healthz and the pages that queue work."""

    worker = models.CharField(max_length=200, unique=True)
    last_seen = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.worker} at {self.last_seen:%Y-%m-%d %H:%M:%S}"
