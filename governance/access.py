"""Who may see and do what with decisions, sign-offs, challenges and declarations, derived from `partnerships.access`.

- Anyone with a role in the partnership sees its decision register; someone without one gets 404.
- Confidential decisions: the partnership lead, board members, non-executive members and the decision's proposer
  see everything. Members and viewers see that it exists — reference, category, status, dates, why it is
  confidential and when that is reviewed — but not its title, case, value, votes, challenge or declarations.
  Nobody outside the partnership, and nothing public (the public page, the feed), sees it at all.
- Members, non-executives, board members and the lead propose decisions, raise challenges and declare interests.
- The proposer (or the lead) edits a draft, opens it for challenge, withdraws it before sign-off, and answers
  challenges. The lead opens sign-off, records ratifications, defers, reopens, supersedes and sets the rule.
- Signing needs a delegation covering the decision (see `selectors.validity`).
- Each step on a decision's page has one rule here, `can_<step>`, and the step's service calls `authorize_<step>`,
  built on it: a button is shown exactly when its service would accept (governance/tests/test_rules.py).
- Risks: see the section at the end.
"""

from enum import StrEnum

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from partnerships.access import (
    Action,
    authorize,
    can,
    get_in_partnership_for_user,
    partnerships_visible_to,
    roles_in,
)
from partnerships.models import Partnership, PartnershipRole, Role
from workstreams.access import Access as WorkStreamAccess
from workstreams.access import can_in_workstream

from .models import (
    EDITABLE_STATUSES,
    Challenge,
    Decision,
    DecisionDeclaration,
    DecisionStatus,
    DeclarationWithdrawal,
    InterestDeclaration,
    Ratification,
    Risk,
    RiskAppetite,
    RiskDomain,
    RiskReview,
    RiskScoreChange,
    RiskTier,
    SignOff,
    Visibility,
    WithdrawalStatus,
)

CONFIDENTIAL_ROLES = frozenset({Role.LEAD, Role.BOARD_MEMBER, Role.NON_EXECUTIVE})
RESULTS = frozenset({DecisionStatus.APPROVED, DecisionStatus.REJECTED})


def decisions_visible_to(user) -> QuerySet[Decision]:
    """Decisions in the partnerships the user has a role in (confidential ones included, to be redacted)."""
    return Decision.objects.filter(partnership__in=partnerships_visible_to(user))


def decisions_readable_by(user) -> QuerySet[Decision]:
    """Decisions the user may read in full: what lists of sign-offs, challenges and declarations draw from."""
    if not user.is_authenticated:
        return Decision.objects.none()
    if user.is_superuser:
        return Decision.objects.all()
    board_level = PartnershipRole.objects.filter(user=user, permission__codename__in=CONFIDENTIAL_ROLES)
    return decisions_visible_to(user).filter(
        Q(visibility=Visibility.PUBLIC)
        | Q(partnership__in=board_level.values("content_object_id"))
        | Q(proposer_id=user.pk)
    )


def signoffs_readable_by(user) -> QuerySet[SignOff]:
    """Every vote, changed ones included, on the decisions the user may read in full."""
    return SignOff.objects.filter(decision__in=decisions_readable_by(user))


def ratifications_readable_by(user) -> QuerySet[Ratification]:
    """Partner boards' ratifications of the decisions the user may read in full."""
    return Ratification.objects.filter(decision__in=decisions_readable_by(user))


def challenges_readable_by(user) -> QuerySet[Challenge]:
    """Challenges and questions, with their answers, on the decisions the user may read in full."""
    return Challenge.objects.filter(decision__in=decisions_readable_by(user))


def declarations_readable_by(user) -> QuerySet[DecisionDeclaration]:
    """What each person declared on the decisions the user may read in full."""
    return DecisionDeclaration.objects.filter(decision__in=decisions_readable_by(user))


def get_decision_for_user(user, pk: int, action: Action = Action.VIEW) -> Decision:
    """A decision, or 404 if the user has no role in its partnership, 403 if their roles do not allow `action`."""
    return get_in_partnership_for_user(
        Decision.objects.select_related("partnership", "current_round", "proposer", "workstream", "meeting"),
        user,
        action,
        pk=pk,
    )


def sees_confidential(user, partnership: Partnership) -> bool:
    """Whether the user's roles show them confidential decisions in full (their own proposals aside)."""
    return bool(roles_in(user, partnership) & CONFIDENTIAL_ROLES)


def can_see_details(user, decision: Decision) -> bool:
    """Whether the user may read the decision in full: anyone in the partnership for a public one; for a confidential
    one, the board-level roles and its proposer."""
    if decision.visibility == Visibility.PUBLIC:
        return bool(roles_in(user, decision.partnership))
    return sees_confidential(user, decision.partnership) or decision.proposer_id == user.pk


def authorize_details(user, decision: Decision) -> None:
    """403 for someone in the partnership who may not read this confidential decision."""
    if not can_see_details(user, decision):
        raise PermissionDenied("This decision is confidential to the partnership board.")


def is_lead(user, partnership: Partnership) -> bool:
    """Whether the user is the partnership's lead, who alone manages its decision register."""
    return can(user, partnership, Action.MANAGE)


def is_proposer_or_lead(user, decision: Decision) -> bool:
    """Whether the user proposed the decision or leads its partnership: who take the proposer's steps."""
    return decision.proposer_id == user.pk or is_lead(user, decision.partnership)


def authorize_proposer_or_lead(user, decision: Decision) -> None:
    """For the proposer's own steps: 404 outside the partnership, 403 for anyone but the proposer and the lead."""
    authorize(user, decision.partnership, Action.VIEW)
    if not is_proposer_or_lead(user, decision):
        raise PermissionDenied("Only the proposer or the partnership lead can do this.")


def can_contribute(user, partnership: Partnership) -> bool:
    """Whether the user may propose decisions, raise challenges and declare interests: every role but viewer."""
    return can(user, partnership, Action.CONTRIBUTE)


def can_mark_urgent(user, partnership: Partnership) -> bool:
    """Whether the user may mark a decision urgent, to be taken between board meetings: the lead."""
    return is_lead(user, partnership)


def decisions_editable_by(user, partnership: Partnership) -> QuerySet[Decision]:
    """The partnership's decisions the user may still change: `can_edit` for a list, in one query."""
    decisions = Decision.objects.filter(partnership=partnership, status__in=EDITABLE_STATUSES)
    return decisions if is_lead(user, partnership) else decisions.filter(proposer_id=user.pk)


# --- The steps of a decision ------------------------------------------------------------------------------------------
# One rule per step, asked twice: `can_<step>` tells the decision's page whether to offer the step, and
# `authorize_<step>` (built on it) is what the step's service calls on the locked decision: 404 outside the
# partnership, 403 for a role that may not take the step, 400 for one that may but not in the decision's state.


def _status(decision: Decision) -> str:
    return decision.get_status_display().lower()


def _refuse_unless(allowed: bool, message: str) -> None:
    """The 400 for a step the user's role allows but the decision's state (or their delegation) does not."""
    if not allowed:
        raise ValidationError(message)


def _authorize_contributor(user, decision: Decision) -> None:
    authorize(user, decision.partnership, Action.CONTRIBUTE)
    authorize_details(user, decision)


def can_edit(user, decision: Decision) -> bool:
    """The proposer or the lead change a decision, and its links, until sign-off opens."""
    return decision.is_editable and is_proposer_or_lead(user, decision)


def authorize_edit(user, decision: Decision) -> None:
    """`can_edit` for the services that change a decision or its evidence."""
    authorize_proposer_or_lead(user, decision)
    _refuse_unless(can_edit(user, decision), f"A decision that is {_status(decision)} cannot be changed.")


def can_open_for_challenge(user, decision: Decision) -> bool:
    """The proposer or the lead put a draft before the partnership for challenge."""
    return decision.can_become(DecisionStatus.OPEN_FOR_CHALLENGE) and is_proposer_or_lead(user, decision)


def authorize_open_for_challenge(user, decision: Decision) -> None:
    """`can_open_for_challenge` for its service."""
    authorize_proposer_or_lead(user, decision)
    message = f"You cannot open for challenge a decision that is {_status(decision)}."
    _refuse_unless(can_open_for_challenge(user, decision), message)


def can_open_signoff(user, decision: Decision) -> bool:
    """The lead opens sign-off on a draft, after challenge, or again after a deferral."""
    return (
        decision.status not in RESULTS
        and decision.can_become(DecisionStatus.IN_SIGNOFF)
        and is_lead(user, decision.partnership)
    )


def authorize_open_signoff(user, decision: Decision) -> None:
    """`can_open_signoff` for its service; a decision with a result is reopened instead, with a reason."""
    authorize(user, decision.partnership, Action.MANAGE)
    if decision.status in RESULTS:
        raise ValidationError("This decision has a result. Reopen it, with a reason, to start sign-off again.")
    _refuse_unless(
        can_open_signoff(user, decision), f"You cannot open sign-off on a decision that is {_status(decision)}."
    )


def can_sign(user, decision: Decision, validity) -> bool:
    """A signatory votes while sign-off is open: under a delegation covering the decision, for an organisation whose
    vote is theirs to cast (no colleague has cast it, its own board has not ratified instead). `validity` is the
    decision's `selectors.validity.Validity`. Each condition has its own message, so this asks `authorize_sign`."""
    try:
        authorize_sign(user, decision, validity)
    except (Http404, PermissionDenied, ValidationError):
        return False
    return True


def authorize_sign(user, decision: Decision, validity) -> None:
    """`can_sign` for the sign-off service, saying what stands in the way."""
    _authorize_contributor(user, decision)
    round_ = decision.current_round
    if decision.status != DecisionStatus.IN_SIGNOFF or round_ is None:
        raise ValidationError(f"Sign-off is not open: this decision is {_status(decision)}.")
    if round_.is_past_deadline():
        raise ValidationError(f"Sign-off closed on {timezone.localtime(round_.closes_at):%d %B %Y at %H:%M}.")
    if validity.recused_row(user) is not None:
        raise ValidationError(
            "You declared a conflict of interest on this decision, so you are recused and cannot sign."
        )
    row = validity.signatory_row(user)
    left_out = validity.left_out_row(user) if row is None else None
    if left_out is not None:
        raise ValidationError(
            f"{left_out.organisation} has not confirmed the delegation you would sign under; the partnership counts "
            "only delegations their organisation has confirmed. Ask its organisation administrators to confirm it, "
            "or the organisation takes the decision to its own board."
        )
    if row is None:
        raise ValidationError(
            "You hold no delegation in force today that covers this decision for your organisation, so you cannot "
            "sign it. If your organisation must take it to its own board, the partnership lead records the result."
        )
    if row.ratification is not None:
        raise ValidationError(f"{row.organisation}'s own board has already ratified this decision.")
    current = row.vote
    if current is not None and current.signatory_id != user.pk:
        raise ValidationError(
            f"{row.organisation} has already signed: {current.signatory} voted for it on "
            f"{timezone.localtime(current.signed_at):%d %B %Y}. One vote counts for each organisation."
        )


def can_declare(user, decision: Decision) -> bool:
    """Everyone who contributes declares an interest, or none, while the decision is being made."""
    return decision.is_undecided and can_contribute(user, decision.partnership) and can_see_details(user, decision)


def authorize_declare(user, decision: Decision) -> None:
    """`can_declare` for its service."""
    _authorize_contributor(user, decision)
    _refuse_unless(can_declare(user, decision), f"Declarations are closed: this decision is {_status(decision)}.")


# Recusal is not self-service: a declared conflict stays, and its person stays recused from the vote and the quorum,
# until the partnership lead confirms a request to withdraw it. The partnership has no chair in this model, so the
# lead alone answers; never the person who asked, even when they are the lead.
CONFLICT_STAYS = (
    "Your declared conflict stays until the partnership lead confirms its withdrawal: ask for it to be withdrawn."
)


def withdrawals_readable_by(user) -> QuerySet[DeclarationWithdrawal]:
    """Requests to withdraw a declared conflict, on the decisions the user may read in full."""
    return DeclarationWithdrawal.objects.filter(declaration__decision__in=decisions_readable_by(user))


def get_withdrawal_for_user(user, pk: int) -> DeclarationWithdrawal:
    """A request to withdraw a conflict, or 404 if the user may not read its decision in full."""
    withdrawal = (
        withdrawals_readable_by(user)
        .select_related("declaration__person", "declaration__decision__partnership")
        .filter(pk=pk)
        .first()
    )
    if withdrawal is None:
        raise Http404("No such request.")
    return withdrawal


def has_pending_withdrawal(declaration: DecisionDeclaration) -> bool:
    """Whether the declaration's conflict awaits the lead's answer (read from prefetched requests on a page)."""
    return any(withdrawal.status == WithdrawalStatus.REQUESTED for withdrawal in declaration.withdrawals.all())


def withdrawal_permissions(user, declarations: list[DecisionDeclaration]) -> dict:
    """What the interests tab offers: to ask for your own conflict's withdrawal, and the requests you may answer."""
    mine = next((declaration for declaration in declarations if declaration.person_id == user.pk), None)
    return {
        "request": can_request_withdrawal(user, mine),
        "answerable": {
            withdrawal.pk
            for declaration in declarations
            for withdrawal in declaration.withdrawals.all()
            if can_answer_withdrawal(user, withdrawal)
        },
    }


def can_request_withdrawal(user, declaration: DecisionDeclaration | None) -> bool:
    """The person who declared a conflict asks, once at a time, for it to be withdrawn while declarations are open."""
    return (
        declaration is not None
        and declaration.is_conflict
        and declaration.person_id == user.pk
        and can_declare(user, declaration.decision)
        and not has_pending_withdrawal(declaration)
    )


def authorize_request_withdrawal(user, declaration: DecisionDeclaration) -> None:
    """`can_request_withdrawal` for its service."""
    decision = declaration.decision
    _authorize_contributor(user, decision)
    if declaration.person_id != user.pk:
        raise ValidationError({"declaration": "Choose your own declaration: only its person asks for a withdrawal."})
    _refuse_unless(declaration.is_conflict, "You have not declared a conflict on this decision.")
    _refuse_unless(can_declare(user, decision), f"Declarations are closed: this decision is {_status(decision)}.")
    message = "You have already asked for this conflict to be withdrawn: the partnership lead will answer."
    _refuse_unless(not has_pending_withdrawal(declaration), message)


def can_answer_withdrawal(user, withdrawal: DeclarationWithdrawal) -> bool:
    """The partnership lead confirms or declines a pending request while declarations are open; never their own."""
    decision = withdrawal.declaration.decision
    return (
        withdrawal.is_pending
        and decision.is_undecided
        and withdrawal.declaration.person_id != user.pk
        and is_lead(user, decision.partnership)
    )


def authorize_answer_withdrawal(user, withdrawal: DeclarationWithdrawal) -> None:
    """`can_answer_withdrawal` for the services that confirm and decline."""
    decision = withdrawal.declaration.decision
    authorize(user, decision.partnership, Action.VIEW)
    authorize_details(user, decision)
    if not is_lead(user, decision.partnership):
        raise PermissionDenied("Only the partnership lead can confirm or decline the withdrawal of a conflict.")
    if withdrawal.declaration.person_id == user.pk:
        raise PermissionDenied(
            "You cannot answer a request to withdraw your own conflict: another partnership lead must."
        )
    _refuse_unless(withdrawal.is_pending, f"This request is already {withdrawal.get_status_display().lower()}.")
    _refuse_unless(decision.is_undecided, f"Declarations are closed: this decision is {_status(decision)}.")


def can_challenge(user, decision: Decision) -> bool:
    """Everyone who contributes raises a challenge or question while the decision is open for challenge or in
    sign-off."""
    return (
        decision.is_open_for_challenge
        and can_contribute(user, decision.partnership)
        and can_see_details(user, decision)
    )


def authorize_challenge(user, decision: Decision) -> None:
    """`can_challenge` for its service."""
    _authorize_contributor(user, decision)
    _refuse_unless(can_challenge(user, decision), f"Challenge is closed: this decision is {_status(decision)}.")


def can_respond(user, decision: Decision) -> bool:
    """The proposer or the lead answer challenges while the decision is being made."""
    return decision.is_undecided and is_proposer_or_lead(user, decision)


def authorize_respond(user, decision: Decision) -> None:
    """`can_respond` for its service."""
    authorize_proposer_or_lead(user, decision)
    _refuse_unless(can_respond(user, decision), f"The decision is {_status(decision)}: challenge is closed.")


def can_record_ratification(user, decision: Decision) -> bool:
    """The lead records a partner board's ratification while sign-off is open or after approval."""
    return (
        decision.status in (DecisionStatus.IN_SIGNOFF, DecisionStatus.APPROVED)
        and decision.current_round_id is not None
        and is_lead(user, decision.partnership)
    )


def authorize_record_ratification(user, decision: Decision) -> None:
    """`can_record_ratification` for its service."""
    authorize(user, decision.partnership, Action.MANAGE)
    message = f"There is nothing to ratify: this decision is {_status(decision)}."
    _refuse_unless(can_record_ratification(user, decision), message)


def can_reopen(user, decision: Decision) -> bool:
    """The lead reopens an approved or rejected decision when circumstances change."""
    return decision.status in RESULTS and is_lead(user, decision.partnership)


def authorize_reopen(user, decision: Decision) -> None:
    """`can_reopen` for its service."""
    authorize(user, decision.partnership, Action.MANAGE)
    _refuse_unless(can_reopen(user, decision), "Only an approved or rejected decision can be reopened.")


def can_supersede(user, decision: Decision) -> bool:
    """The lead records that a later decision supersedes an approved one."""
    return decision.can_become(DecisionStatus.SUPERSEDED) and is_lead(user, decision.partnership)


def authorize_supersede(user, decision: Decision) -> None:
    """`can_supersede` for its service."""
    authorize(user, decision.partnership, Action.MANAGE)
    _refuse_unless(can_supersede(user, decision), f"You cannot supersede a decision that is {_status(decision)}.")


def can_defer(user, decision: Decision) -> bool:
    """The lead defers a decision after challenge or during sign-off."""
    return decision.can_become(DecisionStatus.DEFERRED) and is_lead(user, decision.partnership)


def authorize_defer(user, decision: Decision) -> None:
    """`can_defer` for its service."""
    authorize(user, decision.partnership, Action.MANAGE)
    _refuse_unless(can_defer(user, decision), f"You cannot defer a decision that is {_status(decision)}.")


def can_withdraw(user, decision: Decision) -> bool:
    """The lead withdraws at any stage before a result; the proposer only before sign-off opens."""
    if not decision.can_become(DecisionStatus.WITHDRAWN):
        return False
    if is_lead(user, decision.partnership):
        return True
    return decision.proposer_id == user.pk and decision.is_editable


def authorize_withdraw(user, decision: Decision) -> None:
    """`can_withdraw` for its service."""
    authorize_proposer_or_lead(user, decision)
    message = f"You cannot withdraw a decision that is {_status(decision)}."
    _refuse_unless(decision.can_become(DecisionStatus.WITHDRAWN), message)
    message = "Sign-off has opened: only the partnership lead can withdraw the decision now."
    _refuse_unless(can_withdraw(user, decision), message)


def can_extend_signoff(user, decision: Decision) -> bool:
    """The lead gives signatories longer while sign-off is open."""
    return (
        decision.status == DecisionStatus.IN_SIGNOFF
        and decision.current_round_id is not None
        and is_lead(user, decision.partnership)
    )


def authorize_extend_signoff(user, decision: Decision) -> None:
    """`can_extend_signoff` for its service."""
    authorize(user, decision.partnership, Action.MANAGE)
    _refuse_unless(can_extend_signoff(user, decision), "Sign-off is not open on this decision.")


def can_ratify_at_board(user, decision: Decision) -> bool:
    """The lead records the board's ratification of an approved urgent decision taken between meetings."""
    return decision.needs_board_ratification and is_lead(user, decision.partnership)


def authorize_ratify_at_board(user, decision: Decision) -> None:
    """`can_ratify_at_board` for its service."""
    authorize(user, decision.partnership, Action.MANAGE)
    message = "Only an approved urgent decision not yet ratified needs the board's ratification."
    _refuse_unless(can_ratify_at_board(user, decision), message)


def can_change_publication(user, decision: Decision) -> bool:
    """The lead makes a decision public or confidential, at any stage."""
    return is_lead(user, decision.partnership)


def authorize_change_publication(user, decision: Decision) -> None:
    """`can_change_publication` for its service."""
    authorize(user, decision.partnership, Action.MANAGE)


def can_dismiss_review(user, decision: Decision) -> bool:
    """The lead records that a decision stands without the review a linked risk suggested."""
    return is_lead(user, decision.partnership)


def authorize_dismiss_review(user, decision: Decision) -> None:
    """`can_dismiss_review` for its service (which checks that a review is suggested)."""
    authorize(user, decision.partnership, Action.MANAGE)


def decision_permissions(user, decision: Decision, validity=None) -> dict[str, bool]:
    """What the decision page offers this user: each step's `can_<step>`, the rule its service enforces."""
    return {
        "edit": can_edit(user, decision),
        "open_for_challenge": can_open_for_challenge(user, decision),
        "open_signoff": can_open_signoff(user, decision),
        "sign": validity is not None and can_sign(user, decision, validity),
        "declare": can_declare(user, decision),
        "challenge": can_challenge(user, decision),
        "respond": can_respond(user, decision),
        "ratify": can_record_ratification(user, decision),
        "reopen": can_reopen(user, decision),
        "supersede": can_supersede(user, decision),
        "defer": can_defer(user, decision),
        "withdraw": can_withdraw(user, decision),
        "extend": can_extend_signoff(user, decision),
        "board_ratify": can_ratify_at_board(user, decision),
        "publication": can_change_publication(user, decision),
        "dismiss_review": can_dismiss_review(user, decision),
    }


# --- Challenges, registers of interests, the public page --------------------------------------------------------------


def get_challenge_for_user(user, pk: int, action: Action = Action.VIEW) -> Challenge:
    """A challenge, or 404 as for its decision's partnership, 403 if the user may not read the decision in full or
    their roles do not allow `action`."""
    challenge = Challenge.objects.select_related("decision__partnership", "decision__proposer").filter(pk=pk).first()
    if challenge is None:
        raise Http404("No such challenge.")
    authorize(user, challenge.decision.partnership, action)
    authorize_details(user, challenge.decision)
    return challenge


def interests_visible_to(user) -> QuerySet[InterestDeclaration]:
    """Every register of interests in the partnerships the user has a role in: registers are open to the partnership."""
    return InterestDeclaration.objects.filter(partnership__in=partnerships_visible_to(user))


def can_change_interest(user, entry: InterestDeclaration) -> bool:
    """Whether the user may change or end an entry in a register: its person, or the partnership lead."""
    return entry.person_id == user.pk or is_lead(user, entry.partnership)


def get_interest_for_user(user, pk: int, action: Action = Action.VIEW) -> InterestDeclaration:
    """A register entry: anyone in the partnership reads it; only its person (or the lead) changes it."""
    entry = get_in_partnership_for_user(InterestDeclaration.objects.select_related("person"), user, Action.VIEW, pk=pk)
    if action != Action.VIEW and not can_change_interest(user, entry):
        raise PermissionDenied("Only the person who declared it, or the partnership lead, can change it.")
    return entry


def get_public_partnership(code: str) -> Partnership:
    """The public page needs no sign-in; an unknown code is 404."""
    partnership = Partnership.objects.filter(code=code).first()
    if partnership is None:
        raise Http404("No such partnership.")
    return partnership


# --- Risks ------------------------------------------------------------------------------------------------------------
# Everyone with a role in the partnership reads its risk register; members and above raise risks. A risk is
# reviewed and changed by its owner, by its work-stream's group (for a work-stream risk) and by the partnership lead,
# who alone sets the appetite, the bands and the escalation score. Reviews and score history follow their risk.


class RiskAccess(StrEnum):
    VIEW = "view"  # read: anyone with a role in the partnership
    CHANGE = "change"  # review, re-score, edit, close: the owner, the work-stream's group, the lead


def risks_visible_to(user) -> QuerySet[Risk]:
    """The risk registers of the partnerships the user has a role in, open and closed risks alike."""
    return Risk.objects.filter(partnership__in=partnerships_visible_to(user))


def risk_reviews_visible_to(user) -> QuerySet[RiskReview]:
    """Reviews of the risks the user can see: a review follows its risk."""
    return RiskReview.objects.filter(risk__partnership__in=partnerships_visible_to(user))


def risk_score_changes_visible_to(user) -> QuerySet[RiskScoreChange]:
    """The score history of the risks the user can see."""
    return RiskScoreChange.objects.filter(risk__partnership__in=partnerships_visible_to(user))


def risk_appetites_visible_to(user) -> QuerySet[RiskAppetite]:
    """The board's appetite in each domain, for the partnerships the user has a role in."""
    return RiskAppetite.objects.filter(partnership__in=partnerships_visible_to(user))


def risk_domains_visible_to(user) -> QuerySet[RiskDomain]:
    """The eight domains every partnership has, and the custom domains of the user's partnerships."""
    if not user.is_authenticated:
        return RiskDomain.objects.none()
    return RiskDomain.objects.filter(Q(partnership__isnull=True) | Q(partnership__in=partnerships_visible_to(user)))


def looks_after_risk(user, risk: Risk) -> bool:
    """Whether the user's place lets them review, re-score, edit or close the risk: its owner (while they contribute),
    its work-stream's group (for a work-stream risk) or the partnership lead."""
    roles = roles_in(user, risk.partnership)
    if Role.LEAD in roles:
        return True
    if risk.owner_id == user.pk and can(user, risk.partnership, Action.CONTRIBUTE):
        return True
    if risk.tier == RiskTier.WORKSTREAM and risk.workstream is not None and roles:
        risk.workstream.partnership = risk.partnership  # one partnership object, so its roles are looked up once
        return can_in_workstream(user, risk.workstream, WorkStreamAccess.WRITE)
    return False


def authorize_risk(user, risk: Risk, action: RiskAccess) -> None:
    """404 if the user has no role in the risk's partnership, 403 if they may not `action` it."""
    authorize(user, risk.partnership, Action.VIEW)
    if action == RiskAccess.CHANGE and not looks_after_risk(user, risk):
        raise PermissionDenied("Only the risk's owner, its work-stream's group and the partnership lead can do that.")


def can_change_risk(user, risk: Risk) -> bool:
    """Whether the risk's page offers to review, edit or close it: an open risk, to those who look after it."""
    return risk.is_open and looks_after_risk(user, risk)


def authorize_change_risk(user, risk: Risk, *, when_closed: str) -> None:
    """`can_change_risk` for the services that review, change and close a risk; `when_closed` says why not now."""
    authorize_risk(user, risk, RiskAccess.CHANGE)
    if not can_change_risk(user, risk):
        raise ValidationError(when_closed)


# Linking a risk to a decision lets the risk, when it rises above tolerance, flag the decision "review suggested".
# So it takes the right to change the risk and the right to read the decision: nobody flags a decision they cannot
# read, or through a risk that is not theirs to look after. Unlinking needs only the right to change the risk.


def decisions_linkable_by(user, partnership: Partnership) -> QuerySet[Decision]:
    """The partnership's decisions the user may link a risk to: those they may read in full. The risk form offers
    these, and `authorize_link_decisions` asks the same of every decision a service newly links."""
    return decisions_readable_by(user).filter(partnership=partnership)


def authorize_link_decisions(user, risk: Risk, decisions: list[Decision]) -> None:
    """For the services that raise or change a risk, with the decisions newly linked to it: the user must look after
    the risk and may read each decision in full. One the user may not read is answered as one that does not exist."""
    if not decisions:
        return
    if not looks_after_risk(user, risk):
        message = "Only the risk's owner, its work-stream's group and the partnership lead can link it to decisions."
        raise ValidationError({"decisions": message})
    readable = set(
        decisions_linkable_by(user, risk.partnership)
        .filter(pk__in=[decision.pk for decision in decisions])
        .values_list("pk", flat=True)
    )
    unreadable = [decision.pk for decision in decisions if decision.pk not in readable]
    if unreadable:
        raise ValidationError({"decisions": f'There is no record with id "{unreadable[0]}" that you can use here.'})


def get_risk_for_user(user, pk: int, action: RiskAccess = RiskAccess.VIEW) -> Risk:
    """A risk, or 404 if the user has no role in its partnership, 403 if they may not `action` it."""
    risk = (
        Risk.objects.select_related(
            "partnership", "domain", "workstream", "organisation", "owner__profile__organisation", "raised_by"
        )
        .filter(pk=pk)
        .first()
    )
    if risk is None:
        raise Http404("No such risk.")
    authorize_risk(user, risk, action)
    return risk


def get_risk_appetite_for_user(user, pk: int, action: Action = Action.VIEW) -> RiskAppetite:
    """The board's appetite in one domain, or 404/403 as for its partnership: everyone reads it, the lead sets it."""
    return get_in_partnership_for_user(RiskAppetite.objects.select_related("domain"), user, action, pk=pk)


def get_risk_domain_for_user(user, partnership: Partnership, pk: int) -> RiskDomain:
    """A domain the partnership uses (one of the eight, or its own), or 404."""
    authorize(user, partnership, Action.VIEW)
    domain = RiskDomain.objects.for_partnership(partnership).filter(pk=pk).first()
    if domain is None:
        raise Http404("No such risk domain.")
    return domain
