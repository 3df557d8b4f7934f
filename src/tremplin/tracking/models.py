"""Models of the app (thin: writes go through the domain modules)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tremplin.calls.models import Programme
from tremplin.core.models import Organiser

# --- past editions and the final report (issue #10, parts 7 and 8) -------------------------


class PastEdition(models.Model):
    """An edition the organiser ran before the platform, imported from CSV
    (``tracking.past_editions``): its campaigns' results, for the comparisons."""

    organiser = models.ForeignKey(Organiser, on_delete=models.CASCADE, related_name="past_editions")
    name = models.CharField(_("name"), max_length=150)
    year = models.PositiveSmallIntegerField(_("year"))
    campaigns_start = models.DateField(_("campaigns start"))
    campaigns_end = models.DateField(_("campaigns end"))
    applications_count = models.PositiveIntegerField(_("applications received"))
    laureates_count = models.PositiveIntegerField(_("laureates"))
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("past edition")
        verbose_name_plural = _("past editions")
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organiser", "name"], name="one_past_edition_name")
        ]

    def __str__(self) -> str:
        return self.name


class PastCampaign(models.Model):
    edition = models.ForeignKey(PastEdition, on_delete=models.CASCADE, related_name="campaigns")
    maker = models.CharField(_("maker"), max_length=150)
    title = models.CharField(_("title"), max_length=120)
    commune = models.CharField(_("commune"), max_length=100, blank=True)
    goal = models.DecimalField(_("goal (€)"), max_digits=10, decimal_places=2)
    raised = models.DecimalField(_("raised (€)"), max_digits=12, decimal_places=2)
    contributors = models.PositiveIntegerField(_("contributors"))
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "title"], name="one_past_campaign_title")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def funded(self) -> bool:
        return self.raised >= self.goal


class PastDay(models.Model):
    """One day of a past campaign: its cumulative figures at the end of the day."""

    campaign = models.ForeignKey(PastCampaign, on_delete=models.CASCADE, related_name="days")
    day = models.DateField()
    raised = models.DecimalField(max_digits=12, decimal_places=2)
    contributors = models.PositiveIntegerField()

    class Meta:
        ordering = ["day"]
        constraints = [models.UniqueConstraint(fields=["campaign", "day"], name="one_past_day")]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.day}"


class ReportState(models.TextChoices):
    QUEUED = "queued", _("Waiting for a worker")
    RUNNING = "running", _("Being generated")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


# ``tracking.reports`` checks it.
REPORT_TRANSITIONS: dict[str, set[str]] = {
    ReportState.QUEUED: {ReportState.RUNNING, ReportState.FAILED},
    # RUNNING → RUNNING: a worker killed mid-run, the task run again.
    ReportState.RUNNING: {ReportState.RUNNING, ReportState.DONE, ReportState.FAILED},
    ReportState.DONE: set(),
    ReportState.FAILED: set(),
}


class FinalReport(models.Model):
    """The final report of a programme for the council, generated in the background
    (``tracking.tasks.generate_report``): the figures (``tracking.report_figures``) and
    the PDF drawn from them; the CSV and XLSX are written from the same figures."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="reports")
    state = models.CharField(max_length=10, choices=ReportState.choices, default=ReportState.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=40, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    figures = models.JSONField(default=dict, blank=True)
    fingerprint = models.CharField(max_length=64, blank=True)
    pdf = models.BinaryField(blank=True, default=b"")
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.programme} ({self.requested_at:%Y-%m-%d})"

    def audit_organiser(self) -> Organiser:
        return Organiser(pk=self.programme.organiser_id)
