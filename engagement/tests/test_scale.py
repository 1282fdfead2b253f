"""The national-scale seed: proportional to `scale`, valid rows that pass the models' rules, progress bars, and a
second run that skips what is already there."""

import io
from datetime import timedelta

import pytest

from engagement.models import EngagementActivity, EngagementExpectation, Feedback, GroupReached
from engagement.seed import scale
from engagement.selectors.coverage import coverage_matrix

pytestmark = pytest.mark.django_db


class Bar:
    def __init__(self, total, description, bars):
        self.total, self.description, self.done = total, description, 0
        bars.append(self)

    def update(self, count):
        self.done += count

    def close(self):
        pass


def run(scale_factor=0.01):
    bars, output = [], io.StringIO()
    scale.seed(
        scale=scale_factor,
        random_seed=7,
        progress=lambda total, description: Bar(total, description, bars),
        stdout=output,
    )
    return bars, output.getvalue()


def test_the_seed_fills_every_partnership_in_proportion_to_the_scale(ew, today):
    bars, output = run(0.01)
    assert EngagementActivity.objects.filter(partnership=ew.partnership).count() == 50
    assert EngagementActivity.objects.filter(partnership=ew.other_partnership).count() == 50
    assert [(bar.description, bar.total, bar.done) for bar in bars] == [
        ("Engagement activities", 100, 100),
        ("Groups reached, links and feedback", 100, 100),
    ]
    assert GroupReached.objects.count() >= 100
    assert 10 <= Feedback.objects.count() <= 60
    assert EngagementExpectation.objects.filter(workstream=ew.diabetes).count() == 3
    oldest = EngagementActivity.objects.order_by("held_on").first().held_on
    assert today - timedelta(days=5 * 365) <= oldest
    assert "100 activities" in output


def test_generated_rows_pass_the_models_own_rules(ew, today):
    run(0.01)
    for activity in EngagementActivity.objects.all()[:50]:
        activity.full_clean()
    for item in Feedback.objects.all():
        item.full_clean()
    assert coverage_matrix(ew.partnership, as_of=today).rows


def test_a_second_run_skips_the_partnerships_that_have_engagement(ew, today):
    run(0.01)
    before = EngagementActivity.objects.count()
    bars, output = run(0.01)
    assert EngagementActivity.objects.count() == before
    assert "2 already had engagement and were skipped" in output
    assert [bar.total for bar in bars] == [0, 0]
