"""What every app's services share."""

from django.core.exceptions import ValidationError
from django.db import models


def assign_fields(instance: models.Model, fields: dict, *, allowed: list[str]) -> None:
    """Set the given fields on `instance`; a field outside `allowed` is refused (a 400, not a silent write)."""
    refused = {name: "This cannot be changed here." for name in fields if name not in allowed}
    if refused:
        raise ValidationError(refused)
    for name, value in fields.items():
        setattr(instance, name, value)
