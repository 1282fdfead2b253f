"""The partnership's decision rule over the API: read by anyone who sees the partnership, changed by its lead."""

from rest_framework import status
from rest_framework.response import Response

from core.api.views import ServiceViewSet
from partnerships.access import Action, get_partnership_for_user, partnerships_visible_to

from ...services import decisions as services
from ..serializers import decision_settings as shapes


class DecisionSettingsViewSet(ServiceViewSet):
    """Each partnership's decision rule, at /api/v1/decision-settings/<code>/. The lead changes it with PATCH; as
    on the page, a sign-off under way keeps the rule it opened with."""

    lookup_field = "code"
    lookup_value_converter = "str"
    serializer_class = shapes.DecisionSettingsSerializer
    update_serializer_class = shapes.DecisionSettingsInput
    http_method_names = ["get", "patch", "head"]

    def get_queryset(self):
        return partnerships_visible_to(self.request.user).select_related("decision_settings").order_by("code")

    def get_object(self):
        partnership = get_partnership_for_user(
            self.request.user, self.kwargs["code"], Action.MANAGE if self.is_write else Action.VIEW
        )
        return self.get_queryset().get(pk=partnership.pk)

    def update_record(self, record, data):
        services.decision_settings_update(actor=self.request.user, partnership=record, **data)
        return record

    def answer(self, record, *, status_code: int = status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=record.pk)).data, status=status_code)
