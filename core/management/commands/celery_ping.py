"""Queue a ping task and wait for a worker's answer: proves the broker and a worker are both working."""

from celery.exceptions import TimeoutError as CeleryTimeoutError
from django.core.management.base import BaseCommand, CommandError

from core.tasks import ping


class Command(BaseCommand):
    help = "Queue core.tasks.ping and wait for a worker to answer."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=30.0, help="Seconds to wait for the answer.")

    def handle(self, *args, timeout: float, **options):
        result = ping.delay()
        try:
            answer = result.get(timeout=timeout)
        except CeleryTimeoutError:
            raise CommandError(f"No worker answered within {timeout:g} seconds.") from None
        self.stdout.write(f"Worker answered: {answer}")
