from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tremplin.campaigns.models import Campaign
from tremplin.core.models import Partner


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
