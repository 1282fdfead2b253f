"""The base of the work-streams API resources (docs/adr/0005-api-conventions.md)."""

from rest_framework import exceptions

from core.api.views import ServiceViewSet

from ...access import Access


class WorkStreamsViewSet(ServiceViewSet):
    """The base of this app's resources: a write asks for `write_access[action]` (WRITE unless said otherwise)
    before its input is read, and each verb has its own input serializer."""

    lookup_value_converter = "int"
    write_access: dict[str, Access] = {}
    input_serializers: dict[str, type] = {}

    def access_needed(self) -> Access:
        return self.write_access.get(self.action, Access.WRITE) if self.is_write else Access.VIEW

    def get_input_serializer_class(self):
        return self.input_serializers.get(self.action) or super().get_input_serializer_class()

    def record_named_in_request(self, field: str, get_for_user, access: Access, noun: str):
        """The record a create names by id (`workstream`, `meeting`...): 404 if unseen, 403 if the user may not."""
        value = self.request.data.get(field)
        try:
            pk = int(value)
        except (TypeError, ValueError):
            raise exceptions.ValidationError({field: [f"Give the {noun}'s id."]}) from None
        return get_for_user(self.request.user, pk, access)
