"""Emails to an organisation's administrators when a partnership relies on their organisation in a new way (it lists
the organisation, records a delegation or an affiliation for them to confirm, proposes a correction to its record),
and to the lead who proposed a correction when it is answered. Sent by Celery tasks, each at most once
(`core.emails.send_each`)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from core.emails import Email, send_each

from ..access import administrators_of
from ..models import Delegation, Membership, OrganisationCorrection, Partnership, PartnershipRole


def _organisation_link(organisation) -> str:
    return f"{settings.SITE_URL}{reverse('partnerships:organisation_detail', args=[organisation.pk])}"


def _email_administrators(organisation, *, key: str, subject: str, template: str, **context) -> int:
    """Email each active administrator of the organisation once under `key`; the text is
    `partnerships/email/<template>.txt`, with a link to the organisation's page."""

    def compose(recipient) -> Email:
        body = render_to_string(
            f"partnerships/email/{template}.txt",
            {"recipient": recipient, "organisation": organisation, "link": _organisation_link(organisation), **context},
        )
        return Email(subject, body)

    return send_each(administrators_of(organisation).filter(is_active=True), key=key, compose=compose)


def send_organisation_listed(membership_id: int) -> int:
    membership = Membership.objects.select_related("organisation", "partnership").filter(pk=membership_id).first()
    if membership is None:
        return 0
    return _email_administrators(
        membership.organisation,
        key=f"organisation-listed:{membership.pk}",
        subject=f"{membership.partnership.name} lists {membership.organisation.name} as a partner",
        template="organisation_listed",
        membership=membership,
    )


def send_delegation_to_confirm(delegation_id: int) -> int:
    delegation = (
        Delegation.objects.select_related("organisation", "partnership", "delegate", "recorded_by")
        .filter(pk=delegation_id, confirmed_at__isnull=True)
        .first()
    )
    if delegation is None:
        return 0
    return _email_administrators(
        delegation.organisation,
        key=f"delegation-to-confirm:{delegation.pk}",
        subject=f"A delegation to confirm for {delegation.organisation.name} in {delegation.partnership.name}",
        template="delegation_to_confirm",
        delegation=delegation,
    )


def send_affiliation_to_confirm(partnership_id: int, user_id: int) -> int:
    grant = (
        PartnershipRole.objects.select_related("organisation", "user", "content_object")
        .filter(content_object_id=partnership_id, user_id=user_id, organisation__isnull=False)
        .filter(organisation_confirmed_at__isnull=True)
        .order_by("pk")
        .first()
    )
    if grant is None:
        return 0
    return _email_administrators(
        grant.organisation,
        key=f"affiliation-to-confirm:{partnership_id}:{user_id}:{grant.organisation_id}",
        subject=f"Does {grant.user} represent {grant.organisation.name} in {grant.content_object.name}?",
        template="affiliation_to_confirm",
        person=grant.user,
        partnership=grant.content_object,
    )


def send_correction_proposed(correction_id: int) -> int:
    correction = (
        OrganisationCorrection.objects.select_related("organisation", "partnership", "proposed_by")
        .filter(pk=correction_id)
        .first()
    )
    if correction is None or not correction.is_pending:
        return 0
    return _email_administrators(
        correction.organisation,
        key=f"correction-proposed:{correction.pk}",
        subject=f"A correction to the record of {correction.organisation.name} to answer",
        template="correction_proposed",
        correction=correction,
    )


def send_correction_answered(correction_id: int) -> int:
    correction = (
        OrganisationCorrection.objects.select_related("organisation", "partnership", "proposed_by", "answered_by")
        .filter(pk=correction_id)
        .first()
    )
    if correction is None or correction.is_pending or correction.proposed_by is None:
        return 0
    partnership: Partnership = correction.partnership

    def compose(recipient) -> Email:
        body = render_to_string(
            "partnerships/email/correction_answered.txt",
            {
                "recipient": recipient,
                "correction": correction,
                "link": f"{settings.SITE_URL}{reverse('partnerships:overview', args=[partnership.code])}",
            },
        )
        return Email(f"Your correction to {correction.organisation.name} was {correction.status}", body)

    return send_each(
        [correction.proposed_by] if correction.proposed_by.is_active else [],
        key=f"correction-answered:{correction.pk}",
        compose=compose,
    )
