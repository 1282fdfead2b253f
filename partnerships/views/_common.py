"""What the partnerships pages share: the links back to a section of a partnership's overview or an organisation's
page."""

from django.urls import reverse


def overview_url(partnership, section: str) -> str:
    return f"{reverse('partnerships:overview', args=[partnership.code])}#{section}"


def organisation_section(organisation, section: str) -> str:
    return f"{reverse('partnerships:organisation_detail', args=[organisation.pk])}#{section}"
