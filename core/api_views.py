"""The API views every app shares: `ServiceViewSet`, the base of every resource, and the token endpoint.

The conventions are in docs/adr/0005-api-conventions.md. An app's viewset subclasses `ServiceViewSet`: reads go
through the app's access functions (`<nouns>_visible_to`, `get_<noun>_for_user`); writes validate the request with
an input serializer and call the app's service; the answer is always the output serializer.
"""

from django.conf import settings
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, renderers, serializers, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response
from rest_framework.settings import api_settings


class ServiceSchema(AutoSchema):
    """OpenAPI for a ServiceViewSet: a write's request body is its input serializer; every answer the output one."""

    def get_request_serializer(self):
        get_input_serializer_class = getattr(self.view, "get_input_serializer_class", None)
        serializer_class = get_input_serializer_class() if get_input_serializer_class else None
        return serializer_class or super().get_request_serializer()


class ServiceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A resource: list and detail through the app's access functions; create and update through its services.

    A subclass sets `serializer_class` (the output), `input_serializer_class` (what create accepts) and
    `update_serializer_class` (what update accepts, if different), and implements:

    - `get_queryset()`: the records the user may see, from the app's `<nouns>_visible_to(user)`;
    - `get_object()`: one record or 404/403, from `get_<noun>_for_user(user, pk, action)`, with the action a write
      needs when the request is a write, so a viewer is refused before their input is read;
    - `authorize_create()`: the same check for a create, before the input is read (the default checks nothing);
    - `create_record(data)` and `update_record(record, data)`: call the service and return the record.

    Records are never saved by a serializer: `serializer.save()` would skip the service's checks and audit record.
    """

    # PATCH only: services take the fields that change, so a partial update is the one kind of update.
    http_method_names = ["get", "post", "patch", "head"]
    # JSON only: DRF's browsable API needs inline script, which the CSP refuses; /api/docs/ is the browsable view.
    renderer_classes = [renderers.JSONRenderer]
    input_serializer_class: type[serializers.Serializer] | None = None
    update_serializer_class: type[serializers.Serializer] | None = None
    schema = ServiceSchema()

    def get_input_serializer_class(self) -> type[serializers.Serializer] | None:
        if self.action == "partial_update":
            return self.update_serializer_class or self.input_serializer_class
        if self.action == "create":
            return self.input_serializer_class
        return None

    def validated_input(self, *, partial: bool = False) -> dict:
        """The request body, checked by the input serializer. A field it does not know is refused, not ignored."""
        self.require_one_record()
        serializer_class = self.get_input_serializer_class()
        serializer = serializer_class(data=self.request.data, partial=partial, context=self.get_serializer_context())
        unknown = sorted(set(self.request.data) - set(serializer.fields))
        if unknown:
            raise exceptions.ValidationError({name: ["This field cannot be set here."] for name in unknown})
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def require_one_record(self) -> None:
        if not isinstance(self.request.data, dict):
            raise exceptions.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: ["Send one record as an object."]})

    def authorize_create(self) -> None:
        """Check the user may create here, before the input is read. The service checks again as it writes."""

    def create_record(self, data: dict):
        raise NotImplementedError

    def update_record(self, record, data: dict):
        raise NotImplementedError

    def answer(self, record, *, status_code: int = status.HTTP_200_OK) -> Response:
        """The record as a read shows it: fetched again through the queryset, so annotations are current."""
        record = self.get_queryset().get(pk=record.pk)
        return Response(self.get_serializer(record).data, status=status_code)

    def retrieve(self, request, *args, **kwargs):
        return self.answer(self.get_object())

    def create(self, request, *args, **kwargs):
        self.require_one_record()
        self.authorize_create()
        record = self.create_record(self.validated_input())
        return self.answer(record, status_code=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        record = self.get_object()
        record = self.update_record(record, self.validated_input(partial=True))
        return self.answer(record)

    @property
    def is_write(self) -> bool:
        return self.request.method not in ("GET", "HEAD")


class AccountLocked(exceptions.APIException):
    """429, with Retry-After: DRF's exception handler sends `wait` as that header."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked_out"

    def __init__(self):
        self.wait = settings.AXES_COOLOFF_TIME.total_seconds()
        minutes = int(self.wait // 60)
        super().__init__(f"Too many failed attempts: this account is locked for {minutes} minutes. Try again later.")


class TokenAnswerSerializer(serializers.Serializer):
    token = serializers.CharField(help_text='Send it with every request as "Authorization: Token <token>".')


class ObtainTokenView(ObtainAuthToken):
    """Exchange a username and password for an API token. django-axes counts failures here as at sign-in.

    Axes refuses a locked-out account even with the right password; DRF would then say only "Unable to log in",
    so this view says what happened instead: 429 with the time to wait.
    """

    @extend_schema(
        operation_id="auth_token_create",
        tags=["auth"],
        auth=[],
        description=(
            "Exchange your username and password for your API token. After repeated failures the account is "
            "locked for a while, as at sign-in, and the answer is 429."
        ),
        request=AuthTokenSerializer,
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
