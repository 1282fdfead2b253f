"""What every app's API shares: pagination, errors, and ids checked against access.

The conventions are in docs/adr/0005-api-conventions.md; the base of every resource is
`core.api_views.ServiceViewSet`.
"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, pagination, serializers
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

# Settings name `Pagination` and `exception_handler`, and DRF imports them while it defines its generic views: so
# this module must not import those (rest_framework.generics or .viewsets, drf_spectacular's openapi or
# extend_schema), or the imports go round in a circle. The views are in core/api_views.py.


class Pagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def exception_handler(exc, context):
    """Services raise Django's ValidationError; the API answers it as DRF would its own: 400 with the messages."""
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = {
                api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field: messages
                for field, messages in exc.message_dict.items()
            }
        else:
            detail = {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}
        exc = exceptions.ValidationError(detail=detail)
    return drf_exception_handler(exc, context)


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
