"""Import NHS reference data: NHS Digital ODS organisation files and the ONS / ICB lookups.

Every file is read and checked in full before anything is written. One bad row rejects the whole file with its line
number (`ImportRejected`); a good file is written in one transaction with one audit record. Re-importing a file
updates what changed and leaves the rest alone. Which files are read, and what each gives, is decided by
`detect_layout` below and described in the README ("Importing NHS reference data").
"""

import csv
import io
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.audit import audit_record

from ..access import Action, authorize, can_change_organisation_record
from ..models import Membership, MembershipKind, Organisation, OrganisationKind, Partnership

# No file says when an organisation joined its partnership. The STP footprints were set for 2016/17, so a
# membership starts on 1 April 2016, or when the organisation opened if that was later.
PARTNERSHIPS_BEGAN = date(2016, 4, 1)
ODS_FIELD_COUNT = 27
BATCH_SIZE = 500


def reference_data_dir() -> Path | None:
    """Where the NHS reference files are: the NHS_REFERENCE_DIR setting, else the copy shipped with this app."""
    candidates = [settings.NHS_REFERENCE_DIR, Path(apps.get_app_config("partnerships").path) / "data" / "nhs-reference"]
    return next((Path(c) for c in candidates if c and Path(c).is_dir()), None)


class ImportRejected(ValidationError):
    """The file was not imported: `errors` lists (line number or None for the whole file, message)."""

    def __init__(self, errors: list[tuple[int | None, str]]):
        self.errors = errors
        super().__init__([f"Line {line}: {message}" if line else message for line, message in errors])


def _refuse(message: str) -> ImportRejected:
    """The whole file is refused, for a reason that is not one row's."""
    return ImportRejected([(None, message)])


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


@dataclass
class ImportResult:
    file_name: str
    layout: str
    rows: int = 0
    skipped: int = 0  # rows of other partnerships, when importing into one
    partnership_code: str = ""
    partnerships: Counts = field(default_factory=Counts)
    organisations: Counts = field(default_factory=Counts)
    memberships: Counts = field(default_factory=Counts)
    notes: list[str] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)

    def summary(self) -> str:
        parts = [f"Imported {self.file_name} ({self.rows} rows)"]
        for label in ("partnerships", "organisations", "memberships"):
            counts = getattr(self, label)
            if counts.created or counts.updated or counts.unchanged:
                parts.append(f"{label}: {counts}")
        if self.skipped:
            parts.append(f"{self.skipped} rows of other partnerships skipped")
        return "; ".join(parts) + "."

    @property
    def changed_anything(self) -> bool:
        """Whether any record was created or updated: only then does the page call the import a success."""
        return any(counts.created or counts.updated for counts in self._counts())

    def outcome(self) -> str:
        """What the import did, for the person who ran it: "0 created; 211 rows belong to other partnerships and
        were skipped." Records of every kind are counted together; the page's table breaks them down."""
        created, updated, unchanged = (
            sum(getattr(counts, name) for counts in self._counts()) for name in ("created", "updated", "unchanged")
        )
        parts = [", ".join([f"{created} created", *([f"{updated} updated"] if updated else [])])]
        if unchanged:
            parts.append(f"{unchanged} already up to date")
        if self.skipped == 1:
            parts.append("1 row belongs to another partnership and was skipped")
        elif self.skipped:
            parts.append(f"{self.skipped} rows belong to other partnerships and were skipped")
        return "; ".join(parts) + "."

    def _counts(self) -> list[Counts]:
        return [self.partnerships, self.organisations, self.memberships]

    def as_dict(self) -> dict:
        return asdict(self)


# --- Reading names, kinds and dates ------------------------------------------------------------------------------

_KEEP_CAPITALS = {"NHS", "CCG", "ICB", "ICS", "STP", "PCN", "GP", "UK", "CIC", "HIV"}
_SMALL_WORDS = {"and", "of", "the", "upon", "on", "in", "for", "at", "with", "by", "to"}


def tidy_name(name: str) -> str:
    """ODS names are in capitals: write them as people do ("NHS Durham Dales, Easington and Sedgefield CCG")."""
    if any(character.islower() for character in name):
        return name
    words = []
    for position, word in enumerate(name.split(" ")):
        if any(character.isdigit() for character in word):
            words.append(word)  # codes such as 00L or W2U3Z
        elif position and word.lower().strip(",.()") in _SMALL_WORDS:
            words.append(word.lower())
        else:
            words.append(
                re.sub(r"[A-Z]+(?:'[A-Z]+)?", lambda m: m[0] if m[0] in _KEEP_CAPITALS else m[0].capitalize(), word)
            )
    return " ".join(words)


def guess_trust_kind(name: str, ods_code: str = "") -> str:
    """An NHS trust's kind from its name. A guess: set when the organisation is first imported, never overwritten."""
    upper = name.upper()
    if "AMBULANCE" in upper:
        return OrganisationKind.AMBULANCE_TRUST
    if "MENTAL HEALTH" in upper or re.search(r"\bPARTNERSHIP\b", upper):
        return OrganisationKind.MENTAL_HEALTH_TRUST
    if "COMMUNITY" in upper or re.fullmatch(r"T[A-Z0-9]{2}", ods_code):
        # Care trusts (codes T..) run health and social care in the community under one body.
        return OrganisationKind.COMMUNITY_TRUST
    return OrganisationKind.ACUTE_TRUST


PARTNER_TYPES = {
    "LOCAL_AUTHORITY": lambda name, code: OrganisationKind.LOCAL_AUTHORITY,
    "SUB_ICB_LOCATION": lambda name, code: OrganisationKind.COMMISSIONER,
    "NHS_TRUST": guess_trust_kind,
}
ODS_KINDS = {
    "etr": ("ODS NHS trusts (etr)", guess_trust_kind),
    "eccg": ("ODS commissioners (eccg)", lambda name, code: OrganisationKind.COMMISSIONER),
    "ect": ("ODS care trusts (ect)", guess_trust_kind),
}


def _date(value: str, label: str) -> date | None:
    if not value:
        return None
    try:
        return datetime.strptime(value, "%Y%m%d").date()
    except ValueError:
        raise ValueError(f"{label} '{value}' is not a date. Write it as YYYYMMDD, like 20190401.") from None


# --- Layouts: which columns give what ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """What one kind of file gives: column positions of partnership and organisation fields, and the membership."""

    label: str
    partnership: dict[str, int] = field(default_factory=dict)  # Partnership field -> column
    organisation: dict[str, int] = field(default_factory=dict)  # Organisation field (and "type") -> column
    kind: Callable[[str, str], str] | None = None  # (name, code) -> OrganisationKind, when the file has no type
    link: int | None = None  # the column holding the code of the organisation's partnership
    authoritative: bool = False  # the register itself: its details update organisations that exist
    header: bool = True


def _ods_layout(file_name: str, rows: list[tuple[int, list[str]]]) -> Layout:
    tokens = set(re.split(r"[^a-z0-9]+", file_name.lower()))
    found = [kind for kind in ODS_KINDS if kind in tokens]
    if not found:  # not named as NHS Digital names them: tell trusts, care trusts and commissioners by their codes
        codes = [cells[0] for _, cells in rows]
        patterns = {"etr": r"R[A-Z0-9]{2}", "ect": r"T[A-Z0-9]{2}", "eccg": r"\d\d[A-Z0-9]|[A-Z0-9]{5}"}
        found = [kind for kind, pattern in patterns.items() if all(re.fullmatch(pattern, c) for c in codes)]
    if not found:
        raise _refuse(
            "This ODS file is not one the importer reads. It reads NHS trusts (etr.csv), commissioners (eccg.csv) "
            "and care trusts (ect.csv): keep the file's NHS Digital name."
        )
    label, kind = ODS_KINDS[found[0]]
    return Layout(
        label=label,
        organisation={"ods_code": 0, "name": 1, "postcode": 9, "opened_on": 10, "closed_on": 11},
        kind=kind,
        link=3,
        authoritative=True,
        header=False,
    )


def _ons_prefix(header: list[str], pattern: str) -> str | None:
    """The column prefix (e.g. STP20 or SICBL23) of a code/ODS code/name triple such as STP20CD, STP20CDH, STP20NM."""
    for name in header:
        match = re.fullmatch(rf"({pattern})CDH", name)
        if match and f"{match[1]}NM" in header:
            return match[1]
    return None


# Files in the reference folder the importer refuses on purpose, and why (recognised by one of their columns).
REFUSED = {
    "PRACTICE_CODE": "This is the GP practice mapping file. GP practices are not partner organisations, "
    "so the importer does not read it.",
    "16-69": "This population file is keyed by partnership name only. Import "
    "derived/stp_master_42_apr2021_derived.csv, which carries the same populations with ODS codes.",
    "LAD20CD": "This file gives councils by ONS district code, not by ODS code, so it cannot be matched to partner "
    "organisations. Import derived/icb_partner_memberships_long_aug2023.csv for councils.",
    "STP_code": "This is the 2017/18 list of 44 STPs, keyed by ONS codes that have since changed. Import a current "
    "STP or ICB list instead.",
    "Successor.Code": "This is an NHSX analysis, not a register. Import the ODS files it was built from instead.",
}


def _header_layout(header: list[str]) -> Layout | None:
    position = {name: index for index, name in enumerate(header)}

    def columns(**fields: str) -> dict[str, int]:
        return {key: position[name] for key, name in fields.items() if name in position}

    if {"trust_ods_code", "trust_name", "stp_ods_code", "open_date"} <= position.keys():
        return Layout(
            label="NHS trusts with their STP (derived from ODS etr)",
            organisation=columns(
                ods_code="trust_ods_code",
                name="trust_name",
                postcode="postcode",
                opened_on="open_date",
                closed_on="close_date",
            ),
            kind=guess_trust_kind,
            link=position["stp_ods_code"],
            authoritative=True,
        )
    if {"icb_ods_code", "partner_type", "partner_name", "partner_ods_code"} <= position.keys():
        return Layout(
            label="ICB partner organisations (derived from the ODS ICB Partners workbook)",
            organisation=columns(ods_code="partner_ods_code", name="partner_name", type="partner_type"),
            link=position["icb_ods_code"],
        )
    if {"stp_ods_code", "stp_ons_code", "stp_name"} <= position.keys():
        return Layout(
            label="STP list with populations (derived)",
            partnership=columns(
                code="stp_ods_code",
                ons_code="stp_ons_code",
                name="stp_name",
                region="region_name",
                population="pop_16plus_feb2021",
            ),
        )
    group = _ons_prefix(header, r"(?:STP|ICB)\d\d")
    unit = _ons_prefix(header, r"(?:CCG|SICBL)\d\d")
    region = next((name for name in header if re.fullmatch(r"NHSER\d\dNM", name)), None)
    if not group and not unit:
        return None
    partnership = columns(code=f"{group}CDH", ons_code=f"{group}CD", name=f"{group}NM") if group else {}
    if partnership and region:
        partnership["region"] = position[region]
    if not unit:
        return Layout(label=f"ONS {group} names and codes", partnership=partnership)
    return Layout(
        label=f"ONS {unit} to {group} lookup" if group else f"ONS {unit} names and codes",
        partnership=partnership,
        organisation=columns(ods_code=f"{unit}CDH", name=f"{unit}NM"),
        kind=lambda name, code: OrganisationKind.COMMISSIONER,
        link=partnership.get("code"),
    )


def detect_layout(file_name: str, rows: list[tuple[int, list[str]]]) -> Layout:
    """Which kind of file this is: from its header row, or, for header-less ODS files, its 27 fields."""
    if not rows:
        raise _refuse("The file has no rows.")
    header = rows[0][1]
    refused = next((reason for column, reason in REFUSED.items() if column in header), None)
    if refused:
        raise _refuse(refused)
    layout = _header_layout(header)
    if layout is not None:
        return layout
    if sum(len(cells) == ODS_FIELD_COUNT for _, cells in rows) * 2 > len(rows):
        return _ods_layout(file_name, rows)
    shown = ", ".join(header[:5]) + (", …" if len(header) > 5 else "")
    raise _refuse(
        f"The importer does not recognise this file (its first row reads: {shown}). It reads ODS etr, eccg and "
        "ect files, ONS STP, ICB, CCG and Sub-ICB lookups, and the derived STP list and ICB partner list."
    )


def read_rows(data: bytes) -> list[tuple[int, list[str]]]:
    """The CSV's non-blank rows with their line numbers: UTF-8 with or without BOM (else Windows), CRLF or LF."""
    if not data.strip():
        raise _refuse("The file is empty.")
    if data.startswith(b"PK\x03\x04"):
        raise _refuse(
            "This is an Excel workbook (or another zipped file), not a CSV file. Save the sheet as CSV UTF-8 and "
            "import that."
        )
    if b"\x00" in data or data.startswith(b"%PDF"):
        raise _refuse("This is not a text file. The importer reads CSV files.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise _refuse("The file is not UTF-8 text. Save it as CSV UTF-8.") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = []
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                rows.append((reader.line_num, [cell.strip() for cell in cells]))
    except csv.Error as error:
        raise ImportRejected([(reader.line_num, f"This line cannot be read as CSV ({error}).")]) from None
    return rows


# --- Checking every row ------------------------------------------------------------------------------------------


@dataclass
class _Plan:
    """What a file asks for, keyed by code, each with the line that asked for it first."""

    partnerships: dict[str, tuple[int, dict]] = field(default_factory=dict)
    organisations: dict[str, tuple[int, dict]] = field(default_factory=dict)
    links: dict[tuple[str, str], int] = field(default_factory=dict)  # (partnership code, ODS code) -> line
    rows: int = 0
    skipped: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)


def _sentence_case(label: str) -> str:
    return label[:1].upper() + label[1:]


def _field_errors(instance, names: list[str]) -> list[str]:
    """The model's own field validators (ODS code format, length, no markup) for the fields the file gives."""
    try:
        instance.clean_fields(exclude=[f.name for f in instance._meta.fields if f.name not in names])
    except ValidationError as error:
        return [
            f"{_sentence_case(instance._meta.get_field(name).verbose_name)}: {message}"
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return []


def _read_partnership(layout: Layout, cells: list[str]) -> tuple[dict, list[str]]:
    values = {key: cells[index] for key, index in layout.partnership.items() if index < len(cells)}
    values = {key: value for key, value in values.items() if value}
    problems = [
        f"The partnership's {key.replace('_', ' ')} is missing." for key in ("code", "name") if key not in values
    ]
    if "population" in values:
        if values["population"].isdigit():
            values["population"] = int(values["population"])
        else:
            problems.append(f"Population '{values.pop('population')}' is not a whole number.")
    if not problems:
        problems = _field_errors(Partnership(**values), list(values))
    return values, problems


def _read_organisation(layout: Layout, cells: list[str]) -> tuple[dict, list[str]]:
    values = {key: cells[index] for key, index in layout.organisation.items() if index < len(cells)}
    problems = [
        f"The {label} is missing." for key, label in (("ods_code", "ODS code"), ("name", "name")) if not values.get(key)
    ]
    if problems:
        return values, problems
    values["name"] = tidy_name(values["name"])
    partner_type = values.pop("type", None)
    if layout.kind:
        values["kind"] = layout.kind(values["name"], values["ods_code"])
    elif partner_type in PARTNER_TYPES:
        values["kind"] = PARTNER_TYPES[partner_type](values["name"], values["ods_code"])
    else:
        problems.append(f"Partner type '{partner_type}' is not one of {', '.join(PARTNER_TYPES)}.")
    for key, label in (("opened_on", "Open date"), ("closed_on", "Close date")):
        if key in layout.organisation:
            try:
                values[key] = _date(values.get(key, ""), label)
            except ValueError as error:
                problems.append(str(error))
    if layout.authoritative and not problems and values.get("opened_on") is None:
        problems.append("The open date is missing.")
    if not problems and values.get("closed_on") and values["closed_on"] < values["opened_on"]:
        problems.append("The close date is before the open date.")
    if not problems:
        problems = _field_errors(Organisation(**values), list(values))
    return values, problems


def _plan(layout: Layout, rows: list[tuple[int, list[str]]], scope: str, tick) -> _Plan:
    plan = _Plan()
    for line, cells in rows[1:] if layout.header else rows:
        plan.rows += 1
        tick()
        problems = []
        if not layout.header and len(cells) != ODS_FIELD_COUNT:
            plan.errors.append((line, f"This row has {len(cells)} fields; ODS files have {ODS_FIELD_COUNT}."))
            continue
        partnership, organisation = None, None
        if layout.partnership:
            partnership, found = _read_partnership(layout, cells)
            problems += found
        if layout.organisation:
            organisation, found = _read_organisation(layout, cells)
            problems += found
        link = cells[layout.link] if layout.link is not None and layout.link < len(cells) else ""
        if problems:
            plan.errors += [(line, problem) for problem in problems]
            continue
        if scope and (partnership or {}).get("code", link) != scope:
            plan.skipped += 1
            continue
        if partnership:
            first = plan.partnerships.setdefault(partnership["code"], (line, partnership))
            if first[1] != partnership:
                plan.errors.append((line, f"Partnership {partnership['code']} differs here from line {first[0]}."))
        if organisation:
            code = organisation["ods_code"]
            first_line, first = plan.organisations.setdefault(code, (line, organisation))
            if first_line != line and layout.authoritative:
                plan.errors.append((line, f"ODS code {code} is also on line {first_line}."))
            elif first_line != line and first["name"] != organisation["name"]:
                plan.warnings.append(
                    (
                        line,
                        f"{code} is named '{organisation['name']}' here and '{first['name']}' on line "
                        f"{first_line}; the name on line {first_line} is kept.",
                    )
                )
            if link:
                plan.links.setdefault((link, code), line)
    return plan


# --- The service -------------------------------------------------------------------------------------------------

PARTNERSHIP_FIELDS = ["name", "ons_code", "region", "population"]
ORGANISATION_FIELDS = ["name", "postcode", "opened_on", "closed_on"]


def _merge(record, values: dict, names: list[str], now) -> bool:
    """Copy the values the file gives onto `record`; whether anything changed."""
    changed = [name for name in names if name in values and getattr(record, name) != values[name]]
    for name in changed:
        setattr(record, name, values[name])
    if changed:
        record.updated_at = now
    return bool(changed)


@transaction.atomic
def organisations_import(*, actor, file, partnership: Partnership | None = None, progress=None) -> ImportResult:
    """Import an ODS or ONS file: partnerships, organisations and memberships, all or nothing, with one audit record.

    With `partnership`, only its rows are imported (its lead may do this); without, every row (administrators and
    management commands only). `progress(total, description)` may return a progress bar for long files.
    """
    if partnership is not None:
        authorize(actor, partnership, Action.MANAGE)
    elif not actor.is_superuser:
        raise PermissionDenied("Only the service administrators import national data.")
    file_name = Path(getattr(file, "name", "") or "upload.csv").name
    rows = read_rows(file.read())
    layout = detect_layout(file_name, rows)
    bar = progress(len(rows) - layout.header, f"Checking {file_name}") if progress else None
    plan = _plan(layout, rows, partnership.code if partnership else "", bar.update if bar else lambda: None)
    if bar:
        bar.close()
    if plan.errors:
        raise ImportRejected(plan.errors)
    result = ImportResult(
        file_name=file_name,
        layout=layout.label,
        rows=plan.rows,
        skipped=plan.skipped,
        partnership_code=partnership.code if partnership else "",
        warnings=plan.warnings,
    )
    try:
        with transaction.atomic():
            _write(plan, layout, result, scope=partnership, actor=actor)
    except IntegrityError:
        raise _refuse(
            "Another import changed the same records at the same moment. Nothing was changed: try again."
        ) from None
    audit_record(
        actor=actor,
        action="organisations.imported",
        target=partnership or ContentType.objects.get_for_model(Organisation),
        summary=result.summary(),
        changes={
            name: [None, asdict(getattr(result, name))] for name in ("partnerships", "organisations", "memberships")
        },
        partnership_id=partnership.pk if partnership else None,
    )
    return result


def _write(plan: _Plan, layout: Layout, result: ImportResult, *, scope: Partnership | None, actor) -> None:
    now = timezone.now()
    codes = {code for code, _ in plan.links} | plan.partnerships.keys()
    partnerships = {p.code: p for p in Partnership.objects.filter(code__in=codes)}
    # A lead's import may update their own partnership; only a national import registers new ones.
    new = [Partnership(**values) for code, (_, values) in plan.partnerships.items() if code not in partnerships]
    new = new if scope is None else []
    changed = [
        partnerships[code]
        for code, (_, values) in plan.partnerships.items()
        if code in partnerships and _merge(partnerships[code], values, PARTNERSHIP_FIELDS, now)
    ]
    Partnership.objects.bulk_create(new, batch_size=BATCH_SIZE)
    Partnership.objects.bulk_update(changed, [*PARTNERSHIP_FIELDS, "updated_at"], batch_size=BATCH_SIZE)
    result.partnerships = Counts(len(new), len(changed), len(plan.partnerships) - len(new) - len(changed))
    if new:
        partnerships.update({p.code: p for p in Partnership.objects.filter(code__in=[p.code for p in new])})

    # Anyone may add an organisation that is missing; only the register itself (ODS files) changes details, and
    # only in the hands of someone who may change the shared record: a lead's upload leaves existing records alone.
    # A close date is never cleared: an older extract without it does not reopen an organisation.
    existing = {o.ods_code: o for o in Organisation.objects.filter(ods_code__in=plan.organisations.keys())}
    new = [Organisation(**values) for code, (_, values) in plan.organisations.items() if code not in existing]
    changed = [
        existing[code]
        for code, (_, values) in plan.organisations.items()
        if code in existing
        and layout.authoritative
        and can_change_organisation_record(actor, existing[code])
        and _merge(existing[code], {k: v for k, v in values.items() if v is not None}, ORGANISATION_FIELDS, now)
    ]
    Organisation.objects.bulk_create(new, batch_size=BATCH_SIZE)
    Organisation.objects.bulk_update(changed, [*ORGANISATION_FIELDS, "updated_at"], batch_size=BATCH_SIZE)
    result.organisations = Counts(len(new), len(changed), len(plan.organisations) - len(new) - len(changed))
    organisations = {o.ods_code: o for o in Organisation.objects.filter(ods_code__in=plan.organisations.keys())}
    _write_memberships(plan, result, partnerships, organisations, scope, now)


def _write_memberships(plan, result, partnerships, organisations, scope, now) -> None:
    """A current full membership for each organisation of a registered partnership; closed organisations leave."""
    by_id = {organisation.pk: organisation for organisation in organisations.values()}
    existing = Membership.objects.filter(organisation__in=by_id)
    if scope is not None:  # a lead's import touches their own partnership's memberships only
        existing = existing.filter(partnership=scope)
    spells: dict[tuple[int, int], list[Membership]] = {}
    for membership in existing:
        spells.setdefault((membership.partnership_id, membership.organisation_id), []).append(membership)

    new, unregistered, closed_early, linked = [], [], 0, set()
    for partnership_code, ods_code in plan.links:
        partnership, organisation = partnerships.get(partnership_code), organisations[ods_code]
        if partnership is None:
            unregistered.append(partnership_code)
            continue
        linked.add((partnership.pk, organisation.pk))
        joined_on = max(organisation.opened_on or PARTNERSHIPS_BEGAN, PARTNERSHIPS_BEGAN)
        if (partnership.pk, organisation.pk) in spells:
            continue  # never re-add an organisation a lead recorded as having left
        if organisation.closed_on and organisation.closed_on < joined_on:
            closed_early += 1
            continue
        new.append(
            Membership(
                partnership=partnership,
                organisation=organisation,
                kind=MembershipKind.FULL,
                joined_on=joined_on,
                left_on=organisation.closed_on,
            )
        )

    changed = []
    for (_, organisation_id), memberships in spells.items():
        closed = by_id[organisation_id].closed_on
        for membership in memberships:
            if closed and (membership.left_on is None or membership.left_on > closed):
                membership.left_on = max(closed, membership.joined_on)  # it left when it closed
                membership.updated_at = now
                changed.append(membership)
    Membership.objects.bulk_create(new, batch_size=BATCH_SIZE)
    Membership.objects.bulk_update(changed, ["left_on", "updated_at"], batch_size=BATCH_SIZE)
    changed_pairs = {(m.partnership_id, m.organisation_id) for m in changed}
    result.memberships = Counts(len(new), len(changed), len((linked & spells.keys()) - changed_pairs))
    if unregistered:
        result.notes.append(
            f"{len(unregistered)} organisations name a partnership that is not registered here "
            f"({', '.join(sorted(set(unregistered)))}). They were imported without a membership."
        )
    if closed_early:
        result.notes.append(
            f"{closed_early} organisations closed before partnerships began in April 2016, so they have no membership."
        )
