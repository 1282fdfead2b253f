# Run by bench/run.py through `manage.py shell -c`: choose what the benchmark signs in as and visits, and print it
# as one line of JSON. The largest partnership is the one with most actions; its lead signs in.
import json

from django.conf import settings
from django.db.models import Count

from governance.models import Decision
from partnerships.models import Partnership, PartnershipRole, Role
from workstreams.models import Action, WorkStream

largest = Partnership.objects.annotate(action_count=Count("actions")).order_by("-action_count", "code").first()
lead = (
    PartnershipRole.objects.filter(content_object=largest, permission__codename=Role.LEAD)
    .select_related("user")
    .order_by("user_id")
    .first()
    .user
)
decision = (
    Decision.objects.filter(partnership=largest).annotate(votes=Count("signoffs")).order_by("-votes", "pk").first()
)
workstream = (
    WorkStream.objects.filter(partnership=largest).annotate(size=Count("actions")).order_by("-size", "pk").first()
)
print(
    json.dumps(
        {
            "partnership_code": largest.code,
            "partnership_count": Partnership.objects.count(),
            "action_count": Action.objects.filter(partnership=largest).count(),
            "username": lead.username,
            "password": settings.DEMO_PASSWORD,
            "decision_url": decision.get_absolute_url(),
            "workstream_url": workstream.get_absolute_url(),
        }
    )
)
