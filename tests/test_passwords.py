"""Passwords: 10 to 128 characters of any kind, not guessable from the person's names, organisation or
partnership, with messages that say why. Checked where people choose them: changing it and setting it from a link."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tests.factories import PartnershipFactory, UserFactory, grant
from tests.html import error_summary

pytestmark = pytest.mark.django_db

OLD = "partnership-demo"


@pytest.fixture
def member():
    from partnerships.models import Role

    person = UserFactory(username="amara", first_name="Amara", last_name="Okoye", email="amara@example.nhs.uk")
    grant(person, PartnershipFactory(code="QNF", name="Northfield Health and Care Partnership"), Role.MEMBER)
    return person


def change(client, person, new):
    client.force_login(person)
    return client.post("/account/password/", {"old_password": OLD, "new_password1": new, "new_password2": new})


def refused(client, person, new):
    response = change(client, person, new)
    assert response.status_code == 400
    person.refresh_from_db()
    assert person.check_password(OLD)
    return [message for message, _ in error_summary(response)]


def test_the_partnerships_own_name_is_refused_with_a_reason(client, member):
    messages = refused(client, member, "northfield")
    assert any("It contains “northfield”, a name linked to you" in message for message in messages)


def test_the_partnership_name_with_digits_is_refused(client, member):
    assert any("Choose a stronger password" in message for message in refused(client, member, "Northfield2024"))


def test_the_persons_own_name_is_refused(client, member):
    assert any("Choose a stronger password" in message for message in refused(client, member, "amaraokoye1"))


def test_a_password_under_ten_characters_is_refused(client, member):
    messages = refused(client, member, "x7#Kq!2v")
    assert "This password is too short. It must contain at least 10 characters." in messages


def test_a_password_over_128_characters_is_refused(client, member):
    assert "Your password must be 128 characters or fewer." in refused(client, member, "long-unusual-words " * 7)


def test_a_long_password_of_any_characters_is_accepted(client, member):
    new = "Ŝtrange ĉaracters & spaces — lantern orchard velvet"
    assert change(client, member, new)["Location"] == "/account/password/changed/"
    member.refresh_from_db()
    assert member.check_password(new)


def test_an_unsaved_person_is_checked_against_their_own_names():
    person = UserFactory.build(username="okafor", first_name="Nia", last_name="Okafor")
    with pytest.raises(ValidationError, match="Choose a stronger password"):
        validate_password("okafor12345", user=person)
    validate_password("lantern-orchard-velvet-42", user=person)
