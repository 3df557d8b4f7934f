"""The import form of a past edition: what the CSV files do not say, and the files."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tremplin.tracking.past_csv import MAX_BYTES, MIN_YEAR
from tremplin.tracking.past_editions import MAX_APPLICATIONS, EditionFacts

_HTML = re.compile(r"<\s*/?\s*[a-zA-Z!]")


class PastEditionForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the edition"),
        max_length=150,
        help_text=_("For example: MEL Makers 2018."),
    )
    year = forms.IntegerField(label=_("Year"), min_value=MIN_YEAR, max_value=2100)
    applications_count = forms.IntegerField(
        label=_("Applications received"), min_value=0, max_value=MAX_APPLICATIONS
    )
    laureates_count = forms.IntegerField(
        label=_("Laureates"), min_value=0, max_value=MAX_APPLICATIONS
    )
    campaigns_file = forms.FileField(
        label=_("Campaigns file (CSV)"),
        help_text=_(
            "One line per campaign. Columns separated by semicolons (;), UTF-8, 2 MB at most."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    days_file = forms.FileField(
        label=_("Days file (CSV, optional)"),
        required=False,
        help_text=_("One line per campaign and day, with the cumulative figures."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if _HTML.search(name):
            raise ValidationError(_("The name must not contain HTML."), code="html")
        if not name:
            raise ValidationError(_("Enter a name."), code="required")
        return name

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if year > timezone.localdate().year:  # the year in Paris
            raise ValidationError(_("A past edition cannot be in the future."), code="future")
        return year

    def _file(self, name: str):
        upload = self.cleaned_data.get(name)
        if upload and upload.size > MAX_BYTES:
            raise ValidationError(_("The file is too large: 2 MB at most."), code="size")
        return upload

    def clean_campaigns_file(self):
        return self._file("campaigns_file")

    def clean_days_file(self):
        return self._file("days_file")

    def facts(self) -> EditionFacts:
        data = self.cleaned_data
        return EditionFacts(
            name=data["name"],
            year=data["year"],
            applications_count=data["applications_count"],
            laureates_count=data["laureates_count"],
        )
