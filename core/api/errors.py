"""How the API answers a service's ValidationError, and a database it cannot reach (named in settings as DRF's
EXCEPTION_HANDLER). Errors raised outside DRF's views under /api/ are answered as JSON by core.views' handlers.

DRF imports this module while it defines its generic views, so it must not import rest_framework.generics or
.viewsets, nor drf_spectacular's openapi or extend_schema, or the imports go round in a circle.
"""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from core.http import Absent

DATABASE_UNAVAILABLE = "The service cannot reach its database. Try again in a minute."


def exception_handler(exc, context):
    """Services raise Django's ValidationError; the API answers it as DRF would its own: 400 with the messages.

    Every 404 reads the same, `{"detail": "Not found."}`: the access functions' "No such partnership." and Django's
    "No Partnership matches the given query." would otherwise tell a stranger which records exist. Only an `Absent`
    (a record the person may see lacks what was asked of it) says what is missing.

    A database that cannot be reached is a 503 with Retry-After, in JSON like every API answer; any other database
    error is a fault of ours, left to Django's 500 handler (which also answers /api/ in JSON)."""
    if isinstance(exc, OperationalError | InterfaceError):
        set_rollback()
        return Response({"detail": DATABASE_UNAVAILABLE}, status=503, headers={"Retry-After": "60"})
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(*exc.args) if isinstance(exc, Absent) else exceptions.NotFound()
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
