"""Delegations the partnership lead recorded that their organisation has still to confirm: what the board digest
lists and the dashboard counts."""

from datetime import date

from partnerships.models import Delegation, Partnership


def delegations_awaiting_confirmation(partnership: Partnership, day: date):
    """The partnership's delegations, in force on `day` or starting later, that their organisation has not confirmed:
    the lead recorded them, and the organisation's administrators have still to check them against its scheme."""
    return (
        Delegation.objects.filter(partnership=partnership)
        .not_ended(day)
        .unconfirmed()
        .select_related("organisation", "delegate")
        .order_by("organisation__name", "valid_from", "pk")
    )
