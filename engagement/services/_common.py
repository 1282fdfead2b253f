"""What the engagement services share: gathering validation errors, so a form shows every mistake at once."""

from django.core.exceptions import ValidationError

from core.services import full_clean


class Errors(dict):
    """Validation errors gathered from several checks, so a form shows every mistake at once."""

    def add(self, field: str, message: str) -> None:
        self.setdefault(field, []).append(message)

    def absorb(self, error: ValidationError) -> None:
        for field, messages in error.message_dict.items():
            for message in messages:
                self.add(field, message)

    def full_clean(self, instance, *, exclude: list[str] | None = None) -> None:
        """Model validation, its errors gathered with the others rather than raised at once."""
        try:
            full_clean(instance, exclude=exclude)
        except ValidationError as error:
            self.absorb(error)

    def raise_any(self) -> None:
        if self:
            raise ValidationError(dict(self))
