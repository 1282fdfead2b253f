"""The upload page for NHS reference data (to be written with the importer)."""

from django.http import Http404


def organisation_import(request, code: str):
    raise Http404("Not built yet.")
