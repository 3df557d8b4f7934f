"""Forms of the organiser's jury pages: the set-up, the invitation of members, the
deliberation and the confirmation of the publication."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tremplin.calls.manage_forms import ParisDateTimeField
from tremplin.calls.models import Application, lines
from tremplin.core.dates import PARIS
from tremplin.core.fields import IdChoiceField, IdMultipleChoiceField
from tremplin.core.models import Partner
from tremplin.jury.administration import (
    MAX_CRITERIA,
    MAX_GRADES,
    MIN_GRADES,
    RULE_FIELDS,
    CriterionData,
)
from tremplin.jury.enums import JuryMethod, Outcome
from tremplin.jury.models import Criterion, Decision, Jury
from tremplin.jury.publication import DecisionData, needs_override

MAX_GRADE_LENGTH = 60
MAX_CRITERION_LENGTH = 150
MAX_WEIGHT = Decimal("100")
MAX_REASON = 2000
MAX_FEEDBACK = 3000


def grades_to_text(grades: list[list[str]]) -> str:
    return "\n".join(f"{fr} | {en}" if en else fr for fr, en in grades)


def criteria_to_text(criteria) -> str:
    rows = []
    for criterion in criteria:
        weight = formats.number_format(criterion.weight, decimal_pos=None, use_l10n=False)
        rows.append(f"{criterion.label_fr} | {criterion.label_en} | {weight}")
    return "\n".join(rows)


def _clean_label(value: str) -> str:
    return " ".join(value.split())


def _check_labels(
    fr: str, en: str, number: int, *, kind: str, max_length: int, seen: set[str], twice: str
) -> None:
    """The checks a line's labels share, grade or criterion (``kind`` prefixes the error
    codes): a French label, not too long, not twice. ``twice``: the message when it is
    there already, with ``%(label)s``. Adds the label to ``seen``."""
    if not fr:
        raise ValidationError(
            gettext("Line %(number)d has no French label.") % {"number": number},
            code=f"{kind}_fr",
        )
    if len(fr) > max_length or len(en) > max_length:
        raise ValidationError(
            gettext("Line %(number)d is too long: at most %(max)d characters per label.")
            % {"number": number, "max": max_length},
            code=f"{kind}_length",
        )
    if fr.casefold() in seen:
        raise ValidationError(twice % {"label": fr}, code=f"{kind}_duplicate")
    seen.add(fr.casefold())


def parse_grades(text: str) -> list[list[str]]:
    """Lines "Français | English", best grade first → ``[[fr, en], …]``."""
    grades: list[list[str]] = []
    seen: set[str] = set()
    for number, line in enumerate(lines(text), start=1):
        fr, _sep, en = line.partition("|")
        fr, en = _clean_label(fr), _clean_label(en)
        if "|" in en:
            raise ValidationError(
                gettext("Line %(number)d has more than two labels: write “Français | English”.")
                % {"number": number},
                code="grade_format",
            )
        _check_labels(
            fr,
            en,
            number,
            kind="grade",
            max_length=MAX_GRADE_LENGTH,
            seen=seen,
            twice=gettext("The grade “%(label)s” appears twice."),
        )
        grades.append([fr, en])
    if len(grades) < MIN_GRADES:
        raise ValidationError(
            gettext("Give at least two grades, one per line, best first, as “Français | English”."),
            code="grades_required",
        )
    if len(grades) > MAX_GRADES:
        raise ValidationError(
            gettext("Give at most %(max)d grades.") % {"max": MAX_GRADES}, code="too_many_grades"
        )
    return grades


def _parse_weight(text: str, number: int) -> Decimal:
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "").replace(",", ".")
    try:
        weight = Decimal(cleaned)
    except InvalidOperation:
        weight = None
    if weight is None or not weight.is_finite():
        raise ValidationError(
            gettext("Line %(number)d: the weight “%(weight)s” is not a number.")
            % {"number": number, "weight": text.strip()[:20]},
            code="weight_invalid",
        )
    if weight <= 0 or weight > MAX_WEIGHT:
        raise ValidationError(
            gettext("Line %(number)d: the weight must be more than 0 and at most %(max)s.")
            % {"number": number, "max": MAX_WEIGHT},
            code="weight_range",
        )
    if weight != weight.quantize(Decimal("0.01")):
        raise ValidationError(
            gettext("Line %(number)d: give the weight with at most two decimals.")
            % {"number": number},
            code="weight_decimals",
        )
    return weight.quantize(Decimal("0.01"))


def parse_criteria(text: str) -> list[CriterionData]:
    """Lines "Français | English | weight" (English and weight optional: weight 1)."""
    criteria: list[CriterionData] = []
    seen: set[str] = set()
    for number, line in enumerate(lines(text), start=1):
        parts = [part.strip() for part in line.split("|")]
        if len(parts) > 3:
            raise ValidationError(
                gettext("Line %(number)d: write “Français | English | weight”.")
                % {"number": number},
                code="criterion_format",
            )
        fr = _clean_label(parts[0])
        en = _clean_label(parts[1]) if len(parts) > 1 else ""
        weight = _parse_weight(parts[2], number) if len(parts) > 2 else Decimal("1.00")
        _check_labels(
            fr,
            en,
            number,
            kind="criterion",
            max_length=MAX_CRITERION_LENGTH,
            seen=seen,
            twice=gettext("The criterion “%(label)s” appears twice."),
        )
        criteria.append(CriterionData(fr, en, weight))
    if len(criteria) > MAX_CRITERIA:
        raise ValidationError(
            gettext("Give at most %(max)d criteria.") % {"max": MAX_CRITERIA},
            code="too_many_criteria",
        )
    return criteria


class JuryForm(forms.ModelForm):
    grades_text = forms.CharField(
        label=_("Grades"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Majority judgment: one grade per line, the best first, as “Français | English”; "
            "from 2 to 12 grades."
        ),
    )
    criteria_text = forms.CharField(
        label=_("Criteria"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Weighted grid: one criterion per line, as “Français | English | weight”, e.g. "
            "“Impact sur le territoire | Impact on the territory | 2”. A weight is more than "
            "0 and at most 100."
        ),
    )
    partners = IdMultipleChoiceField(
        label=_("Partner organisations on the jury"),
        queryset=Partner.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Add partner organisations on the Partners page of the back-office."),
    )

    class Meta:
        model = Jury
        fields = [
            "method",
            "ballot_scope",
            "max_picks",
            "grid_max_score",
            "opens_at",
            "closes_at",
            "quorum",
            "laureate_count",
        ]
        field_classes = {"opens_at": ParisDateTimeField, "closes_at": ParisDateTimeField}
        widgets = {"method": forms.RadioSelect, "ballot_scope": forms.RadioSelect}
        help_texts = {
            "max_picks": _("Favourites: how many applications a ballot may pick at most."),
            "grid_max_score": _("Weighted grid: each criterion is scored from 0 to this number."),
            "opens_at": _("Date and time in Paris time."),
            "closes_at": _(
                "Jurors can vote until this moment (Paris time); you close the jury yourself."
            ),
            "quorum": _(
                "Minimum number of submitted ballots; a warning shows when it is not reached."
            ),
            "laureate_count": _("The deliberation is pre-filled with this many laureates."),
        }

    def __init__(
        self,
        *args,
        organiser,
        locked_rules: bool = False,
        closed: bool = False,
        read_only: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        jury: Jury = self.instance
        self.organiser = organiser
        self.fields["partners"].queryset = Partner.objects.filter(organiser=organiser).order_by(
            "name"
        )
        if jury.pk:
            self.fields["partners"].initial = list(jury.partners.values_list("pk", flat=True))
            self.fields["criteria_text"].initial = criteria_to_text(
                Criterion.objects.filter(jury=jury).order_by("position", "id")
            )
        self.fields["grades_text"].initial = grades_to_text(jury.grades)
        self.locked_rules = locked_rules
        if read_only:
            disabled = list(self.fields)
        elif closed:
            disabled = [name for name in self.fields if name != "laureate_count"]
        elif locked_rules:
            disabled = [*RULE_FIELDS, "grades_text", "criteria_text"]
        else:
            disabled = []
        for name in disabled:
            if name in self.fields:
                self.fields[name].disabled = True

    def clean_grades_text(self) -> list[list[str]]:
        text = self.cleaned_data.get("grades_text") or ""
        if self.fields["grades_text"].disabled:
            return self.instance.grades
        method = self.data.get(self.add_prefix("method"))
        if not text.strip() and method != JuryMethod.MAJORITY_JUDGMENT:
            return self.instance.grades
        return parse_grades(text)

    def clean_criteria_text(self) -> list[CriterionData]:
        return parse_criteria(self.cleaned_data.get("criteria_text") or "")

    def clean(self):
        cleaned = super().clean()
        for name in self._meta.fields:
            stored = getattr(self.instance, name, None)
            if self.fields[name].disabled:
                cleaned[name] = stored  # what is stored, to the microsecond
            elif (
                name in ("opens_at", "closes_at")
                and stored
                and cleaned.get(name) == stored.replace(second=0, microsecond=0)
            ):
                cleaned[name] = stored  # the form shows minutes: an untouched time is kept
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error(
                "closes_at",
                ValidationError(
                    gettext("The jury must close after it opens."), code="window_order"
                ),
            )
        deadline = self.instance.programme.call_closes_at
        if opens and "opens_at" in self.changed_data and opens < deadline:
            self.add_error(
                "opens_at",
                ValidationError(
                    gettext("The jury opens after the application deadline (%(date)s, Paris time).")
                    % {
                        "date": formats.date_format(
                            timezone.localtime(deadline, PARIS), "DATETIME_FORMAT"
                        )
                    },
                    code="before_deadline",
                ),
            )
        if (
            cleaned.get("method") == JuryMethod.GRID
            and "criteria_text" in cleaned
            and not cleaned["criteria_text"]
        ):
            self.add_error(
                "criteria_text",
                ValidationError(
                    gettext("The weighted grid needs at least one criterion."),
                    code="criteria_required",
                ),
            )
        return cleaned

    def save(self, commit: bool = False) -> Jury:
        jury = super().save(commit=False)
        jury.grades = self.cleaned_data["grades_text"]
        return jury

    @property
    def criteria(self) -> list[CriterionData] | None:
        if self.fields["criteria_text"].disabled:
            return None
        return self.cleaned_data["criteria_text"]

    @property
    def selected_partners(self) -> list[Partner] | None:
        if self.fields["partners"].disabled:
            return None
        return list(self.cleaned_data["partners"])


class InviteForm(forms.Form):
    partner = IdChoiceField(
        label=_("Partner organisation"), queryset=Partner.objects.none(), empty_label=None
    )
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    language = forms.ChoiceField(
        label=_("Language of the invitation"), choices=settings.LANGUAGES, initial="fr"
    )

    def __init__(self, *args, jury: Jury, **kwargs):
        super().__init__(*args, **kwargs)
        self.jury = jury
        self.fields["partner"].queryset = jury.partners.order_by("name")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if self.jury.members.filter(user__email__iexact=email).exists():
            raise ValidationError(
                gettext("This person is already a member of the jury."), code="member"
            )
        return email

    def clean_full_name(self) -> str:
        return _clean_label(self.cleaned_data["full_name"])


class MemberActionForm(forms.Form):
    action = forms.ChoiceField(choices=[("resend", "resend"), ("remove", "remove")])
    member = forms.IntegerField(min_value=1)


class DeliberationForm(forms.Form):
    """One fieldset per candidate: outcome, waiting-list rank, reason for an override and
    feedback to the applicant. Pre-filled with the tally's top N as laureates."""

    def __init__(self, *args, rows: list[dict[str, Any]], read_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        self.suggested = {row["application"].pk for row in rows if row["suggested"]}
        for row in rows:
            application: Application = row["application"]
            decision: Decision | None = row.get("decision")
            pk = application.pk
            default = Outcome.LAUREATE if row["suggested"] else Outcome.NOT_SELECTED
            self.fields[f"outcome_{pk}"] = forms.ChoiceField(
                label=_("Outcome"),
                choices=Outcome.choices,
                widget=forms.RadioSelect,
                initial=decision.outcome if decision else default,
            )
            self.fields[f"rank_{pk}"] = forms.IntegerField(
                label=_("Rank on the waiting list"),
                required=False,
                min_value=1,
                max_value=500,
                initial=decision.waiting_rank if decision else None,
            )
            self.fields[f"reason_{pk}"] = forms.CharField(
                label=_("Reason for departing from the tally"),
                required=False,
                max_length=MAX_REASON,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=decision.override_reason if decision else "",
                help_text=_("Required when the outcome differs from the tally's suggestion."),
            )
            self.fields[f"feedback_{pk}"] = forms.CharField(
                label=_("Feedback to the applicant"),
                required=False,
                max_length=MAX_FEEDBACK,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=decision.feedback if decision else "",
                help_text=_("Optional; sent with the result e-mail."),
            )
        if read_only:
            for field in self.fields.values():
                field.disabled = True

    def grouped(self) -> list[dict[str, Any]]:
        """The rows with their bound fields, for the template."""
        grouped = []
        for row in self.rows:
            pk = row["application"].pk
            grouped.append(
                {
                    **row,
                    "outcome": self[f"outcome_{pk}"],
                    "rank": self[f"rank_{pk}"],
                    "reason": self[f"reason_{pk}"],
                    "feedback": self[f"feedback_{pk}"],
                }
            )
        return grouped

    def clean(self):
        cleaned = super().clean()
        ranks: Counter[int] = Counter()
        for row in self.rows:
            pk = row["application"].pk
            outcome = cleaned.get(f"outcome_{pk}")
            rank = cleaned.get(f"rank_{pk}")
            if outcome == Outcome.WAITING_LIST:
                if rank is None and f"rank_{pk}" not in self.errors:
                    self.add_error(
                        f"rank_{pk}",
                        ValidationError(
                            gettext("Give the rank on the waiting list."), code="rank_required"
                        ),
                    )
                elif rank is not None:
                    ranks[rank] += 1
            reason = (cleaned.get(f"reason_{pk}") or "").strip()
            if (
                outcome
                and needs_override(pk, outcome, self.suggested)
                and not reason
                and f"reason_{pk}" not in self.errors
            ):
                self.add_error(
                    f"reason_{pk}",
                    ValidationError(
                        gettext("Write why this decision differs from the tally."),
                        code="reason_required",
                    ),
                )
        for row in self.rows:
            pk = row["application"].pk
            rank = cleaned.get(f"rank_{pk}")
            if cleaned.get(f"outcome_{pk}") == Outcome.WAITING_LIST and ranks[rank] > 1:
                self.add_error(
                    f"rank_{pk}",
                    ValidationError(
                        gettext("Another application has this rank on the waiting list."),
                        code="rank_duplicate",
                    ),
                )
        return cleaned

    def decisions(self) -> list[DecisionData]:
        data = self.cleaned_data
        return [
            DecisionData(
                application_id=row["application"].pk,
                outcome=data[f"outcome_{row['application'].pk}"],
                waiting_rank=data.get(f"rank_{row['application'].pk}"),
                override_reason=(data.get(f"reason_{row['application'].pk}") or "").strip(),
                feedback=(data.get(f"feedback_{row['application'].pk}") or "").strip(),
            )
            for row in self.rows
        ]


class PublishForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "I confirm: publish the results, show the laureates page and e-mail every applicant."
        ),
        required=True,
        error_messages={"required": _("Tick the box to confirm the publication.")},
    )
