"""Django admin of programmes and applications, for platform staff. State changes go
through the calls verbs (the organiser's back-office), so states are read-only here, and
applications can be read (or erased on request) but not written."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from tremplin.calls.models import Answer, Application, ApplicationImage, Programme, Question


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 0
    fields = [
        ("kind", "required", "position"),
        ("label_fr", "label_en"),
        ("help_fr", "help_en"),
        "choices",
    ]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "organiser", "state", "call_opens_at", "call_closes_at"]
    list_filter = ["state", "organiser"]
    list_select_related = ["organiser"]
    search_fields = ["name", "slug", "organiser__name"]
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ["organiser"]
    filter_horizontal = ["partners"]
    readonly_fields = ["state", "created_at", "updated_at"]
    date_hierarchy = "call_closes_at"
    inlines = [QuestionInline]


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    fields = ["question", "value", "file"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class ApplicationImageInline(admin.TabularInline):
    model = ApplicationImage
    extra = 0
    fields = ["image", "alt_text", "position"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["title", "programme", "maker", "state", "eligibility", "submitted_at"]
    list_filter = ["state", "eligibility", "programme__organiser", "programme"]
    list_select_related = ["programme", "maker"]
    search_fields = ["title", "maker__email", "maker_name", "programme__name"]
    date_hierarchy = "submitted_at"
    inlines = [AnswerInline, ApplicationImageInline]
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "programme",
                    "maker",
                    "state",
                    "eligibility",
                    "eligibility_reason",
                    "screened_at",
                    "screened_by",
                )
            },
        ),
        (
            _("Project"),
            {
                "fields": (
                    "title",
                    "summary",
                    "description",
                    "category",
                    "commune",
                    "funding_goal",
                    "budget",
                    "video_url",
                )
            },
        ),
        (_("Maker"), {"fields": ("maker_profile", "maker_name", "maker_phone")}),
        (_("Dates"), {"fields": ("submitted_at", "withdrawn_at", "created_at", "updated_at")}),
    )

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Application._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
