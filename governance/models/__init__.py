"""The governance app's models: decisions and their sign-off, challenge and declarations of interest; the risk
register (`risks`) and how a partnership scores risks (`risk_register`).
"""

from .challenges import Challenge, ChallengeKind
from .decisions import (
    EDITABLE_STATUSES,
    OPEN_FOR_CHALLENGE_STATUSES,
    TRANSITIONS,
    UNDECIDED_STATUSES,
    Decision,
    DecisionQuerySet,
    DecisionStatus,
    ReferenceCounter,
    Visibility,
)
from .interests import DecisionDeclaration, InterestDeclaration, InterestKind, Position
from .risk_register import (
    MATRIX_SCORES,
    AppetiteLevel,
    BandRange,
    Consequence,
    Likelihood,
    RiskAppetite,
    RiskBand,
    RiskDomain,
    RiskSettings,
)
from .risks import (
    TREND_DAYS,
    ReviewFrequency,
    Risk,
    RiskQuerySet,
    RiskReview,
    RiskScoreChange,
    RiskSource,
    RiskStatus,
    RiskTier,
    Trend,
    add_months,
)
from .settings import DecisionRule, DecisionSettings
from .signoffs import Ratification, RatificationOutcome, SignOff, SignOffRound, Vote

__all__ = [
    "EDITABLE_STATUSES",
    "MATRIX_SCORES",
    "OPEN_FOR_CHALLENGE_STATUSES",
    "TRANSITIONS",
    "TREND_DAYS",
    "UNDECIDED_STATUSES",
    "AppetiteLevel",
    "BandRange",
    "Challenge",
    "ChallengeKind",
    "Consequence",
    "Decision",
    "DecisionDeclaration",
    "DecisionQuerySet",
    "DecisionRule",
    "DecisionSettings",
    "DecisionStatus",
    "InterestDeclaration",
    "InterestKind",
    "Likelihood",
    "Position",
    "Ratification",
    "RatificationOutcome",
    "ReferenceCounter",
    "ReviewFrequency",
    "Risk",
    "RiskAppetite",
    "RiskBand",
    "RiskDomain",
    "RiskQuerySet",
    "RiskReview",
    "RiskScoreChange",
    "RiskSettings",
    "RiskSource",
    "RiskStatus",
    "RiskTier",
    "SignOff",
    "SignOffRound",
    "Trend",
    "Visibility",
    "Vote",
    "add_months",
]
