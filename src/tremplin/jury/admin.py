"""Django admin of juries, for platform staff. Opening, closing, deliberation and
publication go through the jury's domain modules (the organiser's back-office): the jury's
dates of close and publication are read-only here.

Ballots are secret: the admin shows of a ballot only what the organiser's participation
page shows (whose it is, whether and when it was submitted), never what it contains
(picks, grades, scores, recusals), neither while the jury is open nor after the close. The
results are read on the organiser's tally, which shows no juror's own votes (aggregates
only; for favourites, which partner organisations picked an application). Those rows have
no admin page, and their names are opaque (``Grade #12``) so that a page listing related
objects (a deletion's confirmation) tells nothing either."""

from __future__ import annotations

from django.contrib import admin

from tremplin.jury.models import Ballot, Criterion, Decision, Jury, JuryMember


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


@admin.register(Ballot)
class BallotAdmin(admin.ModelAdmin):
    """Read-only, and its content is never shown: a ballot is cast by its jurors, never
    edited by staff, and its votes are secret (the module's docstring)."""

    list_display = ["__str__", "jury", "state", "submitted_at"]
    list_filter = ["state"]
    list_select_related = ["partner", "member__user", "jury__programme"]
    search_fields = ["partner__name", "jury__programme__name"]
    fields = ["jury", "partner", "member", "state", "submitted_at", "submitted_by", "created_at"]
    readonly_fields = fields

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
