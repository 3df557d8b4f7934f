"""Forms of the tracking app: the programme's alert settings, an acknowledgement's note,
the digest preference."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tremplin.campaigns.models import Campaign
from tremplin.core.models import Partner
from tremplin.tracking.alerts import MAX_NOTE
from tremplin.tracking.models import TrackingSettings


class BreakdownFilterForm(forms.Form):
    """The filters of the attribution page (GET): one campaign, one partner, or neither."""

    campagne = forms.ChoiceField(label=_("Campaign"), required=False)
    partenaire = forms.ChoiceField(label=_("Partner"), required=False)

    def __init__(self, data, *, programme) -> None:
        super().__init__(data)
        self.programme = programme
        campaigns = Campaign.objects.filter(programme=programme).order_by("title")
        self.fields["campagne"].choices = [("", _("All the campaigns"))] + [
            (slug, title) for slug, title in campaigns.values_list("slug", "title")
        ]
        partners = Partner.objects.filter(organiser_id=programme.organiser_id).order_by("name")
        self.fields["partenaire"].choices = [("", _("By channel (every partner)"))] + [
            (slug, name) for slug, name in partners.values_list("slug", "name")
        ]

    def selection(self) -> tuple[Campaign | None, Partner | None]:
        campaign = partner = None
        if self.cleaned_data.get("campagne"):
            campaign = Campaign.objects.get(
                programme=self.programme, slug=self.cleaned_data["campagne"]
            )
        if self.cleaned_data.get("partenaire"):
            partner = Partner.objects.get(
                organiser_id=self.programme.organiser_id, slug=self.cleaned_data["partenaire"]
            )
        return campaign, partner


def _no_control_characters(value: str) -> str:
    if any(ord(ch) < 32 and ch not in "\n\r\t" for ch in value):
        raise ValidationError(_("Remove the control characters from the text."))
    return value


class TrackingSettingsForm(forms.ModelForm):
    class Meta:
        model = TrackingSettings
        fields = ["pace_percent", "quiet_days", "final_hours", "email_alerts"]

    def __init__(self, *args: Any, read_only: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("pace_percent", "quiet_days", "final_hours"):
            self.fields[name].widget.attrs.update({"inputmode": "numeric"})
        if read_only:
            for form_field in self.fields.values():
                form_field.disabled = True


class AcknowledgeForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=MAX_NOTE,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What is being done about it (seen by the team and the coach)."),
    )

    def clean_note(self) -> str:
        return _no_control_characters(self.cleaned_data["note"])


class DigestPreferenceForm(forms.Form):
    enabled = forms.BooleanField(label=_("Send me the daily digest"), required=False)
