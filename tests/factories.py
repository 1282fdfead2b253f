"""factory_boy factories for every app's models. Build the smallest world a test needs."""

import datetime
from decimal import Decimal

import factory
from django.conf import settings
from django.contrib.auth import get_user_model
from guardian.shortcuts import assign_perm

from partnerships.models import (
    Agreement,
    AgreementKind,
    DecisionCategory,
    Delegation,
    Membership,
    MembershipKind,
    Organisation,
    OrganisationKind,
    Partnership,
    PartnershipRole,
    Profile,
)

TODAY = datetime.date(2026, 11, 22)
_BASE36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"person{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.nhs.uk")
    # The test settings' DEMO_PASSWORD, read as each person is made: the one the browser tests type to sign in.
    password = factory.django.Password(factory.LazyFunction(lambda: settings.DEMO_PASSWORD))


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: "X" + _BASE36[n // 36 % 36] + _BASE36[n % 36])
    name = factory.Sequence(lambda n: f"Test Health and Care Partnership {n}")
    region = "North East and Yorkshire"
    population = 1_000_000


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    ods_code = factory.Sequence(lambda n: f"T{n:04d}")
    name = factory.Sequence(lambda n: f"Test Organisation {n} NHS Foundation Trust")
    kind = OrganisationKind.ACUTE_TRUST
    opened_on = datetime.date(2015, 4, 1)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    partnership = factory.SubFactory(PartnershipFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    kind = MembershipKind.FULL
    joined_on = datetime.date(2020, 4, 1)


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    job_title = "Director"


class DelegationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delegation

    partnership = factory.SubFactory(PartnershipFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    delegate = factory.SubFactory(UserFactory)
    categories = factory.LazyFunction(lambda: list(DecisionCategory.values))
    limit_pounds = Decimal("1000000")
    valid_from = datetime.date(2025, 4, 1)
    source_document = "Scheme of reservation and delegation"
    source_version = "v3"


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    partnership = factory.SubFactory(PartnershipFactory)
    kind = AgreementKind.MOU
    title = factory.Sequence(lambda n: f"Memorandum of understanding {n}")
    effective_on = datetime.date(2025, 4, 1)
    review_on = datetime.date(2027, 4, 1)


def grant(user, partnership, *roles: str, organisation=None) -> None:
    """Give `user` roles in `partnership` directly (tests of the role service use the service instead). The roles
    represent `organisation` there (their affiliation), by default the organisation of the user's profile."""
    if organisation is None:
        profile = Profile.objects.filter(user=user).select_related("organisation").first()
        organisation = profile.organisation if profile else None
    for role in roles:
        assign_perm(f"partnerships.{role}", user, partnership)
    if organisation is not None:
        PartnershipRole.objects.filter(user=user, content_object=partnership).update(organisation=organisation)
    user.__dict__.pop("_partnership_roles", None)


def affiliate(user, partnership, organisation) -> None:
    """Record that `user` represents `organisation` in `partnership`, as the lead's form does."""
    PartnershipRole.objects.filter(user=user, content_object=partnership).update(organisation=organisation)


def member_of(partnership, organisation=None, **kwargs) -> Organisation:
    """An organisation that is a current full member of `partnership`."""
    organisation = organisation or OrganisationFactory(**kwargs)
    MembershipFactory(partnership=partnership, organisation=organisation)
    return organisation
