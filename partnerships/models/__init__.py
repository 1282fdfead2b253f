"""Who is in each partnership, who may do what there, and on whose authority: partnerships and roles
(`partnerships`), organisations, their memberships and people's profiles (`organisations`), delegations of authority
(`delegations`), agreements (`agreements`), and organisations' own administrators and the corrections proposed
to their records (`administration`)."""

from .administration import CorrectionStatus, OrganisationCorrection, OrganisationRole
from .agreements import (
    REVIEW_NOTICE_DAYS,
    Agreement,
    AgreementKind,
    AgreementQuerySet,
    AgreementStatus,
    agreement_upload_path,
)
from .delegations import Delegation, DelegationQuerySet
from .organisations import (
    Membership,
    MembershipKind,
    MembershipQuerySet,
    Organisation,
    OrganisationKind,
    OrganisationQuerySet,
    Profile,
    ods_code_validator,
)
from .partnerships import (
    DecisionCategory,
    GovernanceForm,
    Partnership,
    PartnershipQuerySet,
    PartnershipRole,
    Role,
    ons_code_validator,
    partnership_code_validator,
)

__all__ = [
    "partnership_code_validator",
    "GovernanceForm",
    "DecisionCategory",
    "Role",
    "PartnershipQuerySet",
    "Partnership",
    "PartnershipRole",
    "ods_code_validator",
    "ons_code_validator",
    "OrganisationKind",
    "OrganisationQuerySet",
    "Organisation",
    "MembershipKind",
    "MembershipQuerySet",
    "Membership",
    "Profile",
    "OrganisationRole",
    "CorrectionStatus",
    "OrganisationCorrection",
    "DelegationQuerySet",
    "Delegation",
    "AgreementKind",
    "AgreementStatus",
    "REVIEW_NOTICE_DAYS",
    "AgreementQuerySet",
    "agreement_upload_path",
    "Agreement",
]
