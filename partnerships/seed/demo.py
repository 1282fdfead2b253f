"""Demo data: a fictional partnership, QZZ, with about twenty partners, their board, delegations and agreements,
and a second one, QYX, led by `outsider`. Every name and code is made up and clashes with no real ODS code.

Everything is written through the services with `SYSTEM` as the actor, so the demo has an audit trail like real
data; except what only a person does: `orgsec`, the Northfield trust's board secretary, administers the trust and
the city council and confirms their delegations, and the lead records one delegation that awaits confirmation and
proposes a correction to the council's record. Running it again changes nothing: each record is looked up by its
natural key first and only created when missing (organisations by ODS code or name, people by username,
delegations by organisation, holder and start date, agreements by title, the correction by organisation and
proposer). The agreements' dates are set relative to the day of the first run.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from core.audit import SYSTEM

from .. import services
from ..models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    DecisionCategory,
    Delegation,
    GovernanceForm,
    Membership,
    MembershipKind,
    Organisation,
    OrganisationCorrection,
    OrganisationKind,
    Partnership,
    PartnershipRole,
    Profile,
    Role,
)

User = get_user_model()
Kind, Part = OrganisationKind, MembershipKind
JOINED = date(2016, 7, 1)  # when the STP footprints were set

PARTNERSHIPS = {
    "QZZ": {
        "name": "Northfield and Dales Health and Care Partnership",
        "ons_code": "E54000990",
        "region": "North East and Yorkshire",
        "population": 1_180_000,
        "governance_form": GovernanceForm.COMMITTEES_IN_COMMON,
        "public_description": (
            "The NHS, councils, GPs, charities and Healthwatch of Northfield and the Dales working together to "
            "join up care and improve the health of the 1.2 million people who live here."
        ),
    },
    "QYX": {
        "name": "Westmoor and Coast Integrated Care Partnership",
        "ons_code": "E54000991",
        "region": "South West",
        "population": 640_000,
        "governance_form": GovernanceForm.JOINT_COMMITTEE,
        "public_description": "Health and care organisations of Westmoor and the coast.",
    },
}

# fmt: off
# (ODS code or None, name, type, postcode, membership kind)
ORGANISATIONS = {
    "QZZ": [
        ("RZ1", "Northfield Teaching Hospitals NHS Foundation Trust", Kind.ACUTE_TRUST, "NF1 4HS", Part.FULL),
        ("RZ2", "Dales Valley Hospitals NHS Trust", Kind.ACUTE_TRUST, "DV3 2QA", Part.FULL),
        ("RZ3", "Northfield and Dales Mental Health NHS Foundation Trust", Kind.MENTAL_HEALTH_TRUST, "NF4 7MH",
         Part.FULL),
        ("RZ4", "Dales Community Health Services NHS Trust", Kind.COMMUNITY_TRUST, "DV1 5CH", Part.FULL),
        ("RZ5", "North Moors Ambulance Service NHS Foundation Trust", Kind.AMBULANCE_TRUST, "NM2 8AS",
         Part.ASSOCIATE),
        ("QZZ", "NHS Northfield and Dales Integrated Care Board", Kind.COMMISSIONER, "NF1 2IC", Part.FULL),
        ("ZC101", "Northfield City Council", Kind.LOCAL_AUTHORITY, "NF1 1CC", Part.FULL),
        ("ZC102", "Dales County Council", Kind.LOCAL_AUTHORITY, "DV1 1CC", Part.FULL),
        ("ZG101", "Northfield GP Federation", Kind.PRIMARY_CARE, "NF2 3GP", Part.FULL),
        ("UZ001", "Northfield Central Primary Care Network", Kind.PRIMARY_CARE, "NF1 6PC", Part.ASSOCIATE),
        ("UZ002", "Upper Dales Primary Care Network", Kind.PRIMARY_CARE, "DV5 1PC", Part.ASSOCIATE),
        ("UZ003", "Riverside and Millbrook Primary Care Network", Kind.PRIMARY_CARE, "NF3 9PC", Part.ASSOCIATE),
        ("ZH101", "Dales Hospice", Kind.VCSE, "DV2 4HO", Part.ASSOCIATE),
        (None, "Northfield Council for Voluntary Service", Kind.VCSE, "NF1 3VS", Part.FULL),
        (None, "Dales Carers Together", Kind.VCSE, "DV1 7CT", Part.ASSOCIATE),
        (None, "Age Well Northfield", Kind.VCSE, "NF2 8AW", Part.OBSERVER),
        (None, "Healthwatch Northfield", Kind.HEALTHWATCH, "NF1 5HW", Part.OBSERVER),
        (None, "Healthwatch Dales", Kind.HEALTHWATCH, "DV1 5HW", Part.OBSERVER),
        ("ZU101", "University of Northfield", Kind.OTHER, "NF1 9UN", Part.OBSERVER),
        ("ZX101", "Northfield Fire and Rescue Service", Kind.OTHER, "NF3 1FR", Part.OBSERVER),
    ],
    "QYX": [
        ("RZ7", "Westmoor Hospitals NHS Foundation Trust", Kind.ACUTE_TRUST, "WM1 2HS", Part.FULL),
        ("ZC201", "Westmoor and Coast Council", Kind.LOCAL_AUTHORITY, "WM1 1CC", Part.FULL),
        ("QYX", "NHS Westmoor and Coast Integrated Care Board", Kind.COMMISSIONER, "WM2 1IC", Part.FULL),
    ],
}

# username, first name, last name, organisation (ODS code or name), job title, clinician, roles.
# The six demo users come from core's seed_demo (their names too); the others are board members from the partners.
PEOPLE = {
    "QZZ": [
        ("lead", None, None, "QZZ", "Director of partnership development", False, [Role.LEAD]),
        ("board", None, None, "RZ1", "Chief executive", False, [Role.BOARD_MEMBER]),
        ("ned", None, None, "ZC101", "Lay member for public involvement", False, [Role.NON_EXECUTIVE]),
        ("member", None, None, "QZZ", "Programme manager, diabetes", False, [Role.MEMBER]),
        ("viewer", None, None, "ZC102", "Performance analyst", False, [Role.VIEWER]),
        ("demo.icb.ceo", "Grace", "Whitfield", "QZZ", "Chief executive", False, [Role.BOARD_MEMBER]),
        ("demo.dales.ceo", "Tomasz", "Nowak", "RZ2", "Chief executive", False, [Role.BOARD_MEMBER]),
        ("demo.mh.ceo", "Priya", "Raman", "RZ3", "Chief executive", True, [Role.BOARD_MEMBER]),
        ("demo.community.ceo", "Declan", "Moore", "RZ4", "Chief executive", False, [Role.BOARD_MEMBER]),
        ("demo.city.dass", "Hannah", "Osei", "ZC101", "Director of adult social services", False,
         [Role.BOARD_MEMBER]),
        ("demo.county.dph", "Ifeoma", "Clarke", "ZC102", "Director of public health", True, [Role.BOARD_MEMBER]),
        ("demo.gpfed.cd", "Robert", "Laing", "ZG101", "Clinical director", True, [Role.BOARD_MEMBER]),
        ("demo.cvs.ceo", "Sian", "Pritchard", "Northfield Council for Voluntary Service", "Chief executive", False,
         [Role.BOARD_MEMBER]),
        ("demo.healthwatch", "Martin", "Achebe", "Healthwatch Northfield", "Chair", False, [Role.NON_EXECUTIVE]),
        ("demo.icb.chair", "Elizabeth", "Hartley", "QZZ", "Chair", False, [Role.NON_EXECUTIVE]),
        # The board secretary who administers the records of the trust and the city council (ADMINISTERED below).
        ("orgsec", "Olivia", "Seddon", "RZ1", "Board secretary", False, [Role.VIEWER]),
    ],
    "QYX": [
        ("outsider", None, None, "QYX", "Partnership director", False, [Role.LEAD]),
    ],
}

ALL = list(DecisionCategory.values)
ALL_BUT_FINANCE = [category for category in DecisionCategory.values if category != DecisionCategory.FINANCE]
SERVICE_CHANGE, STRATEGY, POLICY = DecisionCategory.SERVICE_CHANGE, DecisionCategory.STRATEGY, DecisionCategory.POLICY
NEW_WORKSTREAM = DecisionCategory.ESTABLISH_WORKSTREAM
SORD = "Scheme of reservation and delegation"

# organisation, holder (a username or a role), categories, limit in pounds, valid from, valid to, document, version
DELEGATIONS = [
    ("RZ1", "board", ALL, Decimal("5000000"), date(2024, 4, 1), None, SORD, "v7 (2024)"),
    ("QZZ", "demo.icb.ceo", ALL, Decimal("10000000"), date(2024, 4, 1), None, SORD, "v3 (2024)"),
    ("RZ2", "demo.dales.ceo", ALL, Decimal("2000000"), date(2024, 4, 1), None, SORD, "v5"),
    ("RZ3", "demo.mh.ceo", ALL_BUT_FINANCE, Decimal("1000000"), date(2025, 4, 1), None, SORD, "2025"),
    ("RZ4", "demo.community.ceo", [SERVICE_CHANGE, NEW_WORKSTREAM], Decimal("500000"), date(2025, 4, 1), None,
     SORD, "v2"),
    ("ZC101", "demo.city.dass", [SERVICE_CHANGE, POLICY], Decimal("250000"), date(2024, 5, 20), None,
     "Constitution, part 3: responsibility for functions", "May 2024"),
    ("ZC102", "demo.county.dph", [STRATEGY, POLICY], Decimal("100000"), date(2024, 5, 20), None,
     "Constitution, part 3: officer scheme of delegation", "2024/25"),
    ("ZG101", "demo.gpfed.cd", [SERVICE_CHANGE, NEW_WORKSTREAM], Decimal("50000"), date(2025, 1, 1), None,
     "Board terms of reference", "v1.2"),
    ("Northfield Council for Voluntary Service", "demo.cvs.ceo", [NEW_WORKSTREAM, STRATEGY], Decimal("10000"),
     date(2025, 1, 1), None, "Trustee board delegations", "2025"),
    # Any non-executive member from the ICB: strategy only, with no £ limit.
    ("QZZ", Role.NON_EXECUTIVE, [STRATEGY], None, date(2024, 4, 1), None, SORD, "v3 (2024)"),
    # An expired one: the Dales trust's previous scheme, replaced in April 2024.
    ("RZ2", "demo.dales.ceo", ALL, Decimal("1000000"), date(2021, 4, 1), date(2024, 3, 31), SORD, "v4"),
]

# The organisations `orgsec` administers: she confirms their delegations, except the one the lead records below.
ADMINISTRATOR = "orgsec"
ADMINISTERED = ["RZ1", "ZC101"]
# Recorded by the lead, so it awaits the trust's confirmation: any non-executive director from the trust.
RECORDED_BY_LEAD = ("RZ1", Role.NON_EXECUTIVE, [STRATEGY, POLICY], Decimal("250000"), date(2025, 4, 1), None, SORD,
                    "v7 (2024)")
# A correction the lead proposes to the council's record, awaiting its administrator's answer.
CORRECTION = ("ZC101", "The council's website is missing from its record.",
              {"website": "https://www.northfield-city.example/"})
# fmt: on

# A tiny, valid PDF so the download on the agreement page works in the demo.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def seed(stdout) -> None:
    with transaction.atomic():
        for code, details in PARTNERSHIPS.items():
            partnership = _partnership(code, details)
            organisations = dict(_organisations(partnership))
            _people(partnership, organisations)
        qzz = Partnership.objects.get(code="QZZ")
        organisations = {o.ods_code or o.name: o for o in Organisation.objects.filter(memberships__partnership=qzz)}
        _delegations(qzz, organisations)
        _agreements(qzz, organisations)
        _administration(qzz, organisations)
    stdout.write(
        f"Partnerships: QZZ with {Membership.objects.filter(partnership=qzz).count()} organisations, "
        f"{Delegation.objects.filter(partnership=qzz).count()} delegations and "
        f"{Agreement.objects.filter(partnership=qzz).count()} agreements; QYX led by outsider; "
        f"orgsec administers {len(ADMINISTERED)} of QZZ's organisations."
    )


def _partnership(code: str, details: dict) -> Partnership:
    partnership = Partnership.objects.filter(code=code).first()
    return partnership or services.partnership_create(actor=SYSTEM, code=code, **details)


def _organisations(partnership: Partnership):
    for ods_code, name, kind, postcode, membership_kind in ORGANISATIONS[partnership.code]:
        lookup = {"ods_code": ods_code} if ods_code else {"ods_code": None, "name": name}
        organisation = Organisation.objects.filter(**lookup).first()
        if organisation is None:
            organisation = services.organisation_create(
                actor=SYSTEM,
                partnership=partnership,
                membership_kind=membership_kind,
                joined_on=JOINED,
                ods_code=ods_code or "",
                name=name,
                kind=kind,
                postcode=postcode,
                opened_on=date(2013, 4, 1),
            )
        elif not Membership.objects.filter(partnership=partnership, organisation=organisation).exists():
            services.membership_add(
                actor=SYSTEM, partnership=partnership, organisation=organisation, kind=membership_kind, joined_on=JOINED
            )
        yield ods_code or name, organisation


def _people(partnership: Partnership, organisations: dict) -> None:
    for username, first_name, last_name, where, job_title, is_clinician, roles in PEOPLE[partnership.code]:
        organisation = organisations[where]
        user = User.objects.filter(username=username).first()
        if user is None:
            if first_name is None:  # one of core's demo users, missing because seed ran on its own
                continue
            user = services.person_invite(
                actor=SYSTEM,
                partnership=partnership,
                username=username,
                email=f"{username}@demo.stp-portal.example",
                first_name=first_name,
                last_name=last_name,
                organisation=organisation,
                job_title=job_title,
                is_clinician=is_clinician,
                roles=roles,
                send_invitation=False,
            )
        else:
            for role in roles:
                services.role_grant(actor=SYSTEM, partnership=partnership, user=user, role=role)
            profile = Profile.objects.filter(user=user).first()
            wanted = (organisation.pk, job_title, is_clinician)
            if profile is None or (profile.organisation_id, profile.job_title, profile.is_clinician) != wanted:
                services.profile_update(
                    actor=SYSTEM,
                    partnership=partnership,
                    user=user,
                    organisation=organisation,
                    job_title=job_title,
                    is_clinician=is_clinician,
                )
            # Whom they represent here: unchanged when it is already their organisation.
            services.affiliation_set(actor=SYSTEM, partnership=partnership, user=user, organisation=organisation)
        if username == ADMINISTRATOR and not user.check_password(settings.DEMO_PASSWORD):
            # Not one of core's demo users, who get their password there: she signs in like them.
            user.set_password(settings.DEMO_PASSWORD)
            user.save(update_fields=["password"])


def _delegations(partnership: Partnership, organisations: dict) -> None:
    people = {user.username: user for user in User.objects.filter(partnershiprole__content_object=partnership)}
    for where, holder, categories, limit, valid_from, valid_to, document, version in DELEGATIONS:
        delegate = people.get(holder)
        delegate_role = holder if holder in Role.values else ""
        if delegate is None and not delegate_role:
            continue  # a core demo user who is missing
        organisation = organisations[where]
        exists = Delegation.objects.filter(
            partnership=partnership,
            organisation=organisation,
            delegate=delegate,
            delegate_role=delegate_role,
            valid_from=valid_from,
        ).exists()
        if not exists:
            services.delegation_create(
                actor=SYSTEM,
                partnership=partnership,
                organisation=organisation,
                delegate=delegate,
                delegate_role=delegate_role,
                categories=categories,
                limit_pounds=limit,
                valid_from=valid_from,
                valid_to=valid_to,
                source_document=document,
                source_version=version,
            )


def _agreements(partnership: Partnership, organisations: dict) -> None:
    today = timezone.localdate()
    every_member = [organisations[key] for key in organisations]
    agreements = [
        {
            "title": "Memorandum of understanding between the partners",
            "kind": AgreementKind.MOU,
            "status": AgreementStatus.SIGNED,
            "effective_on": date(2024, 4, 1),
            "expires_on": date(2027, 3, 31),
            "review_on": today + timedelta(days=30),  # due for review: shown on the overview
            "parties": every_member,
            "document": ContentFile(DEMO_PDF, name="memorandum-of-understanding-2024.pdf"),
        },
        {
            "title": "Northfield and Dales shared care record: data-sharing agreement",
            "kind": AgreementKind.DATA_SHARING,
            "status": AgreementStatus.SIGNED,
            "effective_on": date(2025, 1, 6),
            "expires_on": None,
            "review_on": today + timedelta(days=300),
            "parties": [organisations[key] for key in ("RZ1", "RZ2", "RZ3", "RZ4", "QZZ", "ZC101", "ZC102", "ZG101")],
            "document": None,
        },
    ]
    for fields in agreements:
        if not Agreement.objects.filter(partnership=partnership, title=fields["title"]).exists():
            services.agreement_create(actor=SYSTEM, partnership=partnership, **fields)


def _administration(partnership: Partnership, organisations: dict) -> None:
    """`orgsec` keeps the records of the trust and the council: she is appointed their administrator and confirms
    their delegations and who represents them; the lead records one more delegation for the trust, which awaits her,
    and proposes a correction to the council's record."""
    administrator = User.objects.filter(username=ADMINISTRATOR).first()
    lead = User.objects.filter(username="lead").first()
    if administrator is None or lead is None:  # core's demo users are missing: seed ran on its own
        return
    administered = [organisations[code] for code in ADMINISTERED]
    for organisation in administered:
        services.organisation_administrator_appoint(actor=SYSTEM, organisation=organisation, user=administrator)
    where, holder, categories, limit, valid_from, valid_to, document, version = RECORDED_BY_LEAD
    if not Delegation.objects.filter(
        partnership=partnership, organisation=organisations[where], delegate_role=holder, valid_from=valid_from
    ).exists():
        services.delegation_create(
            actor=lead,
            partnership=partnership,
            organisation=organisations[where],
            delegate=None,
            delegate_role=holder,
            categories=categories,
            limit_pounds=limit,
            valid_from=valid_from,
            valid_to=valid_to,
            source_document=document,
            source_version=version,
        )
    to_confirm = (
        Delegation.objects.filter(partnership=partnership, organisation__in=administered)
        .unconfirmed()
        .exclude(recorded_by=lead)
    )
    for delegation in to_confirm:
        services.delegation_confirm(actor=administrator, delegation=delegation)
    to_confirm = PartnershipRole.objects.filter(
        content_object=partnership, organisation__in=administered, organisation_confirmed_at__isnull=True
    )
    for user in User.objects.filter(pk__in=to_confirm.values("user_id")).order_by("pk"):
        services.affiliation_confirm(actor=administrator, partnership=partnership, user=user)
    where, reason, fields = CORRECTION
    if not OrganisationCorrection.objects.filter(organisation=organisations[where], proposed_by=lead).exists():
        services.correction_propose(
            actor=lead, partnership=partnership, organisation=organisations[where], reason=reason, **fields
        )
