"""A risk's links to decisions keep who made them (`RiskDecisionLink`), and a review a rising risk suggests names
that person (`ReviewSuggestion.linked_by`).

The plain many-to-many's table becomes the link model's: the state takes it over as it is, then the columns and the
named constraint are added. Links made before are credited, where the audit trail shows it, to whoever's change of
the risk added the decision.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def credit_earlier_links(apps, schema_editor):
    """Who linked each existing risk to each decision, read from the risks' audit records (raised or changed with the
    decision among the links after and not before); and the suggestions those links raised."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEvent = apps.get_model("core", "AuditEvent")
    RiskDecisionLink = apps.get_model("governance", "RiskDecisionLink")
    ReviewSuggestion = apps.get_model("governance", "ReviewSuggestion")
    risk_type = ContentType.objects.filter(app_label="governance", model="risk").first()
    if risk_type is None:
        return
    linker = {}
    events = AuditEvent.objects.filter(target_type=risk_type, action__in=["risk.raised", "risk.updated"])
    for event in events.order_by("at", "id").iterator():
        before, after = (event.changes or {}).get("decisions") or [None, None]
        for decision_id in set(after or []) - set(before or []):
            linker[(event.target_id, decision_id)] = (event.actor_id, event.at)
    for link in RiskDecisionLink.objects.filter(linked_by__isnull=True).iterator():
        actor_id, at = linker.get((link.risk_id, link.decision_id), (None, None))
        RiskDecisionLink.objects.filter(pk=link.pk).update(linked_by_id=actor_id, linked_at=at)
    for suggestion in ReviewSuggestion.objects.filter(linked_by__isnull=True).iterator():
        actor_id, _at = linker.get((suggestion.risk_id, suggestion.decision_id), (None, None))
        if actor_id is not None:
            ReviewSuggestion.objects.filter(pk=suggestion.pk).update(linked_by_id=actor_id)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0001_initial"),
        ("governance", "0002_default_risk_domains"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="reviewsuggestion",
            name="linked_by",
            field=models.ForeignKey(
                blank=True,
                help_text="Who linked the risk to the decision, so letting the risk suggest its review.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="RiskDecisionLink",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        (
                            "decision",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="risk_links",
                                to="governance.decision",
                            ),
                        ),
                        (
                            "risk",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="decision_links",
                                to="governance.risk",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "governance_risk_decisions",
                        "unique_together": {("risk", "decision")},
                    },
                ),
                migrations.AlterField(
                    model_name="risk",
                    name="decisions",
                    field=models.ManyToManyField(
                        blank=True,
                        help_text="Decisions that depend on it: when it rises above tolerance, their review is suggested.",
                        related_name="risks",
                        through="governance.RiskDecisionLink",
                        to="governance.decision",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="riskdecisionlink",
            name="linked_by",
            field=models.ForeignKey(
                blank=True,
                help_text="Blank for links made before this was kept, or by the system.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="riskdecisionlink",
            name="linked_at",
            field=models.DateTimeField(blank=True, default=django.utils.timezone.now, null=True),
        ),
        migrations.AlterUniqueTogether(name="riskdecisionlink", unique_together=set()),
        migrations.AddConstraint(
            model_name="riskdecisionlink",
            constraint=models.UniqueConstraint(fields=("risk", "decision"), name="risk_decision_link_unique"),
        ),
        migrations.RunPython(credit_earlier_links, migrations.RunPython.noop),
    ]
