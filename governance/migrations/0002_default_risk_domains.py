"""The eight risk domains every partnership has (NHS board assurance practice). A partnership's lead adds its own."""

from django.db import migrations

# Frozen here: a migration must not change when the code's lists do.
DEFAULT_DOMAINS = [
    ("Safety", "Harm to patients, service users, staff or the public."),
    ("Quality", "How effective care is, and what people experience of it."),
    ("Workforce", "Having enough people with the right skills, and their wellbeing."),
    ("Statutory and regulatory", "Meeting the law, regulators' standards and statutory duties."),
    ("Reputation", "Public, patient, partner and political confidence in the partnership."),
    ("Finance", "Money: overspends, lost income, value for money, fraud."),
    ("Service delivery", "Keeping services running and meeting waiting times and targets."),
    ("Partnership and governance", "How the partners work and decide together, and keep their commitments."),
]


def add_defaults(apps, schema_editor):
    RiskDomain = apps.get_model("governance", "RiskDomain")
    for position, (name, description) in enumerate(DEFAULT_DOMAINS, start=1):
        RiskDomain.objects.update_or_create(
            partnership=None, name=name, defaults={"description": description, "position": position}
        )


def remove_defaults(apps, schema_editor):
    RiskDomain = apps.get_model("governance", "RiskDomain")
    RiskDomain.objects.filter(partnership=None, name__in=[name for name, _ in DEFAULT_DOMAINS]).delete()


class Migration(migrations.Migration):
    dependencies = [("governance", "0001_initial")]

    operations = [
        migrations.RunPython(add_defaults, remove_defaults),
    ]
