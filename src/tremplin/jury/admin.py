"""Django admin of juries, for platform staff. Opening, closing, deliberation and
publication go through the jury's domain modules (the organiser's back-office): the jury's dates of
close and publication are read-only here, and ballots, with their picks, grades, scores
and recusals, can be read but never written."""

from __future__ import annotations

from django.contrib import admin

from tremplin.jury.models import (
    Ballot,
    Criterion,
    Decision,
    Grade,
    Jury,
    JuryMember,
    Pick,
    Recusal,
    Score,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ["label_fr", "label_en", "weight", "position"]


class JuryMemberInline(ReadOnlyInline):
    model = JuryMember
    fields = ["partner", "user", "invited_at", "accepted_at"]


@admin.register(Jury)
class JuryAdmin(admin.ModelAdmin):
    list_display = ["programme", "method", "ballot_scope", "opens_at", "closes_at", "closed_at"]
    list_filter = ["method", "ballot_scope"]
    list_select_related = ["programme"]
    search_fields = ["programme__name", "programme__slug"]
    filter_horizontal = ["partners"]
    readonly_fields = [
        "programme",
        "closed_at",
        "published_at",
        "reminder_3d_sent_at",
        "reminder_1d_sent_at",
        "created_at",
        "updated_at",
    ]
    inlines = [CriterionInline, JuryMemberInline]

    def has_add_permission(self, request) -> bool:
        return False  # a jury is set up from its programme's back-office


@admin.register(JuryMember)
class JuryMemberAdmin(admin.ModelAdmin):
    list_display = ["user", "partner", "jury", "invited_at", "accepted_at"]
    list_select_related = ["user", "partner", "jury__programme"]
    search_fields = ["user__email", "user__full_name", "partner__name"]
    readonly_fields = ["jury", "partner", "user", "invited_at", "invited_by", "accepted_at"]

    def has_add_permission(self, request) -> bool:
        return False


class PickInline(ReadOnlyInline):
    model = Pick
    fields = ["application"]


class GradeInline(ReadOnlyInline):
    model = Grade
    fields = ["application", "value"]


class ScoreInline(ReadOnlyInline):
    model = Score
    fields = ["application", "criterion", "value"]


class RecusalInline(ReadOnlyInline):
    model = Recusal
    fields = ["application", "declared_by", "reason", "created_at"]


@admin.register(Ballot)
class BallotAdmin(admin.ModelAdmin):
    """Read-only: a ballot is cast by its jurors, never edited by staff."""

    list_display = ["__str__", "jury", "state", "submitted_at"]
    list_filter = ["state"]
    list_select_related = ["partner", "member__user", "jury__programme"]
    search_fields = ["partner__name", "jury__programme__name"]
    fields = ["jury", "partner", "member", "state", "submitted_at", "submitted_by", "created_at"]
    readonly_fields = fields
    inlines = [PickInline, GradeInline, ScoreInline, RecusalInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["application", "jury", "outcome", "waiting_rank", "decided_at"]
    list_filter = ["outcome"]
    list_select_related = ["application", "jury__programme"]
    fields = [
        "jury",
        "application",
        "outcome",
        "waiting_rank",
        "override_reason",
        "feedback",
        "decided_by",
        "decided_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
