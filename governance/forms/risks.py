"""Forms for raising, changing, reviewing and closing risks. The lead's settings (bands, escalation score, appetite,
domains) are in `risk_settings`; the register's filters are `governance.api.filters.RiskFilter`.

They check what was typed and offer only the partnership's own domains, work-streams, organisations, people,
actions and decisions; the services check everything again, so the API gets the same answers."""

from django import forms
from django.db.models import Q, QuerySet

from core.forms import Form
from partnerships.access import ROLES_ALLOWED
from partnerships.access import Action as PartnershipAction
from partnerships.forms import PersonChoiceField, date_field, member_organisations, text_field
from partnerships.models import Partnership
from workstreams.models import Action, WorkStream
from workstreams.models.actions import OPEN_STATUSES

from ..access import can_see_details, decisions_linkable_by
from ..models import (
    Decision,
    DecisionStatus,
    ReviewFrequency,
    Risk,
    RiskDomain,
    RiskSource,
    RiskTier,
)
from .decisions import long_text

LIKELIHOOD_CHOICES = [
    (1, "1 Rare: this will probably never happen or recur"),
    (2, "2 Unlikely: we do not expect it to happen, but it could"),
    (3, "3 Possible: it might happen or recur now and then"),
    (4, "4 Likely: it will probably happen or recur, but it is not a persistent issue"),
    (5, "5 Almost certain: it will happen or recur, possibly often"),
]
CONSEQUENCE_CHOICES = [
    (1, "1 Negligible: minimal harm or disruption, no lasting effect"),
    (2, "2 Minor: short-term harm or disruption, easily put right"),
    (3, "3 Moderate: harm or disruption that takes extra resources to put right"),
    (4, "4 Major: serious long-term harm, a service stopping, or national attention"),
    (5, "5 Catastrophic: death, the loss of a service, or the partnership failing a statutory duty"),
]


def score_field(label: str, choices, *, missing: str, help_text: str = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=choices,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=help_text,
        error_messages={"required": missing, "invalid_choice": f"{missing}, from 1 to 5"},
    )


def likelihood_field(label: str = "Likelihood", help_text: str = "") -> forms.TypedChoiceField:
    return score_field(label, LIKELIHOOD_CHOICES, missing=f"Choose the {label.lower()}", help_text=help_text)


def consequence_field(label: str = "Consequence", help_text: str = "") -> forms.TypedChoiceField:
    return score_field(label, CONSEQUENCE_CHOICES, missing=f"Choose the {label.lower()}", help_text=help_text)


class ActionsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, action: Action) -> str:
        where = action.workstream.name if action.workstream_id else "Board"
        return f"{where}: {action.description} ({action.owner.display_name}, due {action.due_on:%-d %B %Y})"


class DecisionsField(forms.ModelMultipleChoiceField):
    user = None

    def label_from_instance(self, decision: Decision) -> str:
        if self.user is not None and not can_see_details(self.user, decision):
            return f"{decision.reference}: confidential decision ({decision.get_status_display().lower()})"
        return f"{decision.reference}: {decision.title} ({decision.get_status_display().lower()})"


def contributors(partnership: Partnership | QuerySet[Partnership]):
    """People who may own a risk: those holding a role that contributes (not viewers only), in the partnership, or
    in any of several (the API's register filter offers the owners of every partnership the reader is in)."""
    from django.contrib.auth import get_user_model

    where = "content_object__in" if isinstance(partnership, QuerySet) else "content_object"
    return (
        get_user_model()
        .objects.filter(
            **{f"partnershiprole__{where}": partnership},
            partnershiprole__permission__codename__in=ROLES_ALLOWED[PartnershipAction.CONTRIBUTE],
        )
        .select_related("profile__organisation")
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def linkable_actions(partnership: Partnership, risk: Risk | None = None):
    """Open actions of the partnership's work-streams and board, and any the risk already names."""
    chosen = Q(pk__in=risk.actions.values("pk")) if risk is not None else Q(pk__in=[])
    return (
        Action.objects.filter(partnership=partnership)
        .filter(Q(status__in=OPEN_STATUSES) | chosen)
        .select_related("workstream", "owner")
        .order_by("workstream__name", "due_on", "pk")
    )


def linkable_decisions(partnership: Partnership, user, risk: Risk | None = None):
    """Decisions that may depend on the risk: those the user may link (`access.decisions_linkable_by`) but the
    withdrawn, rejected and superseded; and any already linked, which the user may keep or unlink."""
    chosen = Q(pk__in=risk.decisions.values("pk")) if risk is not None else Q(pk__in=[])
    ended = [DecisionStatus.WITHDRAWN, DecisionStatus.REJECTED, DecisionStatus.SUPERSEDED]
    linkable = Q(pk__in=decisions_linkable_by(user, partnership).exclude(status__in=ended).values("pk"))
    return (
        Decision.objects.filter(partnership=partnership)
        .filter(linkable | chosen)
        .select_related("partnership")
        .order_by("-year", "-number")
    )


class RiskForm(Form):
    """Raising a risk (with its first scores) or changing one (the current score changes only by a review)."""

    title = text_field("Title", missing="Enter a title for the risk", help_text="A few words people will recognise.")
    cause = long_text(
        "Cause",
        max_length=2000,
        missing="Enter the cause",
        help_text="What gives rise to the risk, like: too few community nurses are trained locally.",
    )
    event = long_text(
        "Event",
        max_length=2000,
        missing="Enter the event",
        help_text="What could happen, like: district nursing teams cannot cover every visit.",
    )
    effect = long_text(
        "Effect",
        max_length=2000,
        missing="Enter the effect",
        help_text="The harm if it happens, like: missed care at home and avoidable admissions.",
    )
    domain = forms.ModelChoiceField(
        label="Domain",
        queryset=RiskDomain.objects.none(),
        empty_label="Choose a domain",
        help_text="What kind of harm it threatens.",
        error_messages={"required": "Choose a domain", "invalid_choice": "Choose a domain from the list"},
    )
    source = forms.ChoiceField(
        label="Source",
        choices=RiskSource.choices,
        widget=forms.RadioSelect,
        initial=RiskSource.INTERNAL,
        help_text="Internal: within the partners' control. External: from outside, like national policy.",
        error_messages={"required": "Choose whether the risk is internal or external"},
    )
    tier = forms.ChoiceField(
        label="Whose risk is it",
        choices=RiskTier.choices,
        widget=forms.RadioSelect,
        initial=RiskTier.PARTNERSHIP,
        error_messages={"required": "Choose whose risk it is"},
    )
    workstream = forms.ModelChoiceField(
        label="Work-stream",
        queryset=WorkStream.objects.none(),
        required=False,
        empty_label="None",
        help_text="For a work-stream risk: its group reviews it.",
        error_messages={"invalid_choice": "Choose a work-stream of this partnership"},
    )
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=None,
        required=False,
        empty_label="None",
        help_text="For one organisation's risk shared with the partnership.",
        error_messages={"invalid_choice": "Choose a member organisation of this partnership"},
    )
    owner = PersonChoiceField(
        label="Owner",
        queryset=None,
        empty_label="Choose a person",
        help_text="The person accountable for managing it.",
        error_messages={"required": "Choose the risk's owner", "invalid_choice": "Choose a person in this partnership"},
    )
    overseen_by = text_field(
        "Overseen by",
        missing="Enter the committee or group that oversees it",
        help_text="The committee or group, like Partnership board or Quality committee.",
    )
    objective = long_text(
        "Objective threatened", max_length=1000, missing="Enter the objective it threatens", help_text=""
    )
    likelihood = likelihood_field("Likelihood now")
    consequence = consequence_field("Consequence now")
    controls = long_text("Controls", max_length=5000, required=False, help_text="What is in place to stop or limit it.")
    assurances = long_text(
        "Assurances", max_length=5000, required=False, help_text="The evidence that the controls work."
    )
    control_gaps = long_text("Gaps in control", max_length=5000, required=False)
    assurance_gaps = long_text("Gaps in assurance", max_length=5000, required=False)
    target_likelihood = likelihood_field("Target likelihood", help_text="Where the actions should bring it.")
    target_consequence = consequence_field("Target consequence")
    target_on = date_field("Target date", required=False, help_text="When the target score should be reached.")
    review_every = forms.TypedChoiceField(
        label="Review frequency",
        choices=ReviewFrequency.choices,
        coerce=int,
        initial=ReviewFrequency.QUARTERLY,
        error_messages={"required": "Choose how often it is reviewed", "invalid_choice": "Choose a frequency"},
    )
    next_review_on = date_field(
        "Next review date", required=False, help_text="Leave blank to review it one frequency from today."
    )
    actions = ActionsField(
        label="Mitigating actions",
        queryset=Action.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Open actions of the work-streams and the board that reduce it.",
        error_messages={"invalid_choice": "Choose actions of this partnership"},
    )
    decisions = DecisionsField(
        label="Linked decisions",
        queryset=Decision.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Decisions that depend on it. If it rises above the board's tolerance, their review is suggested.",
        error_messages={"invalid_choice": "Choose decisions from the list"},
    )

    def __init__(self, *args, partnership: Partnership, user, risk: Risk | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domain"].queryset = RiskDomain.objects.for_partnership(partnership)
        self.fields["workstream"].queryset = WorkStream.objects.filter(partnership=partnership).order_by("name")
        self.fields["organisation"].queryset = member_organisations(partnership)
        self.fields["owner"].queryset = contributors(partnership)
        self.fields["actions"].queryset = linkable_actions(partnership, risk)
        self.fields["decisions"].queryset = linkable_decisions(partnership, user, risk)
        self.fields["decisions"].user = user
        if risk is not None:
            del self.fields["likelihood"], self.fields["consequence"]
            self.fields["next_review_on"] = date_field("Next review date", missing="Enter the next review date")
            self.fields["reason"] = text_field(
                "Why are you making this change", required=False, max_length=2000, help_text="Kept in its history."
            )

    def clean(self):
        data = super().clean()
        if data.get("tier") == RiskTier.WORKSTREAM and not data.get("workstream"):
            self.add_error("workstream", "Choose the work-stream whose risk it is")
        if data.get("tier") == RiskTier.ORGANISATION and not data.get("organisation"):
            self.add_error("organisation", "Choose the organisation whose risk it is")
        return data


class RiskReviewForm(Form):
    reviewed_on = date_field("Review date", missing="Enter the date of the review")
    likelihood = likelihood_field()
    consequence = consequence_field()
    note = long_text(
        "What the review found",
        max_length=5000,
        missing="Say what the review found",
        help_text="What changed, how the controls and actions are working, and why the score is what it is.",
    )
    next_review_on = date_field("Next review date", required=False)

    def __init__(self, *args, risk: Risk, **kwargs):
        super().__init__(*args, **kwargs)
        frequency = risk.get_review_every_display().lower()
        self.fields["next_review_on"].help_text = f"Leave blank for the usual frequency: {frequency}."


class ReasonForm(Form):
    """Closing a risk, or dismissing a decision's suggested review: a reason, kept in the history."""

    reason = long_text("Reason", max_length=2000, missing="Give the reason")

    def __init__(self, *args, label: str = "Reason", missing: str = "Give the reason", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].error_messages["required"] = missing
