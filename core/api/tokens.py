"""The API's token endpoint: a script signs in with a username and password and gets a new token, which expires
(API_TOKEN_DAYS) and is listed, and can be revoked, on its owner's "API tokens" page. An account with a second
factor sends a code with them; an account whose roles need one and has none gets no token until it is set up, so a
password alone never opens such an account to a script."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, parsers, serializers, status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from core.second_factor import check_code, has_second_factor, must_use_second_factor
from core.tokens import api_token_issue

CODE_NEEDED = "This account signs in with a second factor: send a code from the authenticator app as `code`"
SET_UP_FIRST = "Set up an authenticator app on the Sign-in security page first: your roles need a second factor"


class AccountLocked(exceptions.APIException):
    """429, with Retry-After: DRF's exception handler sends `wait` as that header."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked_out"

    def __init__(self):
        self.wait = settings.AXES_COOLOFF_TIME.total_seconds()
        minutes = int(self.wait // 60)
        super().__init__(f"Too many failed attempts: this account is locked for {minutes} minutes. Try again later.")


class TokenRequestSerializer(serializers.Serializer):
    """What the schema says to send: DRF's AuthTokenSerializer also names the (read-only) token, which a client
    generated from the schema would then ask for."""

    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
    code = serializers.CharField(
        required=False,
        max_length=40,
        help_text=(
            "Needed when the account has a second factor, or its roles need one: the 6-digit code the authenticator "
            "app shows now (or one of the account's recovery codes, which is then used up)."
        ),
    )


class TokenAnswerSerializer(serializers.Serializer):
    token = serializers.CharField(
        help_text='Send it with every request as "Authorization: Token <token>". It is shown only this once.'
    )
    name = serializers.CharField(help_text='The name it has on your "API tokens" page, where you can revoke it.')
    expiry = serializers.DateTimeField(help_text="When it stops working. Ask for a new one before then.")


class ObtainTokenView(APIView):
    """Exchange a username and password for a new API token. django-axes counts failures here as at sign-in.

    Each call issues another token (the old ones keep working until they expire or are revoked): a token is stored
    hashed, so an earlier one cannot be handed back.

    Axes refuses a locked-out account even with the right password; DRF would then say only "Unable to log in",
    so this view says what happened instead: 429 with the time to wait.
    """

    parser_classes = [parsers.JSONParser]  # DRF's own view takes forms too; the API takes JSON (docs/adr/0005)
    authentication_classes = []  # the username and password are the credentials; a session would ask for CSRF
    permission_classes = []
    throttle_classes = []

    @extend_schema(
        operation_id="auth_token_create",
        tags=["auth"],
        auth=[],
        description=(
            "Exchange your username and password for a new API token, which expires (after 90 days unless the "
            "service says otherwise) and is revoked when your password changes. Each call issues another token: "
            "keep the one you have rather than asking again. After repeated failures the account is locked for a "
            "while, as at sign-in, and the answer is 429. An account with a second factor sends a code from its "
            "authenticator app as `code` (400 without it, or with a wrong one); an account whose roles need a "
            "second factor and has not set one up gets no token (403) until it does, on the Sign-in security page."
        ),
        request=TokenRequestSerializer,
        responses={
            200: TokenAnswerSerializer,
            400: OpenApiResponse(
                description="The username or password is not right, or the second factor's code is missing or wrong."
            ),
            403: OpenApiResponse(description="The account's roles need a second factor, and it has none set up yet."),
            429: OpenApiResponse(description="Too many failed attempts: the account is locked for a while."),
        },
    )
    def post(self, request, *args, **kwargs):
        serializer = AuthTokenSerializer(data=request.data, context={"request": request})
        if not serializer.is_valid():
            if getattr(request, "axes_locked_out", False):
                raise AccountLocked()
            if api_settings.NON_FIELD_ERRORS_KEY in serializer.errors:  # the words of the sign-in page
                raise exceptions.ValidationError(
                    {api_settings.NON_FIELD_ERRORS_KEY: ["The username or password is not right."]}
                )
            raise exceptions.ValidationError(serializer.errors)
        user = serializer.validated_data["user"]
        _check_second_factor(user, str(request.data.get("code") or ""))
        name = f"Issued to a script on {timezone.localdate():%-d %B %Y}"
        token, plain = api_token_issue(user=user, name=name)
        return Response({"token": plain, "name": token.name, "expiry": token.expiry})


def _check_second_factor(user, code: str) -> None:
    """After the password: the code of an account with a second factor (a wrong one counts towards the app's
    throttling, as at sign-in), or a refusal for an account that must have one and has not set it up."""
    if has_second_factor(user):
        if not code.strip():
            raise exceptions.ValidationError({"code": [CODE_NEEDED]})
        try:
            check_code(user, code)
        except ValidationError as error:
            raise exceptions.ValidationError({"code": error.message_dict.get("code", [CODE_NEEDED])}) from error
    elif must_use_second_factor(user):
        raise exceptions.PermissionDenied(SET_UP_FIRST)
