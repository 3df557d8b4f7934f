"""Forms of the workshops (scheduling, registration, attendance, materials)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tremplin.calls.manage_forms import ParisDateTimeField
from tremplin.coaching.enums import Audience, AutoCheck, NotificationMode, TipCondition, TipMoment
from tremplin.coaching.workshops import WORKSHOP_FIELDS
from tremplin.core.uploads import clean_pdf


def _one_line(value: str) -> str:
    return " ".join((value or "").split())


class WorkshopForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=150)
    description = forms.CharField(
        label=_("Description"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    place = forms.CharField(
        label=_("Place"), max_length=150, required=False, help_text=_("E.g. a third place.")
    )
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    online_url = forms.URLField(
        label=_("Online link"),
        max_length=300,
        required=False,
        assume_scheme="https",
        help_text=_("For an online workshop (video call link)."),
    )
    starts_at = ParisDateTimeField(label=_("Date and time (Paris time)"))
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=15, max_value=24 * 60, initial=120
    )
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=10000)
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices)

    def clean_title(self) -> str:
        return _one_line(self.cleaned_data["title"])

    def clean(self):
        data = super().clean()
        if not self.errors and not (
            data.get("online_url") or data.get("address") or data.get("place")
        ):
            raise ValidationError(_("Give a place with its address, or an online link."))
        return data

    def fields_dict(self) -> dict:
        return {name: self.cleaned_data[name] for name in WORKSHOP_FIELDS}

    @classmethod
    def for_workshop(cls, workshop, data=None):
        initial = {name: getattr(workshop, name) for name in WORKSHOP_FIELDS}
        return cls(data, initial=initial)


class RegistrationForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=120)
    email = forms.EmailField(label=_("Your e-mail address"), max_length=254)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and user.is_authenticated:
            self.fields["name"].initial = user.get_full_name()
            self.fields["email"].initial = user.email

    def clean_name(self) -> str:
        name = _one_line(self.cleaned_data["name"])
        if not name:
            raise ValidationError(_("Give your name."))
        return name


class AttendanceForm(forms.Form):
    def __init__(self, *args, registrations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"] = forms.MultipleChoiceField(
            label=_("Present"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            choices=[(str(r.pk), f"{r.name} <{r.email}>") for r in registrations],
            initial=[str(r.pk) for r in registrations if r.attended],
        )

    def present_ids(self) -> set[int]:
        return {int(value) for value in self.cleaned_data["present"]}


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=150)
    file = forms.FileField(label=_("Document (PDF)"), required=False)
    url = forms.URLField(
        label=_("Or a link"), max_length=300, required=False, assume_scheme="https"
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        return clean_pdf(upload) if upload else None

    def clean(self):
        data = super().clean()
        if not self.errors and not (data.get("file") or data.get("url")):
            raise ValidationError(_("Upload a PDF document or give a link."))
        return data


# --- readiness ------------------------------------------------------------------------------


class ChecklistRowForm(forms.Form):
    key = forms.SlugField(max_length=40, required=False, widget=forms.HiddenInput)
    label_fr = forms.CharField(label=_("Label (French)"), max_length=200)
    label_en = forms.CharField(label=_("Label (English)"), max_length=200)
    auto = forms.ChoiceField(label=_("Checked"), choices=AutoCheck.choices, required=False)
    threshold = forms.IntegerField(
        label=_("N (rewards, people)"), min_value=0, max_value=1000, required=False
    )
    required = forms.BooleanField(label=_("Required before review"), required=False)

    def clean_label_fr(self) -> str:
        return _one_line(self.cleaned_data["label_fr"])

    def clean_label_en(self) -> str:
        return _one_line(self.cleaned_data["label_en"])

    def clean(self):
        data = super().clean()
        if data.get("auto") in (AutoCheck.REWARDS, AutoCheck.FIRST_CIRCLE) and not data.get(
            "threshold"
        ):
            self.add_error("threshold", _("Give N for this check."))
        return data


ChecklistFormSet = forms.formset_factory(
    ChecklistRowForm, extra=2, can_delete=True, max_num=30, validate_max=True, absolute_max=60
)


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    relation = forms.CharField(
        label=_("Relation"), max_length=120, required=False, help_text=_("E.g. neighbour, client.")
    )
    email = forms.EmailField(label=_("E-mail address (optional)"), max_length=254, required=False)

    def clean_name(self) -> str:
        name = _one_line(self.cleaned_data["name"])
        if not name:
            raise ValidationError(_("Give a name."))
        return name


# --- conversation ---------------------------------------------------------------------------


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("**bold**, *emphasis*, [link](https://…), lists with “- ”."),
    )
    attachment = forms.FileField(label=_("Attachment (PDF or image, optional)"), required=False)

    def clean_attachment(self):
        from tremplin.coaching.thread import clean_attachment

        upload = self.cleaned_data.get("attachment")
        if not upload:
            return None
        self.attachment_name = _one_line(upload.name)[:200]
        return clean_attachment(upload)


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Private note"), max_length=10000, widget=forms.Textarea(attrs={"rows": 4})
    )


class PreferenceForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("E-mail me"), choices=NotificationMode.choices, widget=forms.RadioSelect
    )


# --- meetings -------------------------------------------------------------------------------


class SlotsForm(forms.Form):
    start_1 = ParisDateTimeField(label=_("First time proposed (Paris time)"))
    start_2 = ParisDateTimeField(label=_("Second time (optional)"), required=False)
    start_3 = ParisDateTimeField(label=_("Third time (optional)"), required=False)
    duration = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=15, max_value=240, initial=45
    )
    place = forms.CharField(
        label=_("Place or video link"), max_length=300, help_text=_("Where you will meet.")
    )

    def starts(self) -> list:
        return [
            self.cleaned_data[name]
            for name in ("start_1", "start_2", "start_3")
            if self.cleaned_data.get(name)
        ]


class MeetingNotesForm(forms.Form):
    notes = forms.CharField(
        label=_("Notes of the meeting"), max_length=10000, widget=forms.Textarea(attrs={"rows": 5})
    )


# --- timed tips -----------------------------------------------------------------------------


class TipForm(forms.Form):
    moment = forms.ChoiceField(choices=TipMoment.choices, widget=forms.HiddenInput)
    enabled = forms.BooleanField(label=_("Send this tip"), required=False)
    condition = forms.ChoiceField(label=_("Condition"), choices=TipCondition.choices)
    subject_fr = forms.CharField(label=_("Subject (French)"), max_length=150)
    subject_en = forms.CharField(label=_("Subject (English)"), max_length=150)
    body_fr = forms.CharField(
        label=_("Text (French)"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    body_en = forms.CharField(
        label=_("Text (English)"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_subject_fr(self) -> str:
        return _one_line(self.cleaned_data["subject_fr"])

    def clean_subject_en(self) -> str:
        return _one_line(self.cleaned_data["subject_en"])


TipFormSet = forms.formset_factory(
    TipForm, extra=0, min_num=12, max_num=12, validate_min=True, validate_max=True
)
