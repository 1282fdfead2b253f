"""Helpers for the short function views of every app: reading a submitted form and saving it through a service,
answering a form's errors with 400, one page of a long list, handing over a stored document, and sending a GET of a
button's address back to the page the button is on."""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme

from .forms import add_service_errors


class Absent(Http404):
    """A 404 for a record the person may see that lacks what was asked of it ("This agreement has no document."):
    the API shows its message, as it gives nothing away. Any other 404 reads "Not found." (core/api/errors.py)."""


# How many rows a list page shows, on every page of the site. A page that needs another length passes `per_page`
# and says why. The API pages its answers differently (core/api/pagination.py): programs ask for their own size.
PAGE_SIZE = 25


def submitted(request) -> dict:
    """A form's data and files on a POST (even an empty one, which must fail validation), or nothing on a GET:
    `SomeForm(**submitted(request))`."""
    if request.method == "POST":
        return {"data": request.POST, "files": request.FILES}
    return {}


def saved(request, form, save):
    """For a valid POST, call `save(form.cleaned_data)` (which calls a service) and return what it returned: the
    saved record, or True when it returned nothing. Otherwise, or when the service refuses the input with a
    ValidationError, False, with the errors on the form: `render_form` then answers 400, and the page shows the
    service's messages beside the fields they name.

        item = saved(request, form, lambda data: services.agenda_item_add(actor=request.user, **data))
        if item:
            return redirect(item)
    """
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        result = save(form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    return result or True


def render_form(request, template: str, context: dict, *, form=None):
    """Render a page with a form: 400 when the submitted form has errors, so bad input is never a 200."""
    form = form if form is not None else context.get("form")
    invalid = form is not None and form.is_bound and bool(form.errors)
    return render(request, template, context, status=400 if invalid else 200)


def next_address(request, default: str = "") -> str:
    """Where a form should go afterwards: the `next` it was given (POST, else the query string) when it is an
    address of this site, else `default` (a URL name or address, or "")."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def post_only(redirect_to: str | Callable):
    """For a view that only answers a button (a POST): a GET of its address, from a bookmark, a reload or a shared
    link, goes to the page the button is on instead of an empty 405. Other methods still get 405.

    `redirect_to` is a URL name, reversed with the view's own arguments (`"workstreams:action_detail"` for
    `actions/<pk>/progress/`), or, when the page belongs to another record, a function of the request and those
    arguments returning what `redirect` takes: a record, a URL, or a URL name and its arguments as a tuple. Such a
    function must find the record through its app's `get_<noun>_for_user`, so a GET tells a stranger no more than
    a POST would (404); a URL name tells nothing, since the page it leads to makes its own check.

        @post_only(redirect_to=lambda request, pk: get_attachment_for_user(request.user, pk).activity)
    """

    def decorator(view):
        @wraps(view)
        def post_or_back(request, *args, **kwargs):
            if request.method == "POST":
                return view(request, *args, **kwargs)
            if request.method not in ("GET", "HEAD"):
                return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
            if isinstance(redirect_to, str):
                return redirect(reverse(redirect_to, args=args, kwargs=kwargs))
            target = redirect_to(request, *args, **kwargs)
            return redirect(*target) if isinstance(target, tuple) else redirect(target)

        return post_or_back

    return decorator


class BadRequestOnInvalidForm:
    """For Django's class-based auth views: answer an invalid submission with 400, like our own views."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


def page_of(request, items, *, per_page: int = PAGE_SIZE) -> Page:
    """The page of `items` that `?page=` asks for, in a count query and a page query however long the list. A page
    number that is not a number gives the first page and one past the end the last, so an old link never fails."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def query_without_page(request, **changes) -> str:
    """The current query string without `page`, with `changes` made: for links to other pages (and other views of
    the same list) that keep the filters. The pagination macro in templates/includes/navigation.html adds the page."""
    params = request.GET.copy()
    params.pop("page", None)
    for name, value in changes.items():
        params[name] = value
    return params.urlencode()


def download(file, *, filename: str = "", content_type: str = "") -> FileResponse:
    """Hand over a stored document, for a view that has already let the reader through its app's
    `get_<noun>_for_user` (stored files have no public URL, so this is the only way to them).

    Always a download, never shown in the browser, so an uploaded page or image cannot run as one of ours; under a
    plain file name (no folders, no control characters, which Django then quotes or encodes safely); never kept by a
    shared cache, since most documents are for the partnership only. 404 when there is no file, or it is missing."""
    if not file:
        raise Absent("There is no document.")
    try:
        handle = file.open("rb")
    except FileNotFoundError as missing:
        raise Absent("The document is missing.") from missing
    response = FileResponse(
        handle, as_attachment=True, filename=_plain_name(filename or file.name), content_type=content_type or None
    )
    add_never_cache_headers(response)
    return response


def _plain_name(name: str) -> str:
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(character for character in name if character.isprintable()).strip()
    return name or "document"
