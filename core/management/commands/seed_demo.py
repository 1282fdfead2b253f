"""Load the demo data (idempotent): the demo users here, then each app's `seed.demo.seed()` in INSTALLED_APPS order."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from ..seeding import seed_modules

DEMO_USERS = [
    # username, first name, last name
    ("lead", "Leah", "Adeyemi"),
    ("board", "Bernard", "Okafor"),
    ("ned", "Nadia", "Edwards"),
    ("member", "Mei", "Brennan"),
    ("viewer", "Victor", "Iqbal"),
    ("outsider", "Owen", "Sutherland"),
]


class Command(BaseCommand):
    help = "Create or refresh the demo users and every app's demo data. Safe to run again."

    @transaction.atomic
    def handle(self, *args, **options):
        self._seed_users()
        for module in seed_modules("demo"):
            module.seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))

    def _seed_users(self) -> None:
        user_model = get_user_model()
        for username, first_name, last_name in DEMO_USERS:
            user, created = user_model.objects.update_or_create(
                username=username,
                defaults={
                    "first_name": first_name,
                    "last_name": last_name,
                    "email": f"{username}@demo.stp-portal.example",
                    "is_active": True,
                },
            )
            if created or not user.check_password(settings.DEMO_PASSWORD):
                user.set_password(settings.DEMO_PASSWORD)
                user.save(update_fields=["password"])
        self.stdout.write(f"Demo users: {', '.join(username for username, *_ in DEMO_USERS)}.")
