"""Who may see and do what with decisions, sign-offs, challenges and declarations, derived from `partnerships.access`.

- Anyone with a role in the partnership sees its decision register; someone without one gets 404.
- Confidential decisions: the partnership lead, board members, non-executive members and the decision's proposer
  see everything. Members and viewers see that it exists — reference, category, status, dates, why it is
  confidential and when that is reviewed — but not its title, case, value, votes, challenge or declarations.
  Nobody outside the partnership, and nothing public (the public page, the feed), sees it at all.
- Members, non-executives, board members and the lead propose decisions, raise challenges and declare interests.
- The proposer (or the lead) edits a draft, opens it for challenge, withdraws it before sign-off, and answers
  challenges. The lead opens sign-off, records ratifications, defers, reopens, supersedes and sets the rule.
- Signing needs a delegation covering the decision (see `selectors.validity`), checked by the sign-off service.
- Risks: see the section at the end.
"""

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

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
    Challenge,
    Decision,
    DecisionStatus,
    InterestDeclaration,
    Risk,
    RiskAppetite,
    RiskDomain,
    RiskReview,
    RiskScoreChange,
    RiskTier,
    Visibility,
)

CONFIDENTIAL_ROLES = frozenset({Role.LEAD, Role.BOARD_MEMBER, Role.NON_EXECUTIVE})


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
    if decision.visibility == Visibility.PUBLIC:
        return bool(roles_in(user, decision.partnership))
    return sees_confidential(user, decision.partnership) or decision.proposer_id == user.pk


def authorize_details(user, decision: Decision) -> None:
    """403 for someone in the partnership who may not read this confidential decision."""
    if not can_see_details(user, decision):
        raise PermissionDenied("This decision is confidential to the partnership board.")


def is_lead(user, partnership: Partnership) -> bool:
    return Role.LEAD in roles_in(user, partnership)


def is_proposer_or_lead(user, decision: Decision) -> bool:
    return decision.proposer_id == user.pk or is_lead(user, decision.partnership)


def authorize_proposer_or_lead(user, decision: Decision) -> None:
    """For the proposer's own steps: 404 outside the partnership, 403 for anyone but the proposer and the lead."""
    authorize(user, decision.partnership, Action.VIEW)
    if not is_proposer_or_lead(user, decision):
        raise PermissionDenied("Only the proposer or the partnership lead can do this.")


def can_contribute(user, partnership: Partnership) -> bool:
    return can(user, partnership, Action.CONTRIBUTE)


def can_challenge(user, decision: Decision) -> bool:
    return (
        decision.is_open_for_challenge
        and can_contribute(user, decision.partnership)
        and can_see_details(user, decision)
    )


def can_edit(user, decision: Decision) -> bool:
    return decision.is_editable and is_proposer_or_lead(user, decision)


def can_withdraw(user, decision: Decision) -> bool:
    """The lead withdraws at any stage before a result; the proposer only before sign-off opens."""
    if not decision.can_become(DecisionStatus.WITHDRAWN):
        return False
    if is_lead(user, decision.partnership):
        return True
    return decision.proposer_id == user.pk and decision.is_editable


def get_challenge_for_user(user, pk: int, action: Action = Action.VIEW) -> Challenge:
    challenge = Challenge.objects.select_related("decision__partnership", "decision__proposer").filter(pk=pk).first()
    if challenge is None:
        raise Http404("No such challenge.")
    authorize(user, challenge.decision.partnership, action)
    authorize_details(user, challenge.decision)
    return challenge


def interests_visible_to(user) -> QuerySet[InterestDeclaration]:
    return InterestDeclaration.objects.filter(partnership__in=partnerships_visible_to(user))


def get_interest_for_user(user, pk: int, action: Action = Action.VIEW) -> InterestDeclaration:
    """A register entry: anyone in the partnership reads it; only its person (or the lead) changes it."""
    entry = get_in_partnership_for_user(InterestDeclaration.objects.select_related("person"), user, Action.VIEW, pk=pk)
    if action != Action.VIEW and entry.person_id != user.pk and not is_lead(user, entry.partnership):
        raise PermissionDenied("Only the person who declared it, or the partnership lead, can change it.")
    return entry


def get_public_partnership(code: str) -> Partnership:
    """The public page needs no sign-in; an unknown code is 404."""
    partnership = Partnership.objects.filter(code=code).first()
    if partnership is None:
        raise Http404("No such partnership.")
    return partnership


def decision_permissions(user, decision: Decision, validity=None) -> dict[str, bool]:
    """What the decision page offers this user: each button is shown only if its service would let them."""
    lead = is_lead(user, decision.partnership)
    owner = is_proposer_or_lead(user, decision)
    status = decision.status
    in_signoff = status == DecisionStatus.IN_SIGNOFF
    signatory = validity.signatory_row(user) if validity is not None else None
    round_open = in_signoff and decision.current_round is not None and not decision.current_round.is_past_deadline()
    return {
        "edit": can_edit(user, decision),
        "open_for_challenge": owner and decision.can_become(DecisionStatus.OPEN_FOR_CHALLENGE),
        "open_signoff": lead
        and status in (DecisionStatus.DRAFT, DecisionStatus.OPEN_FOR_CHALLENGE, DecisionStatus.DEFERRED),
        "sign": round_open and signatory is not None and can_contribute(user, decision.partnership),
        "declare": decision.is_undecided and can_contribute(user, decision.partnership),
        "challenge": can_challenge(user, decision),
        "respond": owner and decision.is_undecided,
        "ratify": lead and status in (DecisionStatus.IN_SIGNOFF, DecisionStatus.APPROVED),
        "reopen": lead and status in (DecisionStatus.APPROVED, DecisionStatus.REJECTED),
        "supersede": lead and status == DecisionStatus.APPROVED,
        "defer": lead and decision.can_become(DecisionStatus.DEFERRED),
        "withdraw": can_withdraw(user, decision),
        "extend": lead and in_signoff,
        "board_ratify": lead and decision.needs_board_ratification,
        "publication": lead,
    }


# --- Risks ------------------------------------------------------------------------------------------------------------
# Everyone with a role in the partnership reads its risk register; members and above raise risks. A risk is
# reviewed and changed by its owner, by its work-stream's group (for a work-stream risk) and by the partnership lead,
# who alone sets the appetite, the bands and the escalation score. Reviews and score history follow their risk.


class RiskAccess(StrEnum):
    VIEW = "view"  # read: anyone with a role in the partnership
    CHANGE = "change"  # review, re-score, edit, close: the owner, the work-stream's group, the lead


def risks_visible_to(user) -> QuerySet[Risk]:
    return Risk.objects.filter(partnership__in=partnerships_visible_to(user))


def risk_reviews_visible_to(user) -> QuerySet[RiskReview]:
    return RiskReview.objects.filter(risk__partnership__in=partnerships_visible_to(user))


def risk_score_changes_visible_to(user) -> QuerySet[RiskScoreChange]:
    return RiskScoreChange.objects.filter(risk__partnership__in=partnerships_visible_to(user))


def risk_appetites_visible_to(user) -> QuerySet[RiskAppetite]:
    return RiskAppetite.objects.filter(partnership__in=partnerships_visible_to(user))


def risk_domains_visible_to(user) -> QuerySet[RiskDomain]:
    """The eight domains every partnership has, and the custom domains of the user's partnerships."""
    if not user.is_authenticated:
        return RiskDomain.objects.none()
    return RiskDomain.objects.filter(Q(partnership__isnull=True) | Q(partnership__in=partnerships_visible_to(user)))


def can_change_risk(user, risk: Risk) -> bool:
    """Whether the user may review, re-score, edit or close the risk. No exception: for templates."""
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
    if action == RiskAccess.CHANGE and not can_change_risk(user, risk):
        raise PermissionDenied("Only the risk's owner, its work-stream's group and the partnership lead can do that.")


def get_risk_for_user(user, pk: int, action: RiskAccess = RiskAccess.VIEW) -> Risk:
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


def get_risk_domain_for_user(user, partnership: Partnership, pk: int) -> RiskDomain:
    """A domain the partnership uses (one of the eight, or its own), or 404."""
    authorize(user, partnership, Action.VIEW)
    domain = RiskDomain.objects.for_partnership(partnership).filter(pk=pk).first()
    if domain is None:
        raise Http404("No such risk domain.")
    return domain
