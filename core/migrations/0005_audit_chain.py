"""The audit trail becomes tamper-evident (docs/adr/0017-tamper-evident-audit-trail.md): every event gets its chain,
its place in it, the previous event's hash and its own, and the request's correlation id; each chain's head is kept
in `AuditChainHead`, and the daily heads in `AuditAnchor`. Events already recorded are chained in the order they
happened (time, then id), so `verify_audit` passes on a database migrated from before. On PostgreSQL a trigger then
refuses every UPDATE and DELETE of the events and the anchors.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from core.audit import chain_of, event_hash, target_label

IMMUTABLE_TABLES = ["core_auditevent", "core_auditanchor"]

CREATE_TRIGGERS = [
    """
    CREATE OR REPLACE FUNCTION core_audit_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'audit records cannot be changed or deleted (% on %)', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END
    $$
    """,
    *[
        f"CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION core_audit_immutable()"
        for table in IMMUTABLE_TABLES
    ],
]
DROP_TRIGGERS = [
    *[f"DROP TRIGGER IF EXISTS {table}_immutable ON {table}" for table in IMMUTABLE_TABLES],
    "DROP FUNCTION IF EXISTS core_audit_immutable()",
]


def chain_existing_events(apps, schema_editor):
    """Chain the events recorded before, per partnership, in the order they happened, and set each chain's head."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEvent = apps.get_model("core", "AuditEvent")
    AuditChainHead = apps.get_model("core", "AuditChainHead")
    labels = {content_type.pk: target_label(content_type) for content_type in ContentType.objects.all()}
    heads = {}  # chain: (sequence, hash)
    batch = []
    for event in AuditEvent.objects.order_by("at", "id").iterator(chunk_size=2000):
        event.chain = chain_of(event.partnership_id)
        sequence, previous_hash = heads.get(event.chain, (0, ""))
        event.sequence, event.previous_hash = sequence + 1, previous_hash
        event.hash = event_hash(event, labels[event.target_type_id])
        heads[event.chain] = (event.sequence, event.hash)
        batch.append(event)
        if len(batch) == 1000:
            AuditEvent.objects.bulk_update(batch, ["chain", "sequence", "previous_hash", "hash"])
            batch = []
    AuditEvent.objects.bulk_update(batch, ["chain", "sequence", "previous_hash", "hash"])
    AuditChainHead.objects.bulk_create(
        AuditChainHead(chain=chain, sequence=sequence, hash=hash) for chain, (sequence, hash) in heads.items()
    )


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE_TRIGGERS:
            schema_editor.execute(statement, params=None)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP_TRIGGERS:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0004_outbox"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditAnchor",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("chain", models.CharField(max_length=20)),
                ("sequence", models.PositiveBigIntegerField()),
                ("hash", models.CharField(max_length=64)),
                ("recorded_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                "ordering": ["chain", "sequence"],
                "constraints": [models.UniqueConstraint(fields=("chain", "sequence"), name="audit_anchor_unique")],
            },
        ),
        migrations.CreateModel(
            name="AuditChainHead",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("chain", models.CharField(max_length=20, unique=True)),
                (
                    "sequence",
                    models.PositiveBigIntegerField(default=0, help_text="How many events the chain holds."),
                ),
                ("hash", models.CharField(blank=True, max_length=64)),
                (
                    "updated_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, help_text="When the last event was appended."
                    ),
                ),
            ],
        ),
        migrations.AddField(
            model_name="auditevent",
            name="chain",
            field=models.CharField(
                default="",
                help_text="The hash chain the event belongs to: its partnership's id, or 'service' for none.",
                max_length=20,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(
                default="", help_text="SHA-256 of the event's content and the previous hash.", max_length=64
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="previous_hash",
            field=models.CharField(blank=True, help_text="The hash of the event before; none first.", max_length=64),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="request_id",
            field=models.CharField(
                blank=True,
                help_text="The correlation id of the request that made the change, if one did.",
                max_length=64,
            ),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="sequence",
            field=models.PositiveBigIntegerField(default=0, help_text="The event's place in its chain, from 1."),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(chain_existing_events, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.UniqueConstraint(fields=("chain", "sequence"), name="audit_chain_sequence_unique"),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
