"""Every page a lead, a member and a viewer reach fits the screen: nothing scrolls sideways at 320 or 390 px (WCAG
2.2 reflow, 1.4.10) nor at 1400 px, and axe finds nothing wrong. The pages are found as a person finds them, by
following links from the home page, on the demo data with an organisation, a work-stream, a stakeholder group and a
person whose names are one long unbroken word."""

import io
import json
import re
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from engagement.models import StakeholderGroup
from governance.tests.risk_support import domain
from partnerships.models import Partnership, Role
from reporting.tests.dashboard_support import default_groups
from tests.factories import ProfileFactory, UserFactory, grant, member_of
from workstreams.models import Meeting, MeetingStatus
from workstreams.services import workstream_propose

from .conftest import ACTION_TIMEOUT_MS, NAVIGATION_TIMEOUT_MS, assert_accessible, axe_violations, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

PERSONAS = ["lead", "member", "viewer"]
# A small phone, a common one, and a wide screen (the coverage matrix once needed sideways scrolling even there).
WIDTHS = [320, 390, 1400]
# Enough for every kind of page the lead reaches (about a hundred); the member and the viewer reach fewer.
PAGES_PER_PERSONA = 120
# What a crawl must not follow: leaving, files rather than pages, the API and the admin, and the help pages
# (tests/browser/test_help.py checks those).
SKIPPED = re.compile(
    r"^/(sign-out|logout|api|admin|help|static|media)/"
    r"|\.(csv|pdf|ics|json|xlsx|zip)$"
    r"|/(export|download|document|feed|calendar)(/|\.|$)"
    r"|[?&]format=(csv|pdf|json)"
)
LONG_NAME = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 5  # 225 characters, not one place to break


@pytest.fixture
def demo_with_long_names():
    # A transactional test empties the tables it ran on, the data migrations' groups and risk domains among them.
    default_groups()
    domain()
    call_command("seed_demo", stdout=io.StringIO())
    partnership = Partnership.objects.get(code="QZZ")
    organisation = member_of(partnership, name=LONG_NAME[:200], ods_code="RZ9")
    StakeholderGroup.objects.create(partnership=partnership, slug="long-name", name=LONG_NAME[:100])
    person = UserFactory(username="long-name", first_name="Ann", last_name=LONG_NAME[:150])
    ProfileFactory(user=person, organisation=organisation, job_title=LONG_NAME[:100])
    grant(person, partnership, Role.MEMBER)
    lead = get_user_model().objects.get(username="lead")
    workstream_propose(actor=lead, partnership=partnership, name=LONG_NAME[:200], purpose=LONG_NAME, lead=person)


def start_pages() -> list[str]:
    """The home page, and a board meeting held but not yet minuted: the crawl opens only the first meeting page it
    comes to, and only such a meeting's page links to the attendance and minutes forms."""
    meeting = Meeting.objects.filter(partnership__code="QZZ", workstream=None, status=MeetingStatus.MINUTES_DRAFT)
    return ["/", meeting.first().get_absolute_url()]


def url_pattern(path: str) -> str:
    """One address per kind of page: /decisions/3/ and /decisions/4/ are the same page with other data; so are
    /public/QZZ/decisions/QZZ-2026-013/ and …-011/, and a list and the same list filtered (?status=open)."""
    segments = urlsplit(path).path.split("/")
    return "/".join(
        "<id>" if re.search(r"\d", segment) else "<code>" if re.fullmatch(r"[A-Z]{2,5}", segment) else segment
        for segment in segments
    )


def same_site_links(page) -> list[str]:
    hrefs = page.eval_on_selector_all(
        "a[href]", "links => links.map(link => link.href).filter(href => href.startsWith(location.origin))"
    )
    origin = len(page.evaluate("location.origin"))
    return [urldefrag(href)[0][origin:] for href in hrefs]


def overflow(page) -> int:
    """How far the page reaches past the right edge of the window, in CSS pixels: 0 when nothing scrolls sideways."""
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def what_overflows(page) -> str:
    """The element that makes the page too wide: going down from <body>, the child without which the page fits."""
    return page.evaluate(
        """() => {
            const root = document.documentElement;
            const fits = element => {
                const display = element.style.display;
                element.style.display = "none";
                const width = root.scrollWidth;
                element.style.display = display;
                return width <= root.clientWidth;
            };
            const path = [];
            for (let node = document.body; node; ) {
                node = [...node.children].find(fits);
                if (node) path.push(node.tagName.toLowerCase() + (node.id ? "#" + node.id : "")
                    + [...node.classList].map(name => "." + name).join(""));
            }
            return path.slice(-3).join(" > ") || "(nothing on its own)";
        }"""
    )


def crawl(page, persona: str, checked_by_axe: set, problems: dict) -> list[str]:
    """Visit every kind of page `persona` reaches from the home page, measure it at each width and run axe on those
    no earlier persona's visit ran it on (the same template: axe is most of the time this test takes)."""
    seen, visited = set(), []
    queue = deque((path, "the start") for path in start_pages())
    while queue and len(visited) < PAGES_PER_PERSONA:
        path, linked_from = queue.popleft()
        pattern = url_pattern(path)
        if pattern in seen or SKIPPED.search(path):
            continue
        seen.add(pattern)
        page.set_viewport_size({"width": WIDTHS[0], "height": 640})
        try:
            response = page.goto(path)
        except PlaywrightError as error:  # a link to a file that SKIPPED does not know
            if "Download is starting" not in str(error):
                raise
            continue
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        visited.append(path)
        if response.status >= 400:
            problems["links to an error page"].append(f"{persona} {path} (from {linked_from}): {response.status}")
            continue
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 640})
            if over := overflow(page):
                problems["too wide"].append(f"{persona} {path} at {width} px: {over} px over, {what_overflows(page)}")
            if width == WIDTHS[0] and pattern not in checked_by_axe:
                checked_by_axe.add(pattern)
                if violations := axe_violations(page):
                    problems["axe"].append(f"{persona} {path}: {json.dumps(violations)}")
        queue.extend((link, path) for link in same_site_links(page) if url_pattern(link) not in seen)
    return visited


def test_every_page_a_lead_a_member_and_a_viewer_reach_fits_a_phone_and_is_accessible(
    browser, live_server, demo_with_long_names
):
    problems = {"too wide": [], "axe": [], "links to an error page": []}
    visited, checked_by_axe = {}, set()
    for persona in PERSONAS:
        context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="Europe/London")
        page = context.new_page()
        page.set_default_timeout(ACTION_TIMEOUT_MS)
        page.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
        sign_in(page, persona)
        visited[persona] = crawl(page, persona, checked_by_axe, problems)
        context.close()

    for persona, paths in visited.items():
        assert len(paths) >= 15, f"{persona} reached only {paths}: the crawl lost its way"
    report = "\n".join(f"{kind}:\n  " + "\n  ".join(items) for kind, items in problems.items() if items)
    assert not report, f"Pages that do not fit the screen, are not accessible or do not open:\n{report}"


def test_a_registers_filters_wait_behind_a_disclosure_on_a_phone_and_stand_open_on_a_wide_screen(page, world):
    sign_in(page, "lead")
    page.set_viewport_size({"width": 390, "height": 640})
    page.goto("/partnerships/QZZ/decisions/?status=approved")
    filters = page.locator("details", has=page.locator("#filters"))
    expect(filters.locator("summary")).to_have_text("Find decisions (1 filter applied)", use_inner_text=True)
    expect(page.get_by_label("Status", exact=True)).to_be_hidden()
    expect(page.get_by_text("No decisions match")).to_be_visible()

    filters.locator("summary").click()
    expect(page.get_by_label("Status", exact=True)).to_have_value("approved")

    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/partnerships/QZZ/decisions/")
    expect(filters.locator("summary")).to_have_text("Find decisions", use_inner_text=True)
    expect(page.get_by_label("Status", exact=True)).to_be_visible()
    assert_accessible(page)
