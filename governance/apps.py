from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "governance"

    def ready(self):
        from core.history import register_readable

        from .access import decisions_readable_by
        from .models import Decision

        # A confidential decision's title is for the board-level roles and its proposer; histories that name it
        # (a risk's linked decisions, a work-stream's acceptance) show the others its reference alone.
        register_readable(
            Decision,
            readable_by=decisions_readable_by,
            redacted=lambda decision: f"{decision.reference} (confidential)",
        )
