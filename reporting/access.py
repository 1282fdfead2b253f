"""Who may read a partnership's board digests: everyone with a role in it (confidential decisions in them redacted as
elsewhere, see `selectors.digests.redacted`); only the lead builds one now and sets the schedule.

The digest page asks `can_manage_digests` before offering "Build digest now" and the schedule; the services call
`authorize_manage_digests`, built on it (reporting/tests/test_rules.py)."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from partnerships.access import Action, authorize, can, get_in_partnership_for_user, partnerships_visible_to
from partnerships.models import Partnership

from .models import Digest, PartnershipExport


def digests_visible_to(user) -> QuerySet[Digest]:
    """The board digests of the partnerships the user has a role in."""
    return Digest.objects.filter(partnership__in=partnerships_visible_to(user))


def get_digest_for_user(user, pk: int, action: Action = Action.VIEW) -> Digest:
    """A digest, or 404 if the user has no role in its partnership (403 if their roles do not allow `action`)."""
    return get_in_partnership_for_user(Digest.objects.all(), user, action, pk=pk)


def can_manage_digests(user, partnership: Partnership) -> bool:
    """Whether the user may build the partnership's digest now and set its schedule: the partnership lead."""
    return can(user, partnership, Action.MANAGE)


def authorize_manage_digests(user, partnership: Partnership) -> None:
    """`can_manage_digests` for the services: 404 outside the partnership, 403 for anyone but the lead."""
    authorize(user, partnership, Action.VIEW)
    if not can_manage_digests(user, partnership):
        raise PermissionDenied(f"Your role does not allow you to manage in {partnership.name}.")


def can_export_partnership(user, partnership: Partnership) -> bool:
    """Whether the user may ask for, follow and download archives of the partnership's complete record ("Download
    everything"): the partnership lead, who holds the whole record, confidential decisions included."""
    return can(user, partnership, Action.MANAGE)


def authorize_export_partnership(user, partnership: Partnership) -> None:
    """`can_export_partnership` for the services: 404 outside the partnership, 403 for anyone but the lead."""
    authorize(user, partnership, Action.VIEW)
    if not can_export_partnership(user, partnership):
        raise PermissionDenied(f"Only the lead of {partnership.name} can download its complete record.")


def get_export_for_user(user, pk: int) -> PartnershipExport:
    """An archive, or 404 if the user has no role in its partnership (403 unless they lead it)."""
    return get_in_partnership_for_user(PartnershipExport.objects.all(), user, Action.MANAGE, pk=pk)
