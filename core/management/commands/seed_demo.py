"""Create the demo users (idempotent). Later apps add their demo data through their own services."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

DEMO_USERS = [
    # username, first name, last name, email
    ("lead", "Leah", "Adeyemi", "lead@demo.stp-portal.example"),
    ("board", "Bernard", "Okafor", "board@demo.stp-portal.example"),
    ("ned", "Nadia", "Edwards", "ned@demo.stp-portal.example"),
    ("member", "Mei", "Brennan", "member@demo.stp-portal.example"),
    ("viewer", "Victor", "Iqbal", "viewer@demo.stp-portal.example"),
    ("outsider", "Owen", "Sutherland", "outsider@demo.stp-portal.example"),
]


class Command(BaseCommand):
    help = "Create or refresh the demo users and their data. Safe to run again."

    @transaction.atomic
    def handle(self, *args, **options):
        user_model = get_user_model()
        for username, first_name, last_name, email in DEMO_USERS:
            user, created = user_model.objects.update_or_create(
                username=username,
                defaults={
                    "first_name": first_name,
                    "last_name": last_name,
                    "email": email,
                    "is_active": True,
                },
            )
            if created or not user.check_password(settings.DEMO_PASSWORD):
                user.set_password(settings.DEMO_PASSWORD)
                user.save(update_fields=["password"])
        self.stdout.write(self.style.SUCCESS(f"Demo users ready: {', '.join(u[0] for u in DEMO_USERS)}."))
