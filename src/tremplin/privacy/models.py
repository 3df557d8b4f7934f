"""Rows of the personal data obligations: exports prepared for a person, the organiser's
notices of erasures it must know about, a programme's longer retention periods, and the
warnings sent before an inactive account is deleted. Writes go through ``exports``,
``erasure`` and ``retention``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tremplin.calls.models import Programme
from tremplin.core.models import Organiser


class ExportState(models.TextChoices):
    PENDING = "pending", _("Being prepared")
    READY = "ready", _("Ready to download")
    DOWNLOADED = "downloaded", _("Downloaded")
    EXPIRED = "expired", _("Expired")


# state → the states it may go to (``privacy.exports``).
EXPORT_TRANSITIONS: dict[str, set[str]] = {
    ExportState.PENDING: {ExportState.READY, ExportState.EXPIRED},
    ExportState.READY: {ExportState.DOWNLOADED, ExportState.EXPIRED},
    ExportState.DOWNLOADED: set(),
    ExportState.EXPIRED: set(),
}


class DataExport(models.Model):
    """One export of everything the platform holds about a person: an account (``user``)
    or a contributor known by an e-mail address only (``email``). The ZIP is built by a
    task, downloaded once through a secret link (only its hash is stored), then deleted."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="data_exports",
    )
    email = models.EmailField(_("e-mail address"))
    language = models.CharField(max_length=8, default="fr")
    nonce = models.CharField(max_length=64, unique=True)  # in the signed link: revocable
    state = models.CharField(
        max_length=12, choices=ExportState.choices, default=ExportState.PENDING
    )
    file = models.FileField(upload_to="privacy/exports/", blank=True)
    size = models.PositiveBigIntegerField(default=0)
    requested_at = models.DateTimeField(auto_now_add=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    downloaded_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = _("personal data export")
        verbose_name_plural = _("personal data exports")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["state", "expires_at"])]

    def __str__(self) -> str:
        return f"export {self.pk} ({self.state})"


class NoticeRole(models.TextChoices):
    LAUREATE = "laureate", _("Laureate")
    APPLICANT = "applicant", _("Applicant")
    JUROR = "juror", _("Juror")
    TEAM = "team", _("Team member")


class ErasureNotice(models.Model):
    """An erasure an organiser must know about (a laureate leaving, a juror of a published
    jury, a member of its team): the person is named only by their stable pseudonym."""

    organiser = models.ForeignKey(
        Organiser, on_delete=models.CASCADE, related_name="erasure_notices"
    )
    pseudonym = models.CharField(max_length=40)
    role = models.CharField(max_length=12, choices=NoticeRole.choices)
    programme = models.ForeignKey(
        Programme, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    project_title = models.CharField(max_length=120, blank=True)
    kept = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("erasure notice")
        verbose_name_plural = _("erasure notices")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.pseudonym} ({self.role})"


class ProgrammeRetention(models.Model):
    """Longer retention periods an organiser sets for one programme (empty: the platform's
    period). Validated between the platform's period and the legal limit."""

    programme = models.OneToOneField(Programme, on_delete=models.CASCADE, related_name="retention")
    draft_years = models.PositiveSmallIntegerField(
        _("drafts never submitted"), null=True, blank=True
    )
    not_selected_years = models.PositiveSmallIntegerField(
        _("applications not selected"), null=True, blank=True
    )
    laureate_years = models.PositiveSmallIntegerField(
        _("applications of laureates"), null=True, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("programme retention periods")
        verbose_name_plural = _("programme retention periods")

    def __str__(self) -> str:
        return str(self.programme)


class AccountWarning(models.Model):
    """The e-mail sent before an inactive account is deleted: one per account and last
    sign-in (a unique row claims it, so two runs never send it twice)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_seen = models.DateTimeField()
    sent_at = models.DateTimeField(auto_now_add=True)
    deletion_due = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "last_seen"], name="one_warning_per_absence")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} warned {self.sent_at:%Y-%m-%d}"
