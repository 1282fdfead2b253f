"""Pages that use core's view helpers the way every app's pages do, for the tests of those helpers: a form saved
through a service, a long list, and a document behind an access check. The site's own pages are kept, so the
layout renders as it does for any page."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.fields.files import FieldFile
from django.http import Http404, HttpResponse
from django.template import engines
from django.urls import include, path

from core.http import download, page_of, query_without_page, render_form, saved, submitted

# The site's own pages, so that the layout's links resolve. Read when the tests first import this module (as they
# collect), before a test points ROOT_URLCONF here.
SITE_URLS = settings.ROOT_URLCONF
NUMBERS = list(range(1, 61))


class NameForm(forms.Form):
    name = forms.CharField(max_length=20)


def name_set(*, name: str) -> str:
    """A service with rules the form does not know, as services have: it refuses some names with its own messages."""
    if name == "taken":
        raise ValidationError({"name": "That name is already taken."})
    if name == "closed":
        raise ValidationError("The register is closed for the night.")
    if name == "elsewhere":
        raise ValidationError({"owner": "The owner must agree first."})  # a field this form does not have
    return name.upper()


def name_page(request):
    form = NameForm(**submitted(request))
    name = saved(request, form, lambda data: name_set(**data))
    if name:
        return HttpResponse(f"Saved as {name}")
    context = {"form": form, "caption": "Tests", "heading": "Choose a name", "submit_text": "Save", "cancel_url": "/"}
    return render_form(request, "includes/form_page.html", context)


LIST = engines["jinja2"].from_string(
    '{% from "includes/navigation.html" import pagination %}'
    '<ol id="numbers">{% for number in page %}<li>{{ number }}</li>{% endfor %}</ol>{{ pagination(page, query) }}'
)


def number_list(request):
    page = page_of(request, NUMBERS)
    return HttpResponse(LIST.render({"page": page, "query": query_without_page(request)}))


def get_document_for_user(user, name: str) -> FieldFile:
    """The app's access rule, as in an access.py: only `owner` may read the documents; to anyone else they do not
    exist."""
    if user.username != "owner":
        raise Http404("No such document.")
    return FieldFile(None, models.FileField(name="file"), name)


def document_download(request, name: str):
    document = get_document_for_user(request.user, name)
    return download(document, filename=request.GET.get("as", ""), content_type="application/pdf")


urlpatterns = [
    path("core-tests/name/", name_page),
    path("core-tests/numbers/", number_list),
    path("core-tests/documents/<path:name>", document_download),
    path("", include(SITE_URLS)),
]
