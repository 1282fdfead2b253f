"""What a board digest says, checked against a week worked out by hand (`digest_support.a_week`), and how each reader
sees it: their own organisation's to-do first, confidential decisions redacted for those who may not read them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from governance.models import Decision, DecisionStatus
from reporting.models import PERIOD_DAYS, Digest, DigestStatus
from reporting.selectors.digests import digest_for_reader
from workstreams.models import Action

from .digest_support import a_week, built

pytestmark = pytest.mark.django_db


@pytest.fixture
def week(world):
    return a_week(world)


def references(items) -> list[str]:
    return [item["reference"] for item in items]


def test_a_digest_covers_the_seven_days_to_its_day_and_is_stored_built(world, week):
    digest = built(world)
    today = timezone.localdate()
    assert (digest.period_start, digest.period_end) == (today - timedelta(days=PERIOD_DAYS), today)
    assert digest.status == DigestStatus.BUILT and digest.built_at is not None
    assert digest.content["partnership"] == {"code": "QZZ", "name": "Demo Health and Care Partnership"}


def test_decisions_made_and_awaiting_sign_off_say_from_which_organisations(world, week):
    decisions = built(world).content["decisions"]
    assert [(item["reference"], item["status"], item["binding"]) for item in decisions["made"]] == [
        (
            week.winter.reference,
            "approved",
            # The world's delegations were recorded by the lead and never confirmed by their organisations.
            "Binding on 2 of 2 organisations; 2 of the 2 under delegations their organisation has not confirmed",
        )
    ]
    assert decisions["made"][0]["no_challenge"] is True
    assert references(decisions["awaiting"]) == [week.diabetes.reference, week.estates.reference]
    diabetes, estates = decisions["awaiting"]
    assert diabetes["awaiting_signoff"] == ["Demo City Council"]  # the trust has signed
    assert diabetes["awaiting_board"] == ["Extra Partner 0"]  # nobody there may sign: its own board must ratify
    assert estates["awaiting_signoff"] == ["Demo City Council", "Demo Hospitals NHS Foundation Trust"]
    assert estates["awaiting_board"] == ["Extra Partner 0"]
    assert decisions["awaiting_count"] == 2
    assert diabetes["days_waiting"] == 0


def test_risks_actions_engagement_and_meetings_are_counted_as_by_hand(world, week):
    content = built(world).content
    risks = content["risks"]
    assert [risk["title"] for risk in risks["raised"]] == ["Podiatry waits"]  # the old one was raised 40 days ago
    assert [risk["title"] for risk in risks["escalated"]] == ["Podiatry waits"]  # 16: at or above 15
    assert (risks["escalated_count"], risks["raised"][0]["score"], risks["raised"][0]["band"]) == (1, 16, "Extreme")
    actions = content["actions"]
    assert actions["overdue"] == 2  # not the one due in five days, nor the one done
    assert [action["description"] for action in actions["oldest"]] == [
        "Draft the diabetes pathway",
        "Brief the health scrutiny panel",
    ]
    assert actions["oldest"][0]["days_overdue"] == 10
    assert sorted((row["name"], row["count"]) for row in actions["by_organisation"]) == [
        ("Demo City Council", 1),
        ("Demo Hospitals NHS Foundation Trust", 1),
    ]
    assert actions["by_workstream"] == [{"name": "Diabetes", "count": 2}]
    engagement = content["engagement"]
    assert [(gap["workstream"], gap["group"]) for gap in engagement["gaps"]] == [
        ("Diabetes", "Local authorities and councillors")
    ]
    assert engagement["gaps"][0]["text"] == "Red: never engaged (expected every 90)"
    assert [item["theme"] for item in engagement["responses"]] == ["Run courses in the evening."]
    assert engagement["awaiting_response"] == 1
    assert [meeting["id"] for meeting in content["meetings"]] == [week.meeting.pk]  # not the one in 20 days


def test_each_organisation_has_its_own_to_do(world, week):
    content = built(world).content
    todo = content["todo"]
    trust, council = todo[str(world.trust.pk)], todo[str(world.council.pk)]
    extra = todo[str(week.extra_organisation.pk)]
    assert (trust["sign_off"], trust["ratify"]) == ([week.estates.pk], [])  # decisions by id, written out once:
    assert sorted(content["decisions"]["waiting"]) == sorted([str(week.diabetes.pk), str(week.estates.pk)])
    assert [action["description"] for action in trust["actions"]] == ["Draft the diabetes pathway"]
    assert council["sign_off"] == [week.diabetes.pk, week.estates.pk]
    assert [action["description"] for action in council["actions"]] == ["Brief the health scrutiny panel"]
    assert (extra["sign_off"], extra["ratify"]) == ([], [week.diabetes.pk, week.estates.pk])
    assert (trust["actions_count"], council["actions_count"], extra["actions_count"]) == (1, 1, 0)
    assert str(world.other_trust.pk) not in todo


def test_a_board_member_from_one_organisation_reads_its_to_do_not_anothers(world, week):
    digest = built(world)
    board = digest_for_reader(digest, world.board)  # the trust
    ned = digest_for_reader(digest, world.ned)  # the council
    assert board.organisation == world.trust and ned.organisation == world.council
    assert [action["description"] for action in board.todo["actions"]] == ["Draft the diabetes pathway"]
    assert [action["description"] for action in ned.todo["actions"]] == ["Brief the health scrutiny panel"]
    assert references(board.todo["sign_off"]) == [week.estates.reference]
    assert references(digest_for_reader(digest, week.extra_person).todo["ratify"]) == [
        week.diabetes.reference,
        week.estates.reference,
    ]
    assert digest_for_reader(digest, world.outsider).todo is None  # QYY's trust has nothing here


def test_confidential_decisions_are_redacted_for_members_and_viewers_but_not_the_board(world, week):
    digest = built(world)
    for persona in ("viewer", "member"):
        reading = digest_for_reader(digest, getattr(world, persona))
        estates = reading.content["decisions"]["awaiting"][1]
        assert estates["reference"] == week.estates.reference
        assert (estates["title"], estates["redacted"], estates["awaiting_signoff"]) == (
            "Confidential decision",
            True,
            [],
        )
        assert reading.todo["sign_off"][1]["title"] == "Confidential decision"  # the council's to-do too
        assert "Sale of the Riverside clinic" not in str(reading.content)
    for persona in ("board", "ned", "lead"):
        reading = digest_for_reader(digest, getattr(world, persona))
        assert reading.content["decisions"]["awaiting"][1]["title"] == "Sale of the Riverside clinic"


def test_a_digest_is_a_snapshot_later_changes_do_not_rewrite_it(world, week):
    digest = built(world)
    Action.objects.filter(pk=week.trust_action.pk).update(description="Changed afterwards")
    week.council_action.delete()
    digest.refresh_from_db()
    assert [action["description"] for action in digest.content["actions"]["oldest"]] == [
        "Draft the diabetes pathway",
        "Brief the health scrutiny panel",
    ]
    assert Digest.objects.get().content == digest.content


def test_a_past_period_counts_what_happened_in_it_only(world, week):
    """A digest for a day three weeks ago leaves out this week's decisions and risks."""
    digest = built(world, period_end=timezone.localdate() - timedelta(days=21))
    assert digest.content["decisions"]["made"] == []
    assert digest.content["risks"]["raised"] == []


def test_a_partnership_with_nothing_happening_gets_a_digest_saying_so(world, client):
    digest = built(world)
    content = digest.content
    assert content["decisions"] == {
        "made": [],
        "awaiting": [],
        "awaiting_count": 0,
        "urgent_awaiting_board": [],
        "waiting": {},
    }
    assert (content["actions"]["overdue"], content["meetings"], content["todo"]) == (0, [], {})
    client.force_login(world.board)
    page = client.get(digest.get_absolute_url()).content.decode()
    assert "Nothing awaits Demo Hospitals NHS Foundation Trust" in page
    assert "No decision is waiting for sign-off." in page


def test_a_decision_rejected_this_week_is_not_said_to_bind_anyone(world, week):
    Decision.objects.filter(pk=week.winter.pk).update(status=DecisionStatus.REJECTED)
    (made,) = built(world).content["decisions"]["made"]
    assert made["status"] == "rejected"
    assert made["binding"] == "Binds none: 2 of 2 organisations approved"
    assert "Binding on" not in made["binding"]
