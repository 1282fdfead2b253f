"""What the partnerships pages share: reading a submitted form and saving it through a service."""

from django.core.exceptions import ValidationError
from django.urls import reverse

from ..forms import (
    add_service_errors,
)

# --- The lead's forms ----------------------------------------------------------------------------------------------


def submitted(request) -> dict:
    """The form's data and files on a POST (even an empty one, which must fail validation), or nothing on a GET."""
    if request.method == "POST":
        return {"data": request.POST, "files": request.FILES}
    return {}


def saved(request, form, save) -> bool:
    """Call `save(cleaned_data)` (a service) for a valid POST. False, with the errors on the form, otherwise."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        save(form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    return True


def overview_url(partnership, section: str) -> str:
    return f"{reverse('partnerships:overview', args=[partnership.code])}#{section}"
