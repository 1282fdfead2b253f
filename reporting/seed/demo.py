"""Demo data: the board digests of the demo partnership QZZ for the three weeks before its latest scheduled one, so
the history page has something to show. They are built through the service like any other, marked as not to be
emailed (the demo board was never sent them). The latest scheduled digest is left for the worker: in `make run`,
beat builds and emails it (to the console) within a quarter of an hour of starting.

Run by `seed_demo` after every other app's demo data, so a digest reports the decisions and risks. Running it again
changes nothing: a digest already built for a period is kept as it is.
"""

from datetime import timedelta

from django.utils import timezone

from core.audit import SYSTEM
from partnerships.models import Partnership

from ..models import Digest, DigestSchedule
from ..services.digests import digest_build

CODE = "QZZ"
PAST_WEEKS = 3


def seed(stdout) -> None:
    partnership = Partnership.objects.filter(code=CODE).first()
    if partnership is None:
        stdout.write("Board digests: skipped, the demo partnership QZZ is not there.")
        return
    latest = DigestSchedule.for_partnership(partnership).last_due_at(timezone.now())
    if latest is None:
        stdout.write("Board digests: skipped, QZZ's schedule is off.")
        return
    for weeks in range(PAST_WEEKS, 0, -1):
        period_end = timezone.localdate(latest) - timedelta(weeks=weeks)
        digest_build(actor=SYSTEM, partnership=partnership, period_end=period_end, send_email=False)
    stdout.write(f"Board digests: {Digest.objects.filter(partnership=partnership).count()} in QZZ.")
