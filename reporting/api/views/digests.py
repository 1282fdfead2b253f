"""The board digest API: `/api/v1/digests/?partnership=QZZ` (the history, newest first), `/api/v1/digests/<id>/`
(the digest as the reader may read it, with their own organisation's to-do section) and `/api/v1/digests/<id>/pdf/`.
Read-only, with the pages' permissions: anyone with a role in the partnership reads; anyone else gets 404.
"""

import json

import django_filters
from django.http import HttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import exceptions, renderers, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.views import ServiceViewSet
from partnerships.api.filters import PartnershipCodeFilter

from ...access import digests_visible_to, get_digest_for_user
from ...models import Digest, DigestStatus
from ...pdf import digest_pdf
from ...selectors.digests import digest_for_reader


class DigestSerializer(serializers.ModelSerializer):
    partnership = serializers.CharField(source="partnership.code", read_only=True)
    email_state = serializers.CharField(read_only=True, help_text="Whether the board has been emailed, in words.")
    url = serializers.SerializerMethodField(help_text="The digest's page.")
    pdf_url = serializers.SerializerMethodField(help_text="The digest as a PDF, once built.")

    class Meta:
        model = Digest
        fields = [
            "id",
            "partnership",
            "period_start",
            "period_end",
            "status",
            "built_at",
            "emailed_at",
            "email_state",
            "url",
            "pdf_url",
        ]

    def get_url(self, digest: Digest) -> str:
        return self.context["request"].build_absolute_uri(digest.get_absolute_url())

    def get_pdf_url(self, digest: Digest) -> str | None:
        if not digest.is_built:
            return None
        return self.context["request"].build_absolute_uri(reverse("api:digest-pdf", args=[digest.pk]))


class DigestDetailSerializer(DigestSerializer):
    your_organisation = serializers.SerializerMethodField(help_text="Your organisation, from your profile.")
    for_your_organisation = serializers.SerializerMethodField(
        help_text="What your organisation must sign off, ratify or act on (null if nothing or not built); "
        "`you_may_sign` says whether you could sign its sign-offs yourself when the digest was built."
    )
    content = serializers.SerializerMethodField(
        help_text="What the digest said when it was built; confidential decisions you may not read say only "
        "their reference and status."
    )

    class Meta(DigestSerializer.Meta):
        fields = [*DigestSerializer.Meta.fields, "your_organisation", "for_your_organisation", "content"]

    def _reading(self, digest: Digest):
        return self.context["reading"] if digest.is_built else None

    def get_your_organisation(self, digest: Digest) -> str | None:
        reading = self._reading(digest)
        return reading.organisation.name if reading and reading.organisation else None

    @extend_schema_field({"type": "object", "additionalProperties": {}, "nullable": True})
    def get_for_your_organisation(self, digest: Digest):
        reading = self._reading(digest)
        return None if reading is None or reading.todo_is_empty else reading.todo

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_content(self, digest: Digest):
        reading = self._reading(digest)
        return reading.content if reading else {}


class DigestFilter(django_filters.FilterSet):
    partnership = PartnershipCodeFilter(field_name="partnership", label="Partnership code, like QZZ")
    status = django_filters.ChoiceFilter(choices=DigestStatus.choices)


class PDFRenderer(renderers.BaseRenderer):
    """Lets a client ask for `Accept: application/pdf`; an error still answers as JSON."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else json.dumps(data).encode()


class DigestViewSet(ServiceViewSet):
    """Board digests of the partnerships you have a role in, newest first. Digests are built on each partnership's
    schedule, or by the lead with "Build digest now" on the digests page."""

    lookup_value_converter = "int"
    serializer_class = DigestSerializer
    filterset_class = DigestFilter
    http_method_names = ["get", "head"]

    def get_queryset(self):
        return (
            digests_visible_to(self.request.user)
            .select_related("partnership")
            .defer("content")
            .order_by("-period_end", "partnership__code", "-pk")
        )

    def get_object(self):
        return get_digest_for_user(self.request.user, self.kwargs["pk"])

    @extend_schema(responses=DigestDetailSerializer)
    def retrieve(self, request, *args, **kwargs):
        digest = self.get_object()
        reading = digest_for_reader(digest, request.user) if digest.is_built else None
        return Response(DigestDetailSerializer(digest, context={"request": request, "reading": reading}).data)

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The digest as a PDF."),
            404: OpenApiResponse(description="No such digest that you can see."),
            409: OpenApiResponse(description="The digest is queued: it has not been built yet."),
        },
        filters=False,
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="pdf",
        filter_backends=[],
        renderer_classes=[renderers.JSONRenderer, PDFRenderer],
    )
    def pdf(self, request, pk=None):
        """The digest as a PDF: your copy, opening with your organisation's to-do section."""
        digest = self.get_object()
        if not digest.is_built:
            raise Conflict()
        response = HttpResponse(digest_pdf(request._request, digest), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{digest.pdf_filename}"'
        return response


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "This digest is queued: it has not been built yet, so there is no PDF of it."
    default_code = "not_built"
