"""Who is who: users, organisers (the authorities) and their teams, partner organisations,
and the one audit log. Models stay thin; rules live in services.py."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from tremplin.core.validators import validate_hex_colour


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """An account. Platform staff have ``is_staff``; coaches ``is_coach``; every other role
    (organiser team, partner member, maker) comes from memberships and applications."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="fr"
    )
    is_coach = models.BooleanField(_("coach"), default=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Organiser(models.Model):
    """An authority (collectivité) running programmes. Nothing of one organiser is visible
    to another: every back-office query goes through the organiser."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    website = models.URLField(_("website"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="public/organisers/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organiser")
        verbose_name_plural = _("organisers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganiserRole(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    MANAGER = "manager", _("Programme manager")
    VIEWER = "viewer", _("Viewer")


class OrganiserMembership(models.Model):
    organiser = models.ForeignKey(Organiser, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organiser_memberships"
    )
    role = models.CharField(
        _("role"), max_length=16, choices=OrganiserRole.choices, default=OrganiserRole.MANAGER
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organiser team member")
        verbose_name_plural = _("organiser team members")
        constraints = [
            models.UniqueConstraint(fields=["organiser", "user"], name="unique_organiser_member")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organiser} ({self.role})"

    @property
    def can_edit(self) -> bool:
        return self.role in (OrganiserRole.ADMIN, OrganiserRole.MANAGER)


class Partner(models.Model):
    """A partner organisation of an organiser (university, fab lab, company…): sits on the
    jury and relays the communication."""

    organiser = models.ForeignKey(Organiser, on_delete=models.CASCADE, related_name="partners")
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80)
    website = models.URLField(_("website"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="public/partners/", blank=True)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organiser", "slug"], name="unique_partner_slug")
        ]

    def __str__(self) -> str:
        return self.name


class PartnerMembership(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner_memberships"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("partner member")
        verbose_name_plural = _("partner members")
        constraints = [
            models.UniqueConstraint(fields=["partner", "user"], name="unique_partner_member")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.partner}"


class AuditLog(models.Model):
    """One row per state change or settings change (pretix's habit). Written only through
    ``tremplin.core.audit.log_action``, which masks secrets."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=100, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organiser = models.ForeignKey(
        Organiser, null=True, blank=True, on_delete=models.CASCADE, related_name="audit_logs"
    )
    content_type = models.ForeignKey(
        "contenttypes.ContentType", null=True, blank=True, on_delete=models.SET_NULL
    )
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"


__all__ = [
    "AuditLog",
    "Organiser",
    "OrganiserMembership",
    "OrganiserRole",
    "Partner",
    "PartnerMembership",
    "User",
    "validate_hex_colour",
]
