"""Background jobs of the governance app. Each takes ids, calls one service or sender, and is safe to run twice.

Celery's autodiscovery imports this package; each module's tasks are re-exported here.
"""

from .decisions import close_overdue_signoffs, notify_decision_outcome, notify_signoff_opened, send_signoff_reminders
from .digests import build_digest, email_digest, queue_due_digests

__all__ = [
    "build_digest",
    "close_overdue_signoffs",
    "email_digest",
    "notify_decision_outcome",
    "notify_signoff_opened",
    "queue_due_digests",
    "send_signoff_reminders",
]
