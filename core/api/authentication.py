"""Token sign-in for the API: django-rest-knox's ("Authorization: Token <token>", checked against a stored digest,
refused once expired), which also notes when each token was last used, at most once a minute."""

from datetime import timedelta

from django.utils import timezone
from drf_spectacular.authentication import TokenScheme
from knox.auth import TokenAuthentication as KnoxTokenAuthentication

from core.models import ApiToken

LAST_USED_PRECISION = timedelta(minutes=1)  # a script's burst of requests writes once, not once a request


class TokenAuthentication(KnoxTokenAuthentication):
    keyword = "Token"  # REST_KNOX's AUTH_HEADER_PREFIX, named as DRF's token class names it, for the schema

    def _cleanup_token(self, auth_token) -> bool:
        """Refuse (and delete) this token once expired. Knox also sweeps the owner's other expired tokens on every
        request, a query each time; `core.tokens.api_token_issue` sweeps them instead, and no page lists them."""
        if auth_token.expiry is not None and auth_token.expiry <= timezone.now():
            auth_token.delete()
            return True
        return False

    def validate_user(self, auth_token):
        user, token = super().validate_user(auth_token)
        now = timezone.now()
        if token.last_used is None or now - token.last_used >= LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=token.pk).update(last_used=now)
            token.last_used = now
        return user, token


class TokenAuthenticationScheme(TokenScheme):
    """The schema describes it as DRF's token ("tokenAuth", "Authorization: Token <token>"): a client generated
    from the schema sends the same header either way."""

    target_class = TokenAuthentication
    match_subclasses = True
