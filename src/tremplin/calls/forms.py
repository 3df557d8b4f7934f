"""The maker's forms: the application form (standard fields, the programme's custom
questions, images) and the withdrawal confirmation.

Every field is optional for Django; which fields a *submission* needs is checked in
``clean`` so that "Save draft" only needs a title while "Submit" enforces everything."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from tremplin.calls.applications import SUBMISSION_REQUIRED_FIELDS, AnswerChange, ApplicationChanges
from tremplin.calls.enums import QuestionKind
from tremplin.calls.models import (
    MAX_AMOUNT,
    Answer,
    Application,
    ApplicationImage,
    Programme,
    Question,
)
from tremplin.calls.templatetags.calls_tags import money
from tremplin.calls.validators import MAX_VIDEO_URL_LENGTH, validate_video_url
from tremplin.core import uploads
from tremplin.core.money import parse_amount
from tremplin.core.rendering import FormRenderer as CoreFormRenderer

NEW_IMAGE_SLOTS = 3
STANDARD_FIELDS = (
    "title",
    "summary",
    "description",
    "category",
    "commune",
    "maker_profile",
    "maker_name",
    "maker_phone",
    "funding_goal",
    "budget",
    "video_url",
)


class FormRenderer(CoreFormRenderer):
    """Renders each field with ``calls/_field.html``: label with the optional mark, help
    text (escaped: organisers write it) and errors linked by ``aria-describedby``."""

    field_template_name = "calls/_field.html"


class TremplinForm(forms.Form):
    default_renderer = FormRenderer()
    use_required_attribute = False


class FrenchDecimalField(forms.DecimalField):
    """A decimal typed the French way ("1 500,50") or the English way ("1,500.50");
    no exponent, no "NaN"; a euro sign is tolerated."""

    default_error_messages = {"invalid": _("Enter a number, for example 1 500 or 12,50.")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("localize", True)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:
        if value in self.empty_values:
            return None
        try:
            return parse_amount(str(value))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class MoneyField(FrenchDecimalField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 10)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(**kwargs)


phone_validator = RegexValidator(
    r"^\+?[0-9 ().-]{6,}$",
    _("Enter a phone number, for example 06 12 34 56 78 or +33 6 12 34 56 78."),
    code="phone",
)


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value is False


class ApplicationForm(TremplinForm):
    title = forms.CharField(
        label=_("Project title"),
        max_length=120,
        help_text=_("A short name for your project (120 characters at most)."),
    )
    summary = forms.CharField(
        label=_("Summary"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Your project in one or two sentences (300 characters at most)."),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "What you make, for whom, what the money will pay for (10,000 characters at most)."
        ),
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    commune = forms.CharField(
        label=_("Commune"),
        max_length=100,
        required=False,
        help_text=_("The commune of the territory where your project takes place."),
    )
    maker_profile = forms.ChoiceField(label=_("You are"), required=False)
    maker_name = forms.CharField(label=_("Your name"), max_length=150, required=False)
    maker_phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        validators=[phone_validator],
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    funding_goal = MoneyField(label=_("Funding goal (€)"), required=False)
    budget = MoneyField(
        label=_("Total budget of the project (€)"),
        required=False,
        help_text=_("Every cost of the project, whatever pays for it."),
    )
    video_url = forms.CharField(
        label=_("Video link"),
        max_length=MAX_VIDEO_URL_LENGTH,
        required=False,
        validators=[validate_video_url],
        widget=forms.URLInput(attrs={"inputmode": "url"}),
        help_text=_(
            "A link to your video on YouTube, Vimeo, Dailymotion or PeerTube "
            "(starting with https://)."
        ),
    )

    def __init__(
        self,
        *args: Any,
        programme: Programme,
        questions: list[Question],
        application: Application | None = None,
        answers: list[Answer] | None = None,
        images: list[ApplicationImage] | None = None,
        submitting: bool = False,
        **kwargs: Any,
    ) -> None:
        self.programme = programme
        self.questions = questions
        self.application = application
        self.answers = {answer.question_id: answer for answer in answers or []}
        self.images = images or []
        self.submitting = submitting
        if application is not None and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(application, name) for name in STANDARD_FIELDS}
        super().__init__(*args, **kwargs)
        self._set_up_standard_fields()
        for question in questions:
            self._add_question_field(question)
        add_image_fields(self.fields, self.images)

    # --- construction --------------------------------------------------------------------

    def _set_up_standard_fields(self) -> None:
        programme = self.programme
        self.fields["category"].choices = [("", _("Choose a category"))] + [
            (category, category) for category in programme.category_list
        ]
        communes = programme.commune_list
        if communes:
            self.fields["commune"] = forms.ChoiceField(
                label=_("Commune"),
                required=False,
                choices=[("", _("Choose a commune"))] + [(c, c) for c in communes],
                help_text=self.fields["commune"].help_text,
            )
        self.fields["maker_profile"].choices = [
            ("", _("Choose a profile"))
        ] + programme.maker_profile_choices
        self.fields["funding_goal"].help_text = _(
            "The amount you want to raise, between %(min)s and %(max)s."
        ) % {"min": money(programme.min_goal), "max": money(programme.max_goal)}
        for name in SUBMISSION_REQUIRED_FIELDS:
            self._mark_required(self.fields[name])

    @staticmethod
    def _mark_required(field: forms.Field) -> None:
        field.submit_required = True
        if not isinstance(field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
            field.widget.attrs["aria-required"] = "true"

    def _add_question_field(self, question: Question) -> None:
        name = f"q_{question.pk}"
        common = {"label": question.label, "help_text": question.help, "required": False}
        answer = self.answers.get(question.pk)
        value = answer.value if answer is not None else None
        kind = question.kind
        if kind == QuestionKind.TEXT:
            field: forms.Field = forms.CharField(max_length=500, **common)
        elif kind == QuestionKind.LONG_TEXT:
            field = forms.CharField(
                max_length=5000, widget=forms.Textarea(attrs={"rows": 6}), **common
            )
        elif kind == QuestionKind.SINGLE_CHOICE:
            field = forms.ChoiceField(
                choices=question.choice_options(), widget=forms.RadioSelect, **common
            )
        elif kind == QuestionKind.MULTIPLE_CHOICE:
            field = forms.MultipleChoiceField(
                choices=question.choice_options(), widget=forms.CheckboxSelectMultiple, **common
            )
        elif kind == QuestionKind.NUMBER:
            field = FrenchDecimalField(max_digits=18, decimal_places=6, **common)
            if value not in (None, ""):
                try:
                    value = Decimal(str(value))
                except InvalidOperation:
                    value = None
        elif kind == QuestionKind.YES_NO:
            field = forms.TypedChoiceField(
                choices=[("yes", _("Yes")), ("no", _("No"))],
                coerce=lambda v: v == "yes",
                empty_value=None,
                widget=forms.RadioSelect,
                **common,
            )
            if isinstance(value, bool):
                value = "yes" if value else "no"
        elif kind == QuestionKind.FILE:
            field = forms.FileField(
                widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}), **common
            )
            field.current_file = answer if answer is not None and answer.file else None
            field.help_text = question.help or _("A PDF document of %(max)s at most.") % {
                "max": _filesize(settings.TREMPLIN_MAX_PDF_BYTES)
            }
            value = None
        else:  # pragma: no cover - every kind is handled above
            return
        field.question = question
        if question.required:
            self._mark_required(field)
        self.fields[name] = field
        if value is not None and name not in self.initial:
            self.initial[name] = value
        if kind == QuestionKind.FILE and not question.required and field.current_file:
            self.fields[f"{name}_clear"] = forms.BooleanField(
                label=_("Remove the current document"), required=False
            )

    # --- groups for the template ---------------------------------------------------------

    def standard_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in STANDARD_FIELDS]

    def question_fields(self) -> list[forms.BoundField]:
        fields = []
        for question in self.questions:
            fields.append(self[f"q_{question.pk}"])
            if f"q_{question.pk}_clear" in self.fields:
                fields.append(self[f"q_{question.pk}_clear"])
        return fields

    def existing_images(self) -> list[tuple[ApplicationImage, forms.BoundField, forms.BoundField]]:
        return [
            (image, self[f"image_{image.pk}_alt"], self[f"image_{image.pk}_remove"])
            for image in self.images
        ]

    def new_image_slots(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [
            (self[f"new_image_{slot}"], self[f"new_image_{slot}_alt"])
            for slot in range(1, NEW_IMAGE_SLOTS + 1)
        ]

    # --- validation ----------------------------------------------------------------------

    def clean_funding_goal(self) -> Decimal | None:
        goal = self.cleaned_data.get("funding_goal")
        if goal is not None and not (self.programme.min_goal <= goal <= self.programme.max_goal):
            raise ValidationError(
                _("The funding goal must be between %(min)s and %(max)s.")
                % {"min": money(self.programme.min_goal), "max": money(self.programme.max_goal)},
                code="goal_range",
            )
        return goal

    def clean_budget(self) -> Decimal | None:
        budget = self.cleaned_data.get("budget")
        if budget is not None and not (Decimal("0") <= budget <= MAX_AMOUNT):
            raise ValidationError(
                _("The budget must be between %(min)s and %(max)s.")
                % {"min": money(Decimal("0")), "max": money(MAX_AMOUNT)},
                code="budget_range",
            )
        return budget

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self._clean_files(cleaned)
        self._clean_image_count(cleaned)
        if self.submitting:
            for name, field in self.fields.items():
                if (
                    getattr(field, "submit_required", False)
                    and name not in self.errors
                    and self._missing(name, field, cleaned)
                ):
                    self.add_error(
                        name,
                        ValidationError(
                            _("This field is required to submit your application."),
                            code="required",
                        ),
                    )
        return cleaned

    def _missing(self, name: str, field: forms.Field, cleaned: dict[str, Any]) -> bool:
        value = cleaned.get(name)
        if isinstance(field, forms.FileField) and getattr(field, "question", None):
            has_current = field.current_file is not None
            return value is None and not has_current
        if value is False and isinstance(field, forms.TypedChoiceField):
            return False  # "No" is an answer to a required yes/no question
        return _is_empty(value)

    def _clean_files(self, cleaned: dict[str, Any]) -> None:
        for question in self.questions:
            name = f"q_{question.pk}"
            upload = cleaned.get(name)
            if question.kind == QuestionKind.FILE and isinstance(upload, UploadedFile):
                try:
                    cleaned[name] = uploads.clean_pdf(upload)
                except ValidationError as error:
                    self.add_error(name, error)
        for slot in range(1, NEW_IMAGE_SLOTS + 1):
            name = f"new_image_{slot}"
            upload = cleaned.get(name)
            if isinstance(upload, UploadedFile):
                try:
                    cleaned[name] = uploads.clean_image(upload)
                except ValidationError as error:
                    self.add_error(name, error)

    def _clean_image_count(self, cleaned: dict[str, Any]) -> None:
        maximum = settings.TREMPLIN_MAX_IMAGES_PER_APPLICATION
        kept = [image for image in self.images if not cleaned.get(f"image_{image.pk}_remove")]
        count = len(kept)
        for slot in range(1, NEW_IMAGE_SLOTS + 1):
            name = f"new_image_{slot}"
            if self.files.get(name) is None:
                continue
            count += 1
            if count > maximum and name not in self.errors:
                self.add_error(
                    name,
                    ValidationError(
                        _(
                            "An application can have at most %(max)s images: "
                            "remove one before adding another."
                        )
                        % {"max": maximum},
                        code="too_many_images",
                    ),
                )

    # --- results -------------------------------------------------------------------------

    def apply_to(self, application: Application) -> Application:
        """Copy the standard fields onto ``application`` (not saved)."""
        for name in STANDARD_FIELDS:
            value = self.cleaned_data.get(name)
            if value is None and name not in ("funding_goal", "budget"):
                value = ""
            setattr(application, name, value)
        return application

    def changes(self) -> ApplicationChanges:
        data = self.cleaned_data
        changes = ApplicationChanges()
        for question in self.questions:
            name = f"q_{question.pk}"
            value = data.get(name)
            if question.kind == QuestionKind.FILE:
                changes.answers.append(
                    AnswerChange(
                        question=question,
                        file=value or None,
                        clear_file=bool(data.get(f"{name}_clear")),
                    )
                )
                continue
            if question.kind == QuestionKind.NUMBER and value is not None:
                value = _decimal_text(value)
            elif value == "" or value == []:
                value = None
            changes.answers.append(AnswerChange(question=question, value=value))
        for image in self.images:
            if data.get(f"image_{image.pk}_remove"):
                changes.removed_images.add(image.pk)
            else:
                changes.image_alts[image.pk] = data.get(f"image_{image.pk}_alt", "")
        for slot in range(1, NEW_IMAGE_SLOTS + 1):
            content = data.get(f"new_image_{slot}")
            if content:
                changes.new_images.append((content, data.get(f"new_image_{slot}_alt", "")))
        return changes


def _decimal_text(value: Decimal) -> str:
    return format(value.normalize(), "f")


def add_image_fields(
    fields: dict[str, forms.Field], images: list[Any], new_slots: int = NEW_IMAGE_SLOTS
) -> None:
    """Add the image fields of an application or campaign form: a description and a remove
    box per existing image (numbered from 1), then ``new_slots`` upload slots with their
    descriptions."""
    for number, image in enumerate(images, start=1):
        fields[f"image_{image.pk}_alt"] = forms.CharField(
            label=_("Description of image %(number)s") % {"number": number},
            max_length=200,
            required=False,
            initial=image.alt_text,
            help_text=_("What the image shows, for people who cannot see it."),
        )
        fields[f"image_{image.pk}_remove"] = forms.BooleanField(
            label=_("Remove image %(number)s") % {"number": number}, required=False
        )
    for slot in range(1, new_slots + 1):
        fields[f"new_image_{slot}"] = forms.FileField(
            label=_("New image %(number)s") % {"number": slot},
            required=False,
            widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
            help_text=_("JPEG, PNG or WebP, %(max)s at most.")
            % {"max": _filesize(settings.TREMPLIN_MAX_IMAGE_BYTES)},
        )
        fields[f"new_image_{slot}_alt"] = forms.CharField(
            label=_("Description of new image %(number)s") % {"number": slot},
            max_length=200,
            required=False,
            help_text=_("What the image shows, for people who cannot see it."),
        )


def _filesize(size: int) -> str:
    from django.template.defaultfilters import filesizeformat

    return filesizeformat(size)


class WithdrawForm(TremplinForm):
    confirm = forms.BooleanField(
        label=_("I confirm that I withdraw my application. This cannot be undone."),
        required=True,
        error_messages={"required": _("Tick the box to confirm the withdrawal.")},
    )
