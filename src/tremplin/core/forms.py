"""Forms of the core: the user's own preferences."""

from __future__ import annotations

from allauth.account.forms import RequestLoginCodeForm
from allauth.core import context
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tremplin.core.models import User


class PreferencesForm(forms.ModelForm):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        required=False,
        help_text=_("Shown to the teams of the programmes you take part in."),
    )
    language = forms.ChoiceField(
        label=_("Language of the e-mails we send you"),
        choices=settings.LANGUAGES,
    )

    class Meta:
        model = User
        fields = ["full_name", "language"]

    def clean_full_name(self) -> str:
        return " ".join(self.cleaned_data["full_name"].split())


class LoginCodeForm(RequestLoginCodeForm):
    """allauth's "send me a login code" form, with the e-mail address prefilled from
    ``?email=`` (the jury invitation link sends the invited person here)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        request = getattr(context, "request", None)
        email = request.GET.get("email", "") if request is not None else ""
        if not self.is_bound and email and "email" in self.fields and len(email) <= 254:
            self.fields["email"].initial = email
