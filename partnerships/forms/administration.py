"""Forms of an organisation's administrators: appointing another administrator, and the answers they give to a
proposed correction or a person's affiliation."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from core.forms import Form
from core.validators import reject_markup

from ..access import administrators_of
from ..models import Organisation, PartnershipRole


def answer_field(label: str, *, required: bool, missing: str = "", help_text: str = "") -> forms.CharField:
    """A plain-text answer of up to 2000 characters: markup is refused, as everywhere."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[reject_markup],
        help_text=help_text,
        error_messages={"required": missing, "max_length": f"{label} must be 2000 characters or fewer"},
    )


def administrator_candidates(organisation: Organisation):
    """Whom an organisation's administrators may appoint: its people (by their profile) and those who represent
    it in some partnership, who are not administrators already."""
    represent = PartnershipRole.objects.filter(organisation=organisation).values("user_id")
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(profile__organisation=organisation) | Q(pk__in=represent))
        .exclude(pk__in=administrators_of(organisation).values("pk"))
        .select_related("profile")
        .order_by("last_name", "first_name", "username")
        .distinct()
    )


class PersonByUsernameField(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        job_title = getattr(getattr(user, "profile", None), "job_title", "")
        return f"{user.display_name} ({job_title})" if job_title else user.display_name


class AdministratorAppointForm(Form):
    """A service administrator types anyone's username; an organisation's administrators choose from its people."""

    user = PersonByUsernameField(
        label="Person to appoint",
        queryset=get_user_model().objects.none(),
        to_field_name="username",
        empty_label="Choose a person",
        error_messages={
            "required": "Choose the person to appoint",
            "invalid_choice": "Choose someone who works for the organisation or represents it in a partnership",
        },
    )

    def __init__(self, *args, organisation: Organisation, anyone: bool, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        if anyone:
            field.queryset = (
                get_user_model().objects.filter(is_active=True).exclude(pk__in=administrators_of(organisation))
            )
            field.label = "Username of the person to appoint"
            field.help_text = "As they sign in with it, like a.patel."
            field.widget = forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"})
            field.error_messages = {
                "required": "Enter the username of the person to appoint",
                "invalid_choice": "No one with an active account and that username can be appointed: check the "
                "username, and that they are not an administrator already",
            }
        else:
            field.queryset = administrator_candidates(organisation)
            field.help_text = (
                "Someone who works for the organisation or represents it in a partnership. To appoint someone "
                "else, ask a service administrator."
            )


class CorrectionAcceptForm(Form):
    answer = answer_field(
        "Anything to tell the partnership lead (optional)", required=False, help_text="They are emailed your answer."
    )


class CorrectionDeclineForm(Form):
    answer = answer_field(
        "Why should the record stay as it is?",
        required=True,
        missing="Say why the record should stay as it is",
        help_text="The partnership lead who proposed the correction is emailed your answer.",
    )


class AffiliationDeclineForm(Form):
    reason = answer_field(
        "Why does this person not represent the organisation?",
        required=True,
        missing="Say why this person does not represent the organisation",
        help_text="The partnership's lead sees your reason in its history.",
    )
