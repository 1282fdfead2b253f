"""The decision and risk registers' filters are written once (governance/api/filters.py) and serve the pages and the
API alike: for every filter, the register's page and `/api/v1/decisions/` or `/api/v1/risks/` list the same records
to a viewer, a member and the lead, and refuse the same bad input with the same message. A confidential decision,
proposed by the lead rather than the member, is matched on its title, work-stream and engagement-evidence flag only
for those who may read it."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from governance import services
from governance.models import Risk, Visibility
from governance.services.risks import risk_close
from partnerships.models import DecisionCategory
from tests.fixtures import client_for
from tests.html import parse

from .evidence_support import end_of_life, establish, hospice_visit
from .risk_support import raise_risk, set_appetite, workstream_with_lead
from .support import approved, in_signoff, propose, signatories, workstream

PERSONAS = ["viewer", "member", "lead"]
TODAY = timezone.localdate().isoformat()
SECRET_TITLE = "Sale of the Riverside site"


def page_ids(client, url: str, table: str, prefix: str) -> set[int]:
    """The records a register's page lists, from the links in its table, every page of it."""
    ids, page = set(), 1
    while True:
        response = client.get(url, {"page": page} if page > 1 else None)
        assert response.status_code == 200, url
        html = parse(response)
        ids |= {int(re.search(rf"/{prefix}/(\d+)/", a["href"]).group(1)) for a in html.select(f"#{table} a[href]")}
        if not html.select_one(".nhsuk-pagination__next, .nhsuk-pagination-item--next"):
            return ids
        page += 1


def api_ids(client, url: str) -> set[int]:
    response = client.get(url)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["next"] is None, "the test's records fit on one page of the API"
    return {row["id"] for row in body["results"]}


# --- The decision register -------------------------------------------------------------------------------------------


class Decisions:
    """A register with a decision for every filter: drafts and approved ones, urgent, challenged, flagged for lacking
    engagement evidence, and a confidential one the member did not propose."""

    def __init__(self, world):
        signatories(world)
        self.diabetes = workstream(world, "Diabetes")
        self.end_of_life = end_of_life(world)  # expected to hear from local authorities, which nobody asked
        self.public = approved(world, title="Community diabetes hub", workstream=self.diabetes)
        self.secret = approved(
            world,
            actor=world.lead,
            title=SECRET_TITLE,
            category=DecisionCategory.FINANCE,
            workstream=self.end_of_life,
            visibility=Visibility.CONFIDENTIAL,
            confidential_reason="Commercial negotiation under way.",
            confidential_review_on=timezone.localdate() + timedelta(days=90),
        )
        self.challenged = in_signoff(world, title="Frailty pathway", workstream=self.diabetes)
        services.challenge_raise(actor=world.ned, decision=self.challenged, text="What of the care homes?")
        self.flagged = establish(world, self.end_of_life, activities=[hospice_visit(world, self.end_of_life)])
        services.decision_open_for_challenge(actor=world.lead, decision=self.flagged)
        services.decision_open_signoff(actor=world.lead, decision=self.flagged)
        self.urgent = approved(world, actor=world.lead, title="Winter beds", is_urgent=True, urgent_reason="Winter.")
        self.draft = propose(world, title="Riverside car park", category=DecisionCategory.POLICY)

    def ids(self, *names: str) -> set[int]:
        return {getattr(self, name).pk for name in names}


@pytest.fixture
def decisions(world) -> Decisions:
    return Decisions(world)


# Each filter: the page's query, the API's, and the decisions found by those who may read the confidential one and by
# those who may not (the viewer, and the member, who did not propose it).
DECISION_FILTERS = [
    ("search=Riverside", "search=Riverside", {"secret", "draft"}, {"draft"}),
    ("search=diabetes", "search=diabetes", {"public"}, {"public"}),
    ("status=approved", "status=approved", {"public", "secret", "urgent"}, {"public", "secret", "urgent"}),
    ("status=draft", "status=draft", {"draft"}, {"draft"}),
    ("category=finance", "category=finance", {"secret"}, {"secret"}),
    ("workstream={diabetes}", "workstream={diabetes}", {"public", "challenged"}, {"public", "challenged"}),
    ("workstream={end_of_life}", "workstream={end_of_life}", {"secret", "flagged"}, {"flagged"}),
    ("is_urgent=yes", "is_urgent=true", {"urgent"}, {"urgent"}),
    ("no_challenge=yes", "no_challenge=true", {"public", "secret", "urgent"}, {"public", "secret", "urgent"}),
    ("no_engagement_evidence=yes", "no_engagement_evidence=true", {"secret", "flagged"}, {"flagged"}),
    ("awaiting_ratification=yes", "awaiting_ratification=true", {"urgent"}, {"urgent"}),
    (f"proposed_from={TODAY}&proposed_to={TODAY}", f"proposed_from={TODAY}&proposed_to={TODAY}", "all", "all"),
    ("proposed_to=2001-01-01", "proposed_to=2001-01-01", set(), set()),
    (f"decided_from={TODAY}", f"decided_from={TODAY}", {"public", "secret", "urgent"}, {"public", "secret", "urgent"}),
    ("decided_to=2001-01-01", "decided_to=2001-01-01", set(), set()),
    (f"decided_to={TODAY}", f"decided_to={TODAY}", {"public", "secret", "urgent"}, {"public", "secret", "urgent"}),
]
EVERY_DECISION = {"public", "secret", "challenged", "flagged", "urgent", "draft"}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("page_query", "api_query", "for_readers", "for_others"), DECISION_FILTERS)
def test_the_decision_register_and_the_api_find_the_same_decisions(
    world, client, api_client, decisions, persona, page_query, api_query, for_readers, for_others
):
    links = {"diabetes": decisions.diabetes.pk, "end_of_life": decisions.end_of_life.pk}
    client = client_for(client, world, persona)
    api = client_for(api_client, world, persona)
    on_page = page_ids(client, "/partnerships/QZZ/decisions/?" + page_query.format(**links), "decisions", "decisions")
    in_api = api_ids(api, "/api/v1/decisions/?partnership=QZZ&" + api_query.format(**links))
    expected = for_readers if persona == "lead" else for_others
    assert on_page == in_api == decisions.ids(*(EVERY_DECISION if expected == "all" else expected))


def test_the_export_lists_what_the_register_lists(world, client, decisions):
    client = client_for(client, world, "viewer")
    export = client.get(f"/partnerships/QZZ/decisions/export.csv?workstream={decisions.end_of_life.pk}")
    body = b"".join(export.streaming_content).decode("utf-8-sig")
    assert decisions.flagged.reference in body
    assert decisions.secret.reference not in body and SECRET_TITLE not in body


@pytest.mark.parametrize(
    ("page_query", "api_query", "field", "message"),
    [
        ("status=decided", "status=decided", "status", "Choose the status from the list"),
        ("is_urgent=perhaps", "is_urgent=perhaps", "is_urgent", "Urgent must be yes or no"),
        ("decided_from=yesterday", "decided_from=yesterday", "decided_from", "Enter a real date, like 27 3 2027"),
        ("workstream={elsewhere}", "workstream={elsewhere}", "workstream", "Choose the work-stream from the list"),
        ("workstream=x", "workstream=x", "workstream", "Choose the work-stream from the list"),
    ],
)
def test_a_bad_decision_filter_is_shown_on_the_page_and_refused_by_the_api(
    world, client, api_client, decisions, page_query, api_query, field, message
):
    elsewhere = workstream(world, "Elsewhere")
    elsewhere.partnership = world.other_partnership
    elsewhere.save()
    client = client_for(client, world, "viewer")
    api = client_for(api_client, world, "viewer")
    page = parse(client.get("/partnerships/QZZ/decisions/?" + page_query.format(elsewhere=elsewhere.pk)))
    assert message in page.select_one(f"#id_{field}-error").get_text()
    answer = api.get("/api/v1/decisions/?" + api_query.format(elsewhere=elsewhere.pk))
    assert answer.status_code == 400
    assert message in " ".join(answer.json()[field])


def test_another_partnerships_work_stream_is_refused_not_matched(world, client, api_client, decisions):
    elsewhere = workstream(world, "Elsewhere")
    elsewhere.partnership = world.other_partnership
    elsewhere.save()
    client = client_for(client, world, "lead")
    api = client_for(api_client, world, "lead")
    url = f"/partnerships/QZZ/decisions/?workstream={elsewhere.pk}&status=draft"
    assert page_ids(client, url, "decisions", "decisions") == decisions.ids("draft")  # the good filter still applies
    assert "Elsewhere" not in parse(client.get(url)).select_one("#id_workstream").get_text()
    assert api.get(f"/api/v1/decisions/?workstream={elsewhere.pk}").status_code == 400


# --- The risk register -----------------------------------------------------------------------------------------------


class Risks:
    """Open risks of every tier, band and flag, and a closed one."""

    def __init__(self, world):
        set_appetite(world, "Finance", tolerance=8)
        self.stream, self.stream_lead = workstream_with_lead(world)
        self.high = raise_risk(world, title="Community nursing vacancies", likelihood=4, consequence=4)
        self.low = raise_risk(world, title="Estates backlog", likelihood=1, consequence=2, domain_name="Safety")
        self.stream_risk = raise_risk(
            world,
            actor=self.stream_lead,
            owner=self.stream_lead,
            title="Diabetes data sharing",
            tier="workstream",
            workstream=self.stream,
            likelihood=5,
            consequence=5,
        )
        self.overdue = raise_risk(world, title="Winter pressures", likelihood=3, consequence=2, owner=world.lead)
        Risk.objects.filter(pk=self.overdue.pk).update(next_review_on=timezone.localdate() - timedelta(days=1))
        self.closed = raise_risk(world, title="Old IT contract", likelihood=2, consequence=2)
        risk_close(actor=world.lead, risk=self.closed, reason="The contract ended.")

    def ids(self, *names: str) -> set[int]:
        return {getattr(self, name).pk for name in names}


@pytest.fixture
def risks(world) -> Risks:
    return Risks(world)


# Each filter: the page's query, the API's (which lists open and closed risks unless asked), and the risks found.
RISK_FILTERS = [
    ("", "status=open", {"high", "low", "stream_risk", "overdue"}),
    ("status=closed", "status=closed", {"closed"}),
    ("status=all", "", {"high", "low", "stream_risk", "overdue", "closed"}),
    ("search=nursing", "status=open&search=nursing", {"high"}),
    ("tier=workstream", "status=open&tier=workstream", {"stream_risk"}),
    ("workstream={stream}", "status=open&workstream={stream}", {"stream_risk"}),
    ("domain={safety}", "status=open&domain={safety}", {"low"}),
    ("band=low", "status=open&band=low", {"low"}),
    ("owner={stream_lead}", "status=open&owner={stream_lead}", {"stream_risk"}),
    ("above_appetite=yes", "status=open&above_appetite=true", {"high", "stream_risk"}),
    ("review_overdue=yes", "status=open&review_overdue=true", {"overdue"}),
    ("escalated=yes", "status=open&is_escalated=true", {"high", "stream_risk"}),
    ("escalated=yes", "status=open&escalated=yes", {"high", "stream_risk"}),
    ("likelihood=4&consequence=4", "status=open&likelihood=4&consequence=4", {"high"}),
    ("consequence=2", "status=open&consequence=2", {"low", "overdue"}),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("page_query", "api_query", "expected"), RISK_FILTERS)
def test_the_risk_register_and_the_api_find_the_same_risks(
    world, client, api_client, risks, persona, page_query, api_query, expected
):
    links = {"stream": risks.stream.pk, "safety": risks.low.domain_id, "stream_lead": risks.stream_lead.pk}
    client = client_for(client, world, persona)
    api = client_for(api_client, world, persona)
    on_page = page_ids(client, "/partnerships/QZZ/risks/?" + page_query.format(**links), "risks", "risks")
    in_api = api_ids(api, "/api/v1/risks/?partnership=QZZ&" + api_query.format(**links))
    assert on_page == in_api == risks.ids(*expected)


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("band=enormous", "band", "Choose the band now from the list"),
        ("likelihood=9", "likelihood", "Choose the likelihood now from the list"),
        ("above_appetite=maybe", "above_appetite", "Above appetite must be yes or no"),
        ("domain=999999", "domain", "Choose the domain from the list"),
    ],
)
def test_a_bad_risk_filter_is_shown_on_the_page_and_refused_by_the_api(
    world, client, api_client, risks, query, field, message
):
    client = client_for(client, world, "member")
    api = client_for(api_client, world, "member")
    page = parse(client.get(f"/partnerships/QZZ/risks/?{query}"))
    assert message in page.select_one(f"#id_{field}-error").get_text()
    answer = api.get(f"/api/v1/risks/?{query}")
    assert answer.status_code == 400
    assert message in " ".join(answer.json()[field])


def test_a_bad_status_shows_open_risks_as_the_page_always_did(world, client, risks):
    client = client_for(client, world, "viewer")
    assert page_ids(client, "/partnerships/QZZ/risks/?status=shut", "risks", "risks") == risks.ids(
        "high", "low", "stream_risk", "overdue"
    )
