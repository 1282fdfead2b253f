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
from core.audit import target_label
from core.models import AuditEvent

from ..access import organisations_visible_to, people_known_to, people_visible_to
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
    OrganisationCorrection,
    OrganisationKind,
    OrganisationRole,
    Partnership,
    PartnershipRole,
    Role,
)
from ..selectors.history import CHAIN_FIELDS
from ..services import ORGANISATION_FIELDS

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
    """An organisation's shared record. Its administrators keep it; a partnership lead proposes corrections."""

    is_open = serializers.BooleanField(read_only=True, help_text="Open today: not closed, or closing later.")
    administrators = serializers.SerializerMethodField(
        help_text="The names of its administrators (board or company secretary, governance team), who keep its record."
    )
    has_administrators = serializers.SerializerMethodField(
        help_text="False while a service administrator keeps the record, until the organisation has administrators."
    )

    class Meta:
        model = Organisation
        fields = [
            "id",
            "ods_code",
            "name",
            "kind",
            "postcode",
            "opened_on",
            "closed_on",
            "is_open",
            "contact_email",
            "website",
            "administrators",
            "has_administrators",
            "updated_at",
        ]

    def get_administrators(self, organisation) -> list[str]:
        # From the prefetched grants (OrganisationViewSet): no query per row.
        names = [grant.user.display_name for grant in organisation.administrator_grants.all()]
        return sorted(names, key=str.casefold)

    def get_has_administrators(self, organisation) -> bool:
        return bool(organisation.administrator_grants.all())


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
    recorded_by = PersonSerializer(read_only=True, allow_null=True, help_text="Null if not known (an import).")
    confirmed_by = PersonSerializer(
        read_only=True, allow_null=True, help_text="The organisation's administrator who confirmed it; null until then."
    )
    confirmed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    is_confirmed = serializers.BooleanField(
        read_only=True,
        help_text="Confirmed by the organisation against its own scheme of delegation: from then on only its "
        "administrators change or end it.",
    )

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
            "recorded_by",
            "confirmed_by",
            "confirmed_at",
            "is_confirmed",
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
    organisation = OrganisationSummarySerializer(
        read_only=True,
        allow_null=True,
        help_text="The organisation the person represents in this partnership (the same on all their roles here).",
    )
    organisation_confirmed = serializers.SerializerMethodField(
        help_text="The organisation's administrators have confirmed that the person represents it here."
    )

    class Meta:
        model = PartnershipRole
        fields = ["id", "partnership", "person", "role", "organisation", "organisation_confirmed"]

    def get_organisation_confirmed(self, grant) -> bool:
        return grant.organisation_id is not None and grant.organisation_confirmed_at is not None


class OrganisationAdministratorSerializer(serializers.ModelSerializer):
    """One person who administers one organisation."""

    organisation = OrganisationSummarySerializer(source="content_object", read_only=True)
    user = PersonSerializer(read_only=True)

    class Meta:
        model = OrganisationRole
        fields = ["id", "organisation", "user"]


class CorrectionChangeSerializer(serializers.Serializer):
    field = serializers.ChoiceField(choices=ORGANISATION_FIELDS)
    current = serializers.CharField(allow_null=True, help_text="The record's value when the correction was proposed.")
    proposed = serializers.CharField(allow_null=True)


class CorrectionSerializer(serializers.ModelSerializer):
    """A change to an organisation's shared record proposed by a partnership lead, and the organisation's answer."""

    organisation = OrganisationSummarySerializer(read_only=True)
    partnership = serializers.CharField(
        source="partnership.code", read_only=True, help_text="The code of the partnership it was proposed from."
    )
    proposed_by = PersonSerializer(read_only=True, allow_null=True)
    changes = serializers.SerializerMethodField()
    answered_by = PersonSerializer(read_only=True, allow_null=True)
    answered_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = OrganisationCorrection
        fields = [
            "id",
            "organisation",
            "partnership",
            "proposed_by",
            "changes",
            "reason",
            "status",
            "answered_by",
            "answered_at",
            "answer",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(CorrectionChangeSerializer(many=True))
    def get_changes(self, correction):
        return [
            {"field": name, "current": _text(current), "proposed": _text(proposed)}
            for name, (current, proposed) in correction.changes.items()
        ]


def _text(value) -> str | None:
    return None if value is None else str(value)


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
    """The fields of an organisation's shared record that a request may change (or a correction propose)."""

    ods_code = serializers.CharField(
        required=False, allow_blank=True, help_text="Blank for a body without one. Kept by service administrators."
    )
    name = serializers.CharField(required=False)
    kind = serializers.ChoiceField(choices=OrganisationKind.choices, required=False)
    postcode = serializers.CharField(required=False, allow_blank=True, help_text="Kept by service administrators.")
    opened_on = _optional_date()
    closed_on = _optional_date()
    contact_email = serializers.EmailField(
        required=False, allow_blank=True, help_text="The governance contact: often the board secretary's office."
    )
    website = serializers.URLField(required=False, allow_blank=True)


class OrganisationCreateInput(OrganisationUpdateInput):
    """A new organisation, added to the register as a member of the partnership."""

    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=OrganisationKind.choices)
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
        visible_to=people_known_to,
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


class RoleUpdateInput(serializers.Serializer):
    organisation = _organisation_id(
        allow_null=True,
        help_text="The organisation the person represents in this partnership (a current member), or null for none. "
        "It changes all their roles here, and awaits the organisation's confirmation.",
    )


class AffiliationDeclineInput(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, help_text="Why the person does not represent the organisation.")


class OrganisationAdministratorInput(serializers.Serializer):
    organisation = _organisation_id()
    user = VisibleIdField(
        visible_to=people_known_to,
        queryset=User.objects.all(),
        help_text="The person to appoint: someone in a partnership you can see, or of an organisation you administer.",
    )


class CorrectionCreateInput(OrganisationUpdateInput):
    """A correction to an organisation's record: the fields to change, with their proposed values, and why."""

    partnership = _partnership_code()
    organisation = _organisation_id(help_text="An organisation the partnership lists.")
    # The model's text fields hold 2,000 characters, which its validators do not check: checked here.
    reason = serializers.CharField(allow_blank=True, max_length=2000, help_text="Why the record should change.")


class CorrectionAcceptInput(serializers.Serializer):
    answer = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000, help_text="Optional.")


class CorrectionDeclineInput(serializers.Serializer):
    answer = serializers.CharField(allow_blank=True, max_length=2000, help_text="Why the record should stay as it is.")


class AuditEventSerializer(serializers.ModelSerializer):
    """One change: who made it, when, to which record, and what changed."""

    actor = serializers.IntegerField(
        source="actor_id", allow_null=True, help_text="The person's id; null for the system."
    )
    actor_name = serializers.SerializerMethodField(help_text='Who made the change, or "System".')
    partnership = serializers.CharField(
        source="partnership_code",
        allow_null=True,
        help_text="The code of the partnership whose history records it; null for none.",
    )
    target_type = serializers.SerializerMethodField(help_text="The kind of record, like governance.decision.")
    changes = serializers.JSONField(help_text="Changed fields: {field: [before, after]}, with ids and codes.")

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "at",
            "actor",
            "actor_name",
            "partnership",
            "action",
            "target_type",
            "target_id",
            "summary",
            "changes",
            "reason",
            *CHAIN_FIELDS,
        ]

    def get_actor_name(self, event) -> str:
        return event.actor.display_name if event.actor else "System"

    def get_target_type(self, event) -> str:
        return target_label(event.target_type)
