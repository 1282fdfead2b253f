"""`GET /api/v1/dashboards/<code>/`: the partnership dashboard's figures as JSON, for everyone with a role in the
partnership (404 for anyone else, as for a partnership that does not exist). The same figures as the page, from the
same stored figures (reporting/selectors/dashboard_store.py)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import renderers, viewsets
from rest_framework.response import Response

from partnerships.access import get_partnership_for_user

from ...selectors.dashboard import for_viewer
from ...selectors.dashboard_store import stored_dashboard
from ..serializers import DashboardSerializer


@extend_schema(
    tags=["dashboards"],
    parameters=[
        OpenApiParameter(
            "code", OpenApiTypes.STR, OpenApiParameter.PATH, description="The partnership's code, like QZZ."
        )
    ],
    responses={200: DashboardSerializer},
)
class DashboardViewSet(viewsets.GenericViewSet):
    """The whole partnership at a glance: work-streams, decisions awaiting sign-off, risks, actions, engagement gaps,
    governance health and twelve months of trends. Confidential decisions you may not read show only their
    reference, status and dates."""

    lookup_field = "code"
    lookup_value_converter = "str"
    renderer_classes = [renderers.JSONRenderer]
    serializer_class = DashboardSerializer
    pagination_class = None
    filter_backends = []

    def retrieve(self, request, code=None):
        partnership = get_partnership_for_user(request.user, code)
        figures = for_viewer(stored_dashboard(partnership).dashboard, request.user)
        return Response(DashboardSerializer(figures).data)
