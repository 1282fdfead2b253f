"""The quorum rule: how many members, which deputies count, and who must be among them."""

from types import SimpleNamespace

import pytest

from workstreams.models import WorkStream
from workstreams.selectors.quorum import Entry, Seat, assess

PRESENT, APOLOGIES, ABSENT = "present", "apologies", "absent"


def seat(pk, *, votes=True, deputy=False, clinician=False, non_executive=False, deputy_for=None):
    return Seat(
        user=SimpleNamespace(pk=pk),
        role_label="Deputy" if deputy else "Member",
        organisation=None,
        votes=votes,
        is_deputy=deputy,
        is_clinician=clinician,
        is_non_executive=non_executive,
        deputy_for_id=deputy_for,
    )


def rule(minimum=None, percentage=None, clinician=False, non_executive=False):
    return WorkStream(
        quorum_minimum=minimum,
        quorum_percentage=percentage,
        quorum_needs_clinician=clinician,
        quorum_needs_non_executive=non_executive,
    )


EIGHT_MEMBERS = [seat(pk) for pk in range(1, 8)] + [seat(8, clinician=True)]


def present(*pks, deputy_for=None):
    return [Entry(pk, PRESENT, deputy_for) for pk in pks]


def test_nothing_recorded_is_neither_quorate_nor_not():
    result = assess(rule(percentage=50), EIGHT_MEMBERS, [], {})
    assert result.quorate is None
    assert result.explanation == "Attendance not recorded yet."


def test_too_few_members_and_no_clinician_is_explained_in_full():
    result = assess(rule(minimum=5, clinician=True), EIGHT_MEMBERS, present(1, 2, 3), {})
    assert result.quorate is False
    assert result.explanation == "Not quorate: 3 of 8 members present, 5 needed; no clinician present"


def test_enough_members_with_a_clinician_is_quorate():
    result = assess(rule(minimum=5, clinician=True), EIGHT_MEMBERS, present(1, 2, 3, 4, 8), {})
    assert result.quorate is True
    assert result.explanation == "Quorate: 5 of 8 members present, 5 needed"


def test_a_percentage_is_rounded_up_and_the_larger_of_the_two_rules_applies():
    assert rule(percentage=50).members_needed(7) == 4
    assert rule(minimum=3, percentage=50).members_needed(8) == 4
    assert rule(minimum=6, percentage=50).members_needed(8) == 6
    assert rule(percentage=1).members_needed(0) == 1


def test_apologies_and_absence_do_not_count():
    entries = [Entry(1, PRESENT), Entry(2, APOLOGIES), Entry(3, ABSENT), Entry(4, PRESENT)]
    result = assess(rule(percentage=50), EIGHT_MEMBERS, entries, {})
    assert (result.present, result.needed, result.quorate) == (2, 4, False)


def test_a_named_deputy_counts_for_an_absent_member():
    deputy = seat(20, votes=False, deputy=True)
    entries = [*present(1, 2, 3), Entry(20, PRESENT, 4)]
    result = assess(rule(percentage=50), EIGHT_MEMBERS + [deputy], entries, {20: deputy})
    assert result.quorate is True
    assert result.explanation == "Quorate: 4 of 8 members present (including 1 named deputy), 4 needed"


def test_a_deputy_not_named_for_anyone_does_not_count_and_the_reason_says_so():
    deputy = seat(20, votes=False, deputy=True)
    entries = [*present(1, 2, 3), Entry(20, PRESENT, None)]
    result = assess(rule(percentage=50), EIGHT_MEMBERS + [deputy], entries, {20: deputy})
    assert result.quorate is False
    assert result.explanation == (
        "Not quorate: 3 of 8 members present, 4 needed; 1 deputy not counted: not named for an absent member"
    )


def test_a_deputy_for_a_member_who_came_anyway_does_not_count_twice():
    deputy = seat(20, votes=False, deputy=True)
    entries = [*present(1, 2, 3), Entry(20, PRESENT, 3)]
    result = assess(rule(percentage=50), EIGHT_MEMBERS + [deputy], entries, {20: deputy})
    assert result.present == 3


def test_two_deputies_for_the_same_member_count_once():
    first, second = seat(20, votes=False, deputy=True), seat(21, votes=False, deputy=True)
    entries = [*present(1, 2), Entry(20, PRESENT, 4), Entry(21, PRESENT, 4)]
    result = assess(rule(percentage=50), EIGHT_MEMBERS + [first, second], entries, {20: first, 21: second})
    assert (result.present, result.deputies_counted) == (3, 1)


def test_observers_never_count():
    observer = seat(30, votes=False)
    entries = [*present(1, 2, 3), Entry(30, PRESENT)]
    result = assess(rule(percentage=50), EIGHT_MEMBERS + [observer], entries, {})
    assert (result.present, result.members, result.quorate) == (3, 8, False)


def test_a_deputy_brings_the_clinician_the_rule_needs():
    deputy = seat(20, votes=False, deputy=True, clinician=True)
    entries = [*present(1, 2, 3), Entry(20, PRESENT, 4)]
    result = assess(rule(percentage=50, clinician=True), EIGHT_MEMBERS + [deputy], entries, {20: deputy})
    assert result.quorate is True


def test_a_non_executive_must_be_present_when_the_rule_says_so():
    members = [seat(1), seat(2), seat(3, non_executive=True)]
    without = assess(rule(percentage=50, non_executive=True), members, present(1, 2), {})
    with_one = assess(rule(percentage=50, non_executive=True), members, present(1, 3), {})
    assert (
        without.explanation == "Not quorate: 2 of 3 members present, 2 needed; no non-executive or lay member present"
    )
    assert with_one.quorate is True


@pytest.mark.parametrize(
    ("minimum", "percentage", "clinician", "non_executive", "text"),
    [
        (None, 50, False, False, "50% of members present."),
        (5, None, True, False, "At least 5 members present, including a clinician."),
        (
            3,
            60,
            True,
            True,
            "At least 3 members and 60% of members present, including a clinician and a non-executive or lay member.",
        ),
    ],
)
def test_the_rule_reads_as_a_sentence(minimum, percentage, clinician, non_executive, text):
    assert rule(minimum, percentage, clinician, non_executive).quorum_description == text
