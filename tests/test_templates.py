"""Tables, cards and summary lists come from the NHS.UK macros, so they look and behave the same on every page.

A template that writes the component's markup by hand drifts from the design system (a class renamed in a new
nhsuk-frontend, a missing `scope` or role). The few that must stay hand-written are listed here with the reason,
and each says why in a Jinja comment beside the markup.
"""

import re
from pathlib import Path

from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"
HAND_WRITTEN = re.compile(r'class="nhsuk-(?:table|table-responsive|card|summary-list)[\s"]')

# Template → why its component is written by hand. The table macro cannot set an id on a row, and these rows'
# ids are what the pages' tests (and the figures they link to) read as a whole row.
ALLOWED = {
    "partnerships/organisation_import.html": "each row of counts has an id, counts-<record>",
    "reporting/dashboard/_workstreams.html": "each work-stream's row has an id, workstream-<id>",
    "reporting/digest_list.html": "each digest's row has an id, digest-<id>",
}


def hand_written() -> dict[str, int]:
    """Each template that writes a table, card or summary list by hand, with how many times."""
    found = {}
    for path in sorted(TEMPLATES.rglob("*.html")):
        count = len(HAND_WRITTEN.findall(path.read_text()))
        if count:
            found[path.relative_to(TEMPLATES).as_posix()] = count
    return found


def test_tables_cards_and_summary_lists_come_from_the_nhsuk_macros():
    unexpected = sorted(set(hand_written()) - set(ALLOWED))
    assert not unexpected, f"use the NHS.UK table, card or summaryList macro in {unexpected}"


def test_each_hand_written_component_is_still_needed_and_says_why():
    found = hand_written()
    for template, reason in ALLOWED.items():
        assert template in found, f"{template} no longer writes its own markup: take it off the list ({reason})"
        source = (TEMPLATES / template).read_text()
        assert "{#- By hand:" in source, f"{template} should say in a Jinja comment why it is written by hand"
