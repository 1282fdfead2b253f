"""What the partnerships page tests share: uploads, counts of what was written, and a partnership of any size."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import AuditEvent
from partnerships.models import Agreement, Delegation, Membership, Organisation, PartnershipRole, Profile, Role
from tests.factories import AgreementFactory, DelegationFactory, OrganisationFactory, ProfileFactory, UserFactory, grant

PDF_BYTES = b"%PDF-1.7\n% a small test document\n%%EOF\n"


def pdf(name: str = "agreement.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def written() -> dict[str, int]:
    """How many rows each partnerships table and the audit log hold: compare before and after a refused request."""
    return {
        model.__name__: model.objects.count()
        for model in (AuditEvent, Organisation, Membership, Profile, PartnershipRole, Delegation, Agreement)
    }


def populate(partnership, count: int, *, start: int = 0) -> None:
    """`count` more of everything the overview lists: member organisations, people with roles and profiles,
    delegations in force and expired, agreements with parties."""
    for number in range(start, start + count):
        organisation = OrganisationFactory(name=f"Partner {number:03d}")
        Membership.objects.create(
            partnership=partnership, organisation=organisation, joined_on=datetime.date(2020, 1, 1)
        )
        person = UserFactory(username=f"{partnership.code.lower()}-person-{number}")
        ProfileFactory(user=person, organisation=organisation, job_title="Director of strategy")
        grant(person, partnership, Role.BOARD_MEMBER, Role.MEMBER)
        DelegationFactory(partnership=partnership, organisation=organisation, delegate=person)
        DelegationFactory(
            partnership=partnership,
            organisation=organisation,
            delegate=None,
            delegate_role=Role.NON_EXECUTIVE,
            valid_from=datetime.date(2020, 1, 1),
            valid_to=datetime.date(2021, 1, 1),
        )
        agreement = AgreementFactory(partnership=partnership, title=f"Agreement {partnership.code} {number}")
        agreement.parties.set([organisation])
