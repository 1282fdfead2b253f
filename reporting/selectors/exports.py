"""The archives of a partnership's complete record, for its lead's "Download everything" page."""

from django.db.models import QuerySet

from partnerships.models import Partnership

from ..models import PartnershipExport


def export_history(partnership: Partnership) -> QuerySet[PartnershipExport]:
    """The partnership's archives, newest first, each with whoever asked for it: the page's rows."""
    return PartnershipExport.objects.filter(partnership=partnership).select_related("requested_by")
