"""The lead's upload page for NHS reference data: the same import as `manage.py import_organisations`, limited to
the lead's own partnership."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from core.http import render_form
from core.validators import FileRules

from ..access import Action, get_partnership_for_user
from ..services.imports import ImportRejected, organisations_import

MAX_MEGABYTES = 5
RESULT_SESSION_KEY = "partnerships_last_import"
TEMPLATE = "partnerships/organisation_import.html"


class OrganisationImportForm(forms.Form):
    file = forms.FileField(
        label="Upload a CSV file",
        help_text=f"An ODS file from NHS Digital (etr.csv, eccg.csv or ect.csv) or an ONS lookup, up to "
        f"{MAX_MEGABYTES} MB.",
        validators=[FileRules(max_megabytes=MAX_MEGABYTES, extensions=("csv",))],
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={"required": "Choose a CSV file to upload", "empty": "The file is empty"},
    )


@require_http_methods(["GET", "POST"])
def organisation_import(request, code: str):
    partnership = get_partnership_for_user(request.user, code, Action.MANAGE)
    form = OrganisationImportForm(request.POST, request.FILES) if request.method == "POST" else OrganisationImportForm()
    context = {"partnership": partnership, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            result = organisations_import(actor=request.user, file=form.cleaned_data["file"], partnership=partnership)
        except ImportRejected as rejected:
            line_errors = [(line, message) for line, message in rejected.errors if line]
            for line, message in rejected.errors:
                if not line:
                    form.add_error("file", message)
            if line_errors:
                rows = f"{len(line_errors)} problem{'s' if len(line_errors) != 1 else ''}"
                form.add_error("file", f"The file was not imported: it has {rows}, listed below. Nothing was changed.")
            return render_form(request, TEMPLATE, {**context, "line_errors": line_errors})
        request.session[RESULT_SESSION_KEY] = result.as_dict()
        if result.changed_anything:
            messages.success(request, f"{result.file_name} was imported: {result.outcome()}")
        else:  # not a success banner: nothing changed, and the counts say why
            messages.warning(request, f"Nothing was imported from {result.file_name}: {result.outcome()}")
        return redirect("partnerships:organisation_import", partnership.code)
    result = request.session.pop(RESULT_SESSION_KEY, None) if request.method == "GET" else None
    if result and result["partnership_code"] == partnership.code:
        context["result"] = result
    return render_form(request, TEMPLATE, context)
