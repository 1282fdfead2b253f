"""National-scale data for benchmarks (`manage.py seed_scale`): the 42 real partnerships and their real member
organisations from the NHS reference files, then generated organisations (PCNs, GP federations, Healthwatch, VCSE),
about 10,000 people with profiles and roles, and delegations, all with bulk inserts.

`scale` multiplies the generated counts, never the 42 partnerships or their real organisations. The run refuses to
start when scale data is already loaded: later apps' scale data points at these people, so it cannot be cleared
from here. Start again from an empty database (drop it, `migrate`, `seed_scale`).
"""

import csv
import math
import random
import re
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import CommandError
from django.db import transaction

from core.audit import SYSTEM

from ..models import (
    DecisionCategory,
    Delegation,
    Membership,
    MembershipKind,
    Organisation,
    OrganisationKind,
    Partnership,
    PartnershipRole,
    Profile,
    Role,
)
from ..services.imports import organisations_import, reference_data_dir, tidy_name

USERNAME_PREFIX = "scale-"
BATCH_SIZE = 1000
# Imported in this order through the importer: partnerships first, so the organisations become their members.
REAL_FILES = [
    "derived/stp_master_42_apr2021_derived.csv",
    "ods_etr_nhs_trusts_2023_nhsx-open-cyber.csv",
    "ods_ect_care_trusts_2023_nhsx-open-cyber.csv",
    "ods_eccg_ccgs_and_subicb_locations_2025.csv",
    "derived/icb_partner_memberships_long_aug2023.csv",
]
GP_PRACTICE_MAP = "nhsd_gp_practice_to_pcn_ccg_stp_region_map_Jan2022.csv"  # real PCNs (not an importer file)
# Generated at scale 1 (about 700 real organisations come from the files): about 1,500 organisations in all.
PEOPLE = 10_000
PCNS = 500
GP_FEDERATIONS = 60
VCSE_BODIES = 90
OTHER_BODIES = 20
HEALTHWATCH_SHARE = 1.0  # one local Healthwatch per council, as the law provides
BOARD_KINDS = {
    OrganisationKind.ACUTE_TRUST,
    OrganisationKind.MENTAL_HEALTH_TRUST,
    OrganisationKind.COMMUNITY_TRUST,
    OrganisationKind.AMBULANCE_TRUST,
    OrganisationKind.COMMISSIONER,
    OrganisationKind.LOCAL_AUTHORITY,
    OrganisationKind.HEALTHWATCH,
}

FIRST_NAMES = (  # noqa: SIM905 - a paragraph of names reads better than a column
    "Aisha Alan Amara Amy Andrew Anjali Ben Bethan Callum Carys Chloe Chris Daniel Deborah Dylan Eilidh Emma "
    "Ewan Fatima Fiona Gareth Grace Hamza Hannah Harriet Imran Isla Jack James Jasmine Joanne Jonathan Kate "
    "Kwame Laura Liam Lucy Mohammed Mark Megan Michael Nadia Naomi Oliver Olivia Owen Patrick Priya Rachel Rhys "
    "Rosie Ruth Sam Sarah Sean Shauna Simon Sophie Stephen Tariq Thomas Tom Usha Vikram William Yasmin Zainab "
    "Zoe"
).split()
LAST_NAMES = (  # noqa: SIM905 - a paragraph of names reads better than a column
    "Adams Ahmed Ali Allen Atkinson Bailey Baker Bell Bennett Brown Campbell Carter Chapman Clarke Cooper Davies "
    "Edwards Evans Fisher Foster Green Griffiths Hall Harris Hughes Hussain Jackson James Jenkins Johnson Jones "
    "Kaur Khan Lewis Lloyd Martin Mason Mitchell Moore Morgan Morris Murphy Nelson Owen Parker Patel Phillips "
    "Price Roberts Robinson Rogers Scott Shah Singh Smith Stewart Taylor Thomas Thompson Turner Walker Ward "
    "Watson White Williams Wilson Wood Wright Young"
).split()
BOARD_TITLES = {
    OrganisationKind.LOCAL_AUTHORITY: [
        "Chief executive",
        "Director of adult social services",
        "Director of public health",
    ],
    OrganisationKind.COMMISSIONER: ["Chief executive", "Place director", "Chief finance officer"],
    OrganisationKind.HEALTHWATCH: ["Chair", "Chief executive"],
}
TRUST_BOARD_TITLES = ["Chief executive", "Chair", "Director of finance", "Medical director", "Director of strategy"]
STAFF_TITLES = [
    "Programme manager",
    "Project manager",
    "Clinical lead",
    "Head of transformation",
    "Engagement lead",
    "Senior analyst",
    "Service manager",
    "Nurse consultant",
    "GP clinical director",
    "Commissioning manager",
]
CLINICAL_TITLES = {"Clinical lead", "Nurse consultant", "GP clinical director", "Medical director"}
VCSE_PATTERNS = [
    "{place} Council for Voluntary Service",
    "Age UK {place}",
    "{place} Mind",
    "{place} Carers Centre",
    "{place} Hospice",
    "{place} Citizens Advice",
    "Voluntary Action {place}",
]
OTHER_PATTERNS = [
    "University of {place} Health Research Partnership",
    "{place} Fire and Rescue Service",
    "{place} Housing Association",
    "{place} College",
]
LIMITS = [Decimal(v) for v in ("100000", "250000", "500000", "1000000", "2500000", "5000000", "10000000")]
SOURCES = ["Scheme of reservation and delegation", "Standing financial instructions", "Constitution"]


def seed(*, scale: float, random_seed: int, progress, stdout) -> None:
    """Build the national-scale partnerships data; refuse if it is already there."""
    existing = get_user_model().objects.filter(username__startswith=USERNAME_PREFIX).count()
    if existing:
        raise CommandError(
            f"Scale data is already loaded ({existing} generated people). seed_scale builds on an empty database: "
            "drop it, run migrate, then seed_scale again."
        )
    directory = reference_data_dir()
    if directory is None:
        raise CommandError(
            "The NHS reference data was not found: set NHS_REFERENCE_DIR, or restore partnerships/data/nhs-reference."
        )
    rng = random.Random(random_seed)
    with transaction.atomic():
        for name in REAL_FILES:
            with (directory / name).open("rb") as handle:
                organisations_import(actor=SYSTEM, file=handle, partnership=None, progress=progress)
        partnerships = list(Partnership.objects.filter(code__in=_real_codes(directory)).order_by("code"))
        _generate_organisations(directory, partnerships, scale, rng, progress)
        people = _generate_people(partnerships, scale, rng, progress)
        delegations = _generate_delegations(people, rng, progress)
    stdout.write(
        f"Partnerships: {len(partnerships)} partnerships, {Organisation.objects.count()} organisations, "
        f"{sum(len(group) for group in people.values())} people, {delegations} delegations."
    )


def _real_codes(directory) -> list[str]:
    with (directory / REAL_FILES[0]).open(newline="", encoding="utf-8-sig") as handle:
        return [row["stp_ods_code"] for row in csv.DictReader(handle)]


def _count(base: int, scale: float) -> int:
    return max(1, round(base * scale))


def _place(council: str) -> str:
    """'Gateshead Metropolitan Borough Council' -> 'Gateshead'; 'London Borough of Hackney' -> 'Hackney'."""
    place = re.sub(r"^(London Borough of|Royal Borough of|City of|Council of the)\s+", "", council)
    place = re.sub(r"\s+(Metropolitan Borough|City|County|Borough|District|Unitary)?\s*Council$", "", place)
    return place.strip() or council


def _bulk(model, objects: list, progress, description: str) -> list:
    bar = progress(len(objects), description)
    for start in range(0, len(objects), BATCH_SIZE):
        batch = objects[start : start + BATCH_SIZE]
        model.objects.bulk_create(batch)
        bar.update(len(batch))
    bar.close()
    return objects


def _generate_organisations(directory, partnerships, scale, rng, progress) -> None:
    by_code = {partnership.code: partnership for partnership in partnerships}
    councils = {}
    for membership in (
        Membership.objects.filter(organisation__kind=OrganisationKind.LOCAL_AUTHORITY, partnership__in=partnerships)
        .select_related("organisation")
        .order_by("pk")
    ):
        councils.setdefault(membership.organisation.name, membership.partnership)
    places = [(_place(name), partnership) for name, partnership in sorted(councils.items())]

    with (directory / GP_PRACTICE_MAP).open(newline="", encoding="utf-8-sig") as handle:
        pcns = {row["PCN_CODE"]: (row["PCN_NAME"], row["STP_CODE"]) for row in csv.DictReader(handle)}
    taken = set(Organisation.objects.filter(ods_code__in=pcns).values_list("ods_code", flat=True))
    pcns = sorted((code, name, stp) for code, (name, stp) in pcns.items() if re.fullmatch(r"U\d{5}", code))
    chosen = rng.sample(pcns, min(len(pcns), _count(PCNS, scale)))

    planned: list[tuple[Organisation, Partnership, str]] = []
    for code, name, stp in chosen:
        if code not in taken and stp in by_code:
            organisation = Organisation(ods_code=code, name=tidy_name(name), kind=OrganisationKind.PRIMARY_CARE)
            planned.append((organisation, by_code[stp], MembershipKind.FULL))
    for place, partnership in rng.sample(places, min(len(places), _count(len(places) * HEALTHWATCH_SHARE, scale))):
        planned.append(
            (
                Organisation(name=f"Healthwatch {place}", kind=OrganisationKind.HEALTHWATCH),
                partnership,
                rng.choice([MembershipKind.FULL, MembershipKind.ASSOCIATE]),
            )
        )
    generated = [
        (GP_FEDERATIONS, ["{place} GP Federation", "{place} Primary Care Alliance"], OrganisationKind.PRIMARY_CARE),
        (VCSE_BODIES, VCSE_PATTERNS, OrganisationKind.VCSE),
        (OTHER_BODIES, OTHER_PATTERNS, OrganisationKind.OTHER),
    ]
    names = {organisation.name for organisation, _, _ in planned}
    for count, patterns, kind in generated:
        for _ in range(_count(count, scale)):
            place, partnership = rng.choice(places)
            name = rng.choice(patterns).format(place=place)
            if name not in names:
                names.add(name)
                membership_kind = (
                    MembershipKind.FULL
                    if kind == OrganisationKind.PRIMARY_CARE
                    else rng.choice([MembershipKind.FULL, MembershipKind.ASSOCIATE, MembershipKind.OBSERVER])
                )
                planned.append((Organisation(name=name, kind=kind), partnership, membership_kind))

    _bulk(Organisation, [organisation for organisation, _, _ in planned], progress, "Organisations")
    memberships = [
        Membership(
            partnership=partnership,
            organisation=organisation,
            kind=membership_kind,
            joined_on=date(2016, 4, 1) + timedelta(days=rng.randrange(0, 8 * 365)),
        )
        for organisation, partnership, membership_kind in planned
    ]
    _bulk(Membership, memberships, progress, "Memberships")


def _generate_people(partnerships, scale, rng, progress) -> dict[int, list[tuple]]:
    """People per partnership in proportion to its population: (user, role, organisation) for each."""
    members: dict[int, list[Organisation]] = {}
    current = Membership.objects.current().filter(partnership__in=partnerships).select_related("organisation")
    for membership in current.order_by("pk"):  # by id, so a random seed gives the same people on every database
        members.setdefault(membership.partnership_id, []).append(membership.organisation)
    total_population = sum(partnership.population or 1 for partnership in partnerships)
    password = make_password(settings.DEMO_PASSWORD)  # hashed once: every generated person shares it
    user_model = get_user_model()
    plan: dict[int, list[tuple]] = {}
    for partnership in partnerships:
        size = max(1, round(PEOPLE * scale * (partnership.population or 1) / total_population))
        plan[partnership.pk] = _cast(partnership, size, members.get(partnership.pk, []), rng)

    users, profiles = [], []
    for partnership in partnerships:
        for number, (role, organisation, title) in enumerate(plan[partnership.pk], start=1):
            username = f"{USERNAME_PREFIX}{partnership.code.lower()}-{number:05d}"
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            user = user_model(
                username=username,
                first_name=first,
                last_name=last,
                password=password,
                email=f"{username}@scale.stp-portal.example",
            )
            users.append((partnership, role, organisation, user))
            profiles.append(
                Profile(user=user, organisation=organisation, job_title=title, is_clinician=title in CLINICAL_TITLES)
            )
    _bulk(user_model, [user for *_, user in users], progress, "People")
    _bulk(Profile, profiles, progress, "Profiles")

    content_type = ContentType.objects.get_for_model(Partnership)
    permissions = {
        p.codename: p for p in Permission.objects.filter(content_type=content_type, codename__in=Role.values)
    }
    roles = [
        PartnershipRole(user=user, permission=permissions[role], content_object=partnership)
        for partnership, role, _, user in users
    ]
    _bulk(PartnershipRole, roles, progress, "Roles")
    people: dict[int, list[tuple]] = {}
    for partnership, role, organisation, user in users:
        people.setdefault(partnership.pk, []).append((user, role, organisation))
    return people


def _cast(partnership, size: int, organisations: list, rng) -> list[tuple[str, Organisation | None, str]]:
    """Who holds which role: one lead, a board member from most member organisations, a few non-executives,
    viewers, and members for the rest. A small partnership (or a small scale) fills the first roles first."""
    eligible = [organisation for organisation in organisations if organisation.kind in BOARD_KINDS]
    rng.shuffle(eligible)
    commissioners = [o for o in eligible if o.kind == OrganisationKind.COMMISSIONER]
    cast = [(Role.LEAD, (commissioners or eligible or [None])[0], "Partnership director")]
    board = eligible[: min(math.ceil(0.8 * len(eligible)), size - len(cast))]
    for organisation in board:
        titles = BOARD_TITLES.get(organisation.kind, TRUST_BOARD_TITLES)
        cast.append((Role.BOARD_MEMBER, organisation, rng.choice(titles)))
    neds = min(max(2, round(size * 0.02)), size - len(cast))
    for _ in range(max(0, neds)):
        cast.append((Role.NON_EXECUTIVE, rng.choice(eligible) if eligible else None, "Non-executive director"))
    viewers = min(round(size * 0.1), size - len(cast))
    for _ in range(max(0, viewers)):
        cast.append((Role.VIEWER, rng.choice(organisations) if organisations else None, "Analyst"))
    while len(cast) < size:
        cast.append((Role.MEMBER, rng.choice(organisations) if organisations else None, rng.choice(STAFF_TITLES)))
    return cast


def _generate_delegations(people, rng, progress) -> int:
    """A delegation to each board member for their organisation, and to 'any board member' for some."""
    delegations = []
    for partnership_id, group in people.items():
        for user, role, organisation in group:
            if role != Role.BOARD_MEMBER or organisation is None:
                continue
            valid_from = date(2022, 7, 1) + timedelta(days=rng.randrange(0, 3 * 365))
            ended = rng.random() < 0.15
            delegation = Delegation(
                partnership_id=partnership_id,
                organisation=organisation,
                delegate=user,
                categories=sorted(rng.sample(DecisionCategory.values, rng.randint(1, 4))),
                limit_pounds=rng.choice([*LIMITS, None]),
                valid_from=valid_from,
                valid_to=valid_from + timedelta(days=rng.randrange(90, 720)) if ended else None,
                source_document=rng.choice(SOURCES),
                source_version=f"v{rng.randint(1, 6)}",
            )
            delegations.append(delegation)
            if rng.random() < 0.3:
                delegations.append(
                    Delegation(
                        partnership_id=partnership_id,
                        organisation=organisation,
                        delegate_role=rng.choice([Role.BOARD_MEMBER, Role.NON_EXECUTIVE]),
                        categories=[DecisionCategory.STRATEGY, DecisionCategory.POLICY],
                        limit_pounds=rng.choice(LIMITS[:3]),
                        valid_from=valid_from,
                        source_document="Terms of reference of the partnership board",
                        source_version="2024",
                    )
                )
    _bulk(Delegation, delegations, progress, "Delegations")
    return len(delegations)
