"""The Jinja2 environment for our pages: Django's URL, static and message helpers plus the NHS.UK macros."""

from django.conf import settings
from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from django.utils import formats, timezone
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, PackageLoader
from jinja2.filters import do_indent
from markupsafe import Markup

from .fields import render_field
from .forms import field_params, widget_kind
from .tables import render_table
from .tags import render_tag


def url(name: str, *args, **kwargs) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def date(value, format_name: str = "j F Y") -> str:
    """Format a date or datetime the way NHS.UK content does (`5 March 2026`), in local time."""
    if value is None or value == "":
        return ""
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        value = timezone.localtime(value)
    return formats.date_format(value, format_name)


def pounds(value) -> str:
    """£1,250,000 — whole pounds unless there are pence."""
    if value is None:
        return ""
    if value == int(value):
        return f"£{int(value):,}"
    return f"£{value:,.2f}"


def indent(value, width=4, first: bool = False, blank: bool = False):
    """Jinja's `indent`, done on the plain string. Jinja's own splits safe HTML into lines and joins them as Markup,
    escaping every line again; the NHS.UK macros indent every field and cell, and that was most of a form's cost."""
    if isinstance(value, Markup):
        return Markup(do_indent(str(value), width, first, blank))
    return do_indent(value, width, first, blank)


def environment(**options) -> Environment:
    # ChainableUndefined lets the NHS.UK macros read optional nested parameters (params.hint.text).
    options["undefined"] = ChainableUndefined
    options["loader"] = ChoiceLoader([options["loader"], PackageLoader("nhsuk_frontend_jinja")])
    options.setdefault("extensions", []).extend(["jinja2.ext.do", "jinja2.ext.loopcontrols"])
    env = Environment(**options)
    env.globals.update(
        {
            "url": url,
            "static": static,
            "static_url": settings.STATIC_URL,
            "get_messages": get_messages,
            "field_params": field_params,
            "widget_kind": widget_kind,
            "render_table": render_table,
            "render_field": render_field,
            "render_tag": render_tag,
        }
    )
    env.filters.update({"date": date, "pounds": pounds, "indent": indent})
    return env
