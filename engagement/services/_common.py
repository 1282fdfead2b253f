"""What the engagement services share: gathering validation errors, and the person to record as author."""

from django.core.exceptions import ValidationError


class Errors(dict):
    """Validation errors gathered from several checks, so a form shows every mistake at once."""

    def add(self, field: str, message: str) -> None:
        self.setdefault(field, []).append(message)

    def absorb(self, error: ValidationError) -> None:
        for field, messages in error.message_dict.items():
            for message in messages:
                self.add(field, message)

    def full_clean(self, instance, **kwargs) -> None:
        try:
            instance.full_clean(**kwargs)
        except ValidationError as error:
            self.absorb(error)

    def raise_any(self) -> None:
        if self:
            raise ValidationError(dict(self))


def person(actor):
    """The user to record as author: none for the system actor of management commands."""
    return actor if getattr(actor, "pk", None) is not None else None
