"""The benchmark's yardstick for a list page: what plain Django costs for 25 decisions of a partnership, with
Django's own template engine and no NHS.UK macros. The decision register is measured against it. It is not a
page of the product (no access check beyond signing in) and is mounted only by bench/urls.py."""

from django.views.generic import ListView

from governance.models import Decision


class PlainDecisionListView(ListView):
    paginate_by = 25
    template_name = "bench/decision_list.html"
    template_engine = "django"  # the DjangoTemplates engine, not our Jinja2 one

    def get_queryset(self):
        # As plain as a newcomer would write it: every column, the model's own ordering (newest first).
        return Decision.objects.filter(partnership__code=self.kwargs["code"])
