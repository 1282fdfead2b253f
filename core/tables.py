"""The NHS.UK table, written out in Python.

Our tables take the parameters of the NHS.UK frontend's `table` macro and give the same markup, less the macro's
whitespace. The macro re-imports five other templates on every call and indents every cell through string filters;
on a dashboard of a few hundred rows that was two thirds of the page's CPU
(docs/adr/0021-tables-and-fields-rendered-in-python.md).
`core/tests/test_tables.py` renders the same parameters through both and compares them, so the two cannot drift.

Only the parameters our pages use are accepted; any other is refused loudly rather than silently ignored, so that a
template reaching for a macro feature we have not written finds out on its first render.
"""

from collections.abc import Iterable, Mapping

from markupsafe import Markup, escape

from .markup import attributes, refuse_unknown

TABLE_KEYS = frozenset({"id", "classes", "caption", "head", "rows", "firstCellIsHeader", "responsive", "attributes"})
CAPTION_KEYS = frozenset({"text", "html", "size", "classes"})
CELL_KEYS = frozenset({"text", "html", "format", "classes", "attributes", "visuallyHiddenText", "href", "colspan"})


def _as_item(value) -> dict | None:
    """A header or cell as the macro reads it: a mapping as given, a string as its text (or HTML when marked safe)."""
    if isinstance(value, Mapping):
        refuse_unknown("table's cell", value, CELL_KEYS)
        return value
    if isinstance(value, str):
        return {"html": value} if isinstance(value, Markup) else {"text": value}
    return None  # the macro skips anything else (numbers included): so do we


def _value(item: Mapping) -> str:  # plain str throughout: Markup + str would escape the str
    """The text (escaped) or the HTML (trusted, as the macro's `| safe` trusts it), then any visually hidden words."""
    html, text = item.get("html"), item.get("text")
    if html:
        content = str(html)
    elif text is not None and text != "":
        content = str(escape(text))  # 0 shows as 0 (the macro, reading `html or text`, would leave the cell empty)
    else:
        content = ""
    hidden = item.get("visuallyHiddenText")
    if hidden:
        content += f'<span class="nhsuk-u-visually-hidden"> {escape(hidden)}</span>'
    return content


def _cell(item: Mapping, *, element: str, responsive: bool, header: Mapping | None, extra: str = "") -> str:
    base = "nhsuk-table__header" if element == "th" else "nhsuk-table__cell"
    classes = base
    if item.get("format") == "numeric":
        classes += f" {base}--numeric"
    if item.get("classes"):
        classes += f" {item['classes']}"
    colspan = item.get("colspan") if not responsive else None
    opening = f'<{element} class="{escape(classes)}"{extra}'
    if colspan:
        opening += f' colspan="{escape(colspan)}"'
    opening += attributes(item.get("attributes")) + ">"
    inner = _value(item)
    if item.get("href"):
        inner = f'<a class="nhsuk-link" href="{escape(item["href"])}">{inner}</a>'
    if header is not None:
        heading = f'<span class="nhsuk-table__heading" aria-hidden="true">{_value(header)} </span>'
        inner = heading + (f"<span>{inner}</span>" if item.get("html") else inner)
    return f"{opening}{inner}</{element}>"


def render_table(params: Mapping) -> Markup:
    """The NHS.UK table for `params` (see the module's note for which are accepted)."""
    refuse_unknown("table", params, TABLE_KEYS)
    responsive = bool(params.get("responsive"))
    first_is_header = bool(params.get("firstCellIsHeader"))
    head = [_as_item(item) for item in params.get("head") or []]
    role_group = ' role="rowgroup"' if responsive else ""
    role_row = ' role="row"' if responsive else ""

    classes = "nhsuk-table"
    if responsive:
        classes += " nhsuk-table--responsive"
    if params.get("classes"):
        classes += f" {params['classes']}"
    parts = [f'<table class="{escape(classes)}"']
    if params.get("id"):
        parts.append(f' id="{escape(params["id"])}"')
    if responsive:
        parts.append(' role="table"')
    parts.append(attributes(params.get("attributes")) + ">")

    caption = params.get("caption")
    if isinstance(caption, str):
        caption = {"html": caption} if isinstance(caption, Markup) else {"text": caption}
    if caption and (caption.get("text") or caption.get("html")):
        refuse_unknown("table's caption", caption, CAPTION_KEYS)
        caption_classes = "nhsuk-table__caption"
        if caption.get("size") in {"s", "m", "l", "xl"}:
            caption_classes += f" nhsuk-table__caption--{caption['size']}"
        if caption.get("classes"):
            caption_classes += f" {caption['classes']}"
        parts.append(f'<caption class="{escape(caption_classes)}">{_value(caption)}</caption>')

    if head:
        cells = "".join(
            _cell(
                item,
                element="th",
                responsive=responsive,
                header=None,
                extra=' scope="col"' + (' role="columnheader"' if responsive else ""),
            )
            for item in head
            if item is not None
        )
        parts.append(f'<thead class="nhsuk-table__head"{role_group}>')
        parts.append(f'<tr class="nhsuk-table__row"{role_row}>{cells}</tr></thead>')

    parts.append('<tbody class="nhsuk-table__body">')
    for row in params.get("rows") or []:
        if isinstance(row, str) or not isinstance(row, Iterable):
            continue
        parts.append(f'<tr class="nhsuk-table__row"{role_row}>')
        for index, raw in enumerate(row):
            item = _as_item(raw)
            if item is None:
                continue
            column = (head[index] if index < len(head) else None) or {}
            if "format" not in item and column.get("format"):
                item = {**item, "format": column["format"]}
            as_header = index == 0 and first_is_header
            extra = ' scope="row"' if as_header else ""
            if responsive:
                extra += ' role="rowheader"' if as_header else ' role="cell"'
            parts.append(
                _cell(
                    item,
                    element="th" if as_header else "td",
                    responsive=responsive,
                    header=column if responsive else None,
                    extra=extra,
                )
            )
        parts.append("</tr>")
    parts.append("</tbody></table>")
    return Markup("".join(parts))
