"""The shapes of `GET /api/v1/dashboards/<code>/`: the figures of `governance.selectors.dashboard`, read-only.

Each serializer reads a dataclass of the selector (or a dict, for counts by band), so the page and the API show the
same figures. Names start with "Dashboard" so the schema's components do not collide with the registers' own."""

from rest_framework import serializers

from governance.models import DecisionStatus, RiskBand


class DashboardReportSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The highlight report's id.")
    period_end = serializers.DateField()
    rag = serializers.CharField(help_text="red, amber or green.")


class DashboardWorkStreamSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    status = serializers.CharField(help_text="proposed, accepted, active or paused (closed ones are left out).")
    rag = serializers.CharField(help_text="red, amber, green, or blank when not rated.")
    rag_reason = serializers.CharField()
    rag_set_on = serializers.DateField(allow_null=True)
    lead = serializers.CharField(help_text="The lead's name, or blank.")
    open_actions = serializers.IntegerField()
    overdue_actions = serializers.IntegerField()
    latest_report = DashboardReportSerializer(allow_null=True)


class DashboardActionGroupSerializer(serializers.Serializer):
    id = serializers.IntegerField(
        allow_null=True, help_text="The work-stream's (null: the board) or organisation's (null: none recorded)."
    )
    name = serializers.CharField()
    open = serializers.IntegerField()
    overdue = serializers.IntegerField()


class DashboardActionsSerializer(serializers.Serializer):
    open = serializers.IntegerField()
    overdue = serializers.IntegerField(help_text="Open or in progress, and past the due date.")
    by_workstream = DashboardActionGroupSerializer(many=True)
    by_organisation = DashboardActionGroupSerializer(many=True, help_text="By the owner's organisation.")


class DashboardDecisionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    title = serializers.CharField(help_text="Blank for a confidential decision you may not read in full.")
    status = serializers.ChoiceField(choices=DecisionStatus.choices)
    is_confidential = serializers.BooleanField()
    decided_on = serializers.DateField(allow_null=True, help_text="When it was last approved or rejected.")
    shows_details = serializers.BooleanField(help_text="False: only the reference, status and dates are shown.")


class DashboardAwaitingDecisionSerializer(DashboardDecisionSerializer):
    opened_on = serializers.DateField(help_text="When this round of sign-off opened.")
    closes_on = serializers.DateField()
    days_waiting = serializers.IntegerField()
    bound = serializers.IntegerField(help_text="The organisations it would bind.")
    outstanding = serializers.ListField(
        child=serializers.CharField(),
        help_text="The organisations with no vote or ratification in this round (empty if confidential to you).",
    )


class DashboardFlaggedDecisionSerializer(DashboardDecisionSerializer):
    flagged_on = serializers.DateField()
    reason = serializers.CharField()


class DashboardDecisionsSerializer(serializers.Serializer):
    recent_since = serializers.DateField(help_text="The first day of the last 30 days.")
    awaiting = DashboardAwaitingDecisionSerializer(many=True, help_text="In sign-off, the longest waiting first.")
    made_recently = DashboardDecisionSerializer(many=True, help_text="Last approved or rejected since recent_since.")
    review_suggested = DashboardFlaggedDecisionSerializer(many=True)
    awaiting_ratification = DashboardDecisionSerializer(many=True, help_text="Urgent, and not yet ratified.")


class DashboardBandCountsSerializer(serializers.Serializer):
    low = serializers.IntegerField()
    moderate = serializers.IntegerField()
    high = serializers.IntegerField()
    extreme = serializers.IntegerField()


class DashboardHeatMapCellSerializer(serializers.Serializer):
    likelihood = serializers.IntegerField()
    consequence = serializers.IntegerField()
    score = serializers.IntegerField()
    band = serializers.ChoiceField(choices=RiskBand.choices)
    count = serializers.IntegerField(help_text="Open risks scoring this now.")


class DashboardHeatMapSerializer(serializers.Serializer):
    cells = DashboardHeatMapCellSerializer(many=True, help_text="From almost certain and negligible, row by row.")
    by_band = DashboardBandCountsSerializer(source="band_counts")


class DashboardRiskSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    title = serializers.CharField()
    score = serializers.IntegerField()
    band = serializers.ChoiceField(choices=RiskBand.choices)


class DashboardRisksSerializer(serializers.Serializer):
    open = serializers.IntegerField()
    above_appetite = serializers.IntegerField()
    escalated = serializers.IntegerField()
    reviews_overdue = serializers.IntegerField()
    escalation_score = serializers.IntegerField()
    heat_map = DashboardHeatMapSerializer()
    top_escalated = DashboardRiskSerializer(many=True, help_text="The five highest escalated risks.")


class DashboardGapSerializer(serializers.Serializer):
    workstream_id = serializers.IntegerField()
    workstream = serializers.CharField()
    group_id = serializers.IntegerField()
    group = serializers.CharField()
    description = serializers.CharField(help_text='In words: "Red: last engaged 152 days ago (expected every 90)".')


class DashboardFeedbackSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    theme = serializers.CharField()
    activity_id = serializers.IntegerField()
    activity = serializers.CharField()
    heard_on = serializers.DateField()
    days_waiting = serializers.IntegerField()


class DashboardEngagementSerializer(serializers.Serializer):
    gaps = DashboardGapSerializer(many=True, help_text="Red cells of the coverage matrix.")
    due_soon = serializers.IntegerField(help_text="Amber cells of the coverage matrix.")
    awaiting_response = serializers.IntegerField()
    longest_awaiting = DashboardFeedbackSerializer(many=True)


class DashboardApprovedSerializer(serializers.Serializer):
    approved = serializers.IntegerField(help_text="Decisions approved and still standing.")
    without_challenge = serializers.IntegerField()
    without_challenge_percent = serializers.IntegerField(allow_null=True)
    without_evidence = serializers.IntegerField(help_text="Gone to sign-off lacking evidence from an expected group.")
    without_evidence_percent = serializers.IntegerField(allow_null=True)


class DashboardAttendanceSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True, help_text="The organisation's or the person's id.")
    name = serializers.CharField()
    organisation = serializers.CharField()
    expected = serializers.IntegerField()
    present = serializers.IntegerField()
    apologies = serializers.IntegerField()
    absent = serializers.IntegerField()


class DashboardAgendaSerializer(serializers.Serializer):
    purpose = serializers.CharField(help_text="decision, assurance, discussion or note.")
    board = serializers.IntegerField()
    groups = serializers.IntegerField()


class DashboardHealthSerializer(serializers.Serializer):
    approved = DashboardApprovedSerializer()
    attendance = DashboardAttendanceSerializer(many=True, help_text="By organisation, over the last 12 months.")
    persistently_absent = DashboardAttendanceSerializer(many=True)
    absence_rule = serializers.CharField()
    agenda = DashboardAgendaSerializer(source="agenda.figures", many=True)


class DashboardActionMonthSerializer(serializers.Serializer):
    month = serializers.DateField(source="month.first")
    due = serializers.IntegerField()
    completed = serializers.IntegerField()
    completed_on_time = serializers.IntegerField()


class DashboardDecisionMonthSerializer(serializers.Serializer):
    month = serializers.DateField(source="month.first")
    proposed = serializers.IntegerField()
    decided = serializers.IntegerField()


class DashboardRiskMonthSerializer(serializers.Serializer):
    month = serializers.DateField(source="month.first")
    as_of = serializers.DateField(help_text="The month's last day, or today for the current month.")
    by_band = DashboardBandCountsSerializer()


class DashboardTrendsSerializer(serializers.Serializer):
    actions = DashboardActionMonthSerializer(many=True)
    decisions = DashboardDecisionMonthSerializer(many=True)
    risks = DashboardRiskMonthSerializer(many=True)


class DashboardSerializer(serializers.Serializer):
    partnership = serializers.CharField(source="partnership.code")
    as_of = serializers.DateField(source="today")
    workstreams = DashboardWorkStreamSerializer(many=True, help_text="Every work-stream that is not closed.")
    decisions = DashboardDecisionsSerializer()
    risks = DashboardRisksSerializer()
    actions = DashboardActionsSerializer()
    engagement = DashboardEngagementSerializer()
    health = DashboardHealthSerializer()
    trends = DashboardTrendsSerializer(help_text="Twelve calendar months, the current one last.")
