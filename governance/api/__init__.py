"""The governance REST API, included at /api/v1/ by `stp_portal/api_urls.py`. Resources live in `views.py`; risks
and board digests register theirs on the same router."""

from rest_framework import routers

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

urlpatterns = router.urls
