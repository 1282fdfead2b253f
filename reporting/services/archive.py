"""A partnership's complete record as one zip archive: for a Freedom of Information request, or for a partnership
leaving the service. Every register as CSV and JSON, the stored documents, the audit chain with the result of
re-checking it, and a README naming each file. `manage.py export_partnership` builds it; so will the lead's
"Download everything" (issue 17).

The archive is the lead's own full record, so confidential decisions are in it, marked as such. People appear by
name, job title, organisation and role; their email addresses are left out (the README says so).

Each register is read in chunks with its relations joined, so a long register costs a few queries and flat memory;
CSV and JSON are two passes over the same rows.
"""

import csv
import io
import json
import shutil
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Prefetch
from django.utils import timezone

from core.audit import SYSTEM, Chain, chain_head, chain_of, target_labels
from core.exports import safe_cell
from core.models import AuditEvent
from engagement.models import ActivityAttachment, EngagementActivity, Feedback
from governance.models import Challenge, DecisionDeclaration, InterestDeclaration, Ratification, SignOff
from governance.selectors import exports as decision_exports
from governance.selectors import risk_exports
from governance.selectors.decisions import register as decision_register
from governance.selectors.risks import register as risk_register
from partnerships.models import Agreement, Delegation, Membership, Partnership, PartnershipRole, Role
from workstreams.models import Action, Attendance, Meeting, MinutesVersion, Paper, WorkStream, WorkStreamRole

CHUNK = 500
AUDIT_COLUMNS = [
    "sequence", "at", "actor", "action", "target_type", "target_id", "summary", "changes", "reason", "request_id",
    "previous_hash", "hash",
]  # fmt: skip


@dataclass
class ArchiveFile:
    """One file in the archive, as the README describes it."""

    name: str
    description: str
    rows: int | None = None  # records, for a register's CSV and JSON


@dataclass
class ArchiveSummary:
    """What was written: the README's list, the documents that could not be found, and the chain's check."""

    partnership: Partnership
    built_at: datetime
    files: list[ArchiveFile] = field(default_factory=list)
    missing_documents: list[str] = field(default_factory=list)
    audit_events: int = 0
    chain_intact: bool = True
    chain_result: str = ""


@dataclass
class Register:
    """A register: its file name, what it holds, its columns and a way to produce its rows afresh for each pass."""

    name: str
    description: str
    header: list[str]
    rows: Callable[[], Iterable[list]]


def _label(related) -> str:
    """A related record named without another query: a person by name, anything else by its reference, name or
    title where it has one as a column, or by its id."""
    if related is None:
        return ""
    names = {each.name for each in related._meta.concrete_fields}
    for attribute in ("reference", "name", "title"):
        if attribute in names:
            return str(getattr(related, attribute))
    if hasattr(related, "get_full_name"):
        return related.get_full_name() or related.get_username()
    return str(related.pk)


def _model_register(name: str, description: str, queryset, *, leave_out=(), extra=()) -> Register:
    """A register of every column of a model (choices by their label, relations by `_label`, files by their stored
    name), plus `extra` (header, function) columns: the complete record without a hand-kept column list."""
    model = queryset.model
    fields = [each for each in model._meta.concrete_fields if each.name not in leave_out]
    relations = [each.name for each in fields if each.many_to_one or each.one_to_one]
    queryset = queryset.select_related(*relations).order_by("pk")

    def value(record, each):
        if each.many_to_one or each.one_to_one:
            return _label(getattr(record, each.name))
        if each.choices:
            return getattr(record, f"get_{each.name}_display")()
        if isinstance(each, models.FileField):
            return getattr(record, each.name).name or ""
        return getattr(record, each.attname)

    def rows():
        for record in queryset.iterator(chunk_size=CHUNK):
            yield [value(record, each) for each in fields] + [function(record) for _, function in extra]

    header = [each.name for each in fields] + [title for title, _ in extra]
    return Register(name, description, header, rows)


def _approved_minutes(meeting: Meeting) -> str:
    """The latest approved version of the minutes as text, item by item."""
    versions = meeting.minutes_versions.all()  # prefetched, newest first
    if not versions:
        return ""
    return "\n\n".join(
        f"{item.get('position', '')}. {item.get('title', '')}\n{item.get('minutes', '')}".strip()
        for item in versions[0].items
    )


def _people(partnership: Partnership) -> Register:
    roles = (
        PartnershipRole.objects.filter(content_object=partnership)
        .select_related("user__profile__organisation", "permission", "organisation")
        .order_by("user__last_name", "user__first_name", "user_id", "permission__codename")
    )

    def rows():
        for grant in roles.iterator(chunk_size=CHUNK):
            profile = getattr(grant.user, "profile", None)
            yield [
                _label(grant.user),
                profile.job_title if profile else "",
                _label(profile.organisation) if profile else "",
                Role(grant.permission.codename).label,
                _label(grant.organisation),
                grant.organisation_confirmed_at,
            ]

    header = ["name", "job_title", "employer", "role", "represents", "affiliation_confirmed_at"]
    return Register("people", "People and their roles in the partnership (no email addresses).", header, rows)


def _workstream_roles(partnership: Partnership) -> Register:
    roles = (
        WorkStreamRole.objects.filter(content_object__partnership=partnership)
        .select_related("user__profile__organisation", "permission", "content_object")
        .order_by("content_object__name", "user_id", "permission__codename")
    )

    def rows():
        for grant in roles.iterator(chunk_size=CHUNK):
            profile = getattr(grant.user, "profile", None)
            yield [
                grant.content_object.name,
                _label(grant.user),
                profile.job_title if profile else "",
                _label(profile.organisation) if profile else "",
                grant.permission.name,
            ]

    header = ["workstream", "name", "job_title", "employer", "role"]
    return Register("workstream-roles", "People's roles in each work-stream (no email addresses).", header, rows)


def registers(partnership: Partnership) -> list[Register]:
    """Every register of the partnership, in the order the README lists them."""
    decisions = decision_register(partnership).order_by("year", "number")
    risks = risk_register(partnership).prefetch_related("actions", "decisions").order_by("pk")
    meetings = Meeting.objects.filter(partnership=partnership).prefetch_related(
        Prefetch("minutes_versions", MinutesVersion.objects.order_by("-number"))
    )
    agreements = Agreement.objects.filter(partnership=partnership).prefetch_related("parties")
    return [
        _model_register(
            "memberships",
            "Member organisations: each organisation's membership of the partnership.",
            Membership.objects.filter(partnership=partnership),
            extra=[("organisation_ods_code", lambda membership: membership.organisation.ods_code)],
        ),
        _people(partnership),
        _workstream_roles(partnership),
        _model_register(
            "delegations",
            "Delegations: who may sign for each organisation, up to what value.",
            Delegation.objects.filter(partnership=partnership),
        ),
        _model_register(
            "agreements",
            "Agreements between partners; their documents are under documents/agreements/.",
            agreements,
            extra=[("parties", lambda agreement: "; ".join(party.name for party in agreement.parties.all()))],
        ),
        _model_register("workstreams", "Work-streams.", WorkStream.objects.filter(partnership=partnership)),
        _model_register(
            "meetings",
            "Meetings, with the approved version of their minutes; papers are under documents/papers/.",
            meetings,
            extra=[
                ("approved_minutes_version", lambda meeting: _number(meeting.minutes_versions.all())),
                ("approved_minutes", _approved_minutes),
            ],
        ),
        _model_register(
            "attendance", "Who attended each meeting.", Attendance.objects.filter(meeting__partnership=partnership)
        ),
        _model_register("actions", "Actions.", Action.objects.filter(partnership=partnership)),
        _model_register(
            "engagement-activities",
            "Engagement activities; their attachments are under documents/engagement/.",
            EngagementActivity.objects.filter(partnership=partnership),
        ),
        _model_register(
            "feedback", "Feedback heard at engagement activities.", Feedback.objects.filter(partnership=partnership)
        ),
        Register(
            "decisions",
            "The decision register, confidential decisions included: the publication column marks them.",
            decision_exports.EXPORT_HEADER,
            # The system reads every decision in full: this is the lead's own complete record.
            lambda: decision_exports.export_rows(decisions, SYSTEM, partnership),
        ),
        _model_register(
            "signoffs",
            "Each organisation's sign-off vote on a decision.",
            SignOff.objects.filter(decision__partnership=partnership),
        ),
        _model_register(
            "ratifications",
            "Ratifications of decisions by organisations' own boards.",
            Ratification.objects.filter(decision__partnership=partnership),
        ),
        _model_register(
            "interest-declarations",
            "The register of interests.",
            InterestDeclaration.objects.filter(partnership=partnership),
        ),
        _model_register(
            "decision-declarations",
            "Interests declared on individual decisions.",
            DecisionDeclaration.objects.filter(decision__partnership=partnership),
        ),
        _model_register(
            "challenges", "Challenges raised on decisions.", Challenge.objects.filter(decision__partnership=partnership)
        ),
        Register("risks", "The risk register.", risk_exports.EXPORT_HEADER, lambda: risk_exports.export_rows(risks)),
    ]


def _number(versions) -> int | str:
    return versions[0].number if versions else ""


def _csv_cell(value) -> str:
    if isinstance(value, datetime):
        value = timezone.localtime(value).isoformat(timespec="seconds")
    elif isinstance(value, date):
        value = value.isoformat()
    elif isinstance(value, bool):
        value = "Yes" if value else "No"
    elif isinstance(value, dict | list):
        value = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    return safe_cell(value)


def _write_csv(archive, name: str, header: list[str], rows: Iterable[list]) -> int:
    count = 0
    with archive.open(name, "w") as raw, io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as text:
        writer = csv.writer(text)
        writer.writerow(header)
        for row in rows:
            writer.writerow([_csv_cell(value) for value in row])
            count += 1
    return count


def _write_json(archive, name: str, header: list[str], rows: Iterable[list]) -> None:
    with archive.open(name, "w") as raw, io.TextIOWrapper(raw, encoding="utf-8") as text:
        text.write("[")
        for number, row in enumerate(rows):
            text.write(",\n" if number else "\n")
            text.write(json.dumps(dict(zip(header, row, strict=True)), cls=DjangoJSONEncoder, ensure_ascii=False))
        text.write("\n]\n")


def _documents(partnership: Partnership) -> Iterator[tuple[str, models.fields.files.FieldFile]]:
    """Every stored file of the partnership, with the path it takes in the archive."""
    for agreement in Agreement.objects.filter(partnership=partnership).exclude(document="").order_by("pk"):
        yield f"documents/agreements/{agreement.pk}-{_basename(agreement.document.name)}", agreement.document
    papers = Paper.objects.filter(agenda_item__meeting__partnership=partnership).select_related("agenda_item")
    for paper in papers.order_by("pk").iterator(chunk_size=CHUNK):
        folder = f"documents/papers/meeting-{paper.agenda_item.meeting_id}"
        yield f"{folder}/{paper.pk}-{paper.original_name or _basename(paper.file.name)}", paper.file
    attachments = ActivityAttachment.objects.filter(activity__partnership=partnership).order_by("pk")
    for attachment in attachments.iterator(chunk_size=CHUNK):
        folder = f"documents/engagement/activity-{attachment.activity_id}"
        yield f"{folder}/{attachment.pk}-{attachment.original_name or _basename(attachment.file.name)}", attachment.file


def _basename(name: str) -> str:
    return name.replace("\\", "/").rsplit("/", 1)[-1]


def _audit(archive, partnership: Partnership, summary: ArchiveSummary) -> None:
    """The partnership's chain in order, checked as it is written by verify_audit's own `Chain`."""
    labels = target_labels()
    name = chain_of(partnership.pk)
    events = AuditEvent.objects.filter(chain=name).select_related("actor").order_by("sequence")
    chain = Chain(name)

    def rows():
        for event in events.iterator(chunk_size=2000):
            chain.check(event, labels.get(event.target_type_id, ""))
            yield _audit_row(event, labels)

    summary.audit_events = _write_csv(archive, "audit/events.csv", AUDIT_COLUMNS, rows())
    _write_json(
        archive,
        "audit/events.json",
        AUDIT_COLUMNS,
        (_audit_row(event, labels) for event in events.iterator(chunk_size=2000)),
    )
    head = chain_head(partnership.pk)
    if chain.count == 0 and head is None:
        result = "The partnership's audit chain has no events yet."
    else:
        chain.finish(head)
        summary.chain_intact = not chain.broken
        result = (
            f"BROKEN: {chain.broken}."
            if chain.broken
            else f"Intact: {chain.count} events, each hash recomputed and each link checked; head {chain.hash}."
        )
    summary.chain_result = result
    archive.writestr("audit/verification.txt", f"Audit chain of {partnership} (chain {name})\n{result}\n")
    summary.files += [
        ArchiveFile("audit/events.csv", "The audit trail: every recorded change, in order.", summary.audit_events),
        ArchiveFile("audit/events.json", "The same events as JSON.", summary.audit_events),
        ArchiveFile("audit/verification.txt", "The result of recomputing every hash and link of the chain."),
    ]


def _audit_row(event: AuditEvent, labels: dict) -> list:
    return [
        event.sequence, event.at, _label(event.actor) if event.actor else "System", event.action,
        labels.get(event.target_type_id, ""), event.target_id, event.summary, event.changes, event.reason,
        event.request_id, event.previous_hash, event.hash,
    ]  # fmt: skip


def build_partnership_archive(partnership: Partnership, destination, progress=None) -> ArchiveSummary:
    """Write the partnership's complete record to `destination` (a path or a writable binary file) as a zip.
    `progress(step)` is called after each register, the documents and the audit trail; `progress_steps` counts
    them. Returns what was written, as the README lists it."""
    summary = ArchiveSummary(partnership=partnership, built_at=timezone.now())
    step = progress or (lambda name: None)
    with zipfile.ZipFile(destination, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for register in registers(partnership):
            count = _write_csv(archive, f"{register.name}.csv", register.header, register.rows())
            _write_json(archive, f"{register.name}.json", register.header, register.rows())
            summary.files += [
                ArchiveFile(f"{register.name}.csv", register.description, count),
                ArchiveFile(f"{register.name}.json", f"The same as {register.name}.csv, as JSON.", count),
            ]
            step(register.name)
        for name, stored in _documents(partnership):
            try:
                with stored.open("rb") as source, archive.open(name, "w") as target:
                    shutil.copyfileobj(source, target)
            except OSError:
                summary.missing_documents.append(stored.name)
                continue
            summary.files.append(ArchiveFile(name, "A stored document."))
        step("documents")
        _audit(archive, partnership, summary)
        step("audit")
        archive.writestr("README.txt", readme(summary))
    return summary


def progress_steps(partnership: Partnership) -> int:
    """How many times `build_partnership_archive` calls `progress`: for a progress bar's total."""
    return len(registers(partnership)) + 2


def readme(summary: ArchiveSummary) -> str:
    """The archive's README: the partnership, when it was built, and every file with what it holds."""
    partnership = summary.partnership
    lines = [
        f"The complete record of {partnership.name} ({partnership.code})",
        f"Built on {timezone.localtime(summary.built_at):%d %B %Y at %H:%M} by the STP Portal.",
        "",
        "Each register is here twice: as CSV (UTF-8, opens in a spreadsheet) and as JSON (for other systems).",
        "People are named with their job titles, organisations and roles; their email addresses are left out.",
        "Confidential decisions are included: the decisions register's publication column marks them.",
        "",
        f"Audit trail: {summary.audit_events} events. {summary.chain_result}",
        "",
        "Files:",
        "  README.txt: this file.",
    ]
    for each in summary.files:
        count = "" if each.rows is None else f" ({each.rows} records)"
        lines.append(f"  {each.name}: {each.description}{count}")
    if summary.missing_documents:
        lines += ["", "Documents recorded but missing from storage, so not included:"]
        lines += [f"  {name}" for name in summary.missing_documents]
    return "\n".join(lines) + "\n"
