"""Read HTML responses the way a person reads the page: by landmark, heading, table and text."""

from bs4 import BeautifulSoup


def parse(response) -> BeautifulSoup:
    """The page, without the column headings a responsive table repeats in each of its cells for small screens: they
    are hidden from screen readers (which have the table's own headings), and so from our tests too."""
    page = BeautifulSoup(response.content.decode(), "html.parser")
    for repeated in page.select(".nhsuk-table__heading[aria-hidden=true], .nhsuk-table-responsive__heading"):
        repeated.decompose()
    return page


def text(response, selector: str = "main") -> str:
    """The visible text inside the first element matching `selector`, with whitespace collapsed."""
    element = parse(response).select_one(selector)
    assert element is not None, f"no element matches {selector!r}"
    return " ".join(element.get_text(" ").split())


def error_summary(response) -> list[tuple[str, str | None]]:
    """The error summary's messages and the field each links to."""
    summary = parse(response).select_one(".nhsuk-error-summary")
    if summary is None:
        return []
    return [
        (" ".join(item.get_text(" ").split()), (item.find("a") or {}).get("href"))
        for item in summary.select(".nhsuk-error-summary__list li")
    ]
