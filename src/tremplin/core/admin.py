"""Django admin, for platform staff only (organisers work in their own back-office).
Accounts log in by e-mail; the audit log is read-only."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from tremplin.core.audit import action_label
from tremplin.core.models import (
    AuditLog,
    Organiser,
    OrganiserMembership,
    Partner,
    PartnerMembership,
    User,
)

admin.site.site_header = _("Tremplin administration")
admin.site.site_title = _("Tremplin administration")
admin.site.index_title = _("Platform administration")
# The index links to the operations page (core/operations_views.py) above the models.
admin.site.index_template = "admin/tremplin_index.html"


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class OrganiserMembershipForUserInline(admin.TabularInline):
    model = OrganiserMembership
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["organiser"]
    verbose_name = _("organiser team")
    verbose_name_plural = _("organiser teams")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    ordering = ["email"]
    list_display = [
        "email",
        "full_name",
        "language",
        "is_staff",
        "is_coach",
        "is_active",
        "last_login",
    ]
    list_filter = ["is_staff", "is_superuser", "is_coach", "is_active", "language"]
    search_fields = ["email", "full_name"]
    readonly_fields = ["last_login", "date_joined"]
    inlines = [OrganiserMembershipForUserInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal information"), {"fields": ("full_name", "language")}),
        (
            _("Roles and permissions"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_coach",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                )
            },
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "usable_password", "password1", "password2"),
            },
        ),
    )


class OrganiserMembershipInline(admin.TabularInline):
    model = OrganiserMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organiser)
class OrganiserAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "website", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ("name",)}
    inlines = [OrganiserMembershipInline]


class PartnerMembershipInline(admin.TabularInline):
    model = PartnerMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "organiser", "website"]
    list_filter = ["organiser"]
    list_select_related = ["organiser"]
    search_fields = ["name", "organiser__name"]
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ["organiser"]
    inlines = [PartnerMembershipInline]


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    """The audit log is evidence: nobody changes or deletes it here."""

    list_display = [
        "created_at",
        "label",
        "action",
        "user",
        "organiser",
        "content_type",
        "object_id",
    ]
    list_filter = ["action", "organiser"]
    list_select_related = ["user", "organiser", "content_type"]
    search_fields = ["action", "object_id", "user__email"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "created_at",
        "action",
        "user",
        "organiser",
        "content_type",
        "object_id",
        "data",
    ]

    @admin.display(description=_("action"))
    def label(self, entry: AuditLog) -> str:
        return action_label(entry.action)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
