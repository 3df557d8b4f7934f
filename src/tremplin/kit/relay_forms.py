"""The partner's form to mark a relay (when, where)."""

from __future__ import annotations

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from tremplin.kit.models import RelayPlace


class RelayForm(forms.Form):
    use_required_attribute = False

    relayed_on = forms.DateField(
        label=_("Relayed on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        help_text=_("The day you posted or sent it."),
    )
    place = forms.ChoiceField(label=_("Where"), choices=RelayPlace.choices)
    detail = forms.CharField(
        label=_("Details"),
        max_length=200,
        required=False,
        help_text=_("For example: the March newsletter, the Fab Lab's Instagram account."),
    )
    link = forms.URLField(
        label=_("Link to the post"),
        max_length=500,
        required=False,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
    )

    def __init__(self, *args, prefix_id: str = "", **kwargs) -> None:
        if prefix_id:
            kwargs.setdefault("auto_id", f"id_{prefix_id}_%s")
        super().__init__(*args, **kwargs)

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "relayed_on": data["relayed_on"],
            "place": data["place"],
            "detail": data.get("detail", "").strip(),
            "link": data.get("link", ""),
        }
