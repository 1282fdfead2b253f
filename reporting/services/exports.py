"""A lead's "Download everything": asking for an archive of the partnership's complete record, the worker building it
with its progress stored as it goes, each download, and deleting it once its days are up. Every step is an audit
event on the partnership's chain, so its history shows who took the whole record away and when.

The archive is built outside any transaction: each finished part commits its progress at once, for the lead's page
to show. A build whose worker died part-way is started again by the outbox (core/outbox.py) from the beginning; a
build that fails is marked so, with its reason, and the lead can ask again.
"""

import logging
import tempfile
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from core.audit import SYSTEM, audit_record
from core.services import person, queue_after_commit
from partnerships.models import Partnership

from ..access import authorize_export_partnership
from ..models import ExportStatus, PartnershipExport
from ..models.exports import IN_PROGRESS
from ..selectors.exports import export_in_progress
from .archive import build_partnership_archive, progress_steps

logger = logging.getLogger(__name__)


def export_request(*, actor, partnership: Partnership) -> tuple[PartnershipExport, bool]:
    """The lead's "Prepare the archive": a queued archive, built by the worker once this commits. Returns it and
    whether this call asked for it (False: one was already being prepared, and the lead is shown that one)."""
    authorize_export_partnership(actor, partnership)
    with transaction.atomic():
        current = export_in_progress(partnership)
        if current is not None:
            return current, False
        try:
            with transaction.atomic():
                export = PartnershipExport.objects.create(
                    partnership=partnership, requested_by=person(actor), steps_total=progress_steps(partnership)
                )
        except IntegrityError:  # another lead's request committed first: theirs is the one being prepared
            return export_in_progress(partnership), False
        audit_record(
            actor=actor,
            action="export.requested",
            target=export,
            summary=f"{actor} asked for the complete record of {partnership.code} to be prepared for download",
            partnership_id=partnership.pk,
        )
        queue_after_commit("reporting.tasks.build_export", export.pk)
    return export, True


def export_build(export_id: int) -> PartnershipExport | None:
    """Build a queued archive (the worker). Safe to run again: an archive that is ready, failed or deleted is left
    as it is, and one left half-built by a worker that died is built again from the start."""
    if not PartnershipExport.objects.filter(pk=export_id, status__in=IN_PROGRESS).update(
        status=ExportStatus.BUILDING, steps_done=0
    ):
        return None
    export = PartnershipExport.objects.select_related("partnership").get(pk=export_id)
    partnership = export.partnership

    def step(name: str) -> None:
        PartnershipExport.objects.filter(pk=export_id).update(steps_done=F("steps_done") + 1)

    try:
        with tempfile.TemporaryFile(suffix=".zip") as handle:
            summary = build_partnership_archive(partnership, handle, progress=step)
            size = handle.tell()
            handle.seek(0)
            export.file.save(export.filename, File(handle), save=False)
    except Exception as error:  # any failure is the lead's to know about, not only the worker's log
        logger.exception("The archive %s of %s could not be built", export_id, partnership.code)
        _fail(export, f"{type(error).__name__}: {error}")
        return export
    now = timezone.now()
    with transaction.atomic():
        export.status, export.size, export.chain_intact = ExportStatus.READY, size, summary.chain_intact
        export.built_at, export.expires_at = now, now + timedelta(days=settings.EXPORT_KEEP_DAYS)
        export.steps_done = export.steps_total
        export.save(
            update_fields=[
                "status", "size", "chain_intact", "built_at", "expires_at", "steps_done", "file", "updated_at",
            ]
        )  # fmt: skip
        audit_record(
            actor=SYSTEM,
            action="export.built",
            target=export,
            summary=(
                f"The complete record of {partnership.code} was prepared for download: {len(summary.files) + 1} "
                f"files; audit chain {'intact' if summary.chain_intact else 'BROKEN'}"
            ),
            changes={"size": size, "missing_documents": summary.missing_documents},
            partnership_id=partnership.pk,
        )
        if export.requested_by_id is not None:
            queue_after_commit("reporting.tasks.email_export_ready", export.pk)
    return export


def _delete_file_after_commit(export: PartnershipExport) -> None:
    """Empty the row's file field and delete the stored file once the change commits (never if it rolls back)."""
    if export.file:
        storage, name = export.file.storage, export.file.name
        transaction.on_commit(lambda: storage.delete(name))
    export.file = ""


def _fail(export: PartnershipExport, error: str) -> None:
    with transaction.atomic():
        _delete_file_after_commit(export)
        export.status, export.error = ExportStatus.FAILED, error[:300]
        export.save(update_fields=["status", "error", "file", "updated_at"])
        audit_record(
            actor=SYSTEM,
            action="export.failed",
            target=export,
            summary=f"The complete record of {export.partnership.code} could not be prepared",
            reason=error[:300],
            partnership_id=export.partnership_id,
        )


def export_download(*, actor, export: PartnershipExport) -> PartnershipExport:
    """Record that the lead is taking the archive away, before handing it over (the view does that). A refusal when
    it is not ready or its days are up."""
    authorize_export_partnership(actor, export.partnership)
    if not export.is_downloadable():
        raise ValidationError("This archive can no longer be downloaded. Prepare a new one to download the record.")
    audit_record(
        actor=actor,
        action="export.downloaded",
        target=export,
        summary=f"{actor} downloaded the complete record of {export.partnership.code}",
        partnership_id=export.partnership_id,
    )
    return export


def exports_expire(now=None) -> int:
    """Delete the archives whose days are up (beat, hourly): the file goes, the row stays as a record that it was
    made. Returns how many were deleted."""
    now = now or timezone.now()
    expired = 0
    due = PartnershipExport.objects.filter(status=ExportStatus.READY, expires_at__lte=now).select_related("partnership")
    for export in due.iterator():
        with transaction.atomic():
            locked = PartnershipExport.objects.select_for_update().filter(pk=export.pk, status=ExportStatus.READY)
            if not locked.exists():  # deleted by another run meanwhile
                continue
            _delete_file_after_commit(export)
            export.status = ExportStatus.EXPIRED
            export.save(update_fields=["status", "file", "updated_at"])
            audit_record(
                actor=SYSTEM,
                action="export.expired",
                target=export,
                summary=(
                    f"The archive of {export.partnership.code}'s complete record was deleted after "
                    f"{settings.EXPORT_KEEP_DAYS} days"
                ),
                partnership_id=export.partnership_id,
            )
        expired += 1
    return expired
