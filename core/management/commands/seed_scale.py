"""Build national-scale data for benchmarks: each app's `scale.seed(scale=..., progress=...)` in app order."""

import time
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm


class Command(BaseCommand):
    help = (
        "Load the 42 real partnerships and their organisations, then generated people, work-streams, meetings, "
        "actions, engagement, decisions and risks. Meant for an empty PostgreSQL database; --scale multiplies it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="Multiply every generated count (0.1: quick).")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed, for the same data every run.")

    def handle(self, *args, scale: float, seed: int, **options):
        if not 0 < scale <= 10:
            raise CommandError("--scale must be more than 0 and at most 10.")
        started = time.monotonic()

        def progress(total: int, description: str) -> tqdm:
            """A progress bar with counts, rate and time left, for each app's steps."""
            return tqdm(total=total, desc=description, unit="rows", unit_scale=True, file=self.stderr._out)

        for app_config in apps.get_app_configs():
            module_name = f"{app_config.name}.scale"
            if app_config.path.startswith(str(settings.BASE_DIR)) and find_spec(module_name):
                import_module(module_name).seed(scale=scale, random_seed=seed, progress=progress, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"National-scale data built in {time.monotonic() - started:.0f} s."))
