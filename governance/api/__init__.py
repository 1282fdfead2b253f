"""The governance REST API, included at /api/v1/ by `stp_portal/api_urls.py`. Decisions' resources live in `views.py`,
the risk register's in `risks.py`; board digests register theirs on the same router."""

from django.urls import path
from rest_framework import routers

from .dashboard import DashboardViewSet
from .digests import DigestViewSet
from .risks import (
    DecisionReviewDismissView,
    RiskAppetiteViewSet,
    RiskDomainViewSet,
    RiskReviewViewSet,
    RiskScoreChangeViewSet,
    RiskSettingsViewSet,
    RiskViewSet,
)
from .views import (
    ChallengeViewSet,
    DecisionViewSet,
    DeclarationViewSet,
    InterestViewSet,
    RatificationViewSet,
    SignOffViewSet,
)

router = routers.SimpleRouter(use_regex_path=False)
router.register("decisions", DecisionViewSet, basename="decision")
router.register("signoffs", SignOffViewSet, basename="signoff")
router.register("ratifications", RatificationViewSet, basename="ratification")
router.register("challenges", ChallengeViewSet, basename="challenge")
router.register("declarations", DeclarationViewSet, basename="declaration")
router.register("interests", InterestViewSet, basename="interest")
router.register("risks", RiskViewSet, basename="risk")
router.register("risk-reviews", RiskReviewViewSet, basename="risk-review")
router.register("risk-score-changes", RiskScoreChangeViewSet, basename="risk-score-change")
router.register("risk-appetites", RiskAppetiteViewSet, basename="risk-appetite")
router.register("risk-domains", RiskDomainViewSet, basename="risk-domain")
router.register("risk-settings", RiskSettingsViewSet, basename="risk-settings")
router.register("dashboards", DashboardViewSet, basename="dashboard")
router.register("digests", DigestViewSet, basename="digest")

urlpatterns = [
    *router.urls,
    path("decisions/<int:pk>/dismiss-review/", DecisionReviewDismissView.as_view(), name="decision-dismiss-review"),
]
