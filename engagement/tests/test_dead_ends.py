"""Where people were turned back on the engagement pages: a response that could not be tied to an action, a coverage
period that said one thing and counted another, and a link offered to someone who may not follow it."""

from datetime import timedelta

import pytest
from django.urls import reverse

from core.audit import SYSTEM
from engagement import services
from engagement.access import workstreams_for_expectations
from engagement.models import EngagementActivity, Feedback
from partnerships.models import Role
from partnerships.services.people import role_grant, role_revoke
from tests.html import error_summary, parse, text
from workstreams.models import Action as WorkStreamAction
from workstreams.models import ActionStatus

from .support import group, log, written

pytestmark = pytest.mark.django_db

COVERAGE = reverse("engagement:coverage", args=["QZZ"])


def action(ew, today, description: str, *, workstream=None, days: int = 14, status=ActionStatus.OPEN):
    return WorkStreamAction.objects.create(
        partnership=ew.partnership,
        workstream=workstream or ew.diabetes,
        description=description,
        owner=ew.member,
        due_on=today + timedelta(days=days),
        status=status,
        completed_on=today if status == ActionStatus.DONE else None,
    )


# --- "Action it led to" -----------------------------------------------------------------------------------------


def test_a_response_can_be_tied_to_an_action_the_form_offers(client, ew, today):
    activity = log(ew.partnership, held_on=today, reach={"patients-carers": 9}, workstreams=[ew.diabetes])
    item = services.feedback_record(actor=SYSTEM, activity=activity, theme="Signs", groups=[group("patients-carers")])
    signs = action(ew, today, "Put up new signs in the clinic")
    action(ew, today, "Done already", status=ActionStatus.DONE)
    action(ew, today, "Another work-stream's", workstream=ew.medicines)
    client.force_login(ew.member)
    url = reverse("engagement:feedback_respond", args=[item.pk])
    offered = {option.get_text(strip=True) for option in parse(client.get(url)).select("#id_action option")}
    assert offered == {"No action", str(signs)}
    response = client.post(url, {"response": "New signs are up", "status": "acted_on", "action": signs.pk})
    assert response.status_code == 302, error_summary(response)
    assert Feedback.objects.get(pk=item.pk).action == signs


def test_an_action_the_form_does_not_offer_is_refused_with_a_message_and_nothing_written(client, ew, today):
    activity = log(ew.partnership, held_on=today, reach={"patients-carers": 9}, workstreams=[ew.diabetes])
    item = services.feedback_record(actor=SYSTEM, activity=activity, theme="Signs", groups=[group("patients-carers")])
    elsewhere = action(ew, today, "Another work-stream's", workstream=ew.medicines)
    client.force_login(ew.member)
    before = written()
    response = client.post(
        reverse("engagement:feedback_respond", args=[item.pk]),
        {"response": "New signs", "status": "acted_on", "action": elsewhere.pk},
    )
    assert response.status_code == 400
    [(message, target)] = error_summary(response)
    assert (message.rstrip("."), target) == ("Choose an action from the list", "#id_action")
    assert written() == before


def test_the_action_already_linked_stays_on_offer_once_done(client, ew, today):
    activity = log(ew.partnership, held_on=today, reach={"patients-carers": 9}, workstreams=[ew.diabetes])
    item = services.feedback_record(actor=SYSTEM, activity=activity, theme="Signs", groups=[group("patients-carers")])
    signs = action(ew, today, "Put up new signs in the clinic")
    services.feedback_respond(actor=SYSTEM, feedback=item, response="Signs ordered", status="responded", action=signs)
    WorkStreamAction.objects.filter(pk=signs.pk).update(status=ActionStatus.DONE, completed_on=today)
    client.force_login(ew.member)
    url = reverse("engagement:feedback_respond", args=[item.pk])
    assert parse(client.get(url)).select_one("#id_action option[selected]")["value"] == str(signs.pk)
    response = client.post(url, {"response": "The signs are up", "status": "acted_on", "action": signs.pk})
    assert response.status_code == 302, error_summary(response)


# --- The coverage page's period -------------------------------------------------------------------------------------


def period_shown(response) -> str:
    return parse(response).select_one("#id_period option[selected]").get_text(strip=True)


def test_the_coverage_drop_down_shows_the_12_months_the_page_counts(client, ew, today):
    client.force_login(ew.viewer)
    response = client.get(COVERAGE)
    assert period_shown(response) == "12 months"
    assert "in the last 12 months" in text(response, "#matrix-hint")


def test_filtering_coverage_by_work_stream_keeps_the_period(client, ew, today):
    log(ew.partnership, held_on=today - timedelta(days=200), reach={"patients-carers": 30}, workstreams=[ew.diabetes])
    client.force_login(ew.viewer)
    response = client.get(COVERAGE, {"workstream": ew.diabetes.pk})  # as a link from the work-stream's page
    assert period_shown(response) == "12 months"
    assert "in the last 12 months" in text(response, "#matrix-hint")
    assert "1 in the last 12 months" in text(response, "#coverage-matrix")  # 200 days ago still counts
    chosen = client.get(COVERAGE, {"workstream": ew.diabetes.pk, "period": "182"})
    assert period_shown(chosen) == "6 months" and "in the last 6 months" in text(chosen, "#matrix-hint")


def test_a_bad_period_is_refused_and_the_drop_down_shows_the_period_counted_instead(client, ew, today):
    client.force_login(ew.viewer)
    response = client.get(COVERAGE, {"period": "7"})
    assert response.status_code == 400
    [(message, target)] = error_summary(response)
    assert (message.rstrip("."), target) == ("Choose a period from the list", "#id_period")
    assert period_shown(response) == "12 months" and "in the last 12 months" in text(response, "#matrix-hint")


# --- Links offered only to those who may follow them ----------------------------------------------------------------


@pytest.mark.parametrize(("persona", "offered"), [("viewer", False), ("member", True), ("ned", True), ("lead", True)])
def test_log_an_engagement_activity_is_offered_on_a_work_stream_only_to_those_who_may_log(
    client, ew, today, persona, offered
):
    client.force_login(getattr(ew.world, persona))
    page = text(client.get(ew.diabetes.get_absolute_url()))
    assert ("Log an engagement activity" in page) is offered
    create = client.get(reverse("engagement:activity_create", args=["QZZ"]) + f"?workstream={ew.diabetes.pk}")
    assert create.status_code == (200 if offered else 403)


def test_the_viewer_is_offered_no_way_to_log_or_change_engagement(client, ew, today):
    activity = log(ew.partnership, held_on=today, reach={"patients-carers": 9}, workstreams=[ew.diabetes])
    services.feedback_record(actor=SYSTEM, activity=activity, theme="Signs", groups=[group("patients-carers")])
    client.force_login(ew.viewer)
    pages = [
        ew.diabetes.get_absolute_url(),
        reverse("engagement:activity_list", args=["QZZ"]),
        reverse("engagement:feedback_list", args=["QZZ"]),
        EngagementActivity.objects.get().get_absolute_url(),
        COVERAGE,
        reverse("engagement:expectation_list", args=["QZZ"]),
        reverse("engagement:group_list", args=["QZZ"]),
    ]
    for url in pages:
        page = parse(client.get(url))
        for link in page.select("a[href]"):
            href = link["href"].split("?")[0]
            if href.startswith("/") and not href.startswith("/help/"):
                status = client.get(link["href"]).status_code
                assert status != 403, f"{url} links to {link['href']}, which refuses the viewer"
        assert not page.select("main form[method=post]"), url


def test_a_member_lowered_to_viewer_is_offered_no_work_stream_to_set_expectations_for(client, ew):
    """A group seat never lifts a viewer: once the member's role is lowered, their seat sets no expectations."""
    assert ew.diabetes in workstreams_for_expectations(ew.member, ew.partnership)
    role_grant(actor=ew.lead, partnership=ew.partnership, user=ew.member, role=Role.VIEWER)
    role_revoke(actor=ew.lead, partnership=ew.partnership, user=ew.member, role=Role.MEMBER)
    assert not workstreams_for_expectations(ew.member, ew.partnership).exists()
    client.force_login(ew.member)
    response = client.get(reverse("engagement:expectation_list", args=[ew.partnership.code]))
    assert f'value="{ew.diabetes.pk}"' not in response.content.decode()
