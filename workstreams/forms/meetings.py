"""Forms for meetings: details, status, agenda items, papers, attendance and minutes."""

from datetime import datetime

from django import forms
from django.utils import timezone

from core.forms import Form
from core.validators import reject_markup

from ..models import (
    AgendaItem,
    AgendaPurpose,
    AttendanceStatus,
    Meeting,
    MeetingStatus,
)
from ..selectors.quorum import Seat
from ..selectors.workstreams import people_in
from ..services.attendance import AttendanceLine
from .base import InputForm, date_field, people_field


class MeetingForm(InputForm):
    day = date_field("Date")
    link = forms.URLField(
        label="Online meeting link",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="For example a Microsoft Teams link. Leave blank if everyone meets in person.",
    )
    time = forms.TimeField(label="Start time", widget=forms.TimeInput(attrs={"type": "time"}))

    class Meta:
        model = Meeting
        fields = ["title", "duration_minutes", "place", "link"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.fields["title"].help_text = "Leave blank to call it after the group."
        # The hints state the rule the model's constraint enforces: a place, an online link, or both.
        self.fields["place"].help_text = "A room and building. Leave blank if the meeting is only online."
        if self.instance.pk and not self.is_bound:
            local = timezone.localtime(self.instance.starts_at)
            self.initial.update({"day": local.date(), "time": local.time().replace(second=0, microsecond=0)})
        self.order_fields(["title", "day", "time", "duration_minutes", "place", "link"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("day") and cleaned.get("time"):
            cleaned["starts_at"] = timezone.make_aware(datetime.combine(cleaned["day"], cleaned["time"]))
        if not cleaned.get("place") and not cleaned.get("link") and not self.has_error("link"):
            self.add_error("place", "Enter where the meeting is, an online link, or both")
        return cleaned

    def meeting_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "starts_at": data["starts_at"],
            "duration_minutes": data["duration_minutes"],
            "place": data["place"],
            "link": data["link"],
        }


class MeetingStatusForm(Form):
    """Offers the moves open from the meeting's status; any status is accepted, so the service explains a jump."""

    status = forms.ChoiceField(label="New status", choices=MeetingStatus.choices, widget=forms.RadioSelect)
    reason = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=2000,
        validators=[reject_markup],
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example why the meeting was cancelled.",
    )

    def __init__(self, *args, offered: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.offered = offered
        self.fields["status"].error_messages["required"] = "Choose the meeting's new status"

    def offered_items(self) -> list[dict]:
        chosen = self["status"].value()
        return [
            {"value": status, "text": MeetingStatus(status).label, "checked": status == chosen}
            for status in self.offered
        ]


class AgendaItemForm(InputForm):
    class Meta:
        model = AgendaItem
        fields = ["title", "purpose", "presenter", "description"]
        widgets = {"purpose": forms.RadioSelect, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["purpose"].choices = AgendaPurpose.choices
        self.fields["presenter"] = people_field(partnership, "Presenter", required=False)
        self.fields["title"].error_messages["required"] = "Enter the item's title"


class PaperForm(Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        required=False,
        validators=[reject_markup],
        help_text="Leave blank to use the file's name.",
    )
    file = forms.FileField(
        label="Paper",
        help_text="PDF, Word, Excel, PowerPoint or OpenDocument, up to 20 MB.",
        error_messages={"required": "Choose a file to upload"},
    )


class AttendanceForm(Form):
    """One choice per expected person, and for deputies the member they stood in for. At the board, someone else
    of the partnership may be recorded as standing in for a named board member."""

    def __init__(self, *args, meeting: Meeting, seats: list[Seat], recorded: dict, **kwargs):
        super().__init__(*args, **kwargs)
        expected = {seat.user.pk for seat in seats}
        # Someone recorded before who is not expected (a deputy from outside the board) stays on the form.
        self.seats = seats + [
            Seat(user=record.user, role_label="Deputy", organisation=None, votes=False, is_deputy=True)
            for record in recorded.values()
            if record.user_id not in expected
        ]
        self.people = {seat.user.pk: seat.user for seat in self.seats}
        voting = [(str(seat.user.pk), str(seat.user)) for seat in seats if seat.votes]
        for seat in self.seats:
            record = recorded.get(seat.user.pk)
            self.fields[f"status_{seat.user.pk}"] = forms.ChoiceField(
                label=f"{seat.user} ({seat.role_label.lower()})",
                choices=[("", "Not recorded"), *AttendanceStatus.choices],
                required=False,
                initial=record.status if record else "",
                error_messages={"invalid_choice": f"Choose whether {seat.user} was there from the list"},
            )
            if seat.is_deputy:
                named = record.deputy_for_id if record and record.deputy_for_id else seat.deputy_for_id
                self.fields[f"deputy_for_{seat.user.pk}"] = forms.ChoiceField(
                    label=f"{seat.user} stood in for",
                    choices=[("", "No one named"), *voting],
                    required=False,
                    initial=str(named or ""),
                    help_text="A deputy counts towards quorum only if named for a member who was not there.",
                )
        if meeting.is_board_meeting:
            self.fields["new_deputy"] = forms.ModelChoiceField(
                queryset=people_in(meeting.partnership).exclude(pk__in=list(self.people)),
                required=False,
                label="Someone else who stood in for a board member",
                empty_label="No one",
            )
            self.fields["new_deputy_for"] = forms.ChoiceField(
                label="The board member they stood in for",
                choices=[("", "Choose a board member"), *voting],
                required=False,
            )

    def rows(self):
        """The bound fields of each person, for the template: (seat, status field, deputy field or None)."""
        for seat in self.seats:
            deputy = f"deputy_for_{seat.user.pk}"
            yield seat, self[f"status_{seat.user.pk}"], self[deputy] if deputy in self.fields else None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("new_deputy") and not cleaned.get("new_deputy_for"):
            self.add_error("new_deputy_for", "Choose the board member they stood in for")
        return cleaned

    def lines(self) -> list:
        lines = []
        for seat in self.seats:
            status = self.cleaned_data.get(f"status_{seat.user.pk}")
            named = self.cleaned_data.get(f"deputy_for_{seat.user.pk}")
            if status:
                lines.append(AttendanceLine(seat.user, status, self.people.get(int(named)) if named else None))
        if self.cleaned_data.get("new_deputy"):
            named = self.people.get(int(self.cleaned_data["new_deputy_for"]))
            lines.append(AttendanceLine(self.cleaned_data["new_deputy"], AttendanceStatus.PRESENT, named))
        return lines


class MinutesForm(Form):
    """A box per agenda item; once the minutes are approved, a change needs the reason for the amendment."""

    def __init__(self, *args, items: list[AgendaItem], amending: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"item_{item.pk}"] = forms.CharField(
                label=f"{item.position}. {item.title}",
                required=False,
                max_length=20000,
                validators=[reject_markup],
                initial=item.minutes,
                widget=forms.Textarea(attrs={"rows": 5}),
                help_text=AgendaPurpose(item.purpose).label,
            )
        if amending:
            self.fields["amendment_reason"] = forms.CharField(
                label="Why are the approved minutes being amended?",
                max_length=2000,
                validators=[reject_markup],
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={"required": "Say why the approved minutes are being amended"},
                help_text="The approved version is kept; the amended minutes become the next version.",
            )

    def minutes(self) -> dict[int, str]:
        return {item.pk: self.cleaned_data[f"item_{item.pk}"] for item in self.items}
