"""core.http, through pages that use it as the apps' pages do (core/tests/pages.py): a form saved through a service,
one page of a long list, and a document handed over only after the app's access check."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.shortcuts import resolve_url

from core.http import PAGE_SIZE
from core.models import User
from core.tests import pages
from tests.html import error_summary, parse

pytestmark = [pytest.mark.django_db, pytest.mark.urls(pages.__name__)]


@pytest.fixture
def owner(client):
    user = User.objects.create_user("owner", "owner@example.org")
    client.force_login(user)
    return user


# --- A form saved through a service -----------------------------------------------------------------------------


def test_a_valid_form_is_saved_through_the_service(client, owner):
    response = client.post("/core-tests/name/", {"name": "fern"})
    assert (response.status_code, response.content) == (200, b"Saved as FERN")


def test_the_services_refusal_of_a_field_shows_on_that_field_and_the_page_answers_400(client, owner):
    response = client.post("/core-tests/name/", {"name": "taken"})
    assert response.status_code == 400
    assert error_summary(response) == [("That name is already taken.", "#id_name")]


def test_the_services_refusal_of_the_whole_form_shows_at_the_top(client, owner):
    response = client.post("/core-tests/name/", {"name": "closed"})
    assert response.status_code == 400
    assert error_summary(response) == [("The register is closed for the night.", None)]


def test_an_error_on_a_field_the_form_does_not_have_shows_at_the_top(client, owner):
    response = client.post("/core-tests/name/", {"name": "elsewhere"})
    assert response.status_code == 400
    assert error_summary(response) == [("The owner must agree first.", None)]


def test_an_empty_submission_is_checked_not_taken_for_a_first_visit(client, owner):
    response = client.post("/core-tests/name/", {})
    assert response.status_code == 400
    assert error_summary(response) == [("This field is required.", "#id_name")]


def test_the_form_page_opens_without_errors(client, owner):
    response = client.get("/core-tests/name/")
    assert response.status_code == 200
    assert error_summary(response) == []
    assert parse(response).select_one("h1").get_text(" ", strip=True) == "Tests – Choose a name"


# --- One page of a long list --------------------------------------------------------------------------------------


def numbers(response) -> list[int]:
    return [int(item.get_text()) for item in parse(response).select("#numbers li")]


def links(response) -> dict[str, tuple[str, str]]:
    """The pagination's links: {"prev" or "next": (what it says, where it goes)}."""
    return {
        link["rel"][0]: (link.select_one(".nhsuk-pagination__page").get_text(), link["href"])
        for link in parse(response).select(".nhsuk-pagination a")
    }


def test_the_first_page_shows_the_first_25_and_links_to_the_second_keeping_the_filters(client, owner):
    response = client.get("/core-tests/numbers/?colour=red&page=1")
    assert numbers(response) == list(range(1, 26))
    assert links(response) == {"next": ("Page 2 of 3", "?colour=red&page=2")}


def test_a_middle_page_links_both_ways(client, owner):
    response = client.get("/core-tests/numbers/?page=2")
    assert numbers(response) == list(range(26, 51))
    assert links(response) == {"prev": ("Page 1 of 3", "?page=1"), "next": ("Page 3 of 3", "?page=3")}


@pytest.mark.parametrize(("asked", "shown"), [("abc", 1), ("-1", 3), ("0", 3), ("999", 3), ("", 1), ("2.5", 1)])
def test_a_page_number_that_is_not_a_page_shows_the_first_or_the_last(client, owner, asked, shown):
    response = client.get(f"/core-tests/numbers/?page={asked}")
    assert response.status_code == 200
    assert numbers(response)[0] == (shown - 1) * PAGE_SIZE + 1


# --- A document behind an access check ----------------------------------------------------------------------------


@pytest.fixture
def stored(settings, tmp_path) -> str:
    settings.MEDIA_ROOT = tmp_path
    return default_storage.save("papers/QZZ/1/budget.pdf", ContentFile(b"%PDF-1.7 the budget"))


def test_someone_the_access_check_refuses_gets_404_not_the_document(client, stored):
    client.force_login(User.objects.create_user("stranger", "stranger@example.org"))
    assert client.get(f"/core-tests/documents/{stored}").status_code == 404


def test_someone_signed_out_is_sent_to_sign_in(client, stored, settings):
    response = client.get(f"/core-tests/documents/{stored}")
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))


def test_the_reader_gets_the_document_as_a_download_kept_by_no_shared_cache(client, owner, stored):
    response = client.get(f"/core-tests/documents/{stored}?as=Budget 2026.pdf")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7 the budget"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Budget 2026.pdf"'
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_without_a_name_the_document_downloads_under_its_stored_name_without_folders(client, owner, stored):
    response = client.get(f"/core-tests/documents/{stored}")
    assert response["Content-Disposition"] == 'attachment; filename="budget.pdf"'


@pytest.mark.parametrize(
    ("name", "disposition"),
    [
        ("../../etc/passwd", 'attachment; filename="passwd"'),
        ("C:\\Users\\fern\\plan.pdf", 'attachment; filename="plan.pdf"'),
        ('say "no".pdf', 'attachment; filename="say \\"no\\".pdf"'),
        ("plan.pdf\r\nSet-Cookie: session=stolen", 'attachment; filename="plan.pdfSet-Cookie: session=stolen"'),
        ("Minutes – draft.pdf", "attachment; filename*=utf-8''Minutes%20%E2%80%93%20draft.pdf"),
        ("\x00\x07", 'attachment; filename="document"'),
    ],
)
def test_a_strange_name_becomes_a_plain_file_name_in_one_header(client, owner, stored, name, disposition):
    response = client.get(f"/core-tests/documents/{stored}", {"as": name})
    assert response["Content-Disposition"] == disposition


def test_a_document_missing_from_storage_is_404(client, owner, stored):
    default_storage.delete(stored)
    assert client.get(f"/core-tests/documents/{stored}").status_code == 404
