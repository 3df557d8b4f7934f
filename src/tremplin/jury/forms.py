"""Forms of the juror's space: one vote form per method, the recusal and the submission.

The forms only parse and bound-check what the browser sends; the rules (window, seat,
candidate, K favourites, completeness) are checked again by ``jury.voting`` under the
ballot's lock. Nothing in a form names a ballot: the ballot is always the one of the
signed-in juror, so a forged ``ballot`` field is simply ignored."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from tremplin.jury import voting
from tremplin.jury.enums import JuryMethod
from tremplin.jury.models import Jury

SCORE_PREFIX = "score_"


def weight_text(weight: Decimal) -> str:
    """``2``, ``1,5`` (French) / ``1.5`` (English): no trailing zeros, no exponent."""
    integral = weight == weight.to_integral_value()
    return number_format(
        weight.quantize(Decimal(1)) if integral else weight.normalize(), use_l10n=True
    )


class VoteForm(forms.Form):
    """Base of the vote forms. Each subclass (one per voting method) has
    ``apply(ballot, application, *, user)``, which calls the voting service of its method."""

    def __init__(self, *args, jury: Jury, contents=None, application_id=None, **kwargs):
        self.jury = jury
        self.contents = contents
        self.application_id = application_id
        super().__init__(*args, **kwargs)


class FavouriteForm(VoteForm):
    picked = forms.TypedChoiceField(
        label=_("Favourite"),
        choices=[("1", _("Add to my favourites")), ("0", _("Remove from my favourites"))],
        coerce=lambda value: value == "1",
        error_messages={
            "required": _("Say whether to add or remove this favourite."),
            "invalid_choice": _("Say whether to add or remove this favourite."),
        },
    )

    def apply(self, ballot, application, *, user) -> None:
        voting.set_pick(ballot, application, self.cleaned_data["picked"], user=user)


class GradeForm(VoteForm):
    """A grade of the jury's scale (radio buttons, best first); the "clear" button sends
    ``action=clear``."""

    grade = forms.TypedChoiceField(
        label=_("Your grade"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a grade of the scale."),
            "invalid_choice": _("Choose a grade of the scale."),
        },
    )
    action = forms.ChoiceField(
        choices=[("save", "save"), ("clear", "clear")], required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = self.jury.grade_labels()
        self.fields["grade"].choices = [(str(i), label) for i, label in enumerate(labels)]
        self.fields["grade"].help_text = _("From the best grade to the worst.")
        if self.contents is not None and self.application_id in self.contents.grades:
            self.fields["grade"].initial = str(self.contents.grades[self.application_id])
        if self.is_bound and self.data.get("action") == "clear":
            self.fields["grade"].required = False

    def apply(self, ballot, application, *, user) -> None:
        clear = self.cleaned_data.get("action") == "clear"
        value = None if clear else self.cleaned_data["grade"]
        voting.set_grade(ballot, application, value, user=user)


class ScoresForm(VoteForm):
    """One number input per criterion (0 to the jury's maximum), all required."""

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        scores = {}
        if self.contents is not None:
            scores = self.contents.scores.get(self.application_id, {})
        self.criteria = list(criteria)
        top = self.jury.grid_max_score
        for criterion in self.criteria:
            name = f"{SCORE_PREFIX}{criterion.pk}"
            self.fields[name] = forms.IntegerField(
                label=criterion.label,
                min_value=0,
                max_value=top,
                help_text=_("From 0 to %(max)d; weight %(weight)s.")
                % {"max": top, "weight": weight_text(criterion.weight)},
                error_messages={
                    "required": _("Enter a whole number from 0 to %(max)d.") % {"max": top},
                    "invalid": _("Enter a whole number from 0 to %(max)d.") % {"max": top},
                    "min_value": _("Enter a whole number from 0 to %(max)d.") % {"max": top},
                    "max_value": _("Enter a whole number from 0 to %(max)d.") % {"max": top},
                },
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": "1"}),
            )
            if criterion.pk in scores:
                self.fields[name].initial = scores[criterion.pk]

    def apply(self, ballot, application, *, user) -> None:
        values = {
            criterion.pk: self.cleaned_data.get(f"{SCORE_PREFIX}{criterion.pk}")
            for criterion in self.criteria
        }
        voting.set_scores(ballot, application, values, user=user)


def vote_form(jury: Jury, data=None, *, contents=None, application_id=None, criteria=()):
    kwargs = {"jury": jury, "contents": contents, "application_id": application_id}
    if jury.method == JuryMethod.MAJORITY_JUDGMENT:
        return GradeForm(data, **kwargs)
    if jury.method == JuryMethod.GRID:
        return ScoresForm(data, criteria=criteria, **kwargs)
    return FavouriteForm(data, **kwargs)


class RecusalForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=voting.RECUSAL_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example: you advise this maker, or you work with them. Only the organiser "
            "reads it."
        ),
    )
    confirm = forms.BooleanField(
        label=_("I declare a conflict of interest with this application: I will not vote on it."),
        error_messages={"required": _("Tick the box to declare the conflict of interest.")},
    )


class SubmitForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have checked my ballot and I submit it."),
        error_messages={"required": _("Tick the box to confirm the submission.")},
    )

    def __init__(self, *args, partner_name: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if partner_name:
            self.fields["confirm"].label = _(
                "I have checked the ballot and I submit it on behalf of %(partner)s."
            ) % {"partner": partner_name}
