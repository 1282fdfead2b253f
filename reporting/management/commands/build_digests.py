"""Build board digests now, in this process: for every partnership or one. Through the same service as the schedule
and the lead's button, so a digest already built for the day is left as it is and nobody is emailed twice."""

import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from core.audit import SYSTEM
from partnerships.models import Partnership

from ...models import Digest, DigestStatus
from ...services.digests import digest_build


class Command(BaseCommand):
    help = (
        "Build the board digests of the seven days to today (or --period-end) for every partnership (--all) or one "
        "(--partnership CODE), and queue their emails to each board unless --no-email. Safe to run again."
    )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--all", action="store_true", help="Every partnership.")
        which.add_argument("--partnership", metavar="CODE", help="One partnership, by its ODS code, e.g. QZZ.")
        parser.add_argument("--no-email", action="store_true", help="Build and store them, but email nobody.")
        parser.add_argument(
            "--period-end", type=date.fromisoformat, metavar="YYYY-MM-DD", help="The day of the digests (today)."
        )

    def handle(self, *args, partnership: str | None, no_email: bool, period_end: date | None, **options):
        partnerships = Partnership.objects.order_by("code")
        if partnership:
            partnerships = partnerships.filter(code=partnership.strip().upper())
            if not partnerships.exists():
                raise CommandError(f"There is no partnership {partnership}.")
        period_end = period_end or timezone.localdate()
        if period_end > timezone.localdate():
            raise CommandError("--period-end cannot be a day that has not come yet.")
        already = set(
            Digest.objects.filter(period_end=period_end, status=DigestStatus.BUILT).values_list(
                "partnership_id", flat=True
            )
        )
        started, built, kept = time.monotonic(), 0, 0
        # A progress bar with counts, rate and time left, as seed_scale and import_organisations show.
        with tqdm(total=partnerships.count(), desc="Board digests", unit="digests", file=self.stderr._out) as bar:
            for each in partnerships:
                digest_build(actor=SYSTEM, partnership=each, period_end=period_end, send_email=not no_email)
                kept, built = (kept + 1, built) if each.pk in already else (kept, built + 1)
                bar.set_postfix_str(each.code)
                bar.update()
        emails = "no emails" if no_email else "emails queued for the boards of those built"
        self.stdout.write(
            self.style.SUCCESS(
                f"Board digests for {period_end.day} {period_end:%B %Y}: {built} built, {kept} already built "
                f"({emails}), in {time.monotonic() - started:.1f} s."
            )
        )
