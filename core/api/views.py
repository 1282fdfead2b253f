"""The base of every API resource, `ServiceViewSet`, and its OpenAPI schema.

The conventions are in docs/adr/0005-api-conventions.md. An app's viewset subclasses `ServiceViewSet`: reads go
through the app's access functions (`<nouns>_visible_to`, `get_<noun>_for_user`); writes validate the request with
an input serializer and call the app's service; the answer is always the output serializer."""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent, build_basic_type
from drf_spectacular.types import OpenApiTypes
from rest_framework import exceptions, mixins, renderers, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.settings import api_settings

# The refusals an operation may answer (docs/adr/0005), described so that a client generated from the schema can
# read them: a 400 names the fields refused; any other refusal says why in `detail`.
ERROR_DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string", "description": "What went wrong, in words a person can read."}},
    "required": ["detail"],
}
FIELD_MESSAGES = {"type": "array", "items": {"type": "string"}}
VALIDATION_ERRORS = {
    "type": "object",
    "description": "The messages for each field refused (`non_field_errors` for rules about several fields).",
    "properties": {"detail": {"type": "string", "description": "Instead, when the body could not be read as JSON."}},
    "additionalProperties": {"anyOf": [FIELD_MESSAGES, {"type": "object", "additionalProperties": FIELD_MESSAGES}]},
}
REFUSALS = {
    "400": "The request is not valid: the messages, by field.",
    "401": "No token, or a token that is not right.",
    "403": "Your role may not do this here.",
    "404": "No such record that you can see.",
}


class ServiceSchema(AutoSchema):
    """OpenAPI for a ServiceViewSet: a write's request body is its input serializer; every answer the output one,
    beside the refusals the operation may give."""

    def get_request_serializer(self):
        get_input_serializer_class = getattr(self.view, "get_input_serializer_class", None)
        serializer_class = get_input_serializer_class() if get_input_serializer_class else None
        return serializer_class or super().get_request_serializer()

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        responses = operation["responses"]
        for code in self.refusals(operation):
            responses.setdefault(code, {"description": REFUSALS[code]})
        for code, answer in responses.items():
            if code >= "400" and not answer.get("content"):
                name, schema = (
                    ("ValidationErrors", VALIDATION_ERRORS) if code == "400" else ("ErrorDetail", ERROR_DETAIL)
                )
                component = ResolvedComponent(name, ResolvedComponent.SCHEMA, object=name, schema=schema)
                self.registry.register_on_missing(component)
                answer["content"] = {"application/json": {"schema": component.ref}}
        return operation

    def refusals(self, operation: dict) -> list[str]:
        """400 for a write or a query; 401 and 403 unless anyone may ask; 404 for a record, a write or a page."""
        is_write = self.method not in ("GET", "HEAD")
        query = {parameter["name"] for parameter in operation.get("parameters", []) if parameter["in"] == "query"}
        codes = []
        if is_write or query:
            codes.append("400")
        if self.view.permission_classes:
            codes += ["401", "403"]
        if is_write or "{" in self.path or "page" in query:
            codes.append("404")
        return codes


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


class UploadFieldExtension(OpenApiSerializerFieldExtension):
    """A file in a request is the file's bytes (multipart/form-data), not the URL drf-spectacular says by default
    (it says binary only with COMPONENT_SPLIT_REQUEST, which would rename every input component)."""

    target_class = "rest_framework.fields.FileField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        return build_basic_type(OpenApiTypes.BINARY if direction == "request" else OpenApiTypes.URI)
