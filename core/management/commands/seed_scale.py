"""Build national-scale data for benchmarks: each app's `seed.scale.seed(scale=..., progress=...)` in app order."""

import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from ..seeding import seed_modules


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

        for module in seed_modules("scale"):
            module.seed(scale=scale, random_seed=seed, progress=progress, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"National-scale data built in {time.monotonic() - started:.0f} s."))
