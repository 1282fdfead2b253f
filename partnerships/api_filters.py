"""The `?partnership=QZZ` filter every API list shares."""

import django_filters
from django.db.models import Subquery
from django_filters.constants import EMPTY_VALUES

from .models import Partnership


class PartnershipCodeFilter(django_filters.CharFilter):
    """Rows of the partnership with this code; `field_name` is the path to the partnership (`partnership`,
    `meeting__partnership`). The code is looked up once, in its own subquery, rather than joined: the database
    then knows the one partnership before it reads a row, and walks an index on (partnership, ordering) to the
    first page instead of sorting every row of a large partnership."""

    def filter(self, queryset, value):
        if value in EMPTY_VALUES:
            return queryset
        partnership = Partnership.objects.filter(code=value).values("pk")[:1]
        queryset = queryset.filter(**{self.field_name: Subquery(partnership)})
        return queryset.distinct() if self.distinct else queryset
