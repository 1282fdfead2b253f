"""Work-streams, their leadership groups and status history, and the quorum rule a group (or the board) meets by."""

import math

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from guardian.models import UserObjectPermissionBase

from core.models import TimeStampedModel
from core.validators import reject_markup
from partnerships.models import Organisation, Partnership


class WorkStreamStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACCEPTED = "accepted", "Accepted"
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    CLOSED = "closed", "Closed"


class Rag(models.TextChoices):
    """Red, amber, green: how a work-stream (or a period of it) is going. Always shown with its word."""

    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


class GroupRole(models.TextChoices):
    """A person's place in a work-stream's leadership group; each is a guardian permission on the work-stream."""

    LEAD = "lead", "Lead"
    DEPUTY = "deputy", "Deputy"
    MEMBER = "member", "Member"
    OBSERVER = "observer", "Observer"

    @property
    def codename(self) -> str:
        return f"workstream_{self.value}"


# Members in their own right: they make up the quorum. Deputies count only when standing in for a named member.
VOTING_ROLES = frozenset({GroupRole.LEAD, GroupRole.MEMBER})


class QuorumRule(models.Model):
    """How many members must be present, and who among them, for a meeting to be quorate."""

    quorum_minimum = models.PositiveSmallIntegerField(
        "minimum number of members present",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
        help_text="Leave blank to use only the percentage.",
    )
    quorum_percentage = models.PositiveSmallIntegerField(
        "percentage of members present",
        null=True,
        blank=True,
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="For example 50 for half the members, rounded up. Leave blank to use only the minimum.",
    )
    quorum_needs_clinician = models.BooleanField("at least one clinician must be present", default=False)
    quorum_needs_non_executive = models.BooleanField(
        "at least one non-executive or lay member must be present", default=False
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(quorum_minimum__isnull=False) | Q(quorum_percentage__isnull=False),
                name="%(class)s_quorum_has_a_size",
                violation_error_message="Set a minimum number of members, a percentage, or both.",
            )
        ]

    def members_needed(self, member_count: int) -> int:
        """The number of members who must be present: the larger of the minimum and the percentage."""
        by_share = math.ceil(member_count * self.quorum_percentage / 100) if self.quorum_percentage else 0
        return max(self.quorum_minimum or 0, by_share, 1)

    @property
    def quorum_description(self) -> str:
        parts = []
        if self.quorum_minimum:
            parts.append(f"at least {self.quorum_minimum} members")
        if self.quorum_percentage:
            parts.append(f"{self.quorum_percentage}% of members")
        text = " and ".join(parts).capitalize() + " present"
        needs = [
            label
            for flag, label in [
                (self.quorum_needs_clinician, "a clinician"),
                (self.quorum_needs_non_executive, "a non-executive or lay member"),
            ]
            if flag
        ]
        if needs:
            text += ", including " + " and ".join(needs)
        return text + "."


class WorkStreamQuerySet(models.QuerySet):
    def live(self):
        """Work-streams that hold meetings: accepted, active or paused."""
        return self.filter(status__in=[WorkStreamStatus.ACCEPTED, WorkStreamStatus.ACTIVE, WorkStreamStatus.PAUSED])


class WorkStream(TimeStampedModel, QuorumRule):
    """A programme under one of the partnership's priorities, run by a leadership group."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="workstreams")
    name = models.CharField(max_length=200, validators=[reject_markup])
    priority_area = models.CharField(
        max_length=200, blank=True, validators=[reject_markup], help_text="The partnership priority it serves."
    )
    purpose = models.TextField(
        "purpose and mandate", max_length=5000, validators=[reject_markup], help_text="What the group is for."
    )
    scope = models.TextField(max_length=5000, blank=True, validators=[reject_markup])
    expected_benefits = models.TextField(max_length=5000, blank=True, validators=[reject_markup])
    resources = models.TextField(
        max_length=5000, blank=True, validators=[reject_markup], help_text="People, money and time it needs."
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="workstreams_led"
    )
    senior_responsible_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    clinical_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=20, choices=WorkStreamStatus.choices, default=WorkStreamStatus.PROPOSED)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    rag = models.CharField("RAG rating", max_length=10, choices=Rag.choices, blank=True)
    rag_reason = models.TextField("reason for the RAG rating", max_length=2000, blank=True, validators=[reject_markup])
    rag_set_on = models.DateField("RAG rating set on", null=True, blank=True)

    objects = WorkStreamQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        permissions = [(role.codename, f"Work-stream {role.label.lower()}") for role in GroupRole]
        constraints = [
            *QuorumRule.Meta.constraints,
            models.UniqueConstraint(
                Lower("name"),
                "partnership",
                name="workstream_name_unique_in_partnership",
                violation_error_message="This partnership already has a work-stream with that name.",
            ),
            models.CheckConstraint(
                condition=Q(rag="") | (Q(rag_set_on__isnull=False) & ~Q(rag_reason="")),
                name="workstream_rag_has_reason_and_date",
                violation_error_message="A RAG rating needs its reason and the date it was set.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("workstreams:workstream_detail", args=[self.pk])

    @property
    def is_live(self) -> bool:
        return self.status in {WorkStreamStatus.ACCEPTED, WorkStreamStatus.ACTIVE, WorkStreamStatus.PAUSED}


class WorkStreamRole(UserObjectPermissionBase):
    """A group role held on a work-stream: guardian's per-object permission with a real foreign key.

    Kept in step with `GroupMember` by the services; access checks read this, pages read `GroupMember`.
    """

    content_object = models.ForeignKey(WorkStream, on_delete=models.CASCADE, related_name="role_grants")

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = "work-stream role"
        indexes = [models.Index(fields=["content_object", "user"], name="workstream_role_idx")]

    def get_absolute_url(self) -> str:
        return reverse("workstreams:group", args=[self.content_object_id])


STATUS_VERBS = {
    WorkStreamStatus.PROPOSED: "Proposed",
    WorkStreamStatus.ACCEPTED: "Accepted",
    WorkStreamStatus.ACTIVE: "Started",
    WorkStreamStatus.PAUSED: "Paused",
    WorkStreamStatus.CLOSED: "Closed",
}


class WorkStreamStatusChange(models.Model):
    """One step in a work-stream's life: who moved it, when, why, and on which board decision if any."""

    workstream = models.ForeignKey(WorkStream, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=20, choices=WorkStreamStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=WorkStreamStatus.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(max_length=2000, validators=[reject_markup])
    decision_id = models.PositiveBigIntegerField(
        null=True,
        blank=True,
        help_text="The board decision that made the change, if any. A plain id: governance depends on this app.",
    )

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.workstream}: {self.get_from_status_display() or 'new'} to {self.get_to_status_display()}"

    def get_absolute_url(self) -> str:
        return reverse("workstreams:workstream_detail", args=[self.workstream_id]) + "#status-history"

    @property
    def verb(self) -> str:
        """What the change did, to read as a sentence ("Started by Mei Brennan"; a status alone, "Active by…",
        does not)."""
        if self.from_status == WorkStreamStatus.PROPOSED and self.to_status == WorkStreamStatus.CLOSED:
            return "Declined"
        if self.from_status == WorkStreamStatus.PAUSED and self.to_status == WorkStreamStatus.ACTIVE:
            return "Resumed"
        return STATUS_VERBS[self.to_status]


class GroupMemberQuerySet(models.QuerySet):
    def current(self, day=None):
        day = day or timezone.localdate()
        return self.filter(joined_on__lte=day).filter(Q(left_on__isnull=True) | Q(left_on__gt=day))

    def seated_on(self, day):
        """Who is expected at a meeting on `day`: everyone who had not left by then. Someone who joined later
        is expected too, so a group set up in the portal after its first meetings can still record them."""
        return self.filter(Q(left_on__isnull=True) | Q(left_on__gt=day))


class GroupMember(TimeStampedModel):
    """A person's seat in a work-stream's leadership group, from when to when."""

    workstream = models.ForeignKey(WorkStream, on_delete=models.CASCADE, related_name="group_members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_seats")
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The organisation they represent in the group.",
    )
    role = models.CharField("group role", max_length=20, choices=GroupRole.choices, default=GroupRole.MEMBER)
    deputy_for = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deputies",
        help_text="For a deputy: the member they stand in for. A deputy counts towards quorum only when named.",
    )
    is_clinician = models.BooleanField("sits as a clinician", default=False)
    is_non_executive = models.BooleanField("sits as a non-executive or lay member", default=False)
    joined_on = models.DateField(default=timezone.localdate)
    left_on = models.DateField(null=True, blank=True)

    objects = GroupMemberQuerySet.as_manager()

    class Meta:
        ordering = ["role", "user__last_name", "user__first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["workstream", "user"],
                condition=Q(left_on__isnull=True),
                name="group_member_once_while_current",
                violation_error_message="This person is already in the group.",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="group_member_leaves_after_joining",
            ),
            models.CheckConstraint(
                condition=Q(deputy_for__isnull=True) | Q(role=GroupRole.DEPUTY),
                name="group_member_only_deputies_deputise",
                violation_error_message="Only a deputy stands in for a named member.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display().lower()}, {self.workstream})"

    def get_absolute_url(self) -> str:
        return reverse("workstreams:group", args=[self.workstream_id])

    @property
    def votes(self) -> bool:
        return self.role in VOTING_ROLES


class PartnershipBoard(TimeStampedModel, QuorumRule):
    """The partnership board as a meeting body: its quorum rule. Its members are the people holding the
    partnership lead, board member and non-executive roles."""

    partnership = models.OneToOneField(Partnership, on_delete=models.CASCADE, related_name="board")

    class Meta:
        constraints = [*QuorumRule.Meta.constraints]

    def __str__(self) -> str:
        return f"Board of {self.partnership.name}"

    def get_absolute_url(self) -> str:
        return reverse("workstreams:board_meeting_list", args=[self.partnership.code])
