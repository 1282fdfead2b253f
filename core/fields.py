"""The NHS.UK text input, select and date input, written out in Python for the shapes our forms use.

A list's filter form is a dozen fields; through the NHS.UK macros each costs a label, hint, error message and input
macro, each re-importing its neighbours and indenting its output, and the register's filters alone were a quarter of
the page's CPU (docs/adr/0021-tables-and-fields-rendered-in-python.md). These functions give the macros' markup,
whitespace aside, and `core/tests/test_fields.py` renders the same parameters through both to keep them equal.

`render_field` answers None for parameters outside the shapes written here (a label as a page heading, a hint with
its own classes, and so on); the `field` macro in templates/includes/forms.html then uses the NHS.UK macro itself, so
a new parameter is never silently dropped, only slower.
"""

from collections.abc import Mapping

from markupsafe import Markup, escape

from .markup import attributes

TEXT = frozenset({"text"})
TEXT_OR_HTML = frozenset({"text", "html"})
COMMON = {"id": None, "name": None, "label": TEXT, "hint": TEXT_OR_HTML, "errorMessage": TEXT, "attributes": None}
SHAPES: dict[str, dict] = {
    "input": COMMON
    | {"type": None, "value": None, "autocomplete": None, "inputmode": None, "classes": None}
    | {"prefix": None, "suffix": None, "spellcheck": None},
    # The select and date macros take no autocomplete; field_params may pass one from the widget, and they drop it.
    "select": COMMON | {"items": None, "autocomplete": None},
    "date": {key: COMMON[key] for key in ("id", "hint", "errorMessage", "attributes")}
    | {"namePrefix": None, "fieldset": None, "items": None, "autocomplete": None},
}
DATE_ITEM_KEYS = frozenset({"name", "value", "width", "error"})


def _fits(kind: str, params: Mapping) -> bool:
    shape = SHAPES.get(kind)
    if shape is None or not set(params) <= set(shape):
        return False
    for key, inner in shape.items():
        value = params.get(key)
        if inner is not None and value is not None and not (isinstance(value, Mapping) and set(value) <= inner):
            return False
    attributes = params.get("attributes") or {}
    if not all(isinstance(value, str | int) and not isinstance(value, bool) for value in attributes.values()):
        return False
    for affix in ("prefix", "suffix"):
        if params.get(affix) is not None and not isinstance(params[affix], str):
            return False
    if kind == "date":
        legend = (params.get("fieldset") or {}).get("legend")
        if set(params.get("fieldset") or {}) - {"legend"} or not isinstance(legend, Mapping) or set(legend) - TEXT:
            return False
        if not all(isinstance(item, Mapping) and set(item) <= DATE_ITEM_KEYS for item in params.get("items") or []):
            return False
    return True


def _content(part: Mapping | None) -> str:
    """A label's, hint's or error's words: the HTML as given (the macros trust it), else the text escaped."""
    if not part:
        return ""
    if part.get("html"):
        return str(part["html"])
    return str(escape(part.get("text") or ""))


def _has(part: Mapping | None) -> bool:
    return bool(part and (part.get("html") or part.get("text")))


def _hint_and_error(params: Mapping, id_: str) -> tuple[str, str]:
    """The hint and error message, and the ids an input's aria-describedby names for them."""
    html, described_by = "", []
    if _has(params.get("hint")):
        html += f'<div class="nhsuk-hint" id="{escape(id_)}-hint">{_content(params["hint"])}</div>'
        described_by.append(f"{id_}-hint")
    if _has(params.get("errorMessage")):
        html += (
            f'<span class="nhsuk-error-message" id="{escape(id_)}-error">'
            f'<span class="nhsuk-u-visually-hidden">Error: </span>{_content(params["errorMessage"])}</span>'
        )
        described_by.append(f"{id_}-error")
    return html, " ".join(described_by)


def _input_element(params: Mapping, id_: str, classes: str, described_by: str) -> str:
    html = f'<input class="{escape(classes)}" id="{escape(id_)}" name="{escape(params.get("name"))}"'
    html += f' type="{escape(params.get("type") or "text")}"'
    if isinstance(params.get("spellcheck"), bool):
        html += f' spellcheck="{str(params["spellcheck"]).lower()}"'
    if params.get("value") is not None:
        html += f' value="{escape(params["value"])}"'
    if described_by:
        html += f' aria-describedby="{escape(described_by)}"'
    for name in ("autocomplete", "inputmode"):
        if params.get(name):
            html += f' {name}="{escape(params[name])}"'
    return html + attributes(params.get("attributes")) + ">"


def _input(params: Mapping, *, label_classes: str = "", error: bool | None = None) -> str:
    id_ = params.get("id") or params.get("name")
    has_error = _has(params.get("errorMessage")) if error is None else error
    classes = "nhsuk-input" + (" nhsuk-input--error" if has_error else "")
    if params.get("classes"):
        classes += f" {params['classes']}"
    hint_and_error, described_by = _hint_and_error(params, id_)
    element = _input_element(params, id_, classes, described_by)
    prefix, suffix = params.get("prefix"), params.get("suffix")
    if prefix or suffix:
        element = (
            '<div class="nhsuk-input-wrapper">'
            + (f'<div class="nhsuk-input-wrapper__prefix" aria-hidden="true">{escape(prefix)}</div>' if prefix else "")
            + element
            + (f'<div class="nhsuk-input-wrapper__suffix" aria-hidden="true">{escape(suffix)}</div>' if suffix else "")
            + "</div>"
        )
    return (
        f'<div class="nhsuk-form-group{" nhsuk-form-group--error" if has_error else ""}">'
        f'<label class="nhsuk-label{label_classes}" for="{escape(id_)}">{_content(params.get("label"))}</label>'
        f"{hint_and_error}{element}</div>"
    )


def _select(params: Mapping) -> str:
    id_ = params.get("id") or params.get("name")
    has_error = _has(params.get("errorMessage"))
    hint_and_error, described_by = _hint_and_error(params, id_)
    html = (
        f'<div class="nhsuk-form-group{" nhsuk-form-group--error" if has_error else ""}">'
        f'<label class="nhsuk-label" for="{escape(id_)}">{_content(params.get("label"))}</label>{hint_and_error}'
        f'<select class="nhsuk-select{" nhsuk-select--error" if has_error else ""}" id="{escape(id_)}"'
        f' name="{escape(params.get("name"))}"'
    )
    if described_by:
        html += f' aria-describedby="{escape(described_by)}"'
    html += attributes(params.get("attributes")) + ">"
    for item in params.get("items") or []:
        selected = " selected" if item.get("selected") else ""
        html += f'<option value="{escape(item.get("value"))}"{selected}>{escape(item.get("text"))}</option>'
    return html + "</select></div>"


def _date(params: Mapping) -> str:
    id_ = params.get("id")
    has_error = _has(params.get("errorMessage"))
    items = params.get("items") or []
    any_item_marked = any(item.get("error") for item in items)
    hint_and_error, described_by = _hint_and_error(params, id_)
    boxes = ""
    for item in items:
        name = item["name"]
        box = {
            "id": f"{id_}-{name}",
            "name": f"{params['namePrefix']}[{name}]" if params.get("namePrefix") else name,
            "label": {"text": name.capitalize()},
            "value": item.get("value"),
            "inputmode": "numeric",
            "classes": f"nhsuk-input--width-{item.get('width') or 2} nhsuk-date-input__input",
        }
        marked = bool(item.get("error")) or (item.get("error") is not False and has_error and not any_item_marked)
        box_html = _input(box, label_classes=" nhsuk-date-input__label", error=marked)
        boxes += f'<div class="nhsuk-date-input__item">{box_html}</div>'
    fieldset_described_by = f' aria-describedby="{escape(described_by)}"' if described_by else ""
    legend = _content(params["fieldset"]["legend"])
    return (
        f'<div class="nhsuk-form-group{" nhsuk-form-group--error" if has_error else ""}">'
        f'<fieldset class="nhsuk-fieldset" role="group"{fieldset_described_by}>'
        f'<legend class="nhsuk-fieldset__legend">{legend}</legend>{hint_and_error}'
        f'<div class="nhsuk-date-input" id="{escape(id_)}"{attributes(params.get("attributes"))}>{boxes}</div>'
        "</fieldset></div>"
    )


RENDERERS = {"input": _input, "select": _select, "date": _date}


def render_field(kind: str, params: Mapping) -> Markup | None:
    """The NHS.UK markup of a `kind` field (input, select or date), or None when `params` go beyond what is written
    here and the NHS.UK macro should render it."""
    if not _fits(kind, params):
        return None
    return Markup(RENDERERS[kind](params))
