"""Who may read a partnership's board digests: everyone with a role in it (confidential decisions in them redacted as
elsewhere, see `selectors.digests.redacted`); only the lead builds one now and sets the schedule."""

from django.db.models import QuerySet

from partnerships.access import Action, get_in_partnership_for_user, partnerships_visible_to

from .models import Digest


def digests_visible_to(user) -> QuerySet[Digest]:
    return Digest.objects.filter(partnership__in=partnerships_visible_to(user))


def get_digest_for_user(user, pk: int, action: Action = Action.VIEW) -> Digest:
    """A digest, or 404 if the user has no role in its partnership (403 if their roles do not allow `action`)."""
    return get_in_partnership_for_user(Digest.objects.all(), user, action, pk=pk)
