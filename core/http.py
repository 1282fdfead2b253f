"""Helpers for the short function views of every app."""

from django.shortcuts import render


def render_form(request, template: str, context: dict, *, form=None):
    """Render a page with a form: 400 when the submitted form has errors, so bad input is never a 200."""
    form = form if form is not None else context.get("form")
    invalid = form is not None and form.is_bound and bool(form.errors)
    return render(request, template, context, status=400 if invalid else 200)


class BadRequestOnInvalidForm:
    """For Django's class-based auth views: answer an invalid submission with 400, like our own views."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response
