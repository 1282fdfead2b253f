"""Who a partnership engages, what it heard, what it did about it, and how often each work-stream must engage whom.

Decisions link to activities and to responses from the governance app: engagement may not import governance
(dependencies run one way), so the decision ↔ activity and response → decision links live there.
"""

from .activities import (
    ATTACHMENT_RULES,
    GUNNING_FIELDS,
    LEVEL_MEANINGS,
    ActivityAttachment,
    EngagementActivity,
    EngagementActivityQuerySet,
    GroupReached,
    Level,
    Method,
    validate_people_count,
)
from .expectations import EngagementExpectation
from .feedback import FEEDBACK_TRANSITIONS, Feedback, FeedbackQuerySet, FeedbackStatus
from .groups import StakeholderGroup, StakeholderGroupQuerySet

__all__ = [
    "ATTACHMENT_RULES",
    "FEEDBACK_TRANSITIONS",
    "GUNNING_FIELDS",
    "LEVEL_MEANINGS",
    "ActivityAttachment",
    "EngagementActivity",
    "EngagementActivityQuerySet",
    "EngagementExpectation",
    "Feedback",
    "FeedbackQuerySet",
    "FeedbackStatus",
    "GroupReached",
    "Level",
    "Method",
    "StakeholderGroup",
    "StakeholderGroupQuerySet",
    "validate_people_count",
]
