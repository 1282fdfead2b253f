"""A RAG rating and its reason go together: a new rating needs its own reason, on the page and through the API,
so "Red since 6 Dec: From the highlight report…" (the reason for an amber rating) cannot happen again."""

from datetime import date

import pytest
from django.urls import reverse

from core.audit import SYSTEM
from tests.html import error_summary, parse, text
from workstreams import services

from .api_support import api_as

pytestmark = pytest.mark.django_db


def rated_amber_by_its_highlight_report(scene):
    services.highlight_report_create(
        actor=SYSTEM,
        workstream=scene.diabetes,
        period_start=date(2026, 11, 1),
        period_end=date(2026, 11, 30),
        rag="amber",
        progress="Recruitment is behind plan.",
    )
    scene.diabetes.refresh_from_db()
    assert scene.diabetes.rag_reason.startswith("From the highlight report")
    return scene.diabetes.rag_reason


def test_the_rating_page_shows_the_current_reason_but_does_not_carry_it_over(client, scene):
    old_reason = rated_amber_by_its_highlight_report(scene)
    client.force_login(scene.member)
    response = client.get(reverse("workstreams:workstream_rag", args=[scene.diabetes.pk]))
    assert response.status_code == 200
    assert old_reason in text(response, "#current-rating")
    assert parse(response).select_one("textarea[name=reason]").get_text().strip() == ""


def test_a_new_rating_with_the_old_ratings_reason_is_refused_and_the_rating_kept(client, scene):
    old_reason = rated_amber_by_its_highlight_report(scene)
    client.force_login(scene.member)
    response = client.post(
        reverse("workstreams:workstream_rag", args=[scene.diabetes.pk]), {"rag": "red", "reason": old_reason}
    )
    assert response.status_code == 400
    assert error_summary(response) == [
        (
            "Say why the work-stream is now red: the reason given is the one for its amber rating.",
            "#id_reason",
        )
    ]
    scene.diabetes.refresh_from_db()
    assert (scene.diabetes.rag, scene.diabetes.rag_reason) == ("amber", old_reason)


def test_a_new_rating_without_a_reason_is_refused_naming_the_reason(client, scene):
    rated_amber_by_its_highlight_report(scene)
    client.force_login(scene.member)
    response = client.post(reverse("workstreams:workstream_rag", args=[scene.diabetes.pk]), {"rag": "red"})
    assert response.status_code == 400
    assert [link for _, link in error_summary(response)] == ["#id_reason"]
    scene.diabetes.refresh_from_db()
    assert scene.diabetes.rag == "amber"


def test_a_new_rating_with_its_own_reason_shows_that_reason(client, scene):
    rated_amber_by_its_highlight_report(scene)
    client.force_login(scene.member)
    response = client.post(
        reverse("workstreams:workstream_rag", args=[scene.diabetes.pk]),
        {"rag": "red", "reason": "The clinic closed and no one has replaced it."},
    )
    assert response.status_code == 302
    page = text(client.get(scene.diabetes.get_absolute_url()))
    assert "Red since" in page and "The clinic closed and no one has replaced it." in page
    assert "From the highlight report" not in page


def test_the_same_rating_may_be_confirmed_with_its_reason(client, scene):
    old_reason = rated_amber_by_its_highlight_report(scene)
    client.force_login(scene.member)
    response = client.post(
        reverse("workstreams:workstream_rag", args=[scene.diabetes.pk]), {"rag": "amber", "reason": old_reason}
    )
    assert response.status_code == 302


def test_the_api_refuses_a_new_rating_with_the_old_ratings_reason(scene):
    old_reason = rated_amber_by_its_highlight_report(scene)
    response = api_as(scene, "member").post(
        reverse("api:workstream-rag", args=[scene.diabetes.pk]), {"rag": "red", "reason": old_reason}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "reason": ["Say why the work-stream is now red: the reason given is the one for its amber rating."]
    }
    scene.diabetes.refresh_from_db()
    assert scene.diabetes.rag == "amber"
