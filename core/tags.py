"""The NHS.UK tag, written out in Python: a register or decision page shows dozens, and each through the macro cost
an include and an attribute macro (docs/adr/0021-tables-and-fields-rendered-in-python.md). The markup is the macro's,
whitespace aside; `core/tests/test_tags.py` compares the two."""

from collections.abc import Mapping

from markupsafe import Markup, escape

from .markup import refuse_unknown

COLOURS = frozenset({"white", "grey", "green", "aqua-green", "blue", "purple", "pink", "red", "orange", "yellow"})
KEYS = frozenset({"text", "html", "colour", "classes", "id"})


def render_tag(params: Mapping) -> Markup:
    refuse_unknown("tag", params, KEYS)
    classes = "nhsuk-tag"
    colour, extra = params.get("colour"), params.get("classes") or ""
    if colour in COLOURS and f"nhsuk-tag--{colour}" not in extra:
        classes += f" nhsuk-tag--{colour}"
    if extra:
        classes += f" {extra}"
    opening = f'<strong class="{escape(classes)}"'
    if params.get("id"):
        opening += f' id="{escape(params["id"])}"'
    text = escape(str(params.get("text") or "").strip())
    content = params.get("html") or text
    return Markup(f"{opening}>{content!s}</strong>")
