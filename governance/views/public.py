"""The partnership's public page, its published decisions and their Atom feed: no sign-in.

Only approved public decisions ever appear here (`selectors.decisions.public_decisions`); confidential ones, and
anything not yet decided, never do. Of engagement, only published "you said, we did" responses and the activities
(without personal data) that informed a published decision (`selectors.evidence`).
"""

from django.contrib.auth.decorators import login_not_required
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_GET

from engagement.models import LEVEL_MEANINGS

from ..access import get_public_partnership
from ..selectors.decisions import public_decisions, public_members, public_workstreams
from ..selectors.evidence import public_evidence, public_responses
from ..selectors.validity import validity_for

FEED_LENGTH = 50


@login_not_required
@require_GET
def public_partnership(request, code: str):
    partnership = get_public_partnership(code)
    context = {
        "partnership": partnership,
        "decisions": public_decisions(partnership)[:FEED_LENGTH],
        "members": public_members(partnership),
        "workstreams": public_workstreams(partnership),
        "responses": public_responses(partnership),
    }
    return render(request, "public/partnership.html", context)


@login_not_required
@require_GET
def public_decision(request, code: str, reference: str):
    partnership = get_public_partnership(code)
    decision = public_decisions(partnership).filter(reference=reference).first()
    if decision is None:
        raise Http404("No such published decision.")
    context = {
        "partnership": partnership,
        "decision": decision,
        "validity": validity_for(decision),
        "evidence": public_evidence(decision),
        "level_meanings": LEVEL_MEANINGS,
    }
    return render(request, "public/decision.html", context)


class PublishedDecisionsFeed(Feed):
    """An Atom feed of a partnership's published decisions, newest first."""

    feed_type = Atom1Feed
    login_required = False  # read by LoginRequiredMiddleware, as @login_not_required would set it

    def get_object(self, request, code: str):
        return get_public_partnership(code)

    def title(self, partnership):
        return f"Decisions of {partnership.name}"

    def subtitle(self, partnership):
        return f"Decisions approved and published by {partnership.name} ({partnership.code})."

    def link(self, partnership):
        return reverse("governance:public_partnership", args=[partnership.code])

    def items(self, partnership):
        return public_decisions(partnership)[:FEED_LENGTH]

    def item_title(self, decision):
        return f"{decision.reference}: {decision.title}"

    def item_description(self, decision):
        return decision.case

    def item_link(self, decision):
        return reverse("governance:public_decision", args=[decision.partnership.code, decision.reference])

    def item_pubdate(self, decision):
        return decision.decided_at

    def item_updateddate(self, decision):
        return decision.updated_at

    def item_categories(self, decision):
        return [decision.get_category_display()]


published_decisions_feed = PublishedDecisionsFeed()
