"""The Help pages in a real browser: accessible, and readable on a 320 px wide screen without scrolling sideways."""

import pytest

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

# WCAG 2.2 reflow (1.4.10): content fits 320 CSS pixels without scrolling in two directions.
NARROW = {"width": 320, "height": 640}


def scrolls_sideways(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")


def test_help_index_lists_the_guide_and_is_accessible(page):
    page.goto("/help/")
    assert page.get_by_role("heading", level=1).inner_text() == "Help with STP Portal"
    contents = page.get_by_role("navigation", name="Pages in this guide")
    assert contents.get_by_role("link", name="Decisions and sign-off").is_visible()
    assert_accessible(page)


def test_a_guide_page_with_tables_is_accessible_and_fits_a_narrow_screen(page):
    page.set_viewport_size(NARROW)
    page.goto("/help/decisions/")
    assert page.get_by_role("heading", level=1).inner_text() == "Decisions and sign-off"
    assert not scrolls_sideways(page)
    assert_accessible(page)


@pytest.mark.parametrize("path", ["/help/", "/help/api/", "/help/engagement/", "/help/importing/"])
def test_help_pages_fit_a_320_pixel_screen(page, path):
    page.set_viewport_size(NARROW)
    page.goto(path)
    assert not scrolls_sideways(page), f"{path} scrolls sideways at 320 px"
    assert_accessible(page)


def test_help_is_reached_from_the_sign_in_page(page):
    page.goto("/sign-in/")
    page.get_by_role("contentinfo").get_by_role("link", name="Help").click()
    page.wait_for_url("**/help/")
    page.get_by_role("link", name="Risks").first.click()
    page.wait_for_url("**/help/risks/")
    assert page.get_by_role("heading", level=1).inner_text() == "Risks"
