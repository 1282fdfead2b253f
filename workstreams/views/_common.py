"""Small helpers the work-stream views share."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator

PAGE_SIZE = 50


def add_service_error(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names if the form has one, else on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    """One page of `queryset` (a count query and a page query, however long the list)."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def query_without_page(request) -> str:
    """The current query string without `page`, for pagination links that keep the filters."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
