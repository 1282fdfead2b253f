"""Board digest emails: each board member's copy, opening with what their own organisation must sign off, ratify or
act on, as text and HTML, with links to the digest and its PDF. Sent by a Celery task.

Each copy goes through `core.emails.send_once` under the key `digest:<digest>:<recipient>`, so a retried or
repeated task never sends anyone a second copy. The PDF is linked rather than attached: the link checks the reader's
access every time (a forwarded email does not carry the digest's confidential decisions with it), the email stays
small, and no worker spends a second rendering a PDF for each of a board's twenty members.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core.emails import Email, send_each

from ..models import Digest
from ..selectors.digest_delivery import digest_recipients
from ..selectors.digests import digest_for_reader


def digest_subject(digest: Digest) -> str:
    return f"Board digest: {digest.partnership.name}, week to {digest.period_end.day} {digest.period_end:%B %Y}"


def send_digest(digest_id: int) -> int:
    """Email each board member their copy of a built digest, once. Returns how many this run sent."""
    digest = Digest.objects.select_related("partnership").filter(pk=digest_id).first()
    if digest is None or not digest.is_built or not digest.send_email:
        return 0
    links = {
        "site_url": settings.SITE_URL,
        "link": f"{settings.SITE_URL}{digest.get_absolute_url()}",
        "pdf_link": f"{settings.SITE_URL}{reverse('reporting:digest_pdf', args=[digest.pk])}",
    }

    def compose(recipient) -> Email:
        reading = digest_for_reader(digest, recipient, organisation=recipient.represented_organisation)
        context = {"recipient": recipient, "reading": reading, "digest": digest, **links}
        return Email(
            digest_subject(digest),
            render_to_string("reporting/email/digest.txt", context),
            render_to_string("reporting/email/digest.html", context),
        )

    sent = send_each(digest_recipients(digest.partnership), key=f"digest:{digest.pk}", compose=compose)
    # Reached only when every copy has gone (a failure raises, and the task is retried).
    Digest.objects.filter(pk=digest.pk, emailed_at__isnull=True).update(emailed_at=timezone.now())
    return sent
