"""Browser tests: Debian's Chromium driven by Playwright against the live server, with axe-core on each page."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

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
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server) -> Iterator:
    context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="Europe/London")
    page = context.new_page()
    page.set_default_timeout(10_000)
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


def axe_violations(page) -> list[dict]:
    """Run axe-core (WCAG 2.2 A and AA rules) on the page and return its violations, summarised."""
    page.evaluate(AXE_SCRIPT.read_text())
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}
        })"""
    )
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]} for v in result["violations"]
    ]


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=2)
    assert page.console_errors == [], page.console_errors


def sign_in(page, username: str, password: str | None = None) -> None:
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password or settings.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
