"""The lead's forms for delegations and agreements: what partners have committed to, and on whose authority."""

from django import forms
from django.contrib.auth import get_user_model

from core.forms import Form, pounds_field

from ..access import Action, administered_ids, can, organisations_of, people_in
from ..models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    DecisionCategory,
    Delegation,
    Organisation,
    Partnership,
)
from .fields import (
    OrganisationChoiceField,
    PartiesField,
    PersonChoiceField,
    date_field,
    member_organisations,
    text_field,
)


class DelegationForm(Form):
    organisation = OrganisationChoiceField(
        label="Organisation that delegates",
        queryset=Organisation.objects.none(),
        empty_label="Choose an organisation",
        error_messages={
            "required": "Choose the organisation that delegates",
            "invalid_choice": "Choose one of the partnership's current member organisations",
        },
    )
    delegate = PersonChoiceField(
        label="Person who holds the delegation",
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label="No one person: a role (choose below)",
        error_messages={"invalid_choice": "Choose a person who has a role in this partnership"},
    )
    delegate_role = forms.ChoiceField(
        label="Or a role",
        choices=[("", "No role: the person above"), *Delegation._meta.get_field("delegate_role").choices],
        required=False,
        help_text="Anyone from the organisation holding this role in the partnership.",
        error_messages={"invalid_choice": "Choose board member or non-executive member"},
    )
    categories = forms.MultipleChoiceField(
        label="Kinds of decision it covers",
        choices=DecisionCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one kind of decision",
            "invalid_choice": "Choose kinds of decision from the list",
        },
    )
    limit_pounds = pounds_field(
        "Limit in pounds",
        noun="limit",
        help_text="The highest value the delegate may commit the organisation to. Leave blank for no limit.",
    )
    valid_from = date_field("Start date", missing="Enter the date the delegation starts")
    valid_to = date_field("End date", required=False, help_text="Leave blank if it has no end date.")
    source_document = text_field(
        "Source document",
        missing="Enter the document that grants the delegation",
        help_text="For example: Scheme of reservation and delegation.",
    )
    source_version = text_field("Version of the document", required=False, max_length=50)

    def __init__(self, *args, partnership: Partnership, user, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = member_organisations(partnership)
        if not can(user, partnership, Action.MANAGE):  # an organisation's administrator records its own only
            organisations = organisations.filter(pk__in=administered_ids(user))
            self.fields["organisation"].error_messages["invalid_choice"] = (
                "Choose an organisation you administer that is a current member of the partnership"
            )
        self.fields["organisation"].queryset = organisations
        self.fields["delegate"].queryset = (
            people_in(partnership).select_related("profile__organisation").order_by("last_name", "first_name")
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("delegate") and cleaned.get("delegate_role"):
            self.add_error("delegate_role", "Choose a person or a role, not both")
        elif (
            "delegate" in cleaned
            and "delegate_role" in cleaned
            and not (cleaned["delegate"] or cleaned["delegate_role"])
        ):
            self.add_error("delegate", "Choose the person or the role that holds the delegation")
        start, end = cleaned.get("valid_from"), cleaned.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", "The end date must be the same as or after the start date")
        return cleaned


_document_field = Agreement._meta.get_field("document")


class AgreementForm(Form):
    title = text_field("Title", missing="Enter the agreement's title")
    kind = forms.ChoiceField(
        label="Kind of agreement",
        choices=AgreementKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of agreement"},
    )
    parties = PartiesField(
        label="Parties",
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="The organisations that are party to it.",
        error_messages={
            "required": "Choose at least one party to the agreement",
            "invalid_choice": "Choose parties from the partnership's organisations",
            "invalid_pk_value": "Choose parties from the partnership's organisations",
        },
    )
    status = forms.ChoiceField(
        label="Status",
        choices=AgreementStatus.choices,
        initial=AgreementStatus.DRAFT,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the agreement's status"},
    )
    effective_on = date_field("Date it takes effect", required=False)
    expires_on = date_field("Expiry date", required=False)
    review_on = date_field(
        "Review date", required=False, help_text="We show the agreement as due for review 60 days before this date."
    )
    document = forms.FileField(
        label="Document",
        required=False,
        widget=forms.FileInput(attrs={"accept": ".pdf,.docx,.doc,.odt"}),
        validators=list(_document_field.validators),
        help_text=_document_field.help_text,
        error_messages={"empty": "The file is empty", "invalid": "Choose a file to upload"},
    )

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parties"].queryset = organisations_of(partnership).order_by("name")

    def clean(self):
        cleaned = super().clean()
        effective, expires = cleaned.get("effective_on"), cleaned.get("expires_on")
        if effective and expires and expires < effective:
            self.add_error("expires_on", "The expiry date must be the same as or after the date it takes effect")
        return cleaned
