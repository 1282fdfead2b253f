"""The dashboard from stored figures (issue 18): read from the cache in one query while nothing has changed; after
each kind of change, the very next view shows it, having built again only the sections that count what changed;
the day turning builds everything afresh; a build that raced a change is built again."""

from datetime import timedelta

import pytest
from django.contrib.admin.sites import site
from django.core.cache import cache
from django.test import RequestFactory
from django.utils import timezone

from core.audit import SYSTEM, audit_record
from engagement import services as engagement_services
from engagement.tests.support import log
from governance.tests.risk_support import raise_risk
from governance.tests.support import in_signoff, sign, signatories
from partnerships import services as partnership_services
from reporting.selectors import dashboard_store
from reporting.selectors.dashboard_store import SECTIONS, stored_dashboard
from reporting.views.dashboard import SHARED_SECTIONS
from tests.factories import UserFactory
from workstreams import services as workstream_services
from workstreams.models import WorkStream, WorkStreamStatus

from .dashboard_support import default_groups, group

pytestmark = pytest.mark.django_db

EVERY_SECTION = [section.name for section in SECTIONS]


@pytest.fixture
def scene(world):
    default_groups()
    signatories(world)
    workstream = WorkStream.objects.create(
        partnership=world.partnership, name="Diabetes", purpose="Prevent it.", status=WorkStreamStatus.ACTIVE
    )
    stored_dashboard(world.partnership)  # stored, as after the morning's first view
    return workstream


@pytest.fixture
def superuser(db):
    return UserFactory(username="admin", is_superuser=True, is_staff=True)


def add_action(world, workstream, **fields):
    fields.setdefault("due_on", timezone.localdate())
    return workstream_services.action_create(
        actor=world.lead, description="Write to every practice", owner=world.lead, workstream=workstream, **fields
    )


def read(world):
    return stored_dashboard(world.partnership)


def test_a_second_view_reads_every_section_from_the_store_in_one_query(world, scene, django_assert_num_queries):
    with django_assert_num_queries(1):  # the chain's head
        again = read(world)
    assert again.rebuilt == []
    assert [w.name for w in again.dashboard.workstreams] == ["Diabetes"]


def test_a_new_action_shows_at_once_and_engagement_is_not_built_again(world, scene):
    add_action(world, scene)
    after = read(world)
    assert after.dashboard.actions.open == 1
    assert "actions" in after.rebuilt and "risks" not in after.rebuilt


def test_a_rag_rating_shows_at_once(world, scene):
    workstream_services.workstream_set_rag(actor=world.lead, workstream=scene, rag="red", reason="Behind plan")
    after = read(world)
    assert after.dashboard.workstreams[0].rag == "red"
    assert "engagement" in after.rebuilt  # engagement counts work-streams too (its coverage rows)


def test_a_decision_opened_for_sign_off_and_a_vote_show_at_once(world, scene):
    decision = in_signoff(world, title="Shared community diabetes service")
    after = read(world)
    (waiting,) = after.dashboard.decisions.awaiting
    assert waiting.title == "Shared community diabetes service"
    outstanding = len(waiting.outstanding)
    sign(world.board, decision)
    (waiting,) = read(world).dashboard.decisions.awaiting
    assert len(waiting.outstanding) == outstanding - 1
    assert set(read(world).rebuilt) == set()


def test_a_new_risk_shows_at_once_and_only_the_sections_that_count_risks_are_built(world, scene):
    raise_risk(world, title="Escalated", likelihood=5, consequence=5)
    after = read(world)
    assert after.dashboard.risks.open == 1
    assert set(after.rebuilt) == {"decisions", "risks", "health", "trends"}


def test_feedback_awaiting_a_response_shows_at_once(world, scene):
    activity = log(world.partnership, held_on=timezone.localdate(), reach={"staff-unions": 4}, workstreams=[scene])
    engagement_services.feedback_record(
        actor=world.lead, activity=activity, theme="More clinics", groups=[group("staff-unions")]
    )
    after = read(world)
    assert after.dashboard.engagement.awaiting_response == 1
    assert set(after.rebuilt) == {"engagement"}


def test_a_renamed_organisation_shows_at_once(world, scene, superuser):
    add_action(world, scene, owner_organisation=world.trust)
    read(world)
    partnership_services.organisation_update(actor=superuser, organisation=world.trust, name="Northgate NHS Trust")
    names = [group.name for group in read(world).dashboard.actions.by_organisation]
    assert names == ["Northgate NHS Trust"]


def test_a_person_renamed_in_the_admin_shows_at_once(world, scene, superuser):
    WorkStream.objects.filter(pk=scene.pk).update(lead=world.member)
    cache.clear()
    read(world)
    admin = site._registry[type(world.member)]
    request = RequestFactory().post("/admin/")
    request.user = superuser
    before = {"first_name": world.member.first_name}
    world.member.first_name = "Renamed"
    world.member.save()
    admin.audit(request, world.member, "updated", before=before, after={"first_name": "Renamed"})
    assert read(world).dashboard.workstreams[0].lead.startswith("Renamed")


def test_events_about_digests_build_nothing_again(world, scene):
    audit_record(actor=SYSTEM, action="digest.built", target=world.partnership, summary="A digest", partnership_id=None)
    assert read(world).rebuilt == []


def test_the_day_turning_builds_every_section_afresh(world, scene):
    today = read(world).dashboard.today
    tomorrow = stored_dashboard(world.partnership, today=today + timedelta(days=1))
    assert tomorrow.rebuilt == EVERY_SECTION
    assert tomorrow.dashboard.today == today + timedelta(days=1)


def test_a_section_built_while_a_change_committed_is_built_again_on_the_next_view(world, scene, monkeypatch):
    real_head = dashboard_store.chain_length
    monkeypatch.setattr(dashboard_store, "chain_length", lambda pk: real_head(pk) - 1)  # read before a change
    cache.clear()
    read(world)
    monkeypatch.setattr(dashboard_store, "chain_length", real_head)
    raise_risk(world, title="Escalated", likelihood=5, consequence=5)
    assert read(world).dashboard.risks.open == 1


def test_the_page_and_the_api_show_the_stored_figures(world, scene, client):
    client.force_login(world.lead)
    raise_risk(world, title="Escalated", likelihood=5, consequence=5)
    assert client.get("/api/v1/dashboards/QZZ/").json()["risks"]["open"] == 1
    workstream_services.workstream_set_rag(actor=world.lead, workstream=scene, rag="amber", reason="Slipping")
    assert "Slipping" in client.get("/partnerships/QZZ/dashboard/").text


def section(html: str, name: str) -> str:
    """The dashboard's section `name` in a page's HTML."""
    return html.split(f'<section aria-labelledby="{name}">', 1)[1].split("</section>", 1)[0]


def test_the_pages_shared_sections_are_stored_and_rendered_again_only_after_a_change(world, scene, client):
    client.force_login(world.lead)
    first = client.get("/partnerships/QZZ/dashboard/").text
    versions = read(world).versions
    keys = ["dashboard-html:" + "+".join(versions[each] for each in reads) for reads in SHARED_SECTIONS.values()]
    assert len(cache.get_many(keys)) == len(SHARED_SECTIONS) == 5
    again = client.get("/partnerships/QZZ/dashboard/").text
    assert [section(again, name) for name in SHARED_SECTIONS] == [section(first, name) for name in SHARED_SECTIONS]

    workstream_services.workstream_set_rag(actor=world.lead, workstream=scene, rag="red", reason="Behind plan")
    add_action(world, scene, due_on=timezone.localdate() - timedelta(days=3))
    after = client.get("/partnerships/QZZ/dashboard/").text
    assert "Behind plan" in after and "Behind plan" not in first  # the work-streams section, rendered again
    assert "1 action is overdue" in section(after, "actions")  # the actions section, rendered again
    assert "0 actions are overdue" in section(first, "actions")


def test_the_shared_sections_read_the_same_for_a_viewer_and_the_decisions_are_still_hidden(world, scene, client):
    in_signoff(
        world,
        actor=world.lead,
        title="Secret land deal",
        visibility="confidential",
        confidential_reason="Commercial negotiation.",
        confidential_review_on=timezone.localdate() + timedelta(days=90),
    )
    client.force_login(world.lead)
    for_the_lead = client.get("/partnerships/QZZ/dashboard/").text  # stores the shared sections' HTML
    client.force_login(world.viewer)
    for_a_viewer = client.get("/partnerships/QZZ/dashboard/").text

    assert section(for_a_viewer, "workstreams") == section(for_the_lead, "workstreams")
    assert "Secret land deal" in section(for_the_lead, "decisions")
    assert "Secret land deal" not in for_a_viewer
