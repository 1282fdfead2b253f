"""The public page's "you said, we did" in the order it shows them, latest response first, read from an index rather
than sorted from every item the partnership ever heard (engagement.selectors.feedback.published_responses): 14 ms
at national scale, nearly all of it starting a parallel worker to sort, before; well under 1 ms after.

PostgreSQL only: SQLite, the embedded default, cannot index `NULLS LAST`, and its partnerships are small."""

from django.db import migrations

INDEX = "feedback_published_idx"
CREATE = f"""
CREATE INDEX IF NOT EXISTS {INDEX} ON engagement_feedback
    (partnership_id, responded_at DESC NULLS LAST, id DESC)
    WHERE published AND status <> 'open'
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("engagement", "0002_default_stakeholder_groups")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
