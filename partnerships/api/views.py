"""The partnerships REST API: partnerships, organisations, memberships, roles, delegations and agreements.

Every resource is flat under /api/v1/ (`/api/v1/delegations/`, `/api/v1/delegations/12/`) and filtered by
`?partnership=QZZ`; see docs/adr/0005-api-conventions.md. Reads go through `access.py`, writes through
`services/`: the same rules and the same audit trail as the pages."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, parsers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.views import ServiceViewSet
from core.http import Absent, download
from partnerships.api.filters import (
    AgreementFilter,
    AuditEventFilter,
    CorrectionFilter,
    DelegationFilter,
    MembershipFilter,
    OrganisationAdministratorFilter,
    OrganisationFilter,
    PartnershipFilter,
    RoleFilter,
)

from .. import services
from ..access import (
    Action,
    agreements_visible_to,
    audit_events_visible_to,
    corrections_visible_to,
    delegations_visible_to,
    get_agreement_for_user,
    get_audit_event_for_user,
    get_correction_for_user,
    get_correction_to_answer_for_user,
    get_delegation_for_user,
    get_membership_for_user,
    get_organisation_administrator_for_user,
    get_organisation_for_user,
    get_partnership_for_user,
    get_role_grant_for_user,
    get_role_or_affiliation_for_user,
    memberships_visible_to,
    organisation_administrators_visible_to,
    organisations_visible_to,
    partnership_for_delegation,
    partnership_named_for_user,
    partnerships_visible_to,
    roles_and_affiliations_visible_to,
)
from ..selectors.history import with_partnership_codes
from ..selectors.partnerships import with_parties
from . import serializers as shapes


class PartnershipChildViewSet(ServiceViewSet):
    """A resource whose records belong to one partnership (a `partnership` field). Later apps subclass it.

    A subclass lists its records through its `<nouns>_visible_to(user)` in `get_queryset` and names its
    `get_<noun>_for_user(user, pk, action)` as `get_for_user`: lists show the records of the partnerships the user
    can see; a record of any other partnership is 404, as for a record that does not exist; a write needs
    `write_action` in the record's partnership, or 403.
    """

    get_for_user = None  # staticmethod(get_<noun>_for_user), from the app's access.py
    write_action = Action.MANAGE
    lookup_value_converter = "int"

    def get_object(self):
        action = self.write_action if self.is_write else Action.VIEW
        return self.get_for_user(self.request.user, self.kwargs["pk"], action)

    def authorize_create(self) -> None:
        self.partnership = partnership_named_in_request(self.request, self.write_action)


def partnership_named_in_request(request, action: Action):
    """The partnership a create names by code (`partnerships.access.partnership_named_for_user`)."""
    return partnership_named_for_user(request.user, request.data.get("partnership"), action)


@extend_schema_view(create=extend_schema(description="Register a partnership: service administrators only."))
class PartnershipViewSet(ServiceViewSet):
    """The partnerships you have a role in. Their lead changes their details."""

    lookup_field = "code"
    lookup_value_converter = "str"
    serializer_class = shapes.PartnershipSerializer
    input_serializer_class = shapes.PartnershipCreateInput
    update_serializer_class = shapes.PartnershipUpdateInput
    filterset_class = PartnershipFilter

    def get_queryset(self):
        return partnerships_visible_to(self.request.user).with_member_counts().order_by("name")

    def get_object(self):
        action = Action.MANAGE if self.is_write else Action.VIEW
        return get_partnership_for_user(self.request.user, self.kwargs["code"], action)

    def create_record(self, data):
        return services.partnership_create(actor=self.request.user, **data)

    def update_record(self, record, data):
        return services.partnership_update(actor=self.request.user, partnership=record, **data)


@extend_schema_view(
    partial_update=extend_schema(
        description="Change the organisation's shared record: its administrators (all but the ODS code and postcode) "
        "and service administrators. A partnership lead proposes a correction instead (/api/v1/organisation-"
        "corrections/)."
    )
)
class OrganisationViewSet(ServiceViewSet):
    """Member organisations of the partnerships you can see, and the organisations you administer. A lead adds new
    ones; the organisation's administrators keep its shared record, which every partnership that lists it relies on."""

    lookup_value_converter = "int"
    serializer_class = shapes.OrganisationSerializer
    input_serializer_class = shapes.OrganisationCreateInput
    update_serializer_class = shapes.OrganisationUpdateInput
    filterset_class = OrganisationFilter

    def get_queryset(self):
        return (
            organisations_visible_to(self.request.user)
            .prefetch_related("administrator_grants__user")
            .order_by("name", "pk")
        )

    def get_object(self):
        return get_organisation_for_user(self.request.user, self.kwargs["pk"], change=self.is_write)

    def authorize_create(self) -> None:
        self.partnership = partnership_named_in_request(self.request, Action.MANAGE)

    def create_record(self, data):
        data.pop("partnership")
        return services.organisation_create(actor=self.request.user, partnership=self.partnership, **data)

    def update_record(self, record, data):
        return services.organisation_update(actor=self.request.user, organisation=record, **data)


class MembershipViewSet(PartnershipChildViewSet):
    """Which organisations are members of which partnership, and when. Set `left_on` to record one leaving."""

    get_for_user = staticmethod(get_membership_for_user)
    serializer_class = shapes.MembershipSerializer
    input_serializer_class = shapes.MembershipCreateInput
    update_serializer_class = shapes.MembershipUpdateInput
    filterset_class = MembershipFilter

    def get_queryset(self):
        return (
            memberships_visible_to(self.request.user)
            .select_related("partnership", "organisation")
            .order_by("partnership__name", "organisation__name", "-joined_on")
        )

    def create_record(self, data):
        data.pop("partnership")
        return services.membership_add(actor=self.request.user, partnership=self.partnership, **data)

    def update_record(self, record, data):
        return services.membership_update(actor=self.request.user, membership=record, **data)


@extend_schema_view(
    create=extend_schema(description="Give a person a role (partnership lead only). Giving one they hold is 200."),
    partial_update=extend_schema(
        description="Record whom the person represents in the partnership (partnership lead only): it changes all "
        "their roles there, and awaits confirmation by the organisation's administrators."
    ),
    destroy=extend_schema(description="Take the role away (partnership lead only). A partnership keeps one lead."),
)
class RoleViewSet(mixins.DestroyModelMixin, ServiceViewSet):
    """Who holds which role in the partnerships you can see, and whom each person represents there; with the roles
    of those who represent an organisation you administer, whose affiliation you confirm or decline. Create grants
    a role, delete revokes it."""

    http_method_names = ["get", "post", "patch", "delete", "head"]
    lookup_value_converter = "int"
    serializer_class = shapes.RoleSerializer
    input_serializer_class = shapes.RoleGrantInput
    update_serializer_class = shapes.RoleUpdateInput
    filterset_class = RoleFilter
    related = ("content_object", "permission", "user__profile__organisation", "organisation")

    def get_queryset(self):
        return (
            roles_and_affiliations_visible_to(self.request.user)
            .select_related(*self.related)
            .order_by("content_object__name", "user__last_name", "user__first_name", "user__username", "pk")
        )

    def get_object(self):
        if self.is_write:
            return get_role_grant_for_user(self.request.user, self.kwargs["pk"], Action.MANAGE)
        return get_role_or_affiliation_for_user(self.request.user, self.kwargs["pk"])

    def get_input_serializer_class(self):
        if self.action == "decline_affiliation":
            return shapes.AffiliationDeclineInput
        return super().get_input_serializer_class()

    def update_record(self, grant, data):
        if "organisation" in data:
            services.affiliation_set(
                actor=self.request.user,
                partnership=grant.content_object,
                user=grant.user,
                organisation=data["organisation"],
            )
        return grant

    @extend_schema(request=None, responses=shapes.RoleSerializer)
    @action(detail=True, methods=["post"], url_path="confirm-affiliation")
    def confirm_affiliation(self, request, pk=None):
        """Confirm that the person represents your organisation in the partnership (its administrators only)."""
        grant = get_role_or_affiliation_for_user(request.user, pk)
        services.affiliation_confirm(actor=request.user, partnership=grant.content_object, user=grant.user)
        return self.answer(grant)

    @extend_schema(request=shapes.AffiliationDeclineInput, responses=shapes.RoleSerializer)
    @action(detail=True, methods=["post"], url_path="decline-affiliation")
    def decline_affiliation(self, request, pk=None):
        """Say that the person does not represent your organisation in the partnership, and why (its administrators
        only): they then represent no organisation there until the lead records another. The answer is the role as
        it now stands, which you may no longer see afterwards."""
        grant = get_role_or_affiliation_for_user(request.user, pk)
        services.affiliation_decline(
            actor=request.user, partnership=grant.content_object, user=grant.user, **self.validated_input()
        )
        grant.refresh_from_db()
        return Response(self.get_serializer(grant).data)

    def authorize_create(self) -> None:
        self.partnership = partnership_named_in_request(self.request, Action.MANAGE)

    @extend_schema(
        responses={
            201: shapes.RoleSerializer,
            200: OpenApiResponse(shapes.RoleSerializer, description="The person already held the role: no change."),
        }
    )
    def create(self, request, *args, **kwargs):
        self.require_one_record()
        self.authorize_create()
        data = self.validated_input()
        held = roles_and_affiliations_visible_to(request.user).filter(
            content_object=self.partnership, user=data["person"], permission__codename=data["role"]
        )
        already_held = held.exists()
        services.role_grant(actor=request.user, partnership=self.partnership, user=data["person"], role=data["role"])
        return self.answer(held.get(), status_code=status.HTTP_200_OK if already_held else status.HTTP_201_CREATED)

    def perform_destroy(self, grant):
        services.role_revoke(
            actor=self.request.user, partnership=grant.content_object, user=grant.user, role=grant.permission.codename
        )


class DelegationViewSet(PartnershipChildViewSet):
    """Who may commit each member organisation to which decisions, up to what value, and when."""

    get_for_user = staticmethod(get_delegation_for_user)
    serializer_class = shapes.DelegationSerializer
    input_serializer_class = shapes.DelegationCreateInput
    update_serializer_class = shapes.DelegationInput
    filterset_class = DelegationFilter

    def get_queryset(self):
        return (
            delegations_visible_to(self.request.user)
            .select_related(
                "partnership",
                "organisation",
                "delegate__profile__organisation",
                "recorded_by__profile__organisation",
                "confirmed_by__profile__organisation",
            )
            .order_by("partnership__name", "organisation__name", "-valid_from", "pk")
        )

    def get_object(self):
        return get_delegation_for_user(self.request.user, self.kwargs["pk"], change=self.is_write)

    def authorize_create(self) -> None:
        """The lead, or an administrator of a member organisation, records delegations: the service decides."""
        self.partnership = partnership_for_delegation(self.request.user, self.request.data.get("partnership"))

    def create_record(self, data):
        data.pop("partnership")
        return services.delegation_create(actor=self.request.user, partnership=self.partnership, **data)

    def update_record(self, record, data):
        return services.delegation_update(actor=self.request.user, delegation=record, **data)

    @extend_schema(request=None, responses=shapes.DelegationSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        """Confirm the delegation against your organisation's own scheme of delegation (its administrators only):
        from then on only they change or end it."""
        delegation = get_delegation_for_user(request.user, pk)
        services.delegation_confirm(actor=request.user, delegation=delegation)
        return self.answer(delegation)


@extend_schema_view(
    create=extend_schema(
        description="Appoint an administrator of an organisation: a service administrator appoints its first; its "
        "administrators appoint others. Appointing someone who is one already is 200.",
        responses={
            201: shapes.OrganisationAdministratorSerializer,
            200: OpenApiResponse(
                shapes.OrganisationAdministratorSerializer, description="They were an administrator already."
            ),
        },
    ),
    destroy=extend_schema(
        description="Remove an administrator: the organisation's administrators or a service administrator. Its last "
        "administrator is removed only by a service administrator."
    ),
)
class OrganisationAdministratorViewSet(mixins.DestroyModelMixin, ServiceViewSet):
    """Who administers the organisations you can see: its board or company secretary and governance team, who keep
    its record, confirm who represents it and confirm its delegations."""

    http_method_names = ["get", "post", "delete", "head"]
    lookup_value_converter = "int"
    serializer_class = shapes.OrganisationAdministratorSerializer
    input_serializer_class = shapes.OrganisationAdministratorInput
    filterset_class = OrganisationAdministratorFilter

    def get_queryset(self):
        return (
            organisation_administrators_visible_to(self.request.user)
            .select_related("content_object", "user__profile__organisation")
            .order_by("content_object__name", "user__last_name", "user__first_name", "user__username", "pk")
        )

    def get_object(self):
        return get_organisation_administrator_for_user(self.request.user, self.kwargs["pk"])

    def create(self, request, *args, **kwargs):
        self.require_one_record()
        data = self.validated_input()
        held = self.get_queryset().filter(content_object=data["organisation"], user=data["user"])
        already_held = held.exists()
        services.organisation_administrator_appoint(actor=request.user, **data)
        return self.answer(held.get(), status_code=status.HTTP_200_OK if already_held else status.HTTP_201_CREATED)

    def perform_destroy(self, grant):
        services.organisation_administrator_remove(
            actor=self.request.user, organisation=grant.content_object, user=grant.user
        )


@extend_schema_view(
    create=extend_schema(
        description="Propose a correction to an organisation's record from a partnership that lists it (its lead "
        "only): send the fields to change with their proposed values, and the reason. The organisation's "
        "administrators answer it."
    )
)
class CorrectionViewSet(ServiceViewSet):
    """Corrections proposed to organisations' shared records: those to the organisations you administer, and those
    proposed from the partnerships you can see. The organisation's administrators accept or decline them (a service
    administrator answers those to an ODS code or postcode)."""

    lookup_value_converter = "int"
    http_method_names = ["get", "post", "head"]
    serializer_class = shapes.CorrectionSerializer
    input_serializer_class = shapes.CorrectionCreateInput
    filterset_class = CorrectionFilter
    ANSWER_INPUTS = {"accept": shapes.CorrectionAcceptInput, "decline": shapes.CorrectionDeclineInput}

    def get_queryset(self):
        return (
            corrections_visible_to(self.request.user)
            .select_related(
                "organisation",
                "partnership",
                "proposed_by__profile__organisation",
                "answered_by__profile__organisation",
            )
            .order_by("-created_at", "-pk")
        )

    def get_object(self):
        return get_correction_for_user(self.request.user, self.kwargs["pk"])

    def get_input_serializer_class(self):
        return self.ANSWER_INPUTS.get(self.action) or super().get_input_serializer_class()

    def authorize_create(self) -> None:
        self.partnership = partnership_named_in_request(self.request, Action.MANAGE)

    def create_record(self, data):
        data.pop("partnership")
        return services.correction_propose(actor=self.request.user, partnership=self.partnership, **data)

    def _answer(self, service):
        correction = get_correction_to_answer_for_user(self.request.user, self.kwargs["pk"])
        service(actor=self.request.user, correction=correction, **self.validated_input())
        return self.answer(correction)

    @extend_schema(request=shapes.CorrectionAcceptInput, responses=shapes.CorrectionSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Accept the correction, with an optional answer: the record takes the proposed values."""
        return self._answer(services.correction_accept)

    @extend_schema(request=shapes.CorrectionDeclineInput, responses=shapes.CorrectionSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        """Decline the correction, saying why: the record stays as it is."""
        return self._answer(services.correction_decline)


@extend_schema_view(
    create=extend_schema(request={"multipart/form-data": shapes.AgreementCreateInput}),
    partial_update=extend_schema(request={"multipart/form-data": shapes.AgreementInput}),
)
class AgreementViewSet(PartnershipChildViewSet):
    """Agreements between partners, with their documents. Send a document as multipart/form-data."""

    get_for_user = staticmethod(get_agreement_for_user)
    # The schema offers multipart/form-data, which carries a document; JSON is still read, for a record without one.
    # One content type per operation in the schema: a generated client (openapi-python-client) cannot import an
    # operation offered in two (docs/adr/0014).
    parser_classes = [parsers.MultiPartParser, parsers.JSONParser]
    serializer_class = shapes.AgreementSerializer
    input_serializer_class = shapes.AgreementCreateInput
    update_serializer_class = shapes.AgreementInput
    filterset_class = AgreementFilter

    def get_queryset(self):
        return with_parties(agreements_visible_to(self.request.user).select_related("partnership")).order_by(
            "partnership__name", "review_on", "title", "pk"
        )

    def create_record(self, data):
        data.pop("partnership")
        return services.agreement_create(actor=self.request.user, partnership=self.partnership, **data)

    def update_record(self, record, data):
        return services.agreement_update(actor=self.request.user, agreement=record, **data)

    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY, description="The document."),
            404: OpenApiResponse(description="No such agreement that you can see, or it has no document."),
        },
        filters=False,
    )
    @action(detail=True, methods=["get"], url_path="document", filter_backends=[])
    def document(self, request, pk=None):
        """Download the agreement's document: anyone who can see the agreement may."""
        agreement = self.get_object()
        if not agreement.document:
            raise Absent("This agreement has no document.")
        return download(agreement.document, filename=agreement.document_filename)


class AuditEventViewSet(ServiceViewSet):
    """The audit trail you may read: every event of the partnerships you lead, and the changes to the organisations
    you administer (their record, delegations, memberships and affiliations). Read-only."""

    http_method_names = ["get", "head"]
    lookup_value_converter = "int"
    serializer_class = shapes.AuditEventSerializer
    filterset_class = AuditEventFilter

    def get_queryset(self):
        return with_partnership_codes(audit_events_visible_to(self.request.user)).order_by("-at", "-id")

    def get_object(self):
        return get_audit_event_for_user(self.request.user, self.kwargs["pk"])
