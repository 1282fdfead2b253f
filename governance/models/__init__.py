"""The governance app's models: decisions and their sign-off, challenge and declarations of interest; the risk
register (`risks`) and how a partnership scores risks (`risk_register`).

Board digests (`digests`): each partnership's schedule and the digests built for it.
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
from .digests import PERIOD_DAYS, Digest, DigestFrequency, DigestSchedule, DigestStatus, Weekday, period_for
from .interests import DecisionDeclaration, InterestDeclaration, InterestKind, Position
from .notifications import NotificationKind, SentNotification
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
    "PERIOD_DAYS",
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
    "Digest",
    "DigestFrequency",
    "DigestSchedule",
    "DigestStatus",
    "InterestDeclaration",
    "InterestKind",
    "Likelihood",
    "NotificationKind",
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
    "SentNotification",
    "SignOff",
    "SignOffRound",
    "Trend",
    "Visibility",
    "Vote",
    "Weekday",
    "add_months",
    "period_for",
]
