"""Every write to the partnerships app: pages, the API, the importer and the demo data all come through here.

Each service checks the actor's right to act, validates, writes in one transaction with its audit record, and
queues side effects (email) for after the commit.

The services are split by what they change; import them from here: `from partnerships import services`, then
`services.delegation_create(...)`.
"""

from ._common import AGREEMENT_FIELDS, DELEGATION_FIELDS, MEMBERSHIP_FIELDS, ORGANISATION_FIELDS
from .administration import (
    correction_accept,
    correction_decline,
    correction_propose,
    organisation_administrator_appoint,
    organisation_administrator_remove,
)
from .agreements import agreement_create, agreement_update
from .delegations import delegation_confirm, delegation_create, delegation_update
from .organisations import (
    membership_add,
    membership_update,
    organisation_create,
    organisation_register,
    organisation_update,
    partnership_create,
    partnership_update,
)
from .people import (
    affiliation_confirm,
    affiliation_decline,
    affiliation_set,
    person_invite,
    person_remove,
    person_second_factor_reset,
    person_update,
    profile_update,
    role_grant,
    role_revoke,
)

__all__ = [
    "AGREEMENT_FIELDS",
    "DELEGATION_FIELDS",
    "MEMBERSHIP_FIELDS",
    "ORGANISATION_FIELDS",
    "affiliation_confirm",
    "affiliation_decline",
    "affiliation_set",
    "correction_accept",
    "correction_decline",
    "correction_propose",
    "delegation_confirm",
    "organisation_administrator_appoint",
    "organisation_administrator_remove",
    "agreement_create",
    "agreement_update",
    "delegation_create",
    "delegation_update",
    "membership_add",
    "membership_update",
    "organisation_create",
    "organisation_register",
    "organisation_update",
    "partnership_create",
    "partnership_update",
    "person_invite",
    "person_remove",
    "person_second_factor_reset",
    "person_update",
    "profile_update",
    "role_grant",
    "role_revoke",
]
