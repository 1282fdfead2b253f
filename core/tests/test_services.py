"""The helpers every app's services share (core.services)."""

import pytest
from django.core.exceptions import ValidationError

from core.audit import SYSTEM
from core.models import User
from core.services import full_clean, person, require_text


def test_text_is_kept_without_its_surrounding_spaces():
    assert require_text("  Budget 2026 \n", field="title", message="Enter a title.") == "Budget 2026"


@pytest.mark.parametrize("value", ["", "   ", None])
def test_missing_text_is_refused_on_its_field_with_the_services_message(value):
    with pytest.raises(ValidationError) as refused:
        require_text(value, field="title", message="Enter a title.")
    assert refused.value.message_dict == {"title": ["Enter a title."]}


def test_a_person_is_recorded_and_the_system_is_no_one():
    user = User(pk=4, username="ada")
    assert (person(user), person(SYSTEM), person(None)) == (user, None, None)


def test_full_clean_refuses_what_the_model_refuses_and_skips_what_it_is_told_to():
    user = User(username="", email="not an address")
    with pytest.raises(ValidationError) as refused:
        full_clean(user, exclude=["password", "username"])
    assert set(refused.value.message_dict) == {"email"}
