"""Demo data: a year of engagement in partnership QZZ, with deliberate gaps, feedback in every status, and the
expectations that make those gaps show red on the coverage page.

- Medicines Optimisation last heard from patients and carers five months ago (expected every 90 days): red.
- End of Life Care has never engaged local authorities (expected every 90 days): red.
- Diabetes last met patients 75 days ago (expected every 90 days): amber, due soon.

Runs after the partnerships and work-streams demo seeds and tolerates their absence: without QZZ it does nothing;
without a work-stream, its activities are logged unlinked and its expectations skipped. Everything goes through the
services. Running it again changes nothing: an activity is looked up by its title, a theme by its activity and
wording, an expectation by work-stream and group. Dates are relative to the day of the first run.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from core.audit import SYSTEM
from partnerships.access import Action, can
from partnerships.models import Partnership
from workstreams.models import Action as WorkStreamAction
from workstreams.models import WorkStream

from .. import services
from ..models import EngagementActivity, EngagementExpectation, Feedback, StakeholderGroup

MEDICINES, DIABETES, END_OF_LIFE = "Medicines Optimisation", "Diabetes", "End of Life Care"

# days ago, title, method, level, {group slug: people}, work-streams, logged by, what people said, seldom-heard
# fmt: off
ACTIVITIES = [
    (350, "Medicines waste: patient reference group", "focus_group", "consult", {"patients-carers": 14},
     [MEDICINES], "member", "Repeat prescriptions arrive that people no longer need.", ""),
    (330, "Diabetes prevention roadshow", "public_event", "inform", {"public-communities": 220, "patients-carers": 35},
     [DIABETES], "member", "People want to know their risk without a GP appointment.", "South Asian communities"),
    (300, "Hospice and district nurses: care at home", "workshop", "involve", {"nurses": 18, "vcse": 6},
     [END_OF_LIFE], "lead", "Out-of-hours advice is hard to reach for families.", ""),
    (270, "Practice pharmacists' forum", "meeting", "involve", {"allied-health-professionals": 22, "gps": 5},
     [MEDICINES], "member", "Structured medication reviews need protected time.", ""),
    (240, "Staff side briefing on the programme", "meeting", "inform", {"staff-unions": 12},
     [MEDICINES, DIABETES, END_OF_LIFE], "lead", "Staff asked how roles will change.", ""),
    (210, "Bereaved carers' listening event", "focus_group", "consult", {"patients-carers": 11, "vcse": 3},
     [END_OF_LIFE], "member", "Families want one named contact in the last weeks of life.", "Bereaved carers"),
    (180, "Healthwatch review of diabetes foot care", "survey", "consult", {"healthwatch": 2, "patients-carers": 310},
     [DIABETES], "member", "Waits for podiatry are long in rural areas.", "People in rural areas"),
    (155, "Polypharmacy: patients' panel", "focus_group", "involve", {"patients-carers": 16},
     [MEDICINES], "member", "People on many medicines want one review, not several.", "Older people living alone"),
    (140, "Non-executive briefing on engagement", "meeting", "inform", {"non-executives-governors": 9},
     [MEDICINES, DIABETES, END_OF_LIFE], "lead", "Governors asked for the gaps to be reported to the board.", ""),
    (120, "GP clinical directors: prescribing priorities", "meeting", "collaborate", {"gps": 14},
     [MEDICINES], "member", "Switches should be agreed once across the partnership.", ""),
    (100, "Advance care planning consultation", "consultation", "consult",
     {"public-communities": 140, "patients-carers": 60, "vcse": 8}, [END_OF_LIFE], "lead",
     "People want plans to follow them between services.", "Gypsy and Traveller communities"),
    (90, "MP briefing: winter and medicines supply", "one_to_one", "inform", {"mps": 2},
     [MEDICINES], "lead", "Constituents report pharmacy closures.", ""),
    (75, "Type 2 diabetes education co-design", "workshop", "collaborate", {"patients-carers": 12, "nurses": 4},
     [DIABETES], "member", "Courses should run in the evening and online.", "People working shifts"),
    (60, "Hospital doctors' discharge medicines audit", "meeting", "involve", {"hospital-doctors": 9, "nurses": 6},
     [MEDICINES], "member", "Discharge letters often miss medicine changes.", ""),
    (45, "Community pharmacy survey", "survey", "consult", {"allied-health-professionals": 48},
     [MEDICINES], "member", "Pharmacies could do more reviews if GPs refer.", ""),
    (30, "Diabetes clinical network", "meeting", "collaborate", {"gps": 11, "hospital-doctors": 4},
     [DIABETES], "member", "Insulin pump criteria differ between the two trusts.", ""),
    (20, "Hospice volunteers' workshop", "workshop", "involve", {"vcse": 15, "patients-carers": 6},
     [END_OF_LIFE], "member", "Volunteers could support people at home overnight.", ""),
    (10, "Online conversation: healthy weight", "online", "consult", {"public-communities": 85},
     [DIABETES], "member", "Healthy food costs more; weight services should say so.", "Young people"),
]
# fmt: on
# For the consultation: the Gunning principles, one of them not met, so its page shows the warning.
GUNNING = {
    "gunning_formative": True,
    "gunning_sufficient_information": True,
    "gunning_adequate_time": False,
    "gunning_conscientious_consideration": True,
    "gunning_notes": "Four weeks over Christmas: too short. Extended sessions were arranged with hospices.",
}
# activity title, you said, from groups, status, we did, reason not taken forward, fed back after days, published
# fmt: off
FEEDBACK = [
    ("Polypharmacy: patients' panel", "We see several clinicians who each review a few of our medicines.",
     ["patients-carers"], "acted_on", "Practice pharmacists now do one structured review a year for people on ten "
     "or more medicines.", "", 40, True),
    ("Polypharmacy: patients' panel", "Pharmacies should be told when a medicine is stopped.",
     ["patients-carers"], "responded", "We have asked the trusts to send discharge changes to the patient's "
     "pharmacy; a pilot starts in the spring.", "", 30, True),
    ("Medicines waste: patient reference group", "Stop automatic repeat prescriptions.", ["patients-carers"],
     "not_taken_forward", "We looked at ending automatic repeats everywhere.",
     "Some people rely on them to stay well; practices now check repeats at every review instead.", 60, True),
    ("Type 2 diabetes education co-design", "Run courses in the evening and online.", ["patients-carers"],
     "acted_on", "Two evening courses and an online course started in the autumn.", "", 35, True),
    ("Type 2 diabetes education co-design", "Offer courses in community languages.", ["patients-carers"],
     "open", "", "", None, False),
    ("Healthwatch review of diabetes foot care", "Podiatry waits are too long in the Dales.",
     ["patients-carers", "healthwatch"], "responded", "We are funding a mobile podiatry clinic; the business case "
     "goes to the board next month.", "", 50, False),
    ("Bereaved carers' listening event", "Give families one named contact in the last weeks of life.",
     ["patients-carers"], "acted_on", "Every person on the end of life register now has a named key worker.", "",
     90, True),
    ("Advance care planning consultation", "Plans should follow people between services.",
     ["public-communities", "patients-carers"], "open", "", "", None, False),
    ("Hospice volunteers' workshop", "Volunteers could sit with people overnight.", ["vcse"], "not_taken_forward",
     "We explored an overnight volunteer service with the hospices.",
     "Overnight care needs trained staff; the hospices are recruiting paid night sitters instead.", 12, False),
    ("Online conversation: healthy weight", "Healthy food costs more.", ["public-communities"], "open", "", "",
     None, False),
]
# fmt: on
# work-stream, group slug, every so many days
EXPECTATIONS = [
    (MEDICINES, "patients-carers", 90),
    (MEDICINES, "gps", 180),
    (MEDICINES, "allied-health-professionals", 90),
    (DIABETES, "patients-carers", 90),
    (DIABETES, "gps", 60),
    (DIABETES, "public-communities", 180),
    (END_OF_LIFE, "local-authorities", 90),
    (END_OF_LIFE, "patients-carers", 180),
    (END_OF_LIFE, "vcse", 90),
]


@transaction.atomic
def seed(stdout) -> None:
    """Log the demo engagement for QZZ (idempotent)."""
    partnership = Partnership.objects.filter(code="QZZ").first()
    if partnership is None:
        stdout.write("Engagement: no partnership QZZ (the partnerships demo has not run); nothing to add.")
        return
    workstreams = {workstream.name: workstream for workstream in WorkStream.objects.filter(partnership=partnership)}
    groups = {group.slug: group for group in StakeholderGroup.objects.filter(partnership=None)}
    people = {user.username: user for user in get_user_model().objects.filter(username__in=["lead", "member"])}
    activities = _activities(partnership, workstreams, groups, people)
    themes = _feedback(partnership, activities, groups, people)
    expectations = _expectations(workstreams, groups, people)
    stdout.write(
        f"Engagement: {len(activities)} activities, {themes} themes heard, {expectations} expectations in QZZ."
    )


def _actor(partnership, people: dict, username: str):
    """The demo person, if they may contribute in QZZ; otherwise the system actor."""
    person = people.get(username)
    return person if person is not None and can(person, partnership, Action.CONTRIBUTE) else SYSTEM


def _activities(partnership, workstreams, groups, people) -> dict[str, EngagementActivity]:
    today = timezone.localdate()
    existing = {activity.title: activity for activity in EngagementActivity.objects.filter(partnership=partnership)}
    for days_ago, title, method, level, reach, names, username, said, seldom in ACTIVITIES:
        if title in existing:
            continue
        existing[title] = services.activity_log(
            actor=_actor(partnership, people, username),
            partnership=partnership,
            held_on=today - timedelta(days=days_ago),
            title=title,
            method=method,
            level=level,
            reach={groups[slug]: count for slug, count in reach.items()},
            workstreams=[workstreams[name] for name in names if name in workstreams],
            themes_heard=said,
            reached_seldom_heard=bool(seldom),
            seldom_heard_groups=seldom,
            **(GUNNING if method == "consultation" else {}),
        )
    return existing


def _feedback(partnership, activities, groups, people) -> int:
    today = timezone.localdate()
    actor = _actor(partnership, people, "member")
    actions = WorkStreamAction.objects.filter(partnership=partnership, workstream__name=DIABETES).order_by("pk")
    for title, theme, slugs, status, response, reason, after_days, published in FEEDBACK:
        activity = activities[title]
        if Feedback.objects.filter(activity=activity, theme=theme).exists():
            continue
        feedback = services.feedback_record(
            actor=actor, activity=activity, theme=theme, groups=[groups[slug] for slug in slugs]
        )
        if status == "open":
            continue
        fed_back_on = min(activity.held_on + timedelta(days=after_days), today)
        # A Diabetes theme that was acted on is linked to the first of that work-stream's actions, if it has any.
        informs_diabetes = activity.workstreams.filter(name=DIABETES).exists()
        action = actions.first() if status == "acted_on" and informs_diabetes else None
        services.feedback_respond(
            actor=actor,
            feedback=feedback,
            response=response,
            status=status,
            reason=reason,
            fed_back_on=fed_back_on,
            action=action,
            published=published,
        )
    return Feedback.objects.filter(partnership=partnership).count()


def _expectations(workstreams, groups, people) -> int:
    count = 0
    for name, slug, days in EXPECTATIONS:
        workstream = workstreams.get(name)
        if workstream is None:
            continue
        count += 1
        current = EngagementExpectation.objects.filter(workstream=workstream, group=groups[slug]).first()
        if current is None or current.interval_days != days:
            actor = _actor(workstream.partnership, people, "lead")
            services.expectation_set(actor=actor, workstream=workstream, group=groups[slug], interval_days=days)
    return count
