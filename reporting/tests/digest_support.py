"""Building blocks for the board digest tests: one week of a partnership's life whose digest can be worked out by
hand, a digest built from it, and the default rows a transactional test's flush takes away."""

import html
from dataclasses import dataclass
from datetime import timedelta
from importlib import import_module

from django.apps import apps
from django.utils import timezone

from core.audit import SYSTEM
from governance.models import Decision, Visibility
from governance.tests.evidence_support import activity, expect, said
from governance.tests.risk_support import backdate, raise_risk, workstream_with_lead
from governance.tests.support import approved, board_meeting, in_signoff, more_members, sign, signatories
from reporting.models import Digest, DigestFrequency, DigestSchedule
from reporting.services.digests import digest_build
from workstreams.models import Action, ActionStatus, Meeting, WorkStream


def restore_default_rows() -> None:
    """The stakeholder groups and risk domains made by data migrations: a transactional test's flush empties their
    tables, and the next test on the same database needs them back."""
    import_module("engagement.migrations.0002_default_stakeholder_groups").create_default_groups(apps, None)
    import_module("governance.migrations.0002_default_risk_domains").add_defaults(apps, None)


@dataclass
class Week:
    """What happened, and what the digest must therefore say."""

    workstream: WorkStream
    winter: Decision  # approved this week, binding on both full members
    diabetes: Decision  # in sign-off: the trust signed; the council must sign, the extra partner's board ratify
    estates: Decision  # confidential, in sign-off, proposed by the lead
    extra_organisation: object
    extra_person: object
    trust_action: Action  # overdue, owned by `board` for the trust
    council_action: Action  # overdue, owned by `ned` for the council
    meeting: Meeting  # the board, in three days


def action(world, workstream, owner, organisation, *, days: int, text: str, status=ActionStatus.OPEN) -> Action:
    """An action due `days` from today (negative: in the past)."""
    return Action.objects.create(
        partnership=world.partnership,
        workstream=workstream,
        description=text,
        owner=owner,
        owner_organisation=organisation,
        due_on=timezone.localdate() + timedelta(days=days),
        status=status,
        completed_on=timezone.localdate() if status == ActionStatus.DONE else None,
    )


def a_week(world) -> Week:
    """QZZ's week: one decision approved, two in sign-off, four actions (two overdue), a risk raised at 16, an old
    risk, a gap in engagement, a response given and a theme awaiting one, and meetings in 3 and 20 days."""
    restore_default_rows()
    signatories(world)
    workstream, _ = workstream_with_lead(world)
    winter = approved(world, title="Joint winter plan")
    extra_organisation, extra_person = more_members(world, 1, signed=False)[0]
    diabetes = in_signoff(world, title="Shared community diabetes service")
    sign(world.board, diabetes)
    estates = in_signoff(
        world,
        actor=world.lead,
        title="Sale of the Riverside clinic",
        visibility=Visibility.CONFIDENTIAL,
        confidential_reason="Commercial negotiation under way.",
        confidential_review_on=timezone.localdate() + timedelta(days=90),
    )
    trust_action = action(world, workstream, world.board, world.trust, days=-10, text="Draft the diabetes pathway")
    council_action = action(
        world, workstream, world.ned, world.council, days=-3, text="Brief the health scrutiny panel"
    )
    action(world, workstream, world.board, world.trust, days=5, text="Book the launch event")
    action(world, workstream, world.ned, world.council, days=-20, text="Send the survey", status=ActionStatus.DONE)
    raise_risk(world, title="Podiatry waits", likelihood=4, consequence=4)
    backdate(raise_risk(world, title="Old estates backlog", likelihood=2, consequence=3), 40)
    expect(workstream, "local-authorities")
    heard = activity(world.partnership, reach={"patients-carers": 12}, workstreams=[workstream], title="Panel")
    said(heard, "Run courses in the evening.", status="acted_on")
    said(heard, "More podiatry in the Dales.")
    meeting = board_meeting(world, days_from_now=3)
    board_meeting(world, days_from_now=20)
    return Week(
        workstream=workstream,
        winter=winter,
        diabetes=diabetes,
        estates=estates,
        extra_organisation=extra_organisation,
        extra_person=extra_person,
        trust_action=trust_action,
        council_action=council_action,
        meeting=meeting,
    )


def built(world, **kwargs) -> Digest:
    """Today's digest of the world's partnership, built by the system without emails unless asked."""
    kwargs.setdefault("send_email", False)
    return digest_build(actor=SYSTEM, partnership=world.partnership, **kwargs)


def schedules_off(*partnerships) -> None:
    """Turn the schedule off, so a beat run in a test builds only the digests the test is about."""
    for partnership in partnerships:
        DigestSchedule.objects.create(partnership=partnership, frequency=DigestFrequency.OFF)


def text_of(response) -> str:
    """A page's HTML with its character references read (an apostrophe is sent as &#x27;)."""
    return html.unescape(response.content.decode())
