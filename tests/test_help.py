"""The Help pages: the user guide in docs/guide/ rendered at /help/, open to everyone, safe whatever the Markdown."""

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.auth import get_user_model

from core import help as guide
from tests.html import parse, text

pytestmark = pytest.mark.django_db

GUIDE_DIR = Path(settings.BASE_DIR) / "docs" / "guide"
GUIDE_FILES = sorted(GUIDE_DIR.glob("*.md"))
GUIDE_PAGES = [path.stem for path in GUIDE_FILES if path.stem != "index"]


def first_heading(path: Path) -> str:
    return next(line[2:].strip() for line in path.read_text().splitlines() if line.startswith("# "))


@pytest.fixture
def signed_in(client):
    client.force_login(get_user_model().objects.create_user("reader", first_name="Rhiannon", last_name="Okafor"))
    return client


@pytest.fixture
def guide_dir(tmp_path, monkeypatch):
    """A guide of our own making, so a test can write the Markdown it needs."""
    monkeypatch.setattr(guide, "GUIDE_DIR", tmp_path)
    (tmp_path / "index.md").write_text("# Test help\n\n- [Second](second.md)\n- [First](first.md)\n")
    (tmp_path / "first.md").write_text("# First page\n\nSee [the second page](second.md#details).\n")
    (tmp_path / "second.md").write_text("# Second page\n\n## Details\n\nText.\n")
    return tmp_path


def test_the_guide_has_the_pages_people_look_for():
    assert {"index", "partnerships", "workstreams", "decisions", "risks", "dashboard", "digests", "api"} <= {
        path.stem for path in GUIDE_FILES
    }


def test_anyone_can_read_the_help_index_without_signing_in(client):
    response = client.get("/help/")
    assert response.status_code == 200
    assert parse(response).h1.get_text(strip=True) == first_heading(GUIDE_DIR / "index.md")


def test_the_help_index_lists_every_guide_page(client):
    contents = parse(client.get("/help/")).select("#help-contents a")
    assert sorted(link["href"] for link in contents) == sorted(f"/help/{slug}/" for slug in GUIDE_PAGES)


def test_the_help_index_shows_its_list_of_pages_as_the_contents_list_in_the_same_order(client):
    source = (GUIDE_DIR / "index.md").read_text()
    section = source.split("## Pages in this guide", 1)[1].split("\n## ", 1)[0]
    written = [f"/help/{slug}/" for slug in re.findall(r"\]\(([a-z0-9-]+)\.md\)", section)]
    page = parse(client.get("/help/"))
    assert [link["href"] for link in page.select("#help-contents a")] == written
    headings = [heading.get_text(strip=True) for heading in page.select("#help-text h2")]
    assert headings.count("Pages in this guide") == 1, "the list is shown once, as the contents list"


def test_a_signed_in_person_reads_the_help_index(signed_in):
    response = signed_in.get("/help/")
    assert response.status_code == 200
    assert "Sign out" in response.content.decode()


@pytest.mark.parametrize("slug", GUIDE_PAGES)
def test_each_guide_page_is_shown_with_its_first_heading(client, slug):
    response = client.get(f"/help/{slug}/")
    assert response.status_code == 200
    assert parse(response).h1.get_text(strip=True) == first_heading(GUIDE_DIR / f"{slug}.md")
    assert parse(response).select_one(".nhsuk-breadcrumb a")["href"] == "/help/"


@pytest.mark.parametrize("slug", ["index", *GUIDE_PAGES])
def test_every_link_between_guide_pages_leads_to_a_page_and_a_heading_that_exist(client, slug):
    page = parse(client.get(f"/help/{slug}/" if slug != "index" else "/help/"))
    for link in page.select("#help-text a[href]"):
        href = link["href"]
        assert not href.endswith(".md") and ".md#" not in href, f"{slug}: {href} was not rewritten"
        if not href.startswith("/help/"):
            continue
        target = urlsplit(href)
        response = client.get(target.path)
        assert response.status_code == 200, f"{slug}: {href}"
        if target.fragment:
            assert parse(response).find(id=target.fragment), f"{slug}: no heading #{target.fragment} for {href}"


def test_a_guide_page_that_does_not_exist_is_not_found(client):
    assert client.get("/help/no-such-page/").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/help/..%2Fsettings/",
        "/help/..%2F..%2Fstp_portal%2Fsettings%2Fbase/",
        "/help/%2e%2e/",
        "/help/index.md/",
        "/help/risks.md/",
        "/help/Risks/",
        "/help/risks%00/",
        "/help/index/",
    ],
)
def test_paths_that_are_not_a_guide_page_are_not_found(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert b"SECRET_KEY" not in response.content


def test_unknown_slugs_never_become_file_paths(guide_dir):
    assert guide.get_page("../index") is None
    assert guide.get_page("first/../second") is None
    assert guide.get_page("missing") is None
    assert guide.get_page("first").title == "First page"


def test_script_and_unsafe_links_in_markdown_are_removed(client, guide_dir):
    (guide_dir / "unsafe.md").write_text(
        "# Unsafe page\n\n"
        '<script>alert("script")</script>\n\n'
        '<img src="x" onerror="alert(\'image\')">\n\n'
        "[a javascript link](javascript:alert('link'))\n\n"
        "<a href=\"javascript:alert('raw')\" onclick=\"alert('click')\">a raw link</a>\n\n"
        "Plain text stays.\n"
    )
    response = client.get("/help/unsafe/")
    assert response.status_code == 200
    body = parse(response).select_one("#help-text")
    assert body.find("script") is None
    assert 'alert("script")' not in body.get_text()
    for element in body.find_all(True):
        assert not [name for name in element.attrs if name.startswith("on")], element
        assert not [value for value in element.attrs.values() if "javascript:" in str(value)], element
    assert "Plain text stays." in body.get_text()


def test_links_between_pages_are_rewritten_and_pages_follow_the_index_order(client, guide_dir):
    response = client.get("/help/first/")
    assert parse(response).select_one("#help-text a")["href"] == "/help/second/#details"
    contents = [link["href"] for link in parse(client.get("/help/")).select("#help-contents a")]
    assert contents == ["/help/second/", "/help/first/"]


def test_tables_lists_and_code_use_nhs_styles(client, guide_dir):
    (guide_dir / "styled.md").write_text(
        "# Styled\n\n| Role | May |\n|---|--:|\n| Viewer | read |\n\n- one\n- two\n\n```sh\nmake run\n```\n"
    )
    # The raw page, with the headings a responsive table repeats in each cell, which parse() leaves out.
    page = BeautifulSoup(client.get("/help/styled/").content.decode(), "html.parser")
    table = page.select_one("#help-text table")
    assert "nhsuk-table" in table["class"]
    assert [th["scope"] for th in table.select("th")] == ["col", "col"]
    cells = table.select("td")
    assert cells[0].select_one(".nhsuk-table__heading").get_text() == "Role "
    assert "nhsuk-u-text-align-right" in cells[1]["class"]
    assert "nhsuk-list--bullet" in page.select_one("#help-text ul")["class"]
    assert page.select_one("#help-text .nhsuk-code pre code").get_text() == "make run\n"


def test_an_edited_page_is_read_again(client, guide_dir):
    page = guide_dir / "first.md"
    assert "First page" in text(client.get("/help/first/"))
    page.write_text("# First page, edited\n")
    later = page.stat().st_mtime_ns + 1_000_000_000
    os.utime(page, ns=(later, later))
    assert parse(client.get("/help/first/")).h1.get_text(strip=True) == "First page, edited"


def test_the_footer_links_to_help_on_a_signed_in_page(signed_in):
    footer = parse(signed_in.get("/accessibility/")).select_one("footer")
    assert footer.find("a", string=re.compile("^Help$"))["href"] == "/help/"


def test_the_footer_links_to_help_on_the_sign_in_page(client):
    footer = parse(client.get("/sign-in/")).select_one("footer")
    assert footer.find("a", string=re.compile("^Help$"))["href"] == "/help/"
