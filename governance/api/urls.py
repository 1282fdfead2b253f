"""The governance REST API, included at /api/v1/ by `stp_portal/api_urls.py`: the decision register's resources
(`views/decisions.py`) and the risk register's (`views/risks.py`)."""

from django.urls import path
from rest_framework import routers

from .views.decision_settings import DecisionSettingsViewSet
from .views.decisions import (
    ChallengeViewSet,
    DecisionViewSet,
    DeclarationViewSet,
    DeclarationWithdrawalViewSet,
    InterestViewSet,
    RatificationViewSet,
    SignOffViewSet,
)
from .views.risks import (
    DecisionReviewDismissView,
    RiskAppetiteViewSet,
    RiskDomainViewSet,
    RiskReviewViewSet,
    RiskScoreChangeViewSet,
    RiskSettingsViewSet,
    RiskViewSet,
)

router = routers.SimpleRouter(use_regex_path=False)
router.register("decisions", DecisionViewSet, basename="decision")
router.register("signoffs", SignOffViewSet, basename="signoff")
router.register("ratifications", RatificationViewSet, basename="ratification")
router.register("challenges", ChallengeViewSet, basename="challenge")
router.register("declarations", DeclarationViewSet, basename="declaration")
router.register("declaration-withdrawals", DeclarationWithdrawalViewSet, basename="declaration-withdrawal")
router.register("interests", InterestViewSet, basename="interest")
router.register("decision-settings", DecisionSettingsViewSet, basename="decision-settings")
router.register("risks", RiskViewSet, basename="risk")
router.register("risk-reviews", RiskReviewViewSet, basename="risk-review")
router.register("risk-score-changes", RiskScoreChangeViewSet, basename="risk-score-change")
router.register("risk-appetites", RiskAppetiteViewSet, basename="risk-appetite")
router.register("risk-domains", RiskDomainViewSet, basename="risk-domain")
router.register("risk-settings", RiskSettingsViewSet, basename="risk-settings")

urlpatterns = [
    *router.urls,
    path("decisions/<int:pk>/dismiss-review/", DecisionReviewDismissView.as_view(), name="decision-dismiss-review"),
]
