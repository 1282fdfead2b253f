"""The partnerships REST API: partnerships, organisations, memberships, roles, delegations and agreements.

Every resource is flat under /api/v1/ (`/api/v1/delegations/`, `/api/v1/delegations/12/`) and filtered by
`?partnership=QZZ`; see docs/adr/0005-api-conventions.md. Reads go through `access.py`, writes through
`services/`: the same rules and the same audit trail as the pages."""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action

from core.api.views import ServiceViewSet
from partnerships.api.filters import (
    AgreementFilter,
    DelegationFilter,
    MembershipFilter,
    OrganisationFilter,
    PartnershipFilter,
    RoleFilter,
)

from .. import services
from ..access import (
    Action,
    authorize,
    get_in_partnership_for_user,
    get_organisation_for_user,
    get_partnership_for_user,
    organisations_visible_to,
    partnerships_managed_by,
    partnerships_visible_to,
)
from ..api_access import in_visible_partnerships, role_grants_visible_to
from ..models import (
    Agreement,
    Delegation,
    Membership,
    Organisation,
    PartnershipRole,
    Role,
)
from . import serializers as shapes


class PartnershipChildViewSet(ServiceViewSet):
    """A resource whose records belong to one partnership (a `partnership` field). Later apps subclass it.

    Lists show the records of the partnerships the user can see; a record of any other partnership is 404, as
    for a record that does not exist; a write needs `write_action` in the record's partnership, or 403.
    """

    queryset = None  # the model's records with what the output needs joined: select_related / prefetch_related
    write_action = Action.MANAGE
    lookup_value_converter = "int"

    def get_queryset(self):
        return in_visible_partnerships(self.queryset.all(), self.request.user)

    def get_object(self):
        action = self.write_action if self.is_write else Action.VIEW
        return get_in_partnership_for_user(self.queryset, self.request.user, action, pk=self.kwargs["pk"])

    def authorize_create(self) -> None:
        self.partnership = partnership_named_in_request(self.request, self.write_action)


def partnership_named_in_request(request, action: Action):
    """The partnership a create names by code: 404 if the user cannot see it, 403 if they may not `action` there."""
    code = request.data.get("partnership")
    if not code or not isinstance(code, str):
        raise exceptions.ValidationError({"partnership": ["Give the partnership's code, like QZZ."]})
    return get_partnership_for_user(request.user, code, action)


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


class OrganisationViewSet(ServiceViewSet):
    """Member organisations of the partnerships you can see. A lead adds new ones and corrects their details."""

    lookup_value_converter = "int"
    serializer_class = shapes.OrganisationSerializer
    input_serializer_class = shapes.OrganisationCreateInput
    update_serializer_class = shapes.OrganisationUpdateInput
    filterset_class = OrganisationFilter

    def get_queryset(self):
        return organisations_visible_to(self.request.user).order_by("name", "pk")

    def get_object(self):
        organisation = get_organisation_for_user(self.request.user, self.kwargs["pk"])
        if self.is_write:
            self.partnership = self.partnership_to_act_in(organisation)
        return organisation

    def partnership_to_act_in(self, organisation):
        """A partnership the user leads that the organisation belongs to: its lead may correct the details."""
        partnership = partnerships_managed_by(self.request.user).filter(memberships__organisation=organisation).first()
        if partnership is None and not self.request.user.is_superuser:
            raise PermissionDenied("Only the lead of a partnership this organisation belongs to can change it.")
        return partnership

    def authorize_create(self) -> None:
        self.partnership = partnership_named_in_request(self.request, Action.MANAGE)

    def create_record(self, data):
        data.pop("partnership")
        return services.organisation_create(actor=self.request.user, partnership=self.partnership, **data)

    def update_record(self, record, data):
        return services.organisation_update(
            actor=self.request.user, partnership=self.partnership, organisation=record, **data
        )


class MembershipViewSet(PartnershipChildViewSet):
    """Which organisations are members of which partnership, and when. Set `left_on` to record one leaving."""

    queryset = Membership.objects.select_related("partnership", "organisation").order_by(
        "partnership__name", "organisation__name", "-joined_on"
    )
    serializer_class = shapes.MembershipSerializer
    input_serializer_class = shapes.MembershipCreateInput
    update_serializer_class = shapes.MembershipUpdateInput
    filterset_class = MembershipFilter

    def create_record(self, data):
        data.pop("partnership")
        return services.membership_add(actor=self.request.user, partnership=self.partnership, **data)

    def update_record(self, record, data):
        return services.membership_update(actor=self.request.user, membership=record, **data)


@extend_schema_view(
    create=extend_schema(description="Give a person a role (partnership lead only). Giving one they hold is 200."),
    destroy=extend_schema(description="Take the role away (partnership lead only). A partnership keeps one lead."),
)
class RoleViewSet(mixins.DestroyModelMixin, ServiceViewSet):
    """Who holds which role in the partnerships you can see. Create grants a role, delete revokes it."""

    http_method_names = ["get", "post", "delete", "head"]
    lookup_value_converter = "int"
    serializer_class = shapes.RoleSerializer
    input_serializer_class = shapes.RoleGrantInput
    filterset_class = RoleFilter
    related = ("content_object", "permission", "user__profile__organisation")

    def get_queryset(self):
        return (
            role_grants_visible_to(self.request.user)
            .select_related(*self.related)
            .order_by("content_object__name", "user__last_name", "user__first_name", "user__username", "pk")
        )

    def get_object(self):
        grants = PartnershipRole.objects.filter(permission__codename__in=Role.values).select_related(*self.related)
        grant = grants.filter(pk=self.kwargs["pk"]).first()
        if grant is None:
            raise Http404("No such role.")
        authorize(self.request.user, grant.content_object, Action.MANAGE if self.is_write else Action.VIEW)
        return grant

    def authorize_create(self) -> None:
        self.partnership = partnership_named_in_request(self.request, Action.MANAGE)

    def create(self, request, *args, **kwargs):
        self.require_one_record()
        self.authorize_create()
        data = self.validated_input()
        held = PartnershipRole.objects.filter(
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

    queryset = Delegation.objects.select_related(
        "partnership", "organisation", "delegate__profile__organisation"
    ).order_by("partnership__name", "organisation__name", "-valid_from", "pk")
    serializer_class = shapes.DelegationSerializer
    input_serializer_class = shapes.DelegationCreateInput
    update_serializer_class = shapes.DelegationInput
    filterset_class = DelegationFilter

    def create_record(self, data):
        data.pop("partnership")
        return services.delegation_create(actor=self.request.user, partnership=self.partnership, **data)

    def update_record(self, record, data):
        return services.delegation_update(actor=self.request.user, delegation=record, **data)


class AgreementViewSet(PartnershipChildViewSet):
    """Agreements between partners, with their documents. Send a document as multipart/form-data."""

    queryset = (
        Agreement.objects.select_related("partnership")
        .prefetch_related(Prefetch("parties", queryset=Organisation.objects.order_by("name")))
        .order_by("partnership__name", "review_on", "title", "pk")
    )
    serializer_class = shapes.AgreementSerializer
    input_serializer_class = shapes.AgreementCreateInput
    update_serializer_class = shapes.AgreementInput
    filterset_class = AgreementFilter

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
            raise Http404("This agreement has no document.")
        return FileResponse(agreement.document.open("rb"), as_attachment=True, filename=agreement.document_filename)
