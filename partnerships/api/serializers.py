"""The shapes of the partnerships API: what it answers (output) and what it accepts (input).

Outputs show a related record as a small object; inputs name it by id (or a partnership by its code). Inputs only
check types and that an id is one the user may use: the services validate everything else, so the pages and the
API refuse the same things with the same messages.
"""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import VisibleIdField

from ..access import organisations_visible_to, people_visible_to
from ..models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    DecisionCategory,
    Delegation,
    GovernanceForm,
    Membership,
    MembershipKind,
    Organisation,
    OrganisationKind,
    Partnership,
    PartnershipRole,
    Role,
)

User = get_user_model()

PARTNERSHIP_CODE_HELP = "The partnership's 3-character code, like QZZ."

# --- Outputs ---------------------------------------------------------------------------------------------------------


class OrganisationSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "ods_code", "name", "kind"]


class PersonSerializer(serializers.Serializer):
    """A person as others in their partnerships see them: no email address, no sign-in details."""

    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(read_only=True)
    name = serializers.CharField(source="display_name", read_only=True)
    job_title = serializers.SerializerMethodField()
    # A nested serializer declared once (not one built per row): DRF answers None when the profile is missing.
    organisation = OrganisationSummarySerializer(source="profile.organisation", read_only=True, allow_null=True)

    def get_job_title(self, user) -> str:
        profile = getattr(user, "profile", None)
        return profile.job_title if profile else ""


class PartnershipSerializer(serializers.ModelSerializer):
    member_count = serializers.IntegerField(read_only=True, help_text="Organisations that are members today.")

    class Meta:
        model = Partnership
        fields = [
            "code",
            "name",
            "ons_code",
            "region",
            "population",
            "governance_form",
            "public_description",
            "member_count",
            "updated_at",
        ]


class OrganisationSerializer(serializers.ModelSerializer):
    is_open = serializers.BooleanField(read_only=True, help_text="Open today: not closed, or closing later.")

    class Meta:
        model = Organisation
        fields = ["id", "ods_code", "name", "kind", "postcode", "opened_on", "closed_on", "is_open", "updated_at"]


class MembershipSerializer(serializers.ModelSerializer):
    partnership = serializers.CharField(source="partnership.code", read_only=True, help_text=PARTNERSHIP_CODE_HELP)
    organisation = OrganisationSummarySerializer(read_only=True)
    is_current = serializers.SerializerMethodField(help_text="A member today: joined, and not yet left.")

    class Meta:
        model = Membership
        fields = ["id", "partnership", "organisation", "kind", "joined_on", "left_on", "is_current", "updated_at"]

    def get_is_current(self, membership) -> bool:
        today = timezone.localdate()
        return membership.joined_on <= today and not membership.has_left(today)


class DelegationSerializer(serializers.ModelSerializer):
    partnership = serializers.CharField(source="partnership.code", read_only=True, help_text=PARTNERSHIP_CODE_HELP)
    organisation = OrganisationSummarySerializer(read_only=True)
    delegate = PersonSerializer(read_only=True, allow_null=True)
    categories = serializers.ListField(child=serializers.ChoiceField(choices=DecisionCategory.choices))
    in_force = serializers.SerializerMethodField(help_text="In force today.")

    class Meta:
        model = Delegation
        fields = [
            "id",
            "partnership",
            "organisation",
            "delegate",
            "delegate_role",
            "categories",
            "limit_pounds",
            "valid_from",
            "valid_to",
            "in_force",
            "source_document",
            "source_version",
            "updated_at",
        ]

    def get_in_force(self, delegation) -> bool:
        return delegation.in_force_on(timezone.localdate())


class DocumentSerializer(serializers.Serializer):
    filename = serializers.CharField()
    size = serializers.IntegerField(allow_null=True, help_text="In bytes (null if it was not recorded).")
    url = serializers.URLField(help_text="Download it here, with the same credentials.")


class AgreementSerializer(serializers.ModelSerializer):
    partnership = serializers.CharField(source="partnership.code", read_only=True, help_text=PARTNERSHIP_CODE_HELP)
    parties = OrganisationSummarySerializer(many=True, read_only=True)
    review_state = serializers.SerializerMethodField(
        help_text="'overdue' past its review date, 'due' within 60 days of it, otherwise empty."
    )
    document = serializers.SerializerMethodField()

    class Meta:
        model = Agreement
        fields = [
            "id",
            "partnership",
            "kind",
            "title",
            "parties",
            "status",
            "effective_on",
            "expires_on",
            "review_on",
            "review_state",
            "document",
            "updated_at",
        ]

    def get_review_state(self, agreement) -> str:
        return agreement.review_state()

    @extend_schema_field(DocumentSerializer(allow_null=True))
    def get_document(self, agreement):
        if not agreement.document:
            return None
        url = reverse("api:agreement-document", args=[agreement.pk])
        request = self.context.get("request")
        return {
            "filename": agreement.document_filename,
            "size": agreement.document_size,
            "url": request.build_absolute_uri(url) if request else url,
        }


class RoleSerializer(serializers.ModelSerializer):
    """One role held by one person in one partnership."""

    partnership = serializers.CharField(source="content_object.code", read_only=True, help_text=PARTNERSHIP_CODE_HELP)
    person = PersonSerializer(source="user", read_only=True)
    role = serializers.ChoiceField(source="permission.codename", choices=Role.choices, read_only=True)

    class Meta:
        model = PartnershipRole
        fields = ["id", "partnership", "person", "role"]


# --- Inputs ----------------------------------------------------------------------------------------------------------
# An update accepts the fields that may change; a create adds the partnership it is made in, by code.


def _partnership_code():
    return serializers.CharField(help_text=PARTNERSHIP_CODE_HELP)


def _optional_text():
    return serializers.CharField(required=False, allow_blank=True)


def _optional_date():
    return serializers.DateField(required=False, allow_null=True)


def _organisation_id(**kwargs):
    return VisibleIdField(visible_to=organisations_visible_to, queryset=Organisation.objects.all(), **kwargs)


class PartnershipUpdateInput(serializers.Serializer):
    name = serializers.CharField()
    ons_code = _optional_text()
    region = _optional_text()
    population = serializers.IntegerField(required=False, allow_null=True)
    governance_form = serializers.ChoiceField(choices=GovernanceForm.choices, required=False)
    public_description = _optional_text()


class PartnershipCreateInput(PartnershipUpdateInput):
    code = serializers.CharField(help_text="The partnership's 3-character ODS code, like QMF.")


class OrganisationUpdateInput(serializers.Serializer):
    ods_code = serializers.CharField(required=False, allow_blank=True, help_text="Blank for a body without one.")
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=OrganisationKind.choices)
    postcode = _optional_text()
    opened_on = _optional_date()
    closed_on = _optional_date()


class OrganisationCreateInput(OrganisationUpdateInput):
    """A new organisation, added to the register as a member of the partnership."""

    partnership = _partnership_code()
    membership_kind = serializers.ChoiceField(choices=MembershipKind.choices, default=MembershipKind.FULL)
    joined_on = serializers.DateField(help_text="When it joined the partnership.")


class MembershipUpdateInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=MembershipKind.choices)
    joined_on = serializers.DateField()
    left_on = serializers.DateField(
        required=False, allow_null=True, help_text="Set it to record that the organisation left."
    )


class MembershipCreateInput(serializers.Serializer):
    partnership = _partnership_code()
    # Any organisation in the register may join: the register is NHS reference data, not a partnership's secret.
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    kind = serializers.ChoiceField(choices=MembershipKind.choices, default=MembershipKind.FULL)
    joined_on = serializers.DateField()


class DelegationInput(serializers.Serializer):
    organisation = _organisation_id(help_text="A current member of the partnership.")
    delegate = VisibleIdField(
        visible_to=people_visible_to,
        queryset=User.objects.all(),
        required=False,
        allow_null=True,
        help_text="The person who holds the delegation; or leave it out and give a delegate_role.",
    )
    delegate_role = serializers.ChoiceField(
        choices=Delegation._meta.get_field("delegate_role").choices, required=False, allow_blank=True
    )
    categories = serializers.ListField(child=serializers.ChoiceField(choices=DecisionCategory.choices))
    limit_pounds = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True, help_text="Leave it out for no limit."
    )
    valid_from = serializers.DateField()
    valid_to = _optional_date()
    source_document = serializers.CharField()
    source_version = _optional_text()


class DelegationCreateInput(DelegationInput):
    partnership = _partnership_code()


class AgreementInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AgreementKind.choices)
    title = serializers.CharField()
    parties = _organisation_id(many=True, help_text="Ids of the member organisations that are party to it.")
    status = serializers.ChoiceField(choices=AgreementStatus.choices, required=False)
    effective_on = _optional_date()
    expires_on = _optional_date()
    review_on = _optional_date()
    document = serializers.FileField(
        required=False, help_text="PDF, Word or OpenDocument, up to 10 MB: send the request as multipart/form-data."
    )


class AgreementCreateInput(AgreementInput):
    partnership = _partnership_code()


class RoleGrantInput(serializers.Serializer):
    partnership = _partnership_code()
    person = VisibleIdField(
        visible_to=people_visible_to,
        queryset=User.objects.all(),
        help_text="Someone with a role in a partnership you can see. Invite new people from the People page.",
    )
    role = serializers.ChoiceField(choices=Role.choices)
