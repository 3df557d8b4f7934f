"""Programmes (one edition of a makers programme), their call's custom questions, and the
applications makers send. Transitions happen only in the verbs (``calls.programmes``,
``calls.applications``)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tremplin.calls.enums import (
    ApplicationState,
    Eligibility,
    MakerProfile,
    ProgrammeState,
    QuestionKind,
)
from tremplin.core.models import Organiser, Partner
from tremplin.core.validators import validate_hex_colour

MAX_AMOUNT = Decimal("1000000")


def lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class ProgrammeQuerySet(models.QuerySet):
    def public(self):
        return self.exclude(state=ProgrammeState.DRAFT)

    def open_calls(self):
        now = timezone.now()
        return self.filter(
            state=ProgrammeState.CALL_OPEN, call_opens_at__lte=now, call_closes_at__gt=now
        )


class Programme(models.Model):
    organiser = models.ForeignKey(Organiser, on_delete=models.CASCADE, related_name="programmes")
    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(
        _("web address"),
        max_length=80,
        unique=True,
        help_text=_("Used in the public address, e.g. mel-makers-2020."),
    )
    tagline = models.CharField(_("tagline"), max_length=200, blank=True)
    description = models.TextField(_("description"), max_length=10000)
    state = models.CharField(
        _("state"), max_length=20, choices=ProgrammeState.choices, default=ProgrammeState.DRAFT
    )
    communes = models.TextField(
        _("territory communes"), blank=True, help_text=_("One commune per line.")
    )
    categories = models.TextField(_("categories"), help_text=_("One category per line."))
    maker_profiles = models.JSONField(_("maker profiles accepted"), default=list, blank=True)
    # Timeline (stored in UTC, entered and shown in Europe/Paris).
    call_opens_at = models.DateTimeField(_("call opens"))
    call_closes_at = models.DateTimeField(_("application deadline"))
    jury_starts_at = models.DateTimeField(_("jury starts"), null=True, blank=True)
    jury_ends_at = models.DateTimeField(_("jury ends"), null=True, blank=True)
    results_at = models.DateTimeField(_("results announced"), null=True, blank=True)
    campaigns_start_at = models.DateTimeField(_("campaigns start"), null=True, blank=True)
    campaigns_end_at = models.DateTimeField(_("campaigns end"), null=True, blank=True)
    min_goal = models.DecimalField(
        _("minimum funding goal"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("1000"),
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(MAX_AMOUNT)],
    )
    max_goal = models.DecimalField(
        _("maximum funding goal"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("30000"),
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(MAX_AMOUNT)],
    )
    # Branding
    primary_colour = models.CharField(
        _("primary colour"), max_length=7, default="#0B5FA5", validators=[validate_hex_colour]
    )
    secondary_colour = models.CharField(
        _("secondary colour"), max_length=7, default="#E4572E", validators=[validate_hex_colour]
    )
    logo = models.ImageField(_("logo"), upload_to="public/programmes/", blank=True)
    rules_document = models.FileField(_("rules (PDF)"), upload_to="public/rules/", blank=True)
    partners = models.ManyToManyField(
        Partner, blank=True, related_name="programmes", verbose_name=_("partners")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-call_opens_at"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("calls:programme", args=[self.slug])

    @property
    def commune_list(self) -> list[str]:
        return lines(self.communes)

    @property
    def category_list(self) -> list[str]:
        return lines(self.categories)

    @property
    def maker_profile_choices(self) -> list[tuple[str, str]]:
        accepted = set(self.maker_profiles or [])
        return [(v, label) for v, label in MakerProfile.choices if not accepted or v in accepted]

    def is_accepting_applications(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.state == ProgrammeState.CALL_OPEN
            and self.call_opens_at <= now < self.call_closes_at
        )


class Question(models.Model):
    """A custom question of a programme's application form, in French and English."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(_("type"), max_length=20, choices=QuestionKind.choices)
    label_fr = models.CharField(_("question (French)"), max_length=300)
    label_en = models.CharField(_("question (English)"), max_length=300, blank=True)
    help_fr = models.CharField(_("help text (French)"), max_length=500, blank=True)
    help_en = models.CharField(_("help text (English)"), max_length=500, blank=True)
    choices = models.TextField(
        _("choices"),
        blank=True,
        help_text=_("For choice questions: one choice per line, as 'French | English'."),
    )
    required = models.BooleanField(_("required"), default=False)
    position = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.label

    def _localised(self, fr: str, en: str) -> str:
        return en if (get_language() or "fr").startswith("en") and en else fr

    @property
    def label(self) -> str:
        return self._localised(self.label_fr, self.label_en)

    @property
    def help(self) -> str:
        return self._localised(self.help_fr, self.help_en)

    def choice_options(self) -> list[tuple[str, str]]:
        """(stored value, label in the current language). The stored value is the French
        label, stable whatever the applicant's language."""
        options = []
        for line in lines(self.choices):
            fr, _sep, en = line.partition("|")
            fr, en = fr.strip(), en.strip()
            options.append((fr, self._localised(fr, en)))
        return options


class ApplicationQuerySet(models.QuerySet):
    def submitted(self):
        return self.filter(state=ApplicationState.SUBMITTED)


class Application(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="applications")
    maker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications"
    )
    state = models.CharField(
        _("state"), max_length=16, choices=ApplicationState.choices, default=ApplicationState.DRAFT
    )
    eligibility = models.CharField(
        _("eligibility"), max_length=16, choices=Eligibility.choices, default=Eligibility.PENDING
    )
    eligibility_reason = models.TextField(_("reason"), blank=True, max_length=2000)
    screened_at = models.DateTimeField(null=True, blank=True)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Standard fields
    title = models.CharField(_("project title"), max_length=120)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), max_length=10000, blank=True)
    category = models.CharField(_("category"), max_length=100, blank=True)
    commune = models.CharField(_("commune"), max_length=100, blank=True)
    maker_profile = models.CharField(
        _("maker profile"), max_length=20, choices=MakerProfile.choices, blank=True
    )
    maker_name = models.CharField(_("your name"), max_length=150, blank=True)
    maker_phone = models.CharField(_("phone"), max_length=30, blank=True)
    funding_goal = models.DecimalField(
        _("funding goal (€)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    budget = models.DecimalField(
        _("total budget (€)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    video_url = models.URLField(_("video link"), blank=True, max_length=300)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-submitted_at", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "maker"], name="one_application_per_maker_and_programme"
            )
        ]
        indexes = [
            models.Index(fields=["programme", "state", "eligibility"]),
            # The organiser's list, newest first: read in index order, no sort.
            models.Index(
                fields=["programme", "state", "submitted_at"], name="calls_application_list_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def audit_organiser(self):
        return Organiser(pk=self.programme.organiser_id)

    @property
    def reference(self) -> str:
        return f"{self.programme_id}-{self.pk:05d}" if self.pk else ""

    @property
    def is_editable(self) -> bool:
        return self.state in (ApplicationState.DRAFT, ApplicationState.SUBMITTED) and (
            self.programme.is_accepting_applications()
        )


class ApplicationImage(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(_("image"), upload_to="applications/images/")
    alt_text = models.CharField(_("image description"), max_length=200, blank=True)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.alt_text or self.image.name


class Answer(models.Model):
    """The answer to one custom question. ``value`` holds text, a number as a string, a
    boolean, or a list of choices; files go to ``file``."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    value = models.JSONField(null=True, blank=True)
    file = models.FileField(upload_to="applications/files/", blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "question"], name="one_answer")
        ]

    def __str__(self) -> str:
        return self.display()

    def display(self) -> str:
        if self.question.kind == QuestionKind.FILE:
            return self.file.name.rsplit("/", 1)[-1] if self.file else ""
        if isinstance(self.value, bool):
            return str(_("Yes") if self.value else _("No"))
        if isinstance(self.value, list):
            return ", ".join(str(v) for v in self.value)
        return "" if self.value is None else str(self.value)
