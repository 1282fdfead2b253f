"""The API's token endpoint: a script signs in with a username and password and gets a new token, which expires
(API_TOKEN_DAYS) and is listed, and can be revoked, on its owner's "API tokens" page."""

from django.conf import settings
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, parsers, serializers, status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from core.tokens import api_token_issue


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
            "while, as at sign-in, and the answer is 429."
        ),
        request=TokenRequestSerializer,
        responses={
            200: TokenAnswerSerializer,
            400: OpenApiResponse(description="The username or password is not right."),
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
        name = f"Issued to a script on {timezone.localdate():%-d %B %Y}"
        token, plain = api_token_issue(user=serializer.validated_data["user"], name=name)
        return Response({"token": plain, "name": token.name, "expiry": token.expiry})
