"""Our tags give the NHS.UK tag macro's markup, whitespace aside."""

import pytest
from markupsafe import Markup

from core.tags import render_tag
from core.tests.nhsuk import macro_output, normalised

CASES = {
    "coloured": {"text": "Approved", "colour": "green"},
    "colour and classes": {"text": "Red <since>", "colour": "red", "classes": "app-tag--rag"},
    "colour already in the classes": {"text": "Amber", "colour": "orange", "classes": "nhsuk-tag--orange"},
    "unknown colour": {"text": "Odd", "colour": "mauve"},
    "HTML": {"html": Markup("Confidential <span class='nhsuk-u-visually-hidden'>decision</span>"), "colour": "grey"},
    "with an id": {"text": "Draft", "id": "status"},
    "text with spaces around": {"text": "  Signed  "},
}


@pytest.mark.parametrize("params", CASES.values(), ids=CASES.keys())
def test_same_markup_as_the_nhsuk_macro(params):
    expected = macro_output("nhsuk/components/tag/macro.jinja", "tag", params)

    assert normalised(render_tag(params)) == normalised(expected)


def test_text_is_escaped():
    assert "Red &lt;since&gt;" in render_tag(CASES["colour and classes"])


def test_a_parameter_we_have_not_written_is_refused():
    with pytest.raises(TypeError):
        render_tag({"text": "x", "border": False})
