"""Forms for the partnership lead's pages. They check what was typed and offer only the partnership's own
organisations and people; the services check everything again, so the API gets the same answers.

Import them from here (`from partnerships.forms import DelegationForm, date_field`); other apps reuse the fields.
"""

from .administration import (
    AdministratorAppointForm,
    AffiliationDeclineForm,
    CorrectionAcceptForm,
    CorrectionDeclineForm,
)
from .commitments import AgreementForm, DelegationForm
from .fields import (
    OdsCodeField,
    OrganisationChoiceField,
    PartiesField,
    PersonChoiceField,
    date_field,
    member_organisations,
    ods_code_field,
    text_field,
)
from .organisations import (
    CorrectionForm,
    MembershipAddForm,
    MembershipChangeForm,
    OrganisationChangeForm,
    OrganisationCreateForm,
    OrganisationFields,
    PartnershipDetailsForm,
)
from .people import ROLE_HINT, ConfirmForm, PersonChangeForm, PersonFields, PersonInviteForm, SecondFactorResetForm

__all__ = [
    "ROLE_HINT",
    "AdministratorAppointForm",
    "AffiliationDeclineForm",
    "AgreementForm",
    "ConfirmForm",
    "CorrectionAcceptForm",
    "CorrectionDeclineForm",
    "CorrectionForm",
    "DelegationForm",
    "MembershipAddForm",
    "MembershipChangeForm",
    "OdsCodeField",
    "OrganisationChangeForm",
    "OrganisationChoiceField",
    "OrganisationCreateForm",
    "OrganisationFields",
    "PartiesField",
    "PartnershipDetailsForm",
    "PersonChangeForm",
    "PersonChoiceField",
    "PersonFields",
    "PersonInviteForm",
    "SecondFactorResetForm",
    "date_field",
    "member_organisations",
    "ods_code_field",
    "text_field",
]
