"""What the work-stream forms share: a model form that only parses input, and date and person fields."""

from django import forms

from core.forms import DateInputField, ModelForm

from ..selectors.workstreams import people_in


class InputForm(ModelForm):
    """A model form that parses and checks input but does not touch the instance: the service validates the model
    and writes, so an edit form never changes the record before the service's audit snapshot."""

    def _post_clean(self):
        pass


def date_field(label: str, **kwargs) -> DateInputField:
    return DateInputField(label=label, **kwargs)


def people_field(partnership, label: str, *, required: bool, help_text: str = "") -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=people_in(partnership),
        label=label,
        required=required,
        help_text=help_text,
        empty_label="Choose a person" if required else "No one",
    )
