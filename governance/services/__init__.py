"""Every write to the governance app: pages, the API, tasks, the demo data and the admin come through here.

Decisions (`decisions`, `lifecycle`), sign-off (`signoffs`), challenge (`challenges`) and declarations of interest
(`interests`), the emails they send (`notifications`); the risk register (`risks`, `risk_reviews`, `risk_register`).
"""

from .challenges import challenge_raise, challenge_respond
from .decisions import (
    decision_propose,
    decision_publication_update,
    decision_settings_update,
    decision_update,
    full_members,
)
from .evidence import decision_evidence_link
from .interests import (
    decision_declare,
    declaration_withdrawal_confirm,
    declaration_withdrawal_decline,
    declaration_withdrawal_request,
    interest_declare,
    interest_update,
)
from .lifecycle import (
    decision_defer,
    decision_open_for_challenge,
    decision_open_signoff,
    decision_ratify_at_board,
    decision_reopen,
    decision_supersede,
    decision_withdraw,
    signoff_extend,
)
from .signoffs import ratification_record, signoff_close_at_deadline, signoff_record, signoff_record_with_code

__all__ = [
    "challenge_raise",
    "challenge_respond",
    "decision_declare",
    "decision_defer",
    "decision_evidence_link",
    "decision_open_for_challenge",
    "decision_open_signoff",
    "decision_propose",
    "decision_publication_update",
    "decision_ratify_at_board",
    "decision_reopen",
    "decision_settings_update",
    "decision_supersede",
    "decision_update",
    "decision_withdraw",
    "declaration_withdrawal_confirm",
    "declaration_withdrawal_decline",
    "declaration_withdrawal_request",
    "full_members",
    "interest_declare",
    "interest_update",
    "ratification_record",
    "signoff_close_at_deadline",
    "signoff_extend",
    "signoff_record",
    "signoff_record_with_code",
]
