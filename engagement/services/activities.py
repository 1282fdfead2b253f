"""Logging and correcting engagement activities, and their documents."""

from collections.abc import Iterable, Mapping
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from core.audit import audit_record, changes_between, snapshot
from core.services import person
from partnerships.models import Membership, Organisation, Partnership
from workstreams.models import WorkStream

from ..access import authorize_contribute
from ..models import (
    ATTACHMENT_RULES,
    GUNNING_FIELDS,
    ActivityAttachment,
    EngagementActivity,
    GroupReached,
    Method,
    StakeholderGroup,
)
from ._common import Errors

ACTIVITY_FIELDS = ["held_on", "title", "method", "level", "reached_seldom_heard", "seldom_heard_groups", "summary"]
ACTIVITY_FIELDS += ["themes_heard", *GUNNING_FIELDS, "gunning_notes"]
EARLIEST_DATE = date(2000, 1, 1)
GUNNING_MISSING = {
    "gunning_formative": "For a consultation, say whether the proposals were still at a formative stage.",
    "gunning_sufficient_information": "For a consultation, say whether people had enough information.",
    "gunning_adequate_time": "For a consultation, say whether people had enough time to respond.",
    "gunning_conscientious_consideration": "For a consultation, say whether responses will be taken into account.",
}


def _check_activity(errors: Errors, activity: EngagementActivity) -> None:
    today = timezone.localdate()
    if isinstance(activity.held_on, date):
        if activity.held_on > today:
            errors.add("held_on", "The date cannot be in the future. Log an activity once it has taken place.")
        elif activity.held_on < EARLIEST_DATE:
            errors.add("held_on", "Enter a date in 2000 or later.")
    if activity.method == Method.CONSULTATION:
        for name in GUNNING_FIELDS:
            if getattr(activity, name) is None:
                errors.add(name, GUNNING_MISSING[name])
    if activity.reached_seldom_heard and not activity.seldom_heard_groups.strip():
        errors.add("seldom_heard_groups", "Say which seldom-heard or protected-characteristic groups you reached.")
    if not activity.reached_seldom_heard and activity.seldom_heard_groups.strip():
        errors.add("reached_seldom_heard", "You named seldom-heard groups: say that you reached them.")


def _check_reach(errors: Errors, partnership: Partnership, reach: Mapping[StakeholderGroup, int]) -> None:
    if not reach:
        errors.add("reach", "Enter how many people you reached from at least one group.")
        return
    allowed = set(StakeholderGroup.objects.for_partnership(partnership).values_list("pk", flat=True))
    for group, count in reach.items():
        if group.pk not in allowed:
            errors.add("reach", f"{group} is not one of this partnership's stakeholder groups.")
            continue
        row = GroupReached(group=group, people_count=count)
        try:
            row.clean_fields(exclude=["activity", "group"])
        except ValidationError as error:
            for message in error.message_dict.get("people_count", []):
                errors.add("reach", f"{group}: {message[0].lower()}{message[1:]}")


def _check_in_partnership(errors: Errors, field: str, partnership: Partnership, records, allowed_ids) -> None:
    strangers = [str(record) for record in records if record.pk not in allowed_ids]
    if strangers:
        errors.add(field, f"Not part of {partnership.name}: {', '.join(strangers)}.")


def _check_links(errors: Errors, partnership: Partnership, workstreams, organisations) -> None:
    if workstreams is not None:
        allowed = set(
            WorkStream.objects.filter(partnership=partnership, pk__in=[w.pk for w in workstreams]).values_list(
                "pk", flat=True
            )
        )
        _check_in_partnership(errors, "workstreams", partnership, workstreams, allowed)
    if organisations is not None:
        allowed = set(
            Membership.objects.filter(
                partnership=partnership, organisation__in=[o.pk for o in organisations]
            ).values_list("organisation_id", flat=True)
        )
        _check_in_partnership(errors, "organisations", partnership, organisations, allowed)


def _activity_state(activity: EngagementActivity) -> dict:
    state = snapshot(activity, ACTIVITY_FIELDS)
    state["reach"] = {row.group.name: row.people_count for row in activity.reach.select_related("group")}
    state["workstreams"] = sorted(activity.workstreams.values_list("pk", flat=True))
    state["organisations"] = sorted(activity.organisations.values_list("pk", flat=True))
    return state


def _check_attachment(errors: Errors, file, field: str = "attachment") -> None:
    if file is None:
        return
    try:
        ATTACHMENT_RULES(file)
    except ValidationError as error:
        for message in error.messages:
            errors.add(field, message)


@transaction.atomic
def activity_log(
    *,
    actor,
    partnership: Partnership,
    held_on: date,
    title: str,
    method: str,
    level: str,
    reach: Mapping[StakeholderGroup, int],
    workstreams: Iterable[WorkStream] = (),
    organisations: Iterable[Organisation] = (),
    attachment: UploadedFile | None = None,
    **details,
) -> EngagementActivity:
    """Log an engagement activity with the groups it reached and how many people from each (any contributor).

    `details` are the optional fields: reached_seldom_heard, seldom_heard_groups, summary, themes_heard, and for a
    consultation the four gunning_* answers and gunning_notes.
    """
    authorize_contribute(actor, partnership)
    activity = EngagementActivity(
        partnership=partnership, held_on=held_on, title=title, method=method, level=level, logged_by=person(actor)
    )
    workstreams, organisations = list(workstreams), list(organisations)
    _validate_and_save(activity, details, reach, workstreams, organisations, attachment)
    _attach(actor, activity, attachment)
    audit_record(
        actor=actor,
        action="engagement_activity.logged",
        target=activity,
        summary=f"Engagement activity logged: {activity.title}",
        changes=changes_between({}, _activity_state(activity)),
        partnership_id=partnership.pk,
    )
    return activity


@transaction.atomic
def activity_update(
    *,
    actor,
    activity: EngagementActivity,
    reach: Mapping[StakeholderGroup, int] | None = None,
    workstreams: Iterable[WorkStream] | None = None,
    organisations: Iterable[Organisation] | None = None,
    **fields,
) -> EngagementActivity:
    """Correct an activity: its details, the groups reached, and what it is linked to (any contributor)."""
    authorize_contribute(actor, activity.partnership)
    activity = EngagementActivity.objects.select_for_update().get(pk=activity.pk)
    before = _activity_state(activity)
    workstreams = None if workstreams is None else list(workstreams)
    organisations = None if organisations is None else list(organisations)
    _validate_and_save(activity, fields, reach, workstreams, organisations, None)
    changes = changes_between(before, _activity_state(activity))
    if changes:
        audit_record(
            actor=actor,
            action="engagement_activity.updated",
            target=activity,
            summary=f"Engagement activity changed: {activity.title}",
            changes=changes,
            partnership_id=activity.partnership_id,
        )
    return activity


def _validate_and_save(activity, fields, reach, workstreams, organisations, attachment) -> None:
    errors = Errors()
    for name, value in fields.items():
        if name not in ACTIVITY_FIELDS:
            errors.add(name, "This cannot be changed here.")
        else:
            setattr(activity, name, value)
    errors.raise_any()
    if activity.method != Method.CONSULTATION:  # the Gunning principles apply to consultations only
        for name in GUNNING_FIELDS:
            setattr(activity, name, None)
    errors.full_clean(activity, exclude=["partnership", "logged_by"])
    _check_activity(errors, activity)
    if reach is not None:
        _check_reach(errors, activity.partnership, reach)
    _check_links(errors, activity.partnership, workstreams, organisations)
    _check_attachment(errors, attachment)
    errors.raise_any()
    activity.save()
    if reach is not None:
        activity.reach.exclude(group__in=list(reach)).delete()
        for group, count in reach.items():
            GroupReached.objects.update_or_create(activity=activity, group=group, defaults={"people_count": count})
    if workstreams is not None:
        activity.workstreams.set(workstreams)
    if organisations is not None:
        activity.organisations.set(organisations)


def _attach(actor, activity: EngagementActivity, file, title: str = "") -> ActivityAttachment | None:
    if file is None:
        return None
    attachment = ActivityAttachment(activity=activity, uploaded_by=person(actor))
    attachment.take_file(file, title=title)
    errors = Errors()
    errors.full_clean(attachment, exclude=["file", "uploaded_by"])
    errors.raise_any()
    attachment.save()
    return attachment


@transaction.atomic
def attachment_add(*, actor, activity: EngagementActivity, file: UploadedFile, title: str = "") -> ActivityAttachment:
    """Attach a document (slides, a report, notes) to an activity (any contributor)."""
    authorize_contribute(actor, activity.partnership)
    errors = Errors()
    if file is None:
        errors.add("file", "Choose a file to attach.")
    _check_attachment(errors, file, field="file")
    errors.raise_any()
    attachment = _attach(actor, activity, file, title)
    audit_record(
        actor=actor,
        action="engagement_attachment.added",
        target=attachment,
        summary=f"Document attached to {activity.title}: {attachment.title}",
        partnership_id=activity.partnership_id,
    )
    return attachment


@transaction.atomic
def attachment_remove(*, actor, attachment: ActivityAttachment) -> None:
    """Remove a document from an activity (any contributor); the file goes once the removal is committed."""
    activity = attachment.activity
    authorize_contribute(actor, activity.partnership)
    audit_record(
        actor=actor,
        action="engagement_attachment.removed",
        target=attachment,
        summary=f"Document removed from {activity.title}: {attachment.title}",
        partnership_id=activity.partnership_id,
    )
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))
