"""Forms of the organiser's back-office for programmes, their application form (custom
questions), the list of applications (filters) and screening."""

from __future__ import annotations

import datetime
from decimal import Decimal
from html import escape as escape_html
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Model, QuerySet
from django.forms.utils import flatatt
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tremplin.calls.enums import Eligibility, MakerProfile, ProgrammeState, QuestionKind
from tremplin.calls.models import Programme, Question, lines
from tremplin.core.colours import AA_NORMAL_TEXT, WHITE, contrast_ratio
from tremplin.core.dates import PARIS
from tremplin.core.fields import IdMultipleChoiceField
from tremplin.core.manage_forms import LogoField
from tremplin.core.models import Partner
from tremplin.core.uploads import clean_pdf
from tremplin.core.validators import validate_hex_colour

DATETIME_LOCAL_FORMAT = "%Y-%m-%dT%H:%M"
MAX_LINE_LENGTH = 100  # Application.category and Application.commune hold 100 characters
MAX_CATEGORIES = 50
MAX_COMMUNES = 500
MAX_CHOICES = 50
MAX_CHOICE_LENGTH = 150
CHOICE_KINDS = (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE)


# --- fields -------------------------------------------------------------------------------


class ParisDateTimeField(forms.DateTimeField):
    """A date and time entered and shown in Europe/Paris (``<input type=datetime-local>``),
    stored in UTC. A time that does not exist or is ambiguous (daylight saving change) is
    refused with a message."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL_FORMAT)

    def prepare_value(self, value):
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            return timezone.localtime(value, PARIS).replace(tzinfo=None)
        return value

    def to_python(self, value):
        with timezone.override(PARIS):
            try:
                return super().to_python(value)
            except ValidationError as error:
                if getattr(error, "code", None) != "ambiguous_timezone":
                    raise
                raise ValidationError(
                    gettext(
                        "This time does not exist or happens twice in Paris because of the "
                        "change to or from summer time: choose another time."
                    ),
                    code="ambiguous_timezone",
                ) from None


class FrenchDecimalField(forms.DecimalField):
    """An amount typed the French way (``1 250,50``, ``1250,5 €``) or the English way
    (``1250.50``)."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace("€", "")
            for space in (" ", "\u00a0", "\u202f"):
                value = value.replace(space, "")
            if value.count(",") == 1 and "." not in value:
                value = value.replace(",", ".")
        return super().to_python(value)

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return formats.number_format(value, 2)
        return value


class PdfField(forms.FileField):
    """An optional PDF (≤ 10 MB), checked by content: ``%PDF-`` header, readable by pypdf."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("PDF document, 10 MB at most."))
        kwargs.setdefault(
            "widget", forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"})
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if isinstance(value, UploadedFile):
            return clean_pdf(value)
        return value


def clean_lines(value: str, *, max_count: int) -> str:
    """One entry per line: trimmed, blank lines and duplicates dropped, each at most 100
    characters."""
    entries: list[str] = []
    seen: set[str] = set()
    for entry in lines(value):
        entry = " ".join(entry.split())
        if len(entry) > MAX_LINE_LENGTH:
            raise ValidationError(
                gettext("Each line must be at most %(max)d characters long: “%(line)s…”.")
                % {"max": MAX_LINE_LENGTH, "line": entry[:40]},
                code="line_too_long",
            )
        if entry.casefold() not in seen:
            seen.add(entry.casefold())
            entries.append(entry)
    if len(entries) > max_count:
        raise ValidationError(
            gettext("Give at most %(max)d lines.") % {"max": max_count}, code="too_many_lines"
        )
    return "\n".join(entries)


def json_value(value: Any) -> Any:
    """A short JSON-serialisable rendering of a form value, for the audit log."""
    if value is None or value is False:
        return ""
    if isinstance(value, bool | int):
        return value
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, File):
        return value.name or ""
    if isinstance(value, Model):
        return str(value)
    if isinstance(value, QuerySet | list | tuple | set):
        return [json_value(v) for v in value]
    text = str(value)
    return text if len(text) <= 200 else text[:199] + "…"


# --- programme ----------------------------------------------------------------------------

# The timeline in order, with the relation each date has with the one before it.
TIMELINE: list[tuple[str, str]] = [
    ("call_opens_at", ""),
    ("call_closes_at", "<"),
    ("jury_starts_at", "<="),
    ("jury_ends_at", "<"),
    ("results_at", "<="),
    ("campaigns_start_at", "<="),
    ("campaigns_end_at", "<"),
]
DATE_FIELDS = [name for name, _relation in TIMELINE]


class ProgrammeForm(forms.ModelForm):
    maker_profiles = forms.MultipleChoiceField(
        label=_("Maker profiles accepted"),
        choices=MakerProfile.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Leave every box unticked to accept every profile."),
    )
    logo = LogoField(label=_("Logo"))
    rules_document = PdfField(label=_("Rules (PDF)"))
    partners = IdMultipleChoiceField(
        label=_("Partners"),
        queryset=Partner.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Programme
        fields = [
            "name",
            "slug",
            "tagline",
            "description",
            "communes",
            "categories",
            "maker_profiles",
            *DATE_FIELDS,
            "min_goal",
            "max_goal",
            "primary_colour",
            "secondary_colour",
            "logo",
            "rules_document",
        ]
        field_classes = {
            **dict.fromkeys(DATE_FIELDS, ParisDateTimeField),
            "min_goal": FrenchDecimalField,
            "max_goal": FrenchDecimalField,
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "communes": forms.Textarea(attrs={"rows": 6}),
            "categories": forms.Textarea(attrs={"rows": 5}),
            "primary_colour": forms.TextInput(attrs={"pattern": "#[0-9A-Fa-f]{6}", "size": 8}),
            "secondary_colour": forms.TextInput(attrs={"pattern": "#[0-9A-Fa-f]{6}", "size": 8}),
        }
        help_texts = {
            "call_opens_at": _("Date and time in Paris time."),
            "call_closes_at": _("Applications are accepted until this moment (Paris time)."),
            "primary_colour": _(
                "As #RRGGBB. Used for text and buttons on white: it must contrast enough "
                "(at least 4.5:1)."
            ),
            "secondary_colour": _("As #RRGGBB. Used for accents."),
        }

    def __init__(self, *args, organiser, **kwargs):
        super().__init__(*args, **kwargs)
        self.organiser = organiser
        self.fields["partners"].queryset = Partner.objects.filter(organiser=organiser)
        if self.instance.pk:
            self.fields["partners"].initial = [p.pk for p in self.instance.partners.all()]
        self.fields["categories"].help_text = _("One category per line; at least one.")

    # Field by field

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean_slug(self) -> str:
        return self.cleaned_data["slug"].lower()

    def clean_communes(self) -> str:
        return clean_lines(self.cleaned_data["communes"], max_count=MAX_COMMUNES)

    def clean_categories(self) -> str:
        value = clean_lines(self.cleaned_data["categories"], max_count=MAX_CATEGORIES)
        if not value:
            raise ValidationError(gettext("Give at least one category."), code="required")
        return value

    def clean_call_closes_at(self):
        value = self.cleaned_data["call_closes_at"]
        instance = self.instance
        if (
            instance.pk
            and instance.state == ProgrammeState.CALL_OPEN
            and value != instance.call_closes_at
            and value <= timezone.now()
        ):
            raise ValidationError(
                gettext("The call is open: its deadline cannot be moved into the past."),
                code="deadline_past",
            )
        return value

    def clean_primary_colour(self) -> str:
        value = self.cleaned_data["primary_colour"].strip().upper()
        validate_hex_colour(value)
        ratio = contrast_ratio(value, WHITE)
        if ratio < AA_NORMAL_TEXT:
            raise ValidationError(
                gettext(
                    "This colour is too light: its contrast with white is %(ratio)s:1, below "
                    "the 4.5:1 needed for readable text. Choose a darker colour."
                )
                % {"ratio": formats.number_format(ratio, 2)},
                code="low_contrast",
            )
        return value

    def clean_secondary_colour(self) -> str:
        value = self.cleaned_data["secondary_colour"].strip().upper()
        validate_hex_colour(value)
        return value

    # Across fields

    def clean(self):
        cleaned = super().clean()
        self._check_timeline(cleaned)
        min_goal, max_goal = cleaned.get("min_goal"), cleaned.get("max_goal")
        if min_goal is not None and max_goal is not None and min_goal > max_goal:
            self.add_error(
                "max_goal",
                ValidationError(
                    gettext("The maximum goal must be at least the minimum goal."),
                    code="goal_order",
                ),
            )
        return cleaned

    def _check_timeline(self, cleaned: dict[str, Any]) -> None:
        """opens < deadline ≤ jury start < jury end ≤ results ≤ campaigns start < campaigns
        end; dates after the deadline are optional: each present date is compared with the
        previous present one (strictly if any step between them is strict)."""
        previous_name = previous_value = None
        strict = False
        for name, relation in TIMELINE:
            strict = strict or relation == "<"
            value = cleaned.get(name)
            if value is None:
                continue
            if previous_value is not None:
                wrong = value <= previous_value if strict else value < previous_value
                if wrong:
                    self.add_error(name, self._order_error(previous_name, previous_value, strict))
                    continue
            previous_name, previous_value, strict = name, value, False

    def _order_error(self, previous_name: str, previous_value, strict: bool) -> ValidationError:
        params = {
            "previous": Programme._meta.get_field(previous_name).verbose_name,
            "date": formats.date_format(
                timezone.localtime(previous_value, PARIS), "DATETIME_FORMAT"
            ),
        }
        if strict:
            message = gettext("This date must be after “%(previous)s” (%(date)s).")
        else:
            message = gettext("This date cannot be before “%(previous)s” (%(date)s).")
        return ValidationError(message % params, code="date_order")

    def changes(self) -> dict[str, Any]:
        """The changed fields with their new value, for the audit log."""
        return {name: json_value(self.cleaned_data.get(name)) for name in self.changed_data}


# --- application form builder ---------------------------------------------------------------


class QuestionForm(forms.ModelForm):
    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "For choice questions: at least two choices, one per line, as “Français | English”."
        ),
    )

    class Meta:
        model = Question
        fields = ["kind", "label_fr", "label_en", "help_fr", "help_en", "choices", "required"]

    def __init__(self, *args, answer_count: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.answer_count = answer_count

    def clean_label_fr(self) -> str:
        value = " ".join(self.cleaned_data["label_fr"].split())
        if not value:
            raise ValidationError(gettext("Write the question in French."), code="required")
        return value

    def clean_kind(self) -> str:
        kind = self.cleaned_data["kind"]
        if self.instance.pk and self.answer_count and kind != self.instance.kind:
            raise ValidationError(
                gettext("This question already has %(count)d answers: its type cannot be changed.")
                % {"count": self.answer_count},
                code="kind_locked",
            )
        return kind

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind in CHOICE_KINDS:
            try:
                cleaned["choices"] = self._clean_choices(cleaned.get("choices") or "")
            except ValidationError as error:
                self.add_error("choices", error)
        elif kind is not None:
            cleaned["choices"] = ""
        return cleaned

    @staticmethod
    def _clean_choices(text: str) -> str:
        result: list[str] = []
        seen: set[str] = set()
        for number, line in enumerate(lines(text), start=1):
            fr, _sep, en = line.partition("|")
            fr, en = " ".join(fr.split()), " ".join(en.split())
            if not fr:
                raise ValidationError(
                    gettext("Line %(number)d has no French label.") % {"number": number},
                    code="choice_fr",
                )
            if len(fr) > MAX_CHOICE_LENGTH or len(en) > MAX_CHOICE_LENGTH:
                raise ValidationError(
                    gettext("Line %(number)d is too long: at most %(max)d characters per label.")
                    % {"number": number, "max": MAX_CHOICE_LENGTH},
                    code="choice_length",
                )
            if fr.casefold() in seen:
                raise ValidationError(
                    gettext("The choice “%(choice)s” appears twice.") % {"choice": fr},
                    code="choice_duplicate",
                )
            seen.add(fr.casefold())
            result.append(f"{fr} | {en}" if en else fr)
        if len(result) < 2:
            raise ValidationError(
                gettext("Give at least two choices, one per line, as “Français | English”."),
                code="choices_required",
            )
        if len(result) > MAX_CHOICES:
            raise ValidationError(
                gettext("Give at most %(max)d choices.") % {"max": MAX_CHOICES},
                code="too_many_choices",
            )
        return "\n".join(result)


# --- applications -------------------------------------------------------------------------

STATE_FILTERS = {
    "submitted": ["submitted"],
    "withdrawn": ["withdrawn"],
    "all": ["submitted", "withdrawn"],
}

# sort key → (label, ordering)
SORTS: dict[str, tuple[Any, tuple[str, ...]]] = {
    "-submitted": (_("Most recent first"), ("-submitted_at", "-id")),
    "submitted": (_("Oldest first"), ("submitted_at", "id")),
    "reference": (_("Reference"), ("id",)),
    "title": (_("Title (A to Z)"), ("title", "id")),
    "-title": (_("Title (Z to A)"), ("-title", "-id")),
    "goal": (_("Goal (lowest first)"), ("funding_goal", "id")),
    "-goal": (_("Goal (highest first)"), ("-funding_goal", "-id")),
    "maker": (_("Maker (A to Z)"), ("maker_name", "id")),
    "category": (_("Category"), ("category", "title", "id")),
    "commune": (_("Commune"), ("commune", "title", "id")),
    "eligibility": (_("Eligibility"), ("eligibility", "title", "id")),
}
DEFAULT_SORT = "-submitted"


class FilterSelect(forms.Select):
    """A ``<select>`` written out in Python: the HTML of Django's own templates at a
    twentieth of the cost. The filter form has one option per commune of the territory
    (dozens, up to 500), on a page organisers reload all day (bench/profile_pages.py)."""

    def render(self, name, value, attrs=None, renderer=None):
        choices = list(self.choices)
        if any(isinstance(label, list | tuple) for _value, label in choices):
            return super().render(name, value, attrs, renderer)  # option groups
        wanted = set(self.format_value(value))
        options, selected_one = [], False
        for option_value, label in choices:
            text = "" if option_value is None else str(option_value)
            selected = not selected_one and text in wanted
            selected_one = selected_one or selected
            shown = str(label) if hasattr(label, "__html__") else escape_html(str(label))
            options.append(
                f'<option value="{escape_html(text)}"{" selected" if selected else ""}>'
                f"{shown}</option>"
            )
        return format_html(
            '<select name="{}"{}>\n  {}\n</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            mark_safe("\n  ".join(options)),  # noqa: S308 (values and labels escaped above)
        )


class ApplicationFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Title, summary, maker's name or e-mail address."),
    )
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        widget=FilterSelect,
        choices=[
            ("submitted", _("Submitted")),
            ("withdrawn", _("Withdrawn")),
            ("all", _("Submitted and withdrawn")),
        ],
    )
    eligibility = forms.ChoiceField(
        label=_("Eligibility"),
        required=False,
        widget=FilterSelect,
        choices=[("", _("Any eligibility")), *Eligibility.choices],
    )
    category = forms.ChoiceField(label=_("Category"), required=False, widget=FilterSelect)
    commune = forms.ChoiceField(label=_("Commune"), required=False, widget=FilterSelect)
    profile = forms.ChoiceField(label=_("Maker profile"), required=False, widget=FilterSelect)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        widget=FilterSelect,
        choices=[(key, label) for key, (label, _ordering) in SORTS.items()],
    )

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [
            ("", _("Any category")),
            *((c, c) for c in programme.category_list),
        ]
        self.fields["commune"].choices = [
            ("", _("Any commune")),
            *((c, c) for c in programme.commune_list),
        ]
        self.fields["profile"].choices = [("", _("Any profile")), *MakerProfile.choices]

    def filters(self) -> dict[str, str]:
        """The valid filters (all defaults when the form is invalid)."""
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "q": (data.get("q") or "").strip(),
            "state": data.get("state") or "submitted",
            "eligibility": data.get("eligibility") or "",
            "category": data.get("category") or "",
            "commune": data.get("commune") or "",
            "profile": data.get("profile") or "",
            "sort": data.get("sort") or DEFAULT_SORT,
        }


class ScreeningForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("eligible", _("Eligible")), ("ineligible", _("Ineligible"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when the application is ineligible; the maker may be told."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "ineligible" and not (cleaned.get("reason") or "").strip():
            self.add_error(
                "reason",
                ValidationError(
                    gettext("Give the reason why the application is ineligible."),
                    code="required",
                ),
            )
        return cleaned

    @property
    def eligible(self) -> bool:
        return self.cleaned_data["decision"] == "eligible"
