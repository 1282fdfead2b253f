"""The reporting app's emails. Board digests: each board member's copy, opening with what their own organisation must
sign off, ratify or act on, as text and HTML, with links to the digest and its PDF. Sent by a Celery task.

Each copy goes through `core.emails.send_once` under the key `digest:<digest>:<recipient>`, so a retried or
repeated task never sends anyone a second copy. The PDF is linked rather than attached: the link checks the reader's
access every time (a forwarded email does not carry the digest's confidential decisions with it), the email stays
small, and no worker spends a second rendering a PDF for each of a board's twenty members.

The archive of a partnership's complete record is linked the same way, to the lead who asked for it.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core.emails import Email, send_each, send_once

from ..models import Digest, PartnershipExport
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


def send_export_ready(export_id: int) -> bool:
    """Tell the lead who asked for an archive of the complete record that it is ready, once. True if this sent it."""
    export = PartnershipExport.objects.select_related("partnership", "requested_by").filter(pk=export_id).first()
    if export is None or export.requested_by is None or not export.is_downloadable():
        return False
    context = {
        "export": export,
        "recipient": export.requested_by,
        "page_link": f"{settings.SITE_URL}{export.get_absolute_url()}",
        "download_link": f"{settings.SITE_URL}{reverse('reporting:export_download', args=[export.pk])}",
    }
    return send_once(
        key=f"export-ready:{export.pk}",
        recipient=export.requested_by,
        subject=f"The complete record of {export.partnership.name} is ready to download",
        body=render_to_string("reporting/email/export_ready.txt", context),
    )
