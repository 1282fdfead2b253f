"""The governance app's models: decisions and their sign-off, challenge and declarations of interest.

Risks and board digests join this package later, each in a module of its own, re-exported here.
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
from .notifications import NotificationKind, SentNotification
from .settings import DecisionRule, DecisionSettings
from .signoffs import Ratification, RatificationOutcome, SignOff, SignOffRound, Vote

__all__ = [
    "EDITABLE_STATUSES",
    "OPEN_FOR_CHALLENGE_STATUSES",
    "TRANSITIONS",
    "UNDECIDED_STATUSES",
    "Challenge",
    "ChallengeKind",
    "Decision",
    "DecisionDeclaration",
    "DecisionQuerySet",
    "DecisionRule",
    "DecisionSettings",
    "DecisionStatus",
    "InterestDeclaration",
    "InterestKind",
    "NotificationKind",
    "Position",
    "Ratification",
    "RatificationOutcome",
    "ReferenceCounter",
    "SentNotification",
    "SignOff",
    "SignOffRound",
    "Visibility",
    "Vote",
]
