"""Models of the app (thin: writes go through the domain modules).

``DailyFigure``: one campaign's figures at the end of one day (Europe/Paris), for all its
channels (``channel == ""``) and for each channel it has seen, written only by
``tracking.closing.close_days`` and always re-derivable from the contribution and
matchfunding rows. ``SeriesCursor``: how far a campaign's series is closed; its row is the
lock that keeps two workers from closing the same campaign at once.

``TrackingSettings``, ``Alert``: a programme's alert thresholds and its campaigns' alerts
(``tracking.alerts``). ``DigestPreference``, ``DigestDelivery``: who wants the daily digest,
and each one sent (``tracking.digest``).

``PastEdition`` / ``PastCampaign`` / ``PastDay``: an edition run before the platform,
imported from CSV (``tracking.past_editions``). ``FinalReport``: a programme's final
report, generated in the background (``tracking.reports``)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tremplin.calls.models import Programme
from tremplin.campaigns.models import ZERO, Campaign
from tremplin.core.models import Organiser
from tremplin.tracking.enums import AlertRule


class DailyFigure(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    # "" = all channels; otherwise a contribution's ``channel`` (``?canal=``).
    channel = models.CharField(_("channel"), max_length=60, blank=True, default="")
    # Cumulative at the end of the day.
    raised = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO)
    matched = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO)
    contributors = models.PositiveIntegerField(default=0)
    # During the day.
    new_contributions = models.PositiveIntegerField(default=0)
    new_amount = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO)
    refunds = models.PositiveIntegerField(default=0)
    refunded = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO)
    # The most recent confirmation up to the end of the day.
    last_contribution_at = models.DateTimeField(null=True, blank=True)
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("daily figure")
        verbose_name_plural = _("daily figures")
        ordering = ["campaign", "channel", "day"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "channel", "day"], name="one_figure_per_campaign_channel_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.day} {self.channel or '*'}: {self.raised}"


class SeriesCursor(models.Model):
    campaign = models.OneToOneField(
        Campaign, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    # The last day whose figures are stored (None: nothing closed yet).
    closed_through = models.DateField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # How many times the whole series had to be recomputed (a contribution recorded for a
    # past day, e.g. a cheque received last week).
    rebuilds = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.campaign_id} closed through {self.closed_through}"


# --- alerts and the daily digest (alerts.py, digest.py) -----------------------------------


class TrackingSettings(models.Model):
    """A programme's alert thresholds (edited on its alerts settings page). A programme
    without a row uses the defaults (``alerts.settings_for``)."""

    programme = models.OneToOneField(
        Programme, on_delete=models.CASCADE, related_name="tracking_settings"
    )
    pace_percent = models.PositiveSmallIntegerField(
        _("pace threshold (%)"),
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "Alert when a campaign has raised less than this share of what it needs by now "
            "to reach its goal."
        ),
    )
    quiet_days = models.PositiveSmallIntegerField(
        _("days without a contribution"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text=_("Alert when a live campaign has received nothing for this many days."),
    )
    final_hours = models.PositiveSmallIntegerField(
        _("final hours"),
        default=72,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
        help_text=_("Alert when a campaign below its goal has this many hours left or fewer."),
    )
    email_alerts = models.BooleanField(
        _("e-mail the alerts"),
        default=True,
        help_text=_(
            "E-mail each open alert to the campaign's coach and the programme's managers, "
            "at most once a day per campaign and rule."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("alert settings")
        verbose_name_plural = _("alert settings")

    def __str__(self) -> str:
        return str(self.programme)


class Alert(models.Model):
    """A campaign at risk by one rule, from when the rule first held (``opened_at``) until
    it no longer does (``resolved_at``). One open alert per campaign and rule, and at most
    one alert per campaign, rule and (Paris) day: an alert resolved and raised again the
    same day is reopened, not duplicated. ``emailed_on`` is claimed by a conditional UPDATE
    (at most one e-mail a day); an acknowledged alert is no longer e-mailed."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="alerts")
    rule = models.CharField(_("rule"), max_length=20, choices=AlertRule.choices)
    opened_at = models.DateTimeField(_("raised"))
    opened_on = models.DateField()
    checked_at = models.DateTimeField()
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    # What the rule saw when it last held (amounts in euros as strings, counts).
    details = models.JSONField(default=dict, blank=True)
    emailed_on = models.DateField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    note = models.TextField(_("note"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "rule"],
                condition=Q(resolved_at__isnull=True),
                name="one_open_alert_per_rule",
            ),
            models.UniqueConstraint(
                fields=["campaign", "rule", "opened_on"], name="one_alert_per_rule_per_day"
            ),
        ]
        indexes = [models.Index(fields=["resolved_at", "campaign"])]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.get_rule_display()}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class DigestPreference(models.Model):
    """Whether a person wants the daily digest. Without a row: the organiser's team and the
    coaches get it, partner members do not (they opt in)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_preference"
    )
    enabled = models.BooleanField(_("send me the daily digest"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("daily digest preference")
        verbose_name_plural = _("daily digest preferences")

    def __str__(self) -> str:
        return f"{self.user}: {self.enabled}"


class DigestDelivery(models.Model):
    """One digest per recipient and (Paris) day, claimed by a conditional UPDATE of
    ``sent_at``: two workers never send it twice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_deliveries"
    )
    day = models.DateField()
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="one_digest_per_user_and_day")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.day}"


class ChannelVisit(models.Model):
    """How many visits a campaign's page had on one day from one channel (``?canal=``) and,
    for a partner's link, one partner (``ref``): an aggregate counter, nothing about the
    visitor (no address, no cookie, no identifier; see docs/tracking.md)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    channel = models.CharField(_("channel"), max_length=60)
    ref = models.CharField(_("partner"), max_length=80, blank=True, default="")
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("channel visits")
        verbose_name_plural = _("channel visits")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "day", "channel", "ref"], name="one_visit_counter"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.day} {self.channel}/{self.ref}: {self.count}"


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
