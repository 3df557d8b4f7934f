"""The kit's forms: a custom print format, a text of a proof."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tremplin.core.attribution import clean_value
from tremplin.kit.formats import BUILTIN_CODES
from tremplin.kit.models import PosterFormat
from tremplin.kit.proofs import MAX_TEXT


class PosterFormatForm(forms.ModelForm):
    class Meta:
        model = PosterFormat
        fields = (
            "name",
            "code",
            "width_mm",
            "height_mm",
            "bleed_mm",
            "reading_distance_cm",
            "channel",
            "quantity",
        )
        help_texts = {
            "code": _("Letters, digits and dashes; it names the files (e.g. metro-quai)."),
            "bleed_mm": _("5 mm unless the printer asks for another (0 to 20)."),
        }

    def __init__(self, *args, organiser=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organiser = organiser

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].lower()
        if code in BUILTIN_CODES:
            raise forms.ValidationError(_("This code is taken by a built-in format."))
        others = PosterFormat.objects.filter(organiser=self.organiser, code=code)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("You already have a format with this code."))
        return code

    def clean_channel(self) -> str:
        channel = clean_value("canal", self.cleaned_data["channel"])
        if not channel:
            raise forms.ValidationError(_("Letters, digits, dashes and underscores only."))
        return channel


class TextForm(forms.Form):
    body = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 14}), max_length=MAX_TEXT
    )
