"""Forms of personal data rights: confirming an erasure, a programme's retention periods."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tremplin.privacy.models import ProgrammeRetention
from tremplin.privacy.retention import LIMITS, SETTING_OF


class EraseForm(forms.Form):
    email = forms.CharField(
        label=_("Type your e-mail address to confirm"),
        max_length=254,
        help_text=_("The address you sign in with."),
    )
    understood = forms.BooleanField(
        label=_("I understand that my account and my data will be erased for good."),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_email(self) -> str:
        value = self.cleaned_data["email"]
        if "\x00" in value or value.strip().lower() != self.user.email.lower():
            raise forms.ValidationError(_("This is not the address of your account."))
        return value


class RetentionForm(forms.ModelForm):
    class Meta:
        model = ProgrammeRetention
        fields = ["draft_years", "not_selected_years", "laureate_years"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for key, field in self.fields.items():
            default = getattr(settings, SETTING_OF[key])
            field.widget = forms.NumberInput(attrs={"min": default, "max": LIMITS[key]})
            field.help_text = _(
                "In years, between %(default)s (the platform's period) and %(limit)s; "
                "empty: %(default)s."
            ) % {"default": default, "limit": LIMITS[key]}

    def clean(self):
        cleaned = super().clean()
        for key in SETTING_OF:
            value = cleaned.get(key)
            if value is None:
                continue
            default = getattr(settings, SETTING_OF[key])
            if value < default:
                self.add_error(
                    key,
                    _("At least %(n)s years: an organiser may only keep data longer.")
                    % {"n": default},
                )
            elif value > LIMITS[key]:
                self.add_error(
                    key,
                    _("At most %(n)s years: keeping it longer would not be lawful.")
                    % {"n": LIMITS[key]},
                )
        return cleaned
