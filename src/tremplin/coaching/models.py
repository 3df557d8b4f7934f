"""Models of the coaching app (thin: writes go through the domain modules).

- workshops: ``Workshop``, ``WorkshopRegistration`` (capacity kept under the workshop's row
  lock, see ``workshops.py``), ``WorkshopMaterial``;
- readiness: ``ChecklistItem`` (a programme's template; none saved = the default),
  ``ChecklistTick`` (a manual item ticked by the maker, confirmed by the coach),
  ``FirstCircleContact`` (the people the maker will ask first);
- conversation: ``Message`` (+ ``Attachment``), ``CoachNote``, ``ThreadPreference``;
- meetings: ``MeetingSlot``;
- timed tips: ``TipRule`` (a programme's configuration; none saved = the default), ``TipSent``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tremplin.calls.models import Programme
from tremplin.campaigns.models import Campaign
from tremplin.coaching.enums import (
    Audience,
    AutoCheck,
    MessageKind,
    NotificationMode,
    RegistrationState,
    TipCondition,
    TipMoment,
    TipOutcome,
)
from tremplin.core.models import Organiser

USER = settings.AUTH_USER_MODEL


class _ProgrammeOwned:
    def audit_organiser(self) -> Organiser:
        return Organiser(pk=self.programme.organiser_id)


class _CampaignOwned:
    def audit_organiser(self) -> Organiser:
        return Organiser(pk=self.campaign.programme.organiser_id)


# --- workshops -----------------------------------------------------------------------------


class Workshop(_ProgrammeOwned, models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="workshops")
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), max_length=5000)
    place = models.CharField(_("place"), max_length=150, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    online_url = models.URLField(_("online link"), max_length=300, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    duration_minutes = models.PositiveIntegerField(
        _("duration (minutes)"), default=120, validators=[MinValueValidator(15)]
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), validators=[MinValueValidator(1), MaxValueValidator(10000)]
    )
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.PUBLIC
    )
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reminders_sent_at = models.DateTimeField(null=True, blank=True)
    materials_shared_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def ends_at(self):
        from datetime import timedelta

        return self.starts_at + timedelta(minutes=self.duration_minutes)


class WorkshopRegistration(models.Model):
    """One person's place (or place in the queue) at a workshop. Personal data: name and
    e-mail address of the person, who may have no account."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("e-mail address"), max_length=254)
    language = models.CharField(max_length=8, default="fr")
    state = models.CharField(
        max_length=12, choices=RegistrationState.choices, default=RegistrationState.CONFIRMED
    )
    attended = models.BooleanField(null=True, blank=True)
    promoted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "email"],
                condition=~Q(state="cancelled"),
                name="one_active_registration_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} — {self.workshop}"

    def audit_organiser(self) -> Organiser:
        return Organiser(pk=self.workshop.programme.organiser_id)


class WorkshopMaterial(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=150)
    file = models.FileField(_("document (PDF)"), upload_to="coaching/materials/", blank=True)
    url = models.URLField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.title


# --- readiness -----------------------------------------------------------------------------


class ChecklistItem(_ProgrammeOwned, models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="checklist_items"
    )
    key = models.SlugField(max_length=40)
    label_fr = models.CharField(_("label (French)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200)
    auto = models.CharField(
        _("checked"), max_length=20, choices=AutoCheck.choices, blank=True, default=""
    )
    threshold = models.PositiveIntegerField(_("N"), default=0, validators=[MaxValueValidator(1000)])
    required = models.BooleanField(_("required before review"), default=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "key"], name="one_checklist_key")
        ]

    def __str__(self) -> str:
        return self.label_fr


class ChecklistTick(_CampaignOwned, models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    key = models.SlugField(max_length=40)
    ticked_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    ticked_at = models.DateTimeField()
    confirmed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "key"], name="one_tick")]

    def __str__(self) -> str:
        return self.key


class FirstCircleContact(_CampaignOwned, models.Model):
    """Someone the maker will ask on day one. Personal data of a third party."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    relation = models.CharField(_("relation"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail address"), max_length=254, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.name


# --- conversation --------------------------------------------------------------------------


class Message(_CampaignOwned, models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=20, choices=MessageKind.choices, default=MessageKind.MESSAGE)
    body = models.TextField(_("message"), max_length=10000)
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["campaign", "created_at"])]

    def __str__(self) -> str:
        return self.body[:60]


class Attachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="coaching/attachments/")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=60)

    def __str__(self) -> str:
        return self.name


class CoachNote(_CampaignOwned, models.Model):
    """A private note of the coach about a campaign: never shown to the maker."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(_("note"), max_length=10000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.body[:60]


class ThreadPreference(models.Model):
    """How a person wants to hear of a campaign's thread; ``digested_until``: the messages
    up to that moment were in a digest (claimed by conditional UPDATE)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    mode = models.CharField(
        _("e-mail notifications"),
        max_length=12,
        choices=NotificationMode.choices,
        default=NotificationMode.IMMEDIATE,
    )
    digested_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "user"], name="one_thread_preference")
        ]

    def __str__(self) -> str:
        return self.mode


# --- meetings ------------------------------------------------------------------------------


class MeetingSlot(_CampaignOwned, models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    coach = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    starts_at = models.DateTimeField(_("starts"))
    duration_minutes = models.PositiveIntegerField(
        _("duration (minutes)"), default=45, validators=[MinValueValidator(15)]
    )
    place = models.CharField(_("place or link"), max_length=300, blank=True)
    booked_at = models.DateTimeField(null=True, blank=True)
    booked_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    notes = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return self.starts_at.isoformat()

    @property
    def ends_at(self):
        from datetime import timedelta

        return self.starts_at + timedelta(minutes=self.duration_minutes)


# --- timed tips ----------------------------------------------------------------------------


class TipRule(_ProgrammeOwned, models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="tip_rules")
    moment = models.CharField(_("when"), max_length=10, choices=TipMoment.choices)
    condition = models.CharField(
        _("condition"), max_length=20, choices=TipCondition.choices, default=TipCondition.ALWAYS
    )
    enabled = models.BooleanField(_("sent"), default=True)
    subject_fr = models.CharField(_("subject (French)"), max_length=150)
    subject_en = models.CharField(_("subject (English)"), max_length=150)
    body_fr = models.TextField(_("text (French)"), max_length=5000)
    body_en = models.TextField(_("text (English)"), max_length=5000)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "moment"], name="one_tip_per_moment")
        ]

    def __str__(self) -> str:
        return self.moment


class TipSent(_CampaignOwned, models.Model):
    """One tip for one campaign, decided once: sent, or skipped because its condition did
    not hold on its day. The row is claimed by a conditional UPDATE of ``decided_at``."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    moment = models.CharField(max_length=10, choices=TipMoment.choices)
    due_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=TipOutcome.choices, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "moment"], name="one_tip_per_campaign")
        ]

    def __str__(self) -> str:
        return self.moment
