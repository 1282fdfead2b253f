"""Serializer fields every app's API shares: ids checked against what the user may see."""

from rest_framework import serializers


class VisibleIdField(serializers.PrimaryKeyRelatedField):
    """An id in a request that must name a record the user can see: someone else's id does not exist for them.

    `visible_to(user)` is the app's access function; `queryset` is given only so the schema knows the model.
    """

    default_error_messages = {
        "does_not_exist": 'There is no record with id "{pk_value}" that you can use here.',
        "incorrect_type": "Enter an id (a whole number), not {data_type}.",
    }

    def __init__(self, *, visible_to, **kwargs):
        self.visible_to = visible_to
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.visible_to(self.context["request"].user)
