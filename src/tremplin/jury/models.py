"""The jury of a programme: partner organisations and their members vote on the eligible
applications with one method; the organiser deliberates and publishes. Models are thin:
voting rules live in ``jury.voting`` and the counting in ``jury.tally`` (pure functions)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from tremplin.calls.enums import ProgrammeState
from tremplin.calls.models import Application, Programme
from tremplin.core.models import Organiser, Partner
from tremplin.jury.enums import (
    BallotScope,
    BallotState,
    JuryMethod,
    JuryState,
    Outcome,
    default_grades,
)


class Jury(models.Model):
    programme = models.OneToOneField(Programme, on_delete=models.CASCADE, related_name="jury")
    method = models.CharField(
        _("voting method"),
        max_length=20,
        choices=JuryMethod.choices,
        default=JuryMethod.FAVOURITES,
    )
    ballot_scope = models.CharField(
        _("ballots"), max_length=10, choices=BallotScope.choices, default=BallotScope.PARTNER
    )
    max_picks = models.PositiveSmallIntegerField(
        _("favourites per ballot"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    grades = models.JSONField(
        _("grades (best first)"),
        default=default_grades,
        help_text=_("Majority judgment: the named grades, best first, as [French, English]."),
    )
    grid_max_score = models.PositiveSmallIntegerField(
        _("highest score per criterion"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    opens_at = models.DateTimeField(_("voting opens"))
    closes_at = models.DateTimeField(_("voting closes"))
    quorum = models.PositiveSmallIntegerField(
        _("quorum (minimum ballots)"), default=0, validators=[MaxValueValidator(1000)]
    )
    laureate_count = models.PositiveSmallIntegerField(
        _("number of laureates"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(500)],
    )
    partners = models.ManyToManyField(
        Partner, blank=True, related_name="juries", verbose_name=_("partner organisations")
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    published_at = models.DateTimeField(_("results published at"), null=True, blank=True)
    # Reminder claims: set by a conditional UPDATE so that a reminder goes out once.
    reminder_3d_sent_at = models.DateTimeField(null=True, blank=True)
    reminder_1d_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("jury")
        verbose_name_plural = _("juries")

    def __str__(self) -> str:
        return str(self.programme)

    def audit_organiser(self) -> Organiser:
        return Organiser(pk=self.programme.organiser_id)

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def state(self) -> str:
        """The ``JuryState``: published, closed (ballots frozen), open (its programme is in
        the jury state) or draft (being set up). Reads ``programme.state`` for the last two."""
        if self.published_at is not None:
            return JuryState.PUBLISHED
        if self.closed_at is not None:
            return JuryState.CLOSED
        if self.programme.state == ProgrammeState.JURY:
            return JuryState.OPEN
        return JuryState.DRAFT

    def is_accepting_votes(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.programme.state == ProgrammeState.JURY
            and self.closed_at is None
            and self.opens_at <= now < self.closes_at
        )

    def grade_labels(self) -> list[str]:
        english = (get_language() or "fr").startswith("en")
        return [(pair[1] if english and pair[1] else pair[0]) for pair in self.grades]

    def candidates(self):
        """The applications the jury judges: the eligible, submitted ones."""
        return Application.objects.filter(
            programme_id=self.programme_id, state="submitted", eligibility="eligible"
        )


class Criterion(models.Model):
    jury = models.ForeignKey(Jury, on_delete=models.CASCADE, related_name="criteria")
    label_fr = models.CharField(_("criterion (French)"), max_length=150)
    label_en = models.CharField(_("criterion (English)"), max_length=150, blank=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        english = (get_language() or "fr").startswith("en")
        return self.label_en if english and self.label_en else self.label_fr


class JuryMember(models.Model):
    """A person of a partner organisation invited to the jury (by an e-mailed link)."""

    jury = models.ForeignKey(Jury, on_delete=models.CASCADE, related_name="members")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="jury_members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jury_memberships"
    )
    invited_at = models.DateTimeField(default=timezone.now)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("jury member")
        verbose_name_plural = _("jury members")
        constraints = [models.UniqueConstraint(fields=["jury", "user"], name="one_seat_per_juror")]

    def __str__(self) -> str:
        return f"{self.user} ({self.partner})"


class Ballot(models.Model):
    """One ballot: of a partner organisation (its members prepare it together, one submits)
    or of one member, depending on ``Jury.ballot_scope``."""

    jury = models.ForeignKey(Jury, on_delete=models.CASCADE, related_name="ballots")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="ballots")
    member = models.ForeignKey(
        JuryMember,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="ballots",
        help_text=_("Empty for a partner organisation's ballot."),
    )
    state = models.CharField(max_length=10, choices=BallotState.choices, default=BallotState.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.UniqueConstraint(
                fields=["jury", "partner"],
                condition=Q(member__isnull=True),
                name="one_ballot_per_partner",
            ),
            models.UniqueConstraint(
                fields=["jury", "member"],
                condition=Q(member__isnull=False),
                name="one_ballot_per_member",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner}" + (f" / {self.member.user}" if self.member_id else "")

    def audit_organiser(self) -> Organiser:
        return Organiser(pk=self.partner.organiser_id)


class Pick(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="picks")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ballot", "application"], name="one_pick")]

    def __str__(self) -> str:
        # Opaque: ballots are secret; an admin page that lists related objects (a
        # deletion's confirmation) names a vote without telling whose or what.
        return gettext("Favourite #%(pk)s") % {"pk": self.pk}


class Grade(models.Model):
    """A majority-judgment grade: ``value`` indexes ``Jury.grades`` (0 = best)."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="grade_rows")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    value = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ballot", "application"], name="one_grade")]

    def __str__(self) -> str:
        return gettext("Grade #%(pk)s") % {"pk": self.pk}


class Score(models.Model):
    """A criteria-grid score from 0 to ``Jury.grid_max_score``."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="scores")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ballot", "application", "criterion"], name="one_score")
        ]

    def __str__(self) -> str:
        return gettext("Score #%(pk)s") % {"pk": self.pk}


class Recusal(models.Model):
    """A declared conflict of interest: the ballot cannot vote on the application."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="recusals")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ballot", "application"], name="one_recusal")
        ]

    def __str__(self) -> str:
        return gettext("Recusal #%(pk)s") % {"pk": self.pk}


class Decision(models.Model):
    """The organiser's decision on one application at deliberation."""

    jury = models.ForeignKey(Jury, on_delete=models.CASCADE, related_name="decisions")
    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="decision"
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    waiting_rank = models.PositiveSmallIntegerField(_("waiting list rank"), null=True, blank=True)
    override_reason = models.TextField(
        _("reason for overriding the tally"), blank=True, max_length=2000
    )
    feedback = models.TextField(_("feedback to the applicant"), blank=True, max_length=3000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return f"{self.application_id}: {self.outcome}"
