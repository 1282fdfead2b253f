"""One rule, one place: the engagement pages offer a change exactly when its service would accept it.

The pages ask `engagement.access` (`may_contribute`, `feedback_outcomes_open_to`, `may_manage_groups`, the
expectations' rule) and the services call the `authorize_…` functions built on the same rules. For every role and
every stage of a "you said" item, each page is read as that person — its links, forms and choices — and each
service is called as them inside a savepoint that is rolled back: the two must agree.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from engagement import services
from engagement.models import EngagementActivity, Feedback, FeedbackStatus
from tests.fixtures import PERSONAS, client_for
from tests.html import parse
from tests.rules import accepts, disagreements, links_on, post_forms_on

from .support import group, log

ROLES = [persona for persona in PERSONAS if persona != "anonymous"]
OUTCOMES = [status for status in FeedbackStatus.values if status != FeedbackStatus.OPEN]


def outcomes_offered(response) -> set[str]:
    """The outcomes the response form offers, or none if the page is not shown."""
    if response.status_code != 200:
        return set()
    return {field["value"] for field in parse(response).select("input[name=status]")}


@pytest.mark.parametrize("status", FeedbackStatus.values)
def test_the_response_form_offers_each_outcome_exactly_when_the_service_would_accept(ew, client, today, status):
    activity = log(ew.partnership, held_on=today, reach={"gps": 12}, workstreams=[ew.diabetes])
    feedback = services.feedback_record(actor=ew.member, activity=activity, theme="Parking", groups=[group("gps")])
    if status != FeedbackStatus.OPEN:
        reason = "Too costly." if status == FeedbackStatus.NOT_TAKEN_FORWARD else ""
        services.feedback_respond(actor=ew.member, feedback=feedback, response="Asked.", status=status, reason=reason)
    found = []
    for persona in ROLES:  # one item for every role: each service call is rolled back
        client = client_for(client, ew.world, persona)
        offered_outcomes = outcomes_offered(client.get(reverse("engagement:feedback_respond", args=[feedback.pk])))
        listed = links_on(client.get(reverse("engagement:feedback_list", args=["QZZ"])))
        offered = {outcome: outcome in offered_outcomes for outcome in OUTCOMES}
        accepted = {
            outcome: accepts(
                services.feedback_respond,
                actor=getattr(ew.world, persona),
                feedback=Feedback.objects.get(pk=feedback.pk),
                response="We have asked the trust for more spaces.",
                status=outcome,
                reason="It would cost too much." if outcome == FeedbackStatus.NOT_TAKEN_FORWARD else "",
            )
            for outcome in OUTCOMES
        }
        offered["respond from the list"] = reverse("engagement:feedback_respond", args=[feedback.pk]) in listed
        accepted["respond from the list"] = any(accepted[outcome] for outcome in OUTCOMES)
        found += [f"{persona}, {line}" for line in disagreements(offered, accepted)]
    assert found == []


@pytest.mark.parametrize("persona", ROLES)
def test_the_engagement_pages_offer_each_change_exactly_when_its_service_would_accept(ew, client, today, persona):
    activity = log(ew.partnership, held_on=today, reach={"gps": 12}, workstreams=[ew.diabetes])
    actor = getattr(ew.world, persona)
    client = client_for(client, ew.world, persona)
    activity_page = client.get(activity.get_absolute_url())
    pages = {
        "log": links_on(client.get(reverse("engagement:activity_list", args=["QZZ"]))),
        "work-stream": links_on(client.get(ew.diabetes.get_absolute_url())),
        "activity": links_on(activity_page),
        "activity forms": post_forms_on(activity_page),
        "expectations": post_forms_on(client.get(reverse("engagement:expectation_list", args=["QZZ"]))),
        "groups": post_forms_on(client.get(reverse("engagement:group_list", args=["QZZ"]))),
    }
    changes = {
        "log an activity": (
            "log",
            reverse("engagement:activity_create", args=["QZZ"]),
            services.activity_log,
            {
                "partnership": ew.partnership,
                "held_on": today,
                "title": "Drop-in at the library",
                "method": "meeting",
                "level": "consult",
                "reach": {group("patients-carers"): 20},
            },
        ),
        "log an activity from a work-stream's page": (
            "work-stream",
            reverse("engagement:activity_create", args=["QZZ"]),
            services.activity_log,
            {
                "partnership": ew.partnership,
                "held_on": today,
                "title": "Diabetes clinic survey",
                "method": "survey",
                "level": "consult",
                "reach": {group("patients-carers"): 40},
                "workstreams": [ew.diabetes],
            },
        ),
        "change the activity": (
            "activity",
            reverse("engagement:activity_edit", args=[activity.pk]),
            services.activity_update,
            {"activity": EngagementActivity.objects.get(pk=activity.pk), "title": "GP practice forum"},
        ),
        "record what people said": (
            "activity",
            reverse("engagement:feedback_create", args=[activity.pk]),
            services.feedback_record,
            {"activity": activity, "theme": "Evening clinics", "groups": [group("gps")]},
        ),
        "attach a document": (
            "activity forms",
            reverse("engagement:attachment_add", args=[activity.pk]),
            services.attachment_add,
            {"activity": activity, "file": SimpleUploadedFile("notes.pdf", b"%PDF-1.7 notes")},
        ),
        "set an expectation": (
            "expectations",
            reverse("engagement:expectation_list", args=["QZZ"]),
            services.expectation_set,
            {"workstream": ew.diabetes, "group": group("gps"), "interval_days": 90},
        ),
        "add a group": (
            "groups",
            reverse("engagement:group_list", args=["QZZ"]),
            services.stakeholder_group_add,
            {"partnership": ew.partnership, "name": "Community pharmacists"},
        ),
    }
    offered = {name: path in pages[page] for name, (page, path, _, _) in changes.items()}
    accepted = {
        name: accepts(service, actor=actor, **arguments) for name, (_, _, service, arguments) in changes.items()
    }
    assert disagreements(offered, accepted) == []
