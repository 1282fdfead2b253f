"""The partnerships REST API: partnerships, organisations, memberships, roles, delegations and agreements.

Every resource is flat under /api/v1/ (`/api/v1/delegations/`, `/api/v1/delegations/12/`) and filtered by
`?partnership=QZZ`; see docs/adr/0005-api-conventions.md. Reads go through `access.py`, writes through
`services.py`: the same rules and the same audit trail as the pages.
"""

from rest_framework import routers

from .views import (
    AgreementViewSet,
    AuditEventViewSet,
    CorrectionViewSet,
    DelegationViewSet,
    MembershipViewSet,
    OrganisationAdministratorViewSet,
    OrganisationViewSet,
    PartnershipViewSet,
    RoleViewSet,
)

router = routers.SimpleRouter(use_regex_path=False)
router.register("partnerships", PartnershipViewSet, basename="partnership")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("organisation-administrators", OrganisationAdministratorViewSet, basename="organisation-administrator")
router.register("organisation-corrections", CorrectionViewSet, basename="organisation-correction")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("roles", RoleViewSet, basename="role")
router.register("delegations", DelegationViewSet, basename="delegation")
router.register("agreements", AgreementViewSet, basename="agreement")
router.register("audit-events", AuditEventViewSet, basename="audit-event")

urlpatterns = router.urls
