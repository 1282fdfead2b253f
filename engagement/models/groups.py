"""Stakeholder groups: the standard set every partnership has (created by a data migration) and its own."""

from django.db import models
from django.db.models import Q

from core.models import TimeStampedModel
from core.validators import reject_markup


class StakeholderGroupQuerySet(models.QuerySet):
    def for_partnership(self, partnership):
        """The default groups every partnership has, and the partnership's own."""
        return self.filter(Q(partnership__isnull=True) | Q(partnership=partnership))


class StakeholderGroup(TimeStampedModel):
    """A group of people a partnership engages: a default one (no partnership) or one a partnership added."""

    partnership = models.ForeignKey(
        "partnerships.Partnership",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="stakeholder_groups",
        help_text="Blank for the default groups every partnership has.",
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subgroups",
        help_text="For a sub-group, such as GPs within clinicians. Reaching a sub-group counts for its parent too.",
    )
    slug = models.SlugField(max_length=60)
    name = models.CharField(max_length=100, validators=[reject_markup])
    description = models.CharField(max_length=200, blank=True, validators=[reject_markup])
    position = models.PositiveSmallIntegerField(default=1000, help_text="Where the group comes in lists.")

    objects = StakeholderGroupQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "slug"],
                name="stakeholder_group_unique_slug",
                violation_error_message="The partnership already has a stakeholder group with that name.",
            ),
            models.UniqueConstraint(
                fields=["slug"], condition=Q(partnership__isnull=True), name="stakeholder_group_unique_default_slug"
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")),
                name="stakeholder_group_not_its_own_parent",
                violation_error_message="A group cannot be its own sub-group.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_default(self) -> bool:
        return self.partnership_id is None
