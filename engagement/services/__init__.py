"""Every write to the engagement app: pages, the API, the demo data and the admin all come through here.

Each service checks the actor's right to act (engagement/access.py), validates everything before writing, and writes
in one transaction with its audit record; files are deleted from storage only after the commit.
"""

from .activities import activity_log, activity_update, attachment_add, attachment_remove
from .expectations import expectation_remove, expectation_set, stakeholder_group_add
from .feedback import feedback_record, feedback_respond

__all__ = [
    "activity_log",
    "activity_update",
    "attachment_add",
    "attachment_remove",
    "expectation_remove",
    "expectation_set",
    "feedback_record",
    "feedback_respond",
    "stakeholder_group_add",
]
