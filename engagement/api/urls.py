"""The engagement REST API: stakeholder groups, activities (with their documents), "you said, we did" feedback,
expectations and coverage.

Flat resources under /api/v1/, filtered by `?partnership=QZZ`, as in docs/adr/0005-api-conventions.md. Reads go
through `access.py` and `selectors/`, writes through `services.py`: the same rules, messages and audit trail as
the pages.
"""

from rest_framework import routers

from .views import (
    ActivityViewSet,
    CoverageViewSet,
    ExpectationViewSet,
    FeedbackViewSet,
    StakeholderGroupViewSet,
)

router = routers.SimpleRouter(use_regex_path=False)
router.register("stakeholder-groups", StakeholderGroupViewSet, basename="stakeholder-group")
router.register("engagement-activities", ActivityViewSet, basename="engagement-activity")
router.register("feedback", FeedbackViewSet, basename="feedback")
router.register("engagement-expectations", ExpectationViewSet, basename="engagement-expectation")
router.register("engagement-coverage", CoverageViewSet, basename="engagement-coverage")

urlpatterns = router.urls
