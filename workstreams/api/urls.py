"""The work-streams REST API, flat under /api/v1/ (docs/adr/0005-api-conventions.md): the router of the resources
in views/. Reads go through workstreams.access, writes through its services."""

from rest_framework import routers

from .views.actions import ActionViewSet, HighlightReportViewSet
from .views.meetings import AgendaItemViewSet, MeetingViewSet, PaperViewSet
from .views.workstreams import GroupMemberViewSet, WorkStreamViewSet

router = routers.SimpleRouter(use_regex_path=False)
router.register("workstreams", WorkStreamViewSet, basename="workstream")
router.register("group-members", GroupMemberViewSet, basename="group-member")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("agenda-items", AgendaItemViewSet, basename="agenda-item")
router.register("papers", PaperViewSet, basename="paper")
router.register("actions", ActionViewSet, basename="action")
router.register("highlight-reports", HighlightReportViewSet, basename="highlight-report")

urlpatterns = router.urls
