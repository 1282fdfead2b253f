""" "You said, we did": recording what people said at an activity, the response to it, and the list and export."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from core.exports import csv_response
from core.http import page_of, query_without_page, render_form, saved, submitted
from partnerships.access import Action, get_partnership_for_user

from .. import services
from ..access import feedback_outcomes_open_to, get_activity_for_user, get_feedback_for_user, may_contribute
from ..api.filters import FeedbackFilter
from ..forms.feedback import FeedbackForm, ResponseForm
from ..models import FeedbackStatus
from ..selectors.feedback import feedback_counts, feedback_log


@require_http_methods(["GET", "POST"])
def feedback_create(request, pk: int):
    activity = get_activity_for_user(request.user, pk, Action.CONTRIBUTE)
    form = FeedbackForm(activity=activity, **submitted(request))

    def save(data):
        services.feedback_record(
            actor=request.user, activity=activity, theme=data["theme"], groups=data["groups"], detail=data["detail"]
        )

    if saved(request, form, save):
        messages.success(request, f"Recorded: {form.cleaned_data['theme']}")
        if "another" in request.POST:
            return redirect("engagement:feedback_create", activity.pk)
        return redirect(activity)
    context = {"activity": activity, "partnership": activity.partnership, "form": form}
    return render_form(request, "engagement/feedback_form.html", context)


@require_http_methods(["GET", "POST"])
def feedback_respond(request, pk: int):
    feedback = get_feedback_for_user(request.user, pk, Action.CONTRIBUTE)
    outcomes = feedback_outcomes_open_to(request.user, feedback)
    form = ResponseForm(feedback=feedback, outcomes=outcomes, **submitted(request))

    def save(data):
        services.feedback_respond(actor=request.user, feedback=feedback, **data)

    if saved(request, form, save):
        messages.success(request, f"Response saved: {feedback.theme}")
        return redirect(feedback.activity)
    context = {"feedback": feedback, "activity": feedback.activity, "partnership": feedback.partnership, "form": form}
    return render_form(request, "engagement/feedback_respond.html", context)


def _filtered_feedback(request, partnership):
    feedback = feedback_log(partnership)
    filters = FeedbackFilter.for_page(request, feedback, partnership=partnership)
    return filters.form, filters.qs


@require_GET
def feedback_list(request, code: str):
    partnership = get_partnership_for_user(request.user, code)
    form, feedback = _filtered_feedback(request, partnership)
    page, query = page_of(request, feedback), query_without_page(request)
    context = {
        "partnership": partnership,
        "statuses": FeedbackStatus.choices,
        "status_counts": feedback_counts(partnership),
        "form": form,
        "page": page,
        "query": query,
        "can_contribute": may_contribute(request.user, partnership),
    }
    return render_form(request, "engagement/feedback_list.html", context)


@require_GET
def feedback_export(request, code: str):
    """ "You said, we did" as CSV, with the same filters as the page."""
    partnership = get_partnership_for_user(request.user, code)
    _form, feedback = _filtered_feedback(request, partnership)
    header = ["You said", "From", "Activity", "Activity date", "We did", "Outcome", "Reason not taken forward"]
    header += ["Date fed back", "Action", "Published"]

    def rows():
        for item in feedback.iterator(chunk_size=500):
            yield [
                item.theme,
                "; ".join(group.name for group in item.groups.all()),
                item.activity.title,
                item.activity.held_on.isoformat(),
                item.response,
                item.get_status_display(),
                item.reason,
                item.fed_back_on.isoformat() if item.fed_back_on else "",
                item.action.description if item.action else "",
                "Yes" if item.published else "No",
            ]

    filename = f"you-said-we-did-{partnership.code}-{timezone.localdate():%Y-%m-%d}.csv"
    return csv_response(filename, header, rows())
