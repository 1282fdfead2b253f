"""Personal API tokens: issued on the "API tokens" page or by /api/v1/auth/token/, revoked by their owner, and all
revoked when the password changes, the account is switched off or the second factor is reset. django-rest-knox
makes and checks them; these services name them, bound their life and audit every issue and revocation."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from .audit import SYSTEM, audit_record
from .models import ApiToken
from .services import require_text
from .validators import reject_markup

NAME_MAX_LENGTH = ApiToken._meta.get_field("name").max_length
# The lives a person may choose on the page; none longer than API_TOKEN_DAYS.
LIFETIME_CHOICES_DAYS = (7, 30, 90)


def lifetime_choices() -> list[int]:
    """The lives, in days, the page offers: the usual ones up to API_TOKEN_DAYS, and API_TOKEN_DAYS itself."""
    longest = settings.API_TOKEN_DAYS
    return sorted({days for days in LIFETIME_CHOICES_DAYS if days < longest} | {longest})


def api_tokens_of(user):
    """The person's own tokens that have not expired, newest first."""
    return ApiToken.objects.filter(user=user, expiry__gt=timezone.now()).order_by("-created")


def get_api_token_for_user(user, public_id) -> ApiToken:
    """The person's own token, or 404: another person's token is as absent as one that never was."""
    token = api_tokens_of(user).filter(public_id=public_id).first()
    if token is None:
        raise Http404("No such token.")
    return token


def api_token_issue(*, user, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """Make a named token for `user` that expires after `days` (API_TOKEN_DAYS when not given): the record and the
    token itself, which is shown once and never stored."""
    name = require_text(name, field="name", message="Enter a name for the token")
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError({"name": f"The name must be {NAME_MAX_LENGTH} characters or fewer"})
    try:
        reject_markup(name)
    except ValidationError as error:
        raise ValidationError({"name": error.messages}) from error
    days = settings.API_TOKEN_DAYS if days is None else days
    if not 1 <= days <= settings.API_TOKEN_DAYS:
        raise ValidationError({"days": f"A token may last from 1 to {settings.API_TOKEN_DAYS} days"})
    with transaction.atomic():
        ApiToken.objects.filter(user=user, expiry__lte=timezone.now()).delete()  # expired: of no use to anyone
        token, plain = ApiToken.objects.create(user=user, expiry=timedelta(days=days), name=name)
        audit_record(
            actor=user,
            action="api_token.issued",
            target=user,
            summary=f"API token “{name}” issued, expiring on {token.expiry:%d %B %Y}",
            changes={"name": [None, name], "expiry": [None, token.expiry.isoformat()]},
        )
    return token, plain


def api_token_revoke(*, actor, public_id) -> ApiToken:
    """The owner revokes one of their tokens: it stops working at once."""
    with transaction.atomic():
        token = get_api_token_for_user(actor, public_id)
        token.delete()
        audit_record(
            actor=actor,
            action="api_token.revoked",
            target=actor,
            summary=f"API token “{token.name}” revoked by its owner",
            changes={"name": [token.name, None], "expiry": [token.expiry.isoformat(), None]},
        )
    return token


def revoke_all_tokens(user, reason: str, *, actor=SYSTEM) -> int:
    """Revoke every token of `user` (password changed, account switched off, second factor reset), with one audit
    record naming them; how many there were. Nothing is recorded when there were none."""
    with transaction.atomic():
        tokens = list(ApiToken.objects.filter(user=user).order_by("created"))
        if not tokens:
            return 0
        ApiToken.objects.filter(pk__in=[token.pk for token in tokens]).delete()
        names = [token.name for token in tokens]
        audit_record(
            actor=actor,
            action="api_token.revoked",
            target=user,
            summary=f"All {len(tokens)} API tokens revoked: {reason}"
            if len(tokens) > 1
            else f"API token “{names[0]}” revoked: {reason}",
            changes={"name": [names, None]},
            reason=reason,
        )
    return len(tokens)
