"""The archives of a partnership's complete record, for its lead's "Download everything" page."""

from django.db.models import QuerySet

from partnerships.models import Partnership

from ..models import PartnershipExport
from ..models.exports import IN_PROGRESS


def export_history(partnership: Partnership) -> QuerySet[PartnershipExport]:
    """The partnership's archives, newest first, each with whoever asked for it: the page's rows."""
    return PartnershipExport.objects.filter(partnership=partnership).select_related("requested_by")


def export_in_progress(partnership: Partnership) -> PartnershipExport | None:
    """The archive being prepared for the partnership, if any (there is at most one): whichever page of the list the
    lead is on, the page shows its progress in place of the button."""
    return export_history(partnership).filter(status__in=IN_PROGRESS).first()
