"""Challenge and questions on a decision, and the answers: the record that the proposal was tested."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import audit_record
from core.services import full_clean, require_text
from partnerships.access import roles_in
from partnerships.models import Role

from ..access import authorize_challenge, authorize_respond
from ..models import Challenge, ChallengeKind, Decision
from ._common import lock_decision, represented_organisation


@transaction.atomic
def challenge_raise(*, actor, decision: Decision, text: str, kind: str = ChallengeKind.CHALLENGE) -> Challenge:
    """Raise a challenge or question while the decision is open for challenge or in sign-off (anyone in the
    partnership who contributes). A non-executive's challenge is marked as such."""
    decision = lock_decision(decision)
    authorize_challenge(actor, decision)
    text = require_text(text, field="text", message="Enter your challenge or question.")
    challenge = Challenge(
        decision=decision,
        kind=kind,
        text=text,
        raised_by=actor,
        raised_by_organisation=represented_organisation(decision.partnership, actor),
        is_non_executive=Role.NON_EXECUTIVE in roles_in(actor, decision.partnership),
    )
    full_clean(challenge)
    challenge.save()
    audit_record(
        actor=actor,
        action="challenge.raised",
        target=challenge,
        summary=f"{actor} raised a {challenge.get_kind_display().lower()} on {decision.reference}",
        changes={"text": [None, text]},
        partnership_id=decision.partnership_id,
    )
    return challenge


@transaction.atomic
def challenge_respond(*, actor, challenge: Challenge, response: str) -> Challenge:
    """Answer a challenge (the decision's proposer or the lead). Answering again replaces the answer; the earlier
    one stays in the history."""
    decision = lock_decision(challenge.decision)
    authorize_respond(actor, decision)
    response = require_text(response, field="response", message="Enter your response.")
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    before = challenge.response
    if before == response:
        raise ValidationError({"response": "This is the response already recorded."})
    challenge.response, challenge.responded_by, challenge.responded_at = response, actor, timezone.now()
    full_clean(challenge)
    challenge.save(update_fields=["response", "responded_by", "responded_at"])
    audit_record(
        actor=actor,
        action="challenge.answered",
        target=challenge,
        summary=f"{actor} answered a {challenge.get_kind_display().lower()} on {decision.reference}",
        changes={"response": [before or None, response]},
        partnership_id=decision.partnership_id,
    )
    return challenge
