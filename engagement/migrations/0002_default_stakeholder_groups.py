"""The default stakeholder groups every partnership has (product brief: "Stakeholder group")."""

from django.db import migrations

# slug, name, description, position, parent slug
DEFAULT_GROUPS = [
    ("clinicians", "Clinicians", "Doctors, nurses and other health professionals", 10, None),
    ("gps", "GPs", "General practitioners", 11, "clinicians"),
    ("hospital-doctors", "Hospital doctors", "Consultants and doctors in training", 12, "clinicians"),
    ("nurses", "Nurses", "Nurses and midwives", 13, "clinicians"),
    (
        "allied-health-professionals",
        "Allied health professionals",
        "Physiotherapists, pharmacists and others",
        14,
        "clinicians",
    ),
    ("patients-carers", "Patients and carers", "People using services, their families and carers", 20, None),
    ("public-communities", "Public and communities", "Residents and community groups", 30, None),
    ("local-authorities", "Local authorities and councillors", "Council officers and elected members", 40, None),
    ("staff-unions", "Staff and unions", "Health and care staff and their trade unions", 50, None),
    ("vcse", "VCSE", "Voluntary, community and social enterprise organisations", 60, None),
    ("healthwatch", "Healthwatch", "The local Healthwatch", 70, None),
    (
        "non-executives-governors",
        "Non-executives and governors",
        "Non-executive directors and foundation trust governors",
        80,
        None,
    ),
    ("mps", "MPs", "Members of Parliament", 90, None),
]


def create_default_groups(apps, schema_editor):
    StakeholderGroup = apps.get_model("engagement", "StakeholderGroup")
    created = {}
    for slug, name, description, position, parent in DEFAULT_GROUPS:
        group, _ = StakeholderGroup.objects.update_or_create(
            partnership=None,
            slug=slug,
            defaults={
                "name": name,
                "description": description,
                "position": position,
                "parent": created.get(parent),
            },
        )
        created[slug] = group


def remove_default_groups(apps, schema_editor):
    StakeholderGroup = apps.get_model("engagement", "StakeholderGroup")
    StakeholderGroup.objects.filter(partnership=None, parent__isnull=False).delete()
    StakeholderGroup.objects.filter(partnership=None).delete()


class Migration(migrations.Migration):
    dependencies = [("engagement", "0001_initial")]

    operations = [migrations.RunPython(create_default_groups, remove_default_groups)]
