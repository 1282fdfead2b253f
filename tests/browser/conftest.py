"""Browser tests: Debian's Chromium driven by Playwright against the live server, with axe-core on each page."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.fixtures import skip_or_fail

CHROMIUM = Path("/usr/bin/chromium")
AXE_SCRIPT = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Every wait is for a condition (an element, a text, an address), never for a fixed time. These are the longest a
# condition may take before the test fails: generous for a busy two-core CI machine, short enough to fail in a minute.
ACTION_TIMEOUT_MS = 20_000  # finding an element to click, fill or read
NAVIGATION_TIMEOUT_MS = 30_000  # a page to load, including the PDFs and the seeded dashboard
expect.set_options(timeout=ACTION_TIMEOUT_MS)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator:
    if not CHROMIUM.exists():
        skip_or_fail(f"Chromium is not installed at {CHROMIUM} (apt install chromium)")
    if not AXE_SCRIPT.exists():
        skip_or_fail(f"axe-core is not installed at {AXE_SCRIPT} (npm ci)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS, timeout=NAVIGATION_TIMEOUT_MS * 2
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server) -> Iterator:
    context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="Europe/London")
    page = context.new_page()
    page.set_default_timeout(ACTION_TIMEOUT_MS)
    page.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
    # Errors the person would not see: scripts failing, CSP refusals, missing assets. A 4xx for the page itself
    # is how we answer bad input, so it is not one of them.
    page.console_errors = []
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and not message.text.startswith("Failed to load resource")
            and page.console_errors.append(message.text)
        ),
    )
    page.on(
        "response",
        lambda response: (
            response.request.resource_type != "document"
            and response.status >= 400
            and page.console_errors.append(f"{response.status} {response.url}")
        ),
    )
    yield page
    context.close()


AXE_RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def axe_violations(page, context: dict | None = None) -> list[dict]:
    """Run axe-core (WCAG 2.2 A and AA rules) on the page, or the part `context` names (axe's include and exclude),
    and return its violations, summarised."""
    # A click that navigates returns once the new page is committed: wait for its styles and scripts, which axe reads.
    page.wait_for_load_state("load")
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT.read_text())
    # Only the violations: collecting the passes too takes axe as long again, and nothing reads them.
    result = page.evaluate(
        "async ([context, tags]) => await axe.run(context || document,"
        " {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        [context, AXE_RULES],
    )
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result["violations"]
    ]


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=2)
    assert page.console_errors == [], page.console_errors


def submit_sign_in(page, username: str, password: str) -> None:
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def sign_in(page, username: str) -> None:
    """Sign in as `username` with the password every test person has, and wait until the page says so."""
    submit_sign_in(page, username, settings.DEMO_PASSWORD)
    expect(page.get_by_role("button", name="Sign out"), f"{username} is signed in").to_be_visible()


def switch_to(page, username: str) -> None:
    """Sign in as `username` in place of whoever was signed in."""
    page.context.clear_cookies()
    sign_in(page, username)


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("banner").get_by_role("link", name="Sign in")).to_be_visible()


def fill_date(page, legend: str, day) -> None:
    """Type `day` (a date) into the NHS.UK date input named `legend`: day, month and year each in its own box."""
    group = page.get_by_role("group", name=legend, exact=True)
    group.get_by_label("Day", exact=True).fill(str(day.day))
    group.get_by_label("Month", exact=True).fill(str(day.month))
    group.get_by_label("Year", exact=True).fill(str(day.year))
