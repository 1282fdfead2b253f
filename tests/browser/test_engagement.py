"""The engagement journey in a real browser, checked with axe on each page: `member` logs a workshop with patients
and GPs for Diabetes, records two themes and responds to one, links the workshop and the response to their Diabetes
proposal, and the coverage matrix turns that cell green; the response appears on `/public/QZZ/` once published;
the End of Life Care proposal, in sign-off, shows that it has no local-authority evidence.
"""

import re
from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import expect

from core.audit import SYSTEM
from engagement import services
from engagement.models import StakeholderGroup
from governance import services as governance
from governance.tests.support import approved
from workstreams.models import WorkStream, WorkStreamStatus

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def diabetes(world):
    """Diabetes and End of Life Care in QZZ; Diabetes is expected to hear from patients every 90 days and last did
    120 days ago, so its cell is red."""
    # A transactional test empties the tables it ran on, the data migration's default groups among them.
    import_module("engagement.migrations.0002_default_stakeholder_groups").create_default_groups(apps, None)
    diabetes = WorkStream.objects.create(
        partnership=world.partnership, name="Diabetes", purpose="Better diabetes care.", status=WorkStreamStatus.ACTIVE
    )
    WorkStream.objects.create(
        partnership=world.partnership, name="End of Life Care", purpose="Care in the last year of life."
    )
    patients = StakeholderGroup.objects.get(partnership=None, slug="patients-carers")
    services.expectation_set(actor=SYSTEM, workstream=diabetes, group=patients, interval_days=90)
    services.activity_log(
        actor=SYSTEM,
        partnership=world.partnership,
        held_on=timezone.localdate() - timedelta(days=120),
        title="Diabetes patient survey",
        method="survey",
        level="consult",
        reach={patients: 40},
        workstreams=[diabetes],
    )
    return diabetes


@pytest.fixture
def proposals(world, diabetes):
    """`member`'s draft Diabetes proposal, and the End of Life Care proposal in sign-off: its work-stream expects to
    hear from local authorities, and the only engagement linked to it, a hospice visit, reached none."""
    end_of_life = WorkStream.objects.get(partnership=world.partnership, name="End of Life Care")
    groups = {group.slug: group for group in StakeholderGroup.objects.filter(partnership=None)}
    services.expectation_set(actor=SYSTEM, workstream=end_of_life, group=groups["local-authorities"], interval_days=90)
    visit = services.activity_log(
        actor=SYSTEM,
        partnership=world.partnership,
        held_on=timezone.localdate() - timedelta(days=30),
        title="Hospice visit",
        method="meeting",
        level="involve",
        reach={groups["patients-carers"]: 8, groups["nurses"]: 3},
        workstreams=[end_of_life],
    )
    establish = governance.decision_propose(
        actor=world.lead,
        partnership=world.partnership,
        title="Establish the End of Life Care work-stream",
        case="Care where people choose, in the last year of life.",
        category="establish_workstream",
        workstream=end_of_life,
        engagement_activities=[visit],
    )
    governance.decision_open_for_challenge(actor=world.lead, decision=establish)
    governance.decision_open_signoff(actor=world.lead, decision=establish)
    draft = governance.decision_propose(
        actor=world.member,
        partnership=world.partnership,
        title="Evening diabetes clinics",
        case="Clinics after work at both hubs.",
        category="service_change",
        workstream=diabetes,
    )
    hospice_at_home = approved(world, title="Hospice at home", actor=world.lead, engagement_activities=[visit])
    return {"end_of_life": establish, "draft": draft, "approved": hospice_at_home}


def open_tab(page, tab: str) -> None:
    page.locator(f"a.nhsuk-tabs__tab[href='#{tab}']").click()


def coverage_cell(page, workstream, slug) -> str:
    """A cell of the coverage matrix, as its text reads to a screen reader: without the group's name, which the cell
    shows above it and hides from a screen reader (it has the table's column heading)."""
    cell = page.locator(f'#coverage-matrix td[data-workstream="{workstream.pk}"][data-group="{slug}"]')
    text = cell.evaluate(
        "cell => { const copy = cell.cloneNode(true);"
        " copy.querySelectorAll('.nhsuk-table__heading').forEach(heading => heading.remove());"
        " return copy.textContent; }"
    )
    return " ".join(text.split())


def test_member_logs_a_workshop_records_what_was_said_and_the_gap_closes(page, world, diabetes, proposals):
    sign_in(page, "member")

    page.goto("/partnerships/QZZ/engagement/coverage/")
    expect(page.get_by_role("heading", level=1, name=re.compile("Engagement coverage$"))).to_be_visible()
    red = coverage_cell(page, diabetes, "patients-carers")
    assert red.startswith("Red: last engaged 120 days ago (expected every 90)")
    assert "Diabetes, Patients and carers: last engaged 120 days ago" in page.locator("#gap-list").inner_text()
    assert_accessible(page)

    page.get_by_role("navigation", name="Engagement").get_by_role("link", name="Engagement log").click()
    expect(page.locator("#activities")).to_contain_text("Diabetes patient survey")
    assert_accessible(page)

    page.get_by_role("button", name="Log an activity").click()
    assert_accessible(page)
    page.get_by_label("Title").fill("Diabetes pathway workshop")
    page.get_by_label("Method").select_option(label="Workshop")
    page.get_by_label("Level of engagement").select_option(label="Involve: we worked with people throughout")
    page.get_by_role("group", name="Work-streams it informs").get_by_label("Diabetes").check()
    page.get_by_label("Patients and carers").fill("12")
    page.get_by_label("GPs").fill("-5")
    page.get_by_label("What people said").fill("Evening appointments. Clearer letters.")
    page.get_by_role("button", name="Log activity").click()
    expect(page.locator(".nhsuk-error-summary li")).to_have_text(["GPs: the number of people cannot be negative."])
    expect(page).to_have_title(re.compile("^Error: "))
    assert_accessible(page)

    page.get_by_label("GPs").fill("5")
    page.get_by_role("button", name="Log activity").click()
    page.wait_for_url(re.compile(r"/engagement/activities/\d+/$"))
    assert "Activity logged: Diabetes pathway workshop" in page.locator(".nhsuk-notification-banner").inner_text()
    assert "Patients and carers\t12" in page.locator("#groups-reached").inner_text()
    assert_accessible(page)

    page.get_by_role("button", name="Record what people said").click()
    assert_accessible(page)
    page.get_by_label("What did people say?").fill("We want appointments after work.")
    page.get_by_label("Patients and carers").check()
    page.get_by_role("button", name="Save and add another").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("Recorded: We want appointments after work.")
    page.get_by_label("What did people say?").fill("Letters from the clinic are hard to understand.")
    page.get_by_label("Patients and carers").check()
    page.get_by_label("GPs").check()
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(re.compile(r"/engagement/activities/\d+/$"))
    expect(page.locator("#you-said-we-did ~ .nhsuk-card")).to_have_count(2)

    page.get_by_role("link", name="Record the response to: We want appointments after work.").click()
    assert_accessible(page)
    page.get_by_label("What did you do?").fill("Evening clinics start at both hubs in March.")
    page.get_by_label("Acted on: it changed what we do").check()
    page.get_by_label("Publish this on the partnership's public page").check()
    page.get_by_role("button", name="Save response").click()
    page.wait_for_url(re.compile(r"/engagement/activities/\d+/$"))
    assert "We did: Evening clinics start at both hubs in March." in page.locator("main").inner_text()
    assert "Not linked to a decision yet." in page.locator("main").inner_text()
    assert_accessible(page)

    # The workshop and the response become evidence for member's Diabetes proposal.
    draft = proposals["draft"]
    page.get_by_role("link", name="Link this to a decision").click()
    assert_accessible(page)
    page.get_by_label(f"{draft.reference}: Evening diabetes clinics").check()
    page.get_by_role("button", name="Link to the decision").click()
    page.wait_for_url(f"**/decisions/{draft.pk}/#engagement")
    open_tab(page, "engagement")
    assert "Diabetes pathway workshop" in page.locator("#evidence-activities").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="Change the engagement evidence").click()
    expect(page.get_by_label("Diabetes pathway workshop")).to_be_checked()
    page.get_by_label("We want appointments after work.").check()
    assert_accessible(page)
    page.get_by_role("button", name="Save changes").click()
    page.get_by_text("Your changes to").wait_for()
    open_tab(page, "engagement")
    responses = page.locator("#evidence-responses").inner_text()
    assert "You said: We want appointments after work." in responses and "Acted on" in responses
    assert_accessible(page)
    page.goto(f"/engagement/activities/{draft.engagement_activities.get().pk}/")
    assert f"{draft.reference}: Evening diabetes clinics" in page.locator("#decisions-informed").inner_text()

    page.get_by_role("link", name="Change this activity").click()
    expect(page.get_by_label("Patients and carers")).to_have_value("12")
    assert_accessible(page)

    page.goto("/partnerships/QZZ/you-said-we-did/")
    rows = page.locator("#feedback tbody")
    assert "Evening clinics start at both hubs in March." in rows.inner_text()
    assert "Letters from the clinic are hard to understand." in rows.inner_text()
    assert_accessible(page)

    page.get_by_role("navigation", name="Engagement").get_by_role("link", name="Coverage").click()
    page.wait_for_url("**/engagement/coverage/")
    green = coverage_cell(page, diabetes, "patients-carers")
    assert green.startswith("Green: last engaged today (expected every 90)")
    gaps = page.locator("#gap-list").inner_text()
    assert "Diabetes, Patients and carers" not in gaps and "End of Life Care, Local authorities" in gaps
    assert_accessible(page)

    # The End of Life Care proposal went to sign-off without hearing from local authorities.
    end_of_life = proposals["end_of_life"]
    page.goto(end_of_life.get_absolute_url())
    expect(page.locator("#decision-status")).to_contain_text("No engagement evidence from expected groups")
    open_tab(page, "engagement")
    expect(page.locator("#no-evidence-from")).to_have_text("No evidence from: Local authorities and councillors.")
    assert_accessible(page)

    # The published response is on the public page, without sign-in; the unpublished one is not.
    page.context.clear_cookies()
    page.goto("/public/QZZ/")
    public = page.locator("#responses").inner_text()
    assert "You said: We want appointments after work." in public
    assert "We did: Evening clinics start at both hubs in March." in public
    assert "Letters from the clinic are hard to understand." not in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name=f"{proposals['approved'].reference}: Hospice at home").click()
    engagement = page.locator("#public-engagement").inner_text()
    assert "Hospice visit" in engagement and "Patients and carers (8)" in engagement
    assert_accessible(page)


def test_expectations_and_stakeholder_groups_pages_are_accessible(page, world, diabetes):
    sign_in(page, "lead")
    page.goto("/partnerships/QZZ/engagement/expectations/")
    page.get_by_label("Work-stream").select_option(label="End of Life Care")
    page.get_by_label("Stakeholder group").select_option(label="Local authorities and councillors")
    page.get_by_label("Engage them at least every (days)").fill("90")
    page.get_by_role("button", name="Set expectation").click()
    expect(page.locator(".nhsuk-notification-banner")).to_contain_text("Expectation set")
    expect(page.locator("#expectations")).to_contain_text("End of Life Care")
    assert_accessible(page)

    page.get_by_role("navigation", name="Engagement").get_by_role("link", name="Stakeholder groups").click()
    page.get_by_label("Name").fill("Community pharmacists")
    page.get_by_label("Part of (optional)").select_option(label="Clinicians")
    page.get_by_role("button", name="Add group").click()
    banner = page.locator(".nhsuk-notification-banner")
    expect(banner).to_contain_text("Stakeholder group added: Community pharmacists.")
    expect(page.locator("#groups")).to_contain_text("Community pharmacists")
    assert_accessible(page)
