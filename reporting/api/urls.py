"""The reporting REST API, included at /api/v1/ by `stp_portal/api_urls.py`: a partnership's dashboard figures and
its board digests."""

from rest_framework import routers

from .views.dashboard import DashboardViewSet
from .views.digests import DigestViewSet

router = routers.SimpleRouter(use_regex_path=False)
router.register("dashboards", DashboardViewSet, basename="dashboard")
router.register("digests", DigestViewSet, basename="digest")

urlpatterns = router.urls
