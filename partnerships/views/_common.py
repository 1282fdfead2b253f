"""What the partnerships pages share: the link back to a section of the partnership's overview."""

from django.urls import reverse


def overview_url(partnership, section: str) -> str:
    return f"{reverse('partnerships:overview', args=[partnership.code])}#{section}"
