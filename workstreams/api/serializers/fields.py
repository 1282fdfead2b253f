"""Serializer fields the work-streams API shares.

`StatusField` names its choice set in the schema itself (`WorkStreamStatusEnum`, `MeetingStatusEnum`, ...): several
apps have a `status` or `role` field with different choices, and a schema component of our own keeps the names
stable without adding every set to the project's ENUM_NAME_OVERRIDES.
"""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers


class NamedChoiceField(serializers.ChoiceField):
    """A choice field whose choice set is the schema component `enum_name`."""

    def __init__(self, choices_class, *, enum_name: str, **kwargs):
        self.choices_class, self.enum_name = choices_class, enum_name
        super().__init__(choices=choices_class.choices, **kwargs)


class NamedChoiceFieldExtension(OpenApiSerializerFieldExtension):
    target_class = NamedChoiceField

    def map_serializer_field(self, auto_schema, direction):
        field = self.target
        labels = "\n".join(f"* `{value}` - {label}" for value, label in field.choices_class.choices)
        component = ResolvedComponent(
            name=field.enum_name,
            type=ResolvedComponent.SCHEMA,
            object=field.enum_name,
            schema={"type": "string", "enum": list(field.choices_class.values), "description": labels},
        )
        auto_schema.registry.register_on_missing(component)
        if field.allow_blank:
            return {"oneOf": [component.ref, {"type": "string", "enum": [""]}]}
        return component.ref


class PersonSummarySerializer(serializers.Serializer):
    """A person as a small object: enough to show and to link."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="display_name", read_only=True)
