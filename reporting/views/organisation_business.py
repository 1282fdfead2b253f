"""What one organisation must sign, ratify or act on, across every partnership that lists it.

Only its administrators and the service administrators read it. Someone who cannot see the organisation at all gets
404, as for an organisation that does not exist; someone who can see it (a lead or member of a partnership that lists
it) but does not administer it gets 403, the project's rule for "can see, may not act" (partnerships/access.py)."""

from functools import partial

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from partnerships.access import can_confirm_delegation, get_administered_organisation_for_user

from ..selectors.organisation_business import organisation_business as business_of


@require_GET
def organisation_business(request, pk: int):
    organisation = get_administered_organisation_for_user(request.user, pk)
    context = {
        "business": business_of(request.user, organisation),
        # Each row's Confirm link asks the same function as the service behind it.
        "can_confirm_delegation": partial(can_confirm_delegation, request.user),
        "today": timezone.localdate(),
    }
    return render(request, "reporting/organisation_business.html", context)
