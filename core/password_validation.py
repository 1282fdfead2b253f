"""Password rules beyond Django's own: an upper length, and a strength estimate (zxcvbn) that knows the person.

A guessable password is one an attacker tries early: the person's names, their organisation's, their partnership's
("northfield"), or a common pattern. zxcvbn scores how many guesses a password would take, with those words added to
its dictionaries. Which words belong to a person is read through the ORM paths in the validator's options, so core
need not import the apps above it (settings wire them)."""

import re

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from zxcvbn import zxcvbn

_WORD = re.compile(r"[^\W_]{3,}")


class MaximumLengthValidator:
    """Refuse passwords over `max_length` characters: hashing megabytes at each sign-in invites denial of service."""

    def __init__(self, max_length: int = 128):
        self.max_length = max_length

    def validate(self, password, user=None):
        if len(password) > self.max_length:
            raise ValidationError(
                f"Your password must be {self.max_length} characters or fewer.", code="password_too_long"
            )

    def get_help_text(self):
        return f"Your password must be {self.max_length} characters or fewer."


class StrengthValidator:
    """Refuse a password that zxcvbn scores below `min_score` (0–4), counting the person's own context as guessable."""

    def __init__(self, min_score: int = 3, context_lookups: list[str] | tuple[str, ...] = ()):
        self.min_score = min_score
        self.context_lookups = list(context_lookups)

    def validate(self, password, user=None):
        # zxcvbn reads at most 72 characters; a longer password is long enough for its start to be judged.
        result = zxcvbn(password[:72], user_inputs=context_words(user, self.context_lookups))
        if result["score"] >= self.min_score:
            return
        lowered = password.casefold()
        named = sorted({word for word in context_words(user, self.context_lookups) if word in lowered}, key=len)
        if named:
            reason = f"It contains “{named[-1]}”, a name linked to you, which is among the first things guessed."
        else:
            reason = result["feedback"]["warning"] or "It would be quick to guess."
        suggestions = result["feedback"]["suggestions"]
        advice = suggestions[0] if suggestions else "Add another word or two. Uncommon words are better."
        raise ValidationError(f"Choose a stronger password. {reason.rstrip('.')}. {advice}", code="password_too_weak")

    def get_help_text(self):
        return (
            "Your password must not be easy to guess: avoid your name, your organisation's or partnership's name, "
            "and common words or patterns. Three or four unrelated words make a strong password."
        )


def context_words(user, lookups: list[str]) -> list[str]:
    """The words an attacker would try first for this person: their names, username and email, and whatever
    `lookups` (ORM paths from the user, such as "profile__organisation__name") reach, each whole and word by word.
    An unsaved user has only their own fields."""
    if user is None:
        return []
    values = [getattr(user, name, "") or "" for name in ("username", "first_name", "last_name", "email")]
    values.append(values[1] + values[2])  # "amaraokoye"
    if getattr(user, "pk", None) is not None and lookups:
        users = get_user_model()._default_manager.filter(pk=user.pk)
        for lookup in lookups:
            values.extend(value for value in users.values_list(lookup, flat=True) if value)
    words = set()
    for value in values:
        text = str(value).casefold()
        words.add(text)
        words.update(_WORD.findall(text))
    return sorted(word for word in words if len(word) >= 3)
