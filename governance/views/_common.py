"""What the governance views share: reading a submitted form and calling a service with it."""

from django.core.exceptions import ValidationError

from partnerships.forms import add_service_errors


def submitted(request) -> dict:
    """The form's data on a POST (even an empty one, which must fail validation), or nothing on a GET."""
    return {"data": request.POST} if request.method == "POST" else {}


def saved(request, form, save):
    """For a valid POST, call `save(cleaned_data)` (a service) and return True. Otherwise, or when the service
    refuses the input, False, with the errors on the form (the page then answers 400)."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        save(form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    return True
