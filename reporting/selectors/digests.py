"""What a board digest says, built once and stored as JSON (`digest_content`); and for each reader, the digest as
they may read it, opening with what their own organisation must sign off, ratify or act on (`digest_for_reader`).

The content takes a fixed number of queries whatever the size of the partnership — counts are aggregates and lists
are capped — so `manage.py build_digests --all` builds the 42 partnerships of a national deployment in seconds.

The period runs from `period_start` (its first moment) to the end of `period_end`, or to the moment the digest is
built if that is earlier. What has happened (decisions made, risks raised, responses given) is taken within that
window; what stands (sign-offs awaited, overdue actions, gaps, meetings to come) is taken as at its end.
"""

import copy
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, F, Q, Value, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone

from core.audit import chain_head
from core.dates import start_of_day
from engagement.models import Feedback
from engagement.selectors.coverage import coverage_gaps
from governance.access import sees_confidential
from governance.models import Decision, DecisionStatus, Risk, RiskBand
from governance.selectors.decisions import with_register_columns
from governance.selectors.risks import new_and_escalated_since
from governance.selectors.validity import binding_summary
from partnerships.models import Organisation, Partnership, Profile
from partnerships.services.people import affiliation_of
from workstreams.models import Action, Meeting

from ..models import Digest
from .delegations import delegations_awaiting_confirmation
from .digest_signoffs import outstanding_signoffs

CONTENT_VERSION = 1
LIST_LIMIT = 25  # items of each list a digest shows; counts always cover everything
ACTIONS_PER_ORGANISATION = 10
MEETING_DAYS = 14  # "coming meetings": those of the next two weeks


def window(period_start: date, period_end: date, now: datetime | None = None) -> tuple[datetime, datetime]:
    """The moments the period runs between: from the start of `period_start` to the end of `period_end`, or now."""
    start = start_of_day(period_start)
    end = start_of_day(period_end + timedelta(days=1))
    return start, min(end, now or timezone.now())


def digest_content(partnership: Partnership, period_start: date, period_end: date, *, now=None) -> dict:
    """Everything the digest says, as JSON-ready data. About 25 queries, however much data the partnership has."""
    start, end = window(period_start, period_end, now)
    as_of = timezone.localdate(end)
    outstanding = outstanding_signoffs(partnership, as_of)
    overdue = Action.objects.filter(partnership=partnership).overdue(as_of)
    unconfirmed = delegations_awaiting_confirmation(partnership, as_of)
    return {
        "version": CONTENT_VERSION,
        "partnership": {"code": partnership.code, "name": partnership.name},
        "period": {"start": period_start.isoformat(), "end": period_end.isoformat(), "as_of": end.isoformat()},
        "decisions": _decisions(partnership, start, end, outstanding, as_of),
        "risks": _risks(partnership, start, end, as_of),
        "actions": _actions(overdue, as_of),
        "engagement": _engagement(partnership, start, end, as_of),
        "meetings": _meetings(partnership, end),
        "delegations": _delegations_awaiting_confirmation(unconfirmed),
        "todo": _todo(outstanding, overdue, as_of, unconfirmed),
        "audit_anchor": _audit_anchor(partnership),
    }


def _audit_anchor(partnership: Partnership) -> dict | None:
    """The head of the partnership's audit chain as the digest is built: printed, it anchors the history, since any
    later change to the events before it breaks the chain at or before this hash (docs/adr/0017)."""
    head = chain_head(partnership.pk)
    if head is None:
        return None
    return {"hash": head.hash, "sequence": head.sequence, "anchored_at": head.updated_at.isoformat()}


# --- Decisions -------------------------------------------------------------------------------------------------------


def _decision(decision: Decision) -> dict:
    return {
        "id": decision.pk,
        "reference": decision.reference,
        "title": decision.title,
        "url": decision.get_absolute_url(),
        "status": decision.status,
        "status_label": decision.get_status_display(),
        "category": decision.get_category_display(),
        "confidential": decision.is_confidential,
        "proposer": decision.proposer_id,
    }


def _decisions(partnership, start, end, outstanding, as_of: date) -> dict:
    made = list(
        with_register_columns(Decision.objects.filter(partnership=partnership, decided_at__lt=end).decided_since(start))
        .prefetch_related(None)  # the digest names no proposer: it keeps their id
        .order_by("decided_at", "pk")
    )
    urgent = Decision.objects.filter(partnership=partnership).awaiting_board_ratification().order_by("decided_at")
    awaiting = [entry for entry in outstanding if entry.decision.status == DecisionStatus.IN_SIGNOFF]
    return {
        "made": [
            {
                **_decision(decision),
                "decided_on": timezone.localdate(decision.decided_at).isoformat(),
                "binding": _binding(decision),
                "no_challenge": decision.status == DecisionStatus.APPROVED and not decision.has_challenge,
                "lacks_engagement_evidence": decision.lacks_engagement_evidence,
            }
            for decision in made
        ],
        "awaiting": [_awaiting(entry, as_of) for entry in awaiting[:LIST_LIMIT]],
        "awaiting_count": len(awaiting),
        "urgent_awaiting_board": [_decision(decision) for decision in urgent[:LIST_LIMIT]],
        # Every decision some organisation must sign or ratify, once, by id: the to-do sections name them by id.
        "waiting": {str(entry.decision.pk): _waiting_on_you(entry, as_of) for entry in outstanding},
    }


def _binding(decision) -> str:
    """Whom a decision decided this week binds: only an approved one binds anyone."""
    approved = decision.approval_count + decision.ratified_count
    if decision.status == DecisionStatus.APPROVED:
        return binding_summary(approved, decision.organisation_count, decision.unconfirmed_approval_count)
    share = f"{approved} of {decision.organisation_count} organisation{'' if decision.organisation_count == 1 else 's'}"
    return f"Binds none: {share} approved"


def _waiting_on_you(entry, as_of: date) -> dict:
    """A decision as an organisation's to-do lists it: when its sign-off opened and closes."""
    round_ = entry.decision.current_round
    return {
        **_decision(entry.decision),
        "opened_on": timezone.localdate(round_.opened_at).isoformat(),
        "closes_on": timezone.localdate(round_.closes_at).isoformat(),
        "days_waiting": (as_of - timezone.localdate(round_.opened_at)).days,
    }


def _awaiting(entry, as_of: date) -> dict:
    """A decision in sign-off as the board's list shows it: with every organisation it still waits for."""
    return {
        **_waiting_on_you(entry, as_of),
        "awaiting_signoff": [organisation.name for organisation in entry.awaiting_signoff],
        "awaiting_board": [organisation.name for organisation in entry.awaiting_board],
    }


# --- Risks, actions, engagement, meetings ----------------------------------------------------------------------------


def _risk(risk: Risk) -> dict:
    return {
        "id": risk.pk,
        "reference": risk.reference,
        "title": risk.title,
        "url": risk.get_absolute_url(),
        "score": risk.current_score,
        "band": RiskBand(risk.band).label,
        "domain": risk.domain.name,
        "above_appetite": risk.above_appetite,
        "owner": risk.owner.display_name,
    }


def _risks(partnership, start, end, as_of: date) -> dict:
    changes = new_and_escalated_since(partnership, start)
    raised = changes.raised.filter(created_at__lt=end)
    risks = Risk.objects.filter(partnership=partnership)
    counts = (
        risks.open()
        .scored(as_of)
        .aggregate(
            above_appetite_count=Count("pk", filter=Q(above_appetite=True)),
            reviews_overdue_count=Count("pk", filter=Q(review_overdue=True)),
            escalated_count=Count("pk", filter=Q(is_escalated=True)),
        )
    )
    return {
        "raised": [_risk(risk) for risk in raised[:LIST_LIMIT]],
        "escalated": [_risk(risk) for risk in changes.escalated[:LIST_LIMIT]],
        **counts,
    }


def _action(action: Action, as_of: date) -> dict:
    description = action.description if len(action.description) <= 200 else action.description[:197] + "..."
    return {
        "id": action.pk,
        "reference": action.reference,
        "description": description,
        "url": action.get_absolute_url(),
        "owner": action.owner.display_name,
        "organisation": action.organisation_name or "",
        "workstream": action.workstream.name if action.workstream_id else "Partnership board",
        "due_on": action.due_on.isoformat(),
        "days_overdue": (as_of - action.due_on).days,
    }


def _with_organisation(actions):
    """The organisation an action is owned for: the one recorded on it, else its owner's."""
    return actions.annotate(
        organisation_key=Coalesce("owner_organisation_id", "owner__profile__organisation_id"),
        organisation_name=Coalesce("owner_organisation__name", "owner__profile__organisation__name"),
    )


def _actions(overdue, as_of: date) -> dict:
    by_workstream = (
        overdue.values(name=Coalesce("workstream__name", Value("Partnership board")))
        .annotate(count=Count("pk"))
        .order_by("-count", "name")
    )
    by_organisation = (
        _with_organisation(overdue).values("organisation_name").annotate(count=Count("pk")).order_by("-count")
    )
    oldest = _with_organisation(overdue).select_related("owner", "workstream").order_by("due_on", "pk")
    return {
        "overdue": overdue.count(),
        "by_workstream": [{"name": row["name"], "count": row["count"]} for row in by_workstream[:LIST_LIMIT]],
        "by_organisation": [
            {"name": row["organisation_name"] or "No organisation recorded", "count": row["count"]}
            for row in by_organisation[:LIST_LIMIT]
        ],
        "oldest": [_action(action, as_of) for action in oldest[:LIST_LIMIT]],
    }


def _engagement(partnership, start, end, as_of: date) -> dict:
    gaps = coverage_gaps(partnership, as_of=as_of)
    responses = (
        Feedback.objects.filter(partnership=partnership, responded_at__gte=start, responded_at__lt=end)
        .exclude(response="")
        .select_related("activity")
        .order_by("responded_at", "pk")
    )
    return {
        "gaps": [
            {"workstream": cell.workstream.name, "group": cell.group.name, "text": cell.description}
            for cell in gaps[:LIST_LIMIT]
        ],
        "gaps_count": len(gaps),
        "responses": [
            {
                "theme": feedback.theme,
                "response": feedback.response,
                "status_label": feedback.get_status_display(),
                "activity": feedback.activity.title,
            }
            for feedback in responses[:LIST_LIMIT]
        ],
        "responses_count": responses.count(),
        "awaiting_response": Feedback.objects.filter(partnership=partnership).awaiting_response().count(),
    }


def _meetings(partnership, end: datetime) -> list[dict]:
    meetings = (
        Meeting.objects.filter(partnership=partnership, starts_at__lt=end + timedelta(days=MEETING_DAYS))
        .upcoming(end)
        .select_related("workstream")
        .order_by("starts_at", "pk")
    )
    return [
        {
            "id": meeting.pk,
            "title": meeting.title,
            "url": meeting.get_absolute_url(),
            "group": meeting.group_name,
            "starts_at": meeting.starts_at.isoformat(),
            "place": meeting.place or "Online",
        }
        for meeting in meetings[:LIST_LIMIT]
    ]


def _delegations_awaiting_confirmation(unconfirmed) -> dict:
    return {
        "awaiting_confirmation": [
            {
                "id": delegation.pk,
                "organisation_id": delegation.organisation_id,
                "organisation": delegation.organisation.name,
                "delegate": delegation.delegate_display,
                "categories": delegation.category_labels,
                "valid_from": delegation.valid_from.isoformat(),
                "recorded_on": timezone.localdate(delegation.created_at).isoformat(),
            }
            for delegation in unconfirmed[:LIST_LIMIT]
        ],
        "awaiting_confirmation_count": unconfirmed.count(),
    }


# --- Each organisation's to-do ---------------------------------------------------------------------------------------


def _todo(outstanding, overdue, as_of: date, unconfirmed) -> dict[str, dict]:
    """{organisation id: what it must sign off, ratify (ids of decisions), act on or confirm}, for every
    organisation with anything to do."""
    todo: dict[str, dict] = {}

    def section(organisation_id, name) -> dict:
        return todo.setdefault(
            str(organisation_id),
            {
                "organisation": name,
                "sign_off": [],
                "signatories": [],
                "ratify": [],
                "actions": [],
                "actions_count": 0,
                "delegations_to_confirm": 0,
            },
        )

    for entry in outstanding:  # by id: the decision itself is in content["decisions"]["waiting"]
        for organisation in entry.awaiting_signoff:
            mine = section(organisation.pk, organisation.name)
            mine["sign_off"].append(entry.decision.pk)
            # Who may sign any of them (the rule of governance's sign-off): a reader's copy asks whether they may.
            mine["signatories"] = sorted(set(mine["signatories"]) | entry.signatories[organisation.pk])
        for organisation in entry.awaiting_board:
            section(organisation.pk, organisation.name)["ratify"].append(entry.decision.pk)
    owned = _with_organisation(overdue).filter(organisation_key__isnull=False)
    for row in owned.values("organisation_key", "organisation_name").annotate(count=Count("pk")).order_by():
        section(row["organisation_key"], row["organisation_name"])["actions_count"] = row["count"]
    ranked = owned.select_related("owner", "workstream").annotate(
        rank=Window(RowNumber(), partition_by=[F("organisation_key")], order_by=[F("due_on").asc(), F("pk").asc()])
    )
    for action in ranked.filter(rank__lte=ACTIONS_PER_ORGANISATION).order_by("organisation_key", "rank"):
        section(action.organisation_key, action.organisation_name)["actions"].append(_action(action, as_of))
    for row in unconfirmed.values("organisation_id", "organisation__name").annotate(count=Count("pk")).order_by():
        section(row["organisation_id"], row["organisation__name"])["delegations_to_confirm"] = row["count"]
    return todo


# --- Reading a digest ------------------------------------------------------------------------------------------------


def redacted(content: dict, *, sees_confidential: bool, user_id: int | None) -> dict:
    """A copy of the content in which confidential decisions the reader may not read in full say only that they
    exist: their reference and status, not their title or whom they wait for (see access.py)."""
    content = copy.deepcopy(content)
    if sees_confidential:
        return content

    def hide(item: dict) -> None:
        if item.get("confidential") and item.get("proposer") != user_id:
            item.update(title="Confidential decision", redacted=True, awaiting_signoff=[], awaiting_board=[])

    decisions = content.get("decisions", {})
    for key in ("made", "awaiting", "urgent_awaiting_board"):
        for item in decisions.get(key, []):
            hide(item)
    for section in content.get("todo", {}).values():
        for item in section["sign_off"] + section["ratify"]:
            hide(item)
    return content


@dataclass
class DigestReading:
    """A digest as one person reads it: redacted for them, with their organisation's to-do section first."""

    digest: Digest
    content: dict
    organisation: Organisation | None
    todo: dict | None  # None when their organisation has nothing to do

    @property
    def todo_is_empty(self) -> bool:
        return not self.todo or not (
            self.todo["sign_off"]
            or self.todo["ratify"]
            or self.todo["actions_count"]
            or self.todo.get("delegations_to_confirm")  # not in digests built before it was stored
        )

    @property
    def reader_may_sign(self) -> bool:
        """Whether the reader could sign any of the decisions their organisation had to sign off when it was built."""
        return bool(self.todo and self.todo.get("you_may_sign"))

    @property
    def todo_addressee(self) -> str:
        """Whom the to-do speaks to: "what you must sign off" only to someone who may sign; to a non-executive or
        anyone else who may not, "what your organisation must sign off"."""
        return "you" if self.reader_may_sign else "your organisation"


LOOK_IT_UP = object()  # `digest_for_reader`'s default: the organisation the person represents in the partnership


def represented_organisation(partnership: Partnership, user) -> Organisation | None:
    """The organisation whose section a reader's copy opens with: the one they represent in the partnership (their
    roles' affiliation), or, with no role there, their profile's. One query."""
    role = affiliation_of(partnership, user)
    if role is not None:
        return role.organisation
    profile = Profile.objects.filter(user_id=user.pk).select_related("organisation").first()
    return profile.organisation if profile else None


def digest_for_reader(digest: Digest, user, organisation=LOOK_IT_UP) -> DigestReading:
    """The digest for `user`, opening with their own organisation's section (pass `organisation`, even None, when
    it is known, as for an email's recipient). Two queries for the organisation and one for their roles, at most."""
    if organisation is LOOK_IT_UP:
        organisation = represented_organisation(digest.partnership, user)
    key = str(organisation.pk) if organisation else None
    stored = digest.content
    decisions = {name: value for name, value in stored.get("decisions", {}).items() if name != "waiting"}
    mine = {}  # only the reader's own section of the to-do, with its decisions written out
    if key in stored.get("todo", {}):
        section, waiting = stored["todo"][key], stored.get("decisions", {}).get("waiting", {})
        signatories = section.get("signatories", [])  # not in digests built before it was stored
        mine[key] = {
            **{name: value for name, value in section.items() if name != "signatories"},
            "sign_off": [waiting[str(pk)] for pk in section["sign_off"] if str(pk) in waiting],
            "ratify": [waiting[str(pk)] for pk in section["ratify"] if str(pk) in waiting],
            "you_may_sign": user.pk in signatories,
        }
    content = redacted(
        {**stored, "decisions": decisions, "todo": mine},
        sees_confidential=sees_confidential(user, digest.partnership),
        user_id=user.pk,
    )
    content = hydrated(content)
    return DigestReading(digest=digest, content=content, organisation=organisation, todo=content["todo"].get(key))


DATE_KEYS = {"start", "end", "decided_on", "opened_on", "closes_on", "due_on", "valid_from", "recorded_on"}
MOMENT_KEYS = {"as_of", "starts_at", "anchored_at"}


def hydrated(value):
    """The stored JSON with its dates and times as Python objects again, for templates to format."""
    if isinstance(value, list):
        return [hydrated(item) for item in value]
    if not isinstance(value, dict):
        return value
    result = {}
    for key, item in value.items():
        if key in DATE_KEYS and isinstance(item, str):
            item = date.fromisoformat(item)
        elif key in MOMENT_KEYS and isinstance(item, str):
            item = datetime.fromisoformat(item)
        result[key] = hydrated(item)
    return result


def digest_history(partnership: Partnership):
    """The partnership's digests, newest period first, without their stored content: the digest list's rows."""
    return Digest.objects.filter(partnership=partnership).defer("content").order_by("-period_end", "-pk")
