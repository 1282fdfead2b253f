"""National-scale engagement for benchmarks (`manage.py seed_scale`): for every partnership, about 5,000 activities
over five years (at scale 1) with the groups they reached, the work-streams they inform and the organisations
involved, a theme heard at about one in three with its response, and expectations for every work-stream.

Runs after the work-streams scale seed, which creates about 50 work-streams per partnership; without work-streams
the activities are logged unlinked. Rows are bulk inserted, so no audit events are written: this is benchmark data,
not a record of anyone's work. A partnership that already has engagement is skipped, so the seed can be run again
after an interruption and picks up where it stopped.
"""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from partnerships.models import Membership, Partnership, PartnershipRole
from workstreams.models import WorkStream

from ..models import (
    EngagementActivity,
    EngagementExpectation,
    Feedback,
    FeedbackStatus,
    GroupReached,
    Level,
    Method,
    StakeholderGroup,
)

ACTIVITIES_PER_PARTNERSHIP = 5_000
YEARS = 5
FEEDBACK_SHARE = 1 / 3
BATCH_SIZE = 2_000
TOPICS = [
    "urgent care",
    "discharge from hospital",
    "mental health crisis care",
    "diabetes care",
    "medicines reviews",
    "end of life care",
    "primary care access",
    "maternity services",
    "community services",
    "healthy weight",
    "digital access",
    "carers' support",
]
THEMES = [
    ("Appointments are hard to get after work.", "Evening and weekend appointments are now offered at hubs."),
    ("Transport to the hospital is difficult.", "Volunteer transport has been extended to the outlying villages."),
    ("People are not told what happens next.", "Every discharge letter now says who to call and when."),
    ("Information is not in community languages.", "Leaflets are now translated into the five main languages."),
    ("Waiting lists are too long.", "Extra clinics were funded for six months."),
    ("Services do not talk to each other.", "A shared care record is being rolled out across the partnership."),
]
SELDOM_HEARD = ["People who are homeless", "Young carers", "Gypsy and Traveller communities", "Deaf BSL users"]
INTERVALS = [30, 60, 90, 90, 180, 365]


def seed(*, scale: float, random_seed: int, progress, stdout) -> None:
    """Generate engagement for every partnership that has none yet."""
    rng = random.Random(random_seed)
    groups = list(StakeholderGroup.objects.filter(partnership=None).order_by("position"))
    partnerships = list(Partnership.objects.order_by("code"))
    to_seed = [p for p in partnerships if not EngagementActivity.objects.filter(partnership=p).exists()]
    skipped = len(partnerships) - len(to_seed)
    per_partnership = max(1, round(ACTIVITIES_PER_PARTNERSHIP * scale))
    activity_bar = progress(per_partnership * len(to_seed), "Engagement activities")
    detail_bar = progress(per_partnership * len(to_seed), "Groups reached, links and feedback")
    totals = {"activities": 0, "feedback": 0, "expectations": 0}
    for partnership in to_seed:
        with transaction.atomic():
            counts = _seed_partnership(partnership, per_partnership, groups, rng, activity_bar, detail_bar)
        for key, value in counts.items():
            totals[key] += value
    activity_bar.close()
    detail_bar.close()
    stdout.write(
        f"Engagement: {totals['activities']} activities, {totals['feedback']} themes heard and "
        f"{totals['expectations']} expectations in {len(to_seed)} partnerships"
        + (f"; {skipped} already had engagement and were skipped." if skipped else ".")
    )


def _bulk(model, objects: list, bar=None, *, step: int = 0) -> list:
    for start in range(0, len(objects), BATCH_SIZE):
        model.objects.bulk_create(objects[start : start + BATCH_SIZE])
    if bar is not None:
        bar.update(step)
    return objects


def _seed_partnership(partnership, count: int, groups, rng, activity_bar, detail_bar) -> dict[str, int]:
    today = timezone.localdate()
    workstreams = list(WorkStream.objects.filter(partnership=partnership).values_list("pk", flat=True))
    people = list(
        PartnershipRole.objects.filter(content_object=partnership).values_list("user_id", flat=True).distinct()
    )
    organisations = list(
        Membership.objects.filter(partnership=partnership).values_list("organisation_id", flat=True).distinct()
    )
    activities = []
    for _ in range(count):
        method = rng.choice(Method.values)
        seldom = rng.random() < 0.15
        activity = EngagementActivity(
            partnership=partnership,
            held_on=today - timedelta(days=rng.randrange(YEARS * 365)),
            title=f"{Method(method).label}: {rng.choice(TOPICS)}",
            method=method,
            level=rng.choice(Level.values),
            reached_seldom_heard=seldom,
            seldom_heard_groups=rng.choice(SELDOM_HEARD) if seldom else "",
            summary="Generated for the benchmarks.",
            logged_by_id=rng.choice(people) if people else None,
        )
        if method == Method.CONSULTATION:
            activity.gunning_formative = activity.gunning_sufficient_information = True
            activity.gunning_adequate_time = rng.random() < 0.9
            activity.gunning_conscientious_consideration = True
        activities.append(activity)
    _bulk(EngagementActivity, activities, activity_bar, step=count)

    reach, workstream_links, organisation_links, feedback, feedback_groups = [], [], [], [], []
    for activity in activities:
        reached = rng.sample(groups, rng.randint(1, 3))
        reach += [GroupReached(activity=activity, group=group, people_count=rng.randint(1, 60)) for group in reached]
        for workstream_id in rng.sample(workstreams, min(len(workstreams), rng.randint(1, 2))):
            workstream_links.append(
                EngagementActivity.workstreams.through(engagementactivity_id=activity.pk, workstream_id=workstream_id)
            )
        for organisation_id in rng.sample(organisations, min(len(organisations), rng.randint(0, 2))):
            organisation_links.append(
                EngagementActivity.organisations.through(
                    engagementactivity_id=activity.pk, organisation_id=organisation_id
                )
            )
        if rng.random() < FEEDBACK_SHARE:
            feedback.append(_feedback(activity, today, rng))
            feedback_groups.append(reached[0])
    _bulk(GroupReached, reach)
    _bulk(EngagementActivity.workstreams.through, workstream_links)
    _bulk(EngagementActivity.organisations.through, organisation_links)
    _bulk(Feedback, feedback)
    _bulk(
        Feedback.groups.through,
        [
            Feedback.groups.through(feedback_id=item.pk, stakeholdergroup_id=group.pk)
            for item, group in zip(feedback, feedback_groups, strict=True)
        ],
        detail_bar,
        step=count,
    )
    expectations = [
        EngagementExpectation(
            partnership=partnership, workstream_id=workstream_id, group=group, interval_days=rng.choice(INTERVALS)
        )
        for workstream_id in workstreams
        for group in rng.sample(groups, 3)
    ]
    _bulk(EngagementExpectation, expectations)
    return {"activities": count, "feedback": len(feedback), "expectations": len(expectations)}


def _feedback(activity, today, rng) -> Feedback:
    said, did = rng.choice(THEMES)
    status = rng.choices(FeedbackStatus.values, weights=[3, 3, 3, 1])[0]
    answered = status != FeedbackStatus.OPEN
    return Feedback(
        partnership_id=activity.partnership_id,
        activity=activity,
        theme=said,
        response=did if answered else "",
        status=status,
        reason="It could not be afforded this year." if status == FeedbackStatus.NOT_TAKEN_FORWARD else "",
        fed_back_on=min(activity.held_on + timedelta(days=rng.randint(7, 90)), today) if answered else None,
        published=answered and rng.random() < 0.6,
        responded_at=timezone.now() if answered else None,
    )
