"""The API's token endpoint: a person signs in with their username and password and gets their token."""

from django.conf import settings
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, parsers, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response
from rest_framework.settings import api_settings


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
    token = serializers.CharField(help_text='Send it with every request as "Authorization: Token <token>".')


class ObtainTokenView(ObtainAuthToken):
    """Exchange a username and password for an API token. django-axes counts failures here as at sign-in.

    Axes refuses a locked-out account even with the right password; DRF would then say only "Unable to log in",
    so this view says what happened instead: 429 with the time to wait.
    """

    parser_classes = [parsers.JSONParser]  # DRF's own view takes forms too; the API takes JSON (docs/adr/0005)

    @extend_schema(
        operation_id="auth_token_create",
        tags=["auth"],
        auth=[],
        description=(
            "Exchange your username and password for your API token. After repeated failures the account is "
            "locked for a while, as at sign-in, and the answer is 429."
        ),
        request=TokenRequestSerializer,
        responses={
            200: TokenAnswerSerializer,
            400: OpenApiResponse(description="The username or password is not right."),
            429: OpenApiResponse(description="Too many failed attempts: the account is locked for a while."),
        },
    )
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            if getattr(request, "axes_locked_out", False):
                raise AccountLocked()
            if api_settings.NON_FIELD_ERRORS_KEY in serializer.errors:  # the words of the sign-in page
                raise exceptions.ValidationError(
                    {api_settings.NON_FIELD_ERRORS_KEY: ["The username or password is not right."]}
                )
            raise exceptions.ValidationError(serializer.errors)
        token, _ = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})
