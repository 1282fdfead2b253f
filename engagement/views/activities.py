"""The engagement log: the list with its filters and CSV export, logging and correcting an activity, its page and
its documents. Access comes from access.py, reads from selectors/, every change from services/."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from core.audit import history_for
from core.exports import csv_response
from core.http import download, page_of, post_only, query_without_page, render_form, saved, submitted
from engagement.selectors.activities import activity_for_page, activity_log
from engagement.selectors.coverage import ordered_groups
from partnerships.access import Action, get_partnership_for_user

from .. import services
from ..access import get_activity_for_user, get_attachment_for_user, may_contribute
from ..api.filters import ActivityFilter
from ..forms.activities import ActivityForm, AttachmentForm
from ..models import FeedbackStatus


def _filtered_log(request, partnership):
    activities = activity_log(partnership)
    filters = ActivityFilter.for_page(request, activities, partnership=partnership)
    return filters.form, filters.qs


@require_GET
def activity_list(request, code: str):
    partnership = get_partnership_for_user(request.user, code)
    form, activities = _filtered_log(request, partnership)
    page, query = page_of(request, activities), query_without_page(request)
    context = {
        "partnership": partnership,
        "form": form,
        "page": page,
        "query": query,
        "can_contribute": may_contribute(request.user, partnership),
    }
    return render_form(request, "engagement/activity_list.html", context)


@require_GET
def activity_export(request, code: str):
    """The engagement log as CSV, with the same filters as the page."""
    partnership = get_partnership_for_user(request.user, code)
    _form, activities = _filtered_log(request, partnership)
    header = ["Date", "Title", "Method", "Level", "Work-streams", "Groups reached", "People reached"]
    header += ["Organisations", "Seldom-heard groups reached", "Summary", "What people said", "Logged by", "Link"]
    base = request.build_absolute_uri("/")[:-1]

    def rows():
        for activity in activities.prefetch_related("organisations").iterator(chunk_size=500):
            yield [
                activity.held_on.isoformat(),
                activity.title,
                activity.get_method_display(),
                activity.get_level_display(),
                "; ".join(workstream.name for workstream in activity.workstreams.all()),
                "; ".join(f"{row.group.name}: {row.people_count}" for row in activity.reach.all()),
                activity.people_reached or 0,
                "; ".join(organisation.name for organisation in activity.organisations.all()),
                activity.seldom_heard_groups,
                activity.summary,
                activity.themes_heard,
                activity.logged_by.display_name if activity.logged_by else "",
                base + activity.get_absolute_url(),
            ]

    filename = f"engagement-{partnership.code}-{timezone.localdate():%Y-%m-%d}.csv"
    return csv_response(filename, header, rows())


@require_GET
def activity_detail(request, pk: int):
    activity = get_activity_for_user(request.user, pk)
    activity = activity_for_page(activity)
    feedback = activity.feedback.for_listing().order_by("created_at", "id")
    context = {
        "activity": activity,
        "partnership": activity.partnership,
        "feedback": feedback,
        "open_statuses": [FeedbackStatus.OPEN],
        "attachments": activity.attachments.select_related("uploaded_by"),
        "attachment_form": AttachmentForm(),
        "history": history_for(activity)[:20],
        "can_contribute": may_contribute(request.user, activity.partnership),
    }
    return render(request, "engagement/activity_detail.html", context)


@require_http_methods(["GET", "POST"])
def activity_create(request, code: str):
    partnership = get_partnership_for_user(request.user, code, Action.CONTRIBUTE)
    initial = {"held_on": timezone.localdate()}
    if request.GET.get("workstream", "").isdigit():
        initial["workstreams"] = [int(request.GET["workstream"])]
    form = ActivityForm(
        partnership=partnership, groups=ordered_groups(partnership), initial=initial, **submitted(request)
    )

    def save(data):
        return services.activity_log(
            actor=request.user,
            partnership=partnership,
            held_on=data["held_on"],
            title=data["title"],
            method=data["method"],
            level=data["level"],
            reach=form.reach(),
            workstreams=data["workstreams"],
            organisations=data["organisations"],
            attachment=data["attachment"],
            **form.details(),
        )

    activity = saved(request, form, save)
    if activity:
        messages.success(request, f"Activity logged: {activity.title}. Now record what people said.")
        return redirect(activity)
    context = {"partnership": partnership, "form": form, "activity": None}
    return render_form(request, "engagement/activity_form.html", context)


@require_http_methods(["GET", "POST"])
def activity_edit(request, pk: int):
    activity = get_activity_for_user(request.user, pk, Action.CONTRIBUTE)
    partnership = activity.partnership
    form = ActivityForm(
        partnership=partnership, groups=ordered_groups(partnership), activity=activity, **submitted(request)
    )

    def save(data):
        fields = {name: data[name] for name in ["held_on", "title", "method", "level"]}
        services.activity_update(
            actor=request.user,
            activity=activity,
            reach=form.reach(),
            workstreams=data["workstreams"],
            organisations=data["organisations"],
            **fields,
            **form.details(),
        )

    if saved(request, form, save):
        messages.success(request, "Activity updated.")
        return redirect(activity)
    context = {"partnership": partnership, "form": form, "activity": activity}
    return render_form(request, "engagement/activity_form.html", context)


@post_only(redirect_to="engagement:activity_detail")
def attachment_add(request, pk: int):
    activity = get_activity_for_user(request.user, pk, Action.CONTRIBUTE)
    form = AttachmentForm(request.POST, request.FILES)

    def save(data):
        services.attachment_add(actor=request.user, activity=activity, file=data["file"], title=data["title"])

    if saved(request, form, save):
        messages.success(request, "Document attached.")
        return redirect(activity)
    context = {"activity": activity, "partnership": activity.partnership, "form": form}
    return render_form(request, "engagement/attachment_form.html", context)


@require_GET
def attachment_download(request, pk: int):
    """An activity's document, to whoever may see the activity: media files have no public URL."""
    attachment = get_attachment_for_user(request.user, pk)
    return download(attachment.file, filename=attachment.filename, content_type=attachment.content_type)


@post_only(redirect_to=lambda request, pk: get_attachment_for_user(request.user, pk).activity)
def attachment_remove(request, pk: int):
    attachment = get_attachment_for_user(request.user, pk, Action.CONTRIBUTE)
    activity = attachment.activity
    services.attachment_remove(actor=request.user, attachment=attachment)
    messages.success(request, f"Document removed: {attachment.title}.")
    return redirect(activity)
