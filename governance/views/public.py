"""The partnership's public page, its published decisions and their Atom feed: no sign-in.

Only approved public decisions ever appear here (`selectors.decisions.public_decisions`); confidential ones, and
anything not yet decided, never do. Of engagement, only published "you said, we did" responses and the activities
(without personal data) that informed a published decision (`selectors.evidence`).

Anonymous readers are answered from a stored rendering, with `ETag` and `Last-Modified` (core/page_store.py).
"""

from django.contrib.auth.decorators import login_not_required
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_GET

from core.audit import chain_length
from core.page_store import stored_page
from engagement.models import LEVEL_MEANINGS

from ..access import get_public_partnership
from ..selectors.decisions import public_decisions, public_members, public_workstreams
from ..selectors.evidence import public_evidence, public_responses
from ..selectors.validity import validity_for

FEED_LENGTH = 50


def _stored(request, partnership, render_page):
    """The page from the store for anonymous readers, rendered again once anything in the partnership changes (its
    audit chain moves with every change, published or not; the page's validators move only when what it shows does,
    core/page_store.py)."""
    version = f"{partnership.cache_identity}.{chain_length(partnership.pk)}"
    return stored_page(request, key=request.path, version=version, render=render_page)


@login_not_required
@require_GET
def public_partnership(request, code: str):
    partnership = get_public_partnership(code)

    def render_page():
        context = {
            "partnership": partnership,
            "decisions": public_decisions(partnership)[:FEED_LENGTH],
            "members": public_members(partnership),
            "workstreams": public_workstreams(partnership),
            "responses": public_responses(partnership),
        }
        return render(request, "public/partnership.html", context)

    return _stored(request, partnership, render_page)


@login_not_required
@require_GET
def public_decision(request, code: str, reference: str):
    partnership = get_public_partnership(code)

    def render_page():
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

    return _stored(request, partnership, render_page)


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


@login_not_required
@require_GET
def published_decisions_feed(request, code: str):
    partnership = get_public_partnership(code)
    return _stored(request, partnership, lambda: PublishedDecisionsFeed()(request, code=code))
