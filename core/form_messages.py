"""One voice for the messages of every form on our pages (issue 14): each names its field, the NHS.UK way ("Enter the
title", "Title must be 200 characters or fewer", "Choose the lead from the list"), and all of them come at once.

`core.forms.Form` and `core.forms.ModelForm` apply it; a message a form writes itself is kept."""

from django import forms
from django.forms.utils import pretty_name

from .validators import reject_markup

_ARTICLES = ("the ", "a ", "an ", "your ", "their ", "its ", "this ", "who ", "what ", "when ", "where ", "how ")


def _label_text(name: str, field: forms.Field) -> str:
    """The label the page shows (Django's `pretty_name` of the field's name when it has none), without "(optional)"."""
    label = str(pretty_name(name) if field.label is None else field.label).strip()
    return label.removesuffix("(optional)").strip()


def named(label: str) -> str:
    """A field's label as the object of a message: "Title" → "the title", "ODS code" → "the ODS code", and a label
    that is a question → 'the answer to "Why this rating?"'."""
    if label.endswith("?"):
        return f"the answer to “{label}”"
    words = label.split()
    acronym = len(words[0]) > 1 and words[0].isupper()  # ODS code, NHS England region, RAG rating
    name = len(words) > 1 and words[1][:1].isupper()  # a person's name: "Martyn Herbert (member)"
    if not (acronym or name):
        label = label[:1].lower() + label[1:]
    return label if label.startswith(_ARTICLES) else f"the {label}"


def named_subject(label: str) -> str:
    """A field's label as the subject of a message: "Title must be…", 'The answer to "Why?" must be…'."""
    text = named(label)
    if not label.endswith("?") and not label.lower().startswith(_ARTICLES):
        text = label
    return text[:1].upper() + text[1:]


def _named_messages(field: forms.Field, label: str) -> dict[str, str]:
    """Django's messages for `field`'s kind, rewritten to name it the way NHS.UK services do."""
    the, subject = named(label), named_subject(label)
    if isinstance(field, forms.FileField):
        return {
            "required": f"Choose a file for {the}",
            "invalid": "The selected file could not be read",
            "missing": f"Choose a file for {the}",
            "empty": "The selected file is empty",
            "max_length": "The file's name must be %(max)d characters or fewer",
            "contradiction": f"Choose a file for {the}, or tick to remove it, not both",
        }
    from_list = f"Choose {the}{',' if the.endswith(' from') else ''} from the list"
    if isinstance(field, forms.ModelMultipleChoiceField | forms.MultipleChoiceField):
        return {
            "required": f"Choose {the}",
            "invalid_choice": from_list,
            "invalid_list": from_list,
            "list": from_list,
            "invalid_pk_value": from_list,
        }
    if isinstance(field, forms.ModelChoiceField | forms.ChoiceField):
        return {"required": f"Choose {the}", "invalid_choice": from_list}
    if isinstance(field, forms.BooleanField):
        return {"required": f"Tick the box: {label}"}
    messages = {"required": f"Enter {the}"}
    if isinstance(field, forms.DecimalField | forms.FloatField | forms.IntegerField):
        whole = isinstance(field, forms.IntegerField)
        messages |= {
            "invalid": f"{subject} must be a {'whole ' if whole else ''}number",
            "min_value": f"{subject} must be %(limit_value)s or more",
            "max_value": f"{subject} must be %(limit_value)s or less",
            "step_size": f"{subject} must be a multiple of %(limit_value)s",
            "max_digits": f"{subject} must be %(max)s digits or fewer",
            "max_whole_digits": f"{subject} must be %(max)s digits or fewer before the decimal point",
            "max_decimal_places": f"{subject} must have %(max)s digits or fewer after the decimal point",
        }
    elif isinstance(field, forms.EmailField):
        messages["invalid"] = f"Enter {the} in the correct format, like name@example.org"
    elif isinstance(field, forms.URLField):
        messages["invalid"] = f"Enter {the} as a full web address, like https://www.example.org"
    elif isinstance(field, forms.TimeField):
        messages["invalid"] = "Enter a real time, like 14:30"
    elif isinstance(field, forms.DurationField):
        messages["invalid"] = f"Enter {the} as hours and minutes, like 1:30:00"
    if isinstance(field, forms.CharField):
        messages |= {
            "max_length": f"{subject} must be %(limit_value)d characters or fewer",
            "min_length": f"{subject} must be %(limit_value)d characters or more",
            "markup": f"Remove the HTML tags from {the}",
        }
    return messages


def _django_defaults(field: forms.Field) -> dict:
    """Django's own messages for the field's class: those our field classes declare are kept."""
    defaults: dict = {}
    for klass in reversed(type(field).__mro__):
        if klass.__module__.startswith("django."):
            defaults.update(vars(klass).get("default_error_messages", {}))
    return defaults


def _is_plain_text(field: forms.Field) -> bool:
    """Typed text, not an email address, a web address or a password (which may hold anything)."""
    if isinstance(field, forms.EmailField | forms.URLField) or isinstance(field.widget, forms.PasswordInput):
        return False
    return isinstance(field, forms.CharField)


def name_the_fields(form: forms.BaseForm, *, plain_text_only: bool = True) -> None:
    """Give every field of `form` messages that name it ("Enter the title", "Title must be 200 characters or fewer",
    "Choose the lead from the list"), where the form has not written its own; and refuse HTML in every plain-text
    field, so that error comes in the same round as the others, not after the service's check."""
    for name, field in form.fields.items():
        label = _label_text(name, field)
        if plain_text_only and _is_plain_text(field) and reject_markup not in field.validators:
            field.validators.append(reject_markup)
        if not label or isinstance(field, forms.MultiValueField):
            continue  # a date's messages are its own (core.forms.DateInputField), the same on every page
        defaults = _django_defaults(field)
        for code, message in _named_messages(field, label).items():
            current = field.error_messages.get(code)
            if current is None or (code in defaults and str(current) == str(defaults[code])):
                field.error_messages[code] = message


class NamedErrors:
    """For every form of ours (`core.forms.Form`, `core.forms.ModelForm`): messages that name their field, all at once.

    The messages are written just before the form is checked, so fields a form adds or changes in its `__init__`
    (after this class's) get them too. `plain_text_only` is False for a list's filters: a search for "<b>" finds
    nothing, but is not refused."""

    plain_text_only = True

    def full_clean(self):
        name_the_fields(self, plain_text_only=self.plain_text_only)
        super().full_clean()
