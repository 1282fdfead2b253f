"""Our tables give the NHS.UK table macro's markup, whitespace aside, for every parameter our pages use."""

import pytest
from markupsafe import Markup

from core.tables import render_table
from core.tests.nhsuk import macro_output, normalised

HEAD = [
    {"text": "Title"},
    {"text": "Count", "format": "numeric"},
    "Owner <lead>",
    {"html": Markup("<abbr title='Red, amber, green'>RAG</abbr>"), "classes": "app-narrow"},
    {"text": "Due", "visuallyHiddenText": "(sorted)"},
]
ROWS = [
    [
        {"text": "Discharge <b>plan</b>", "href": "/decisions/1/?a=1&b=2"},
        {"text": "3", "format": "numeric"},
        "Dr A & B",
        {"html": Markup('<strong class="nhsuk-tag">Red</strong>'), "classes": "rag", "attributes": {"data-rag": "red"}},
        {"text": "5 March 2026", "visuallyHiddenText": "overdue"},
    ],
    [{"text": "Second"}, {"text": "12"}, Markup("<em>safe</em>"), {"html": "<i>html as str</i>"}, {"text": ""}],
]

CASES = {
    "responsive with headings in every cell": {
        "id": "decisions",
        "classes": "dashboard-table",
        "responsive": True,
        "caption": {"text": "Decisions <newest> first", "classes": "nhsuk-u-visually-hidden"},
        "head": HEAD,
        "rows": ROWS,
    },
    "first cell as the row's header": {
        "responsive": True,
        "firstCellIsHeader": True,
        "caption": {"text": "Attendance", "size": "s"},
        "attributes": {"aria-describedby": "matrix-hint"},
        "head": HEAD,
        "rows": ROWS,
    },
    "plain, with a caption as a string and a spanning cell": {
        "caption": "Members",
        "head": [{"text": "Who"}, {"text": "Role"}, {"text": "Since"}],
        "rows": [[{"text": "No open actions.", "colspan": 3, "format": "text"}]],
    },
    "rows longer than the head, a number skipped": {
        "responsive": True,
        "head": [{"text": "Only"}],
        "rows": [[{"text": "a"}, {"text": "b"}], [5, {"text": "c"}]],
    },
    "no caption, no rows": {"head": [{"text": "Empty"}], "rows": []},
}


def _macro(params) -> str:
    return macro_output("nhsuk/components/tables/macro.jinja", "table", params)


@pytest.mark.parametrize("params", CASES.values(), ids=CASES.keys())
def test_same_markup_as_the_nhsuk_macro(params):
    ours = render_table(params)

    assert normalised(ours) == normalised(_macro(params))
    assert isinstance(ours, Markup)


def test_text_is_escaped_and_html_trusted():
    html = render_table(CASES["responsive with headings in every cell"])

    assert "Discharge &lt;b&gt;plan&lt;/b&gt;" in html
    assert "Owner &lt;lead&gt;" in html
    assert '<strong class="nhsuk-tag">Red</strong>' in html
    assert 'href="/decisions/1/?a=1&amp;b=2"' in html


def test_zero_is_shown():
    # The macro reads `html or text` and so leaves a count of 0 blank; a count of nothing is still a count.
    html = render_table({"head": [{"text": "Open"}], "rows": [[{"text": 0}]]})

    assert '<td class="nhsuk-table__cell">0</td>' in html


@pytest.mark.parametrize(
    "params",
    [
        {"rows": [], "scroll": True},
        {"rows": [], "caption": {"text": "x", "placement": "end"}},
        {"rows": [[{"text": "x", "sortValue": 1}]]},
        {"rows": [[{"text": "x", "attributes": {"hidden": {"value": True, "optional": True}}}]]},
    ],
    ids=["table", "caption", "cell", "attribute"],
)
def test_a_parameter_we_have_not_written_is_refused(params):
    with pytest.raises(TypeError):
        render_table(params)


def test_no_whitespace_padding():
    html = render_table(CASES["first cell as the row's header"])

    assert "\n" not in html
    assert len(html) < len(_macro(CASES["first cell as the row's header"])) / 2
