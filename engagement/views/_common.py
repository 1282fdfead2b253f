"""What the engagement pages share: reading a submitted form, saving it through a service, and pagination."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator

from ..forms.activities import add_service_errors

PAGE_SIZE = 25


def submitted(request) -> dict:
    """The form's data and files on a POST (even an empty one, which must fail validation), or nothing on a GET."""
    if request.method == "POST":
        return {"data": request.POST, "files": request.FILES}
    return {}


def saved(request, form, save) -> bool:
    """Call `save()` (which calls a service) for a valid POST. False, with the errors on the form, otherwise."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        save()
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    return True


def page_of(request, queryset):
    """One page of a list, and the query string (without the page) for the page links."""
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()
