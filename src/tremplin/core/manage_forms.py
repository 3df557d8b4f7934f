"""Forms of the organiser's back-office for its own settings: partner organisations and
team. ``LogoField`` is shared with the programme form."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tremplin.core.models import OrganiserRole, Partner
from tremplin.core.uploads import clean_image

LOGO_MAX_BYTES = 2 * 1024 * 1024
IMAGE_ACCEPT = "image/jpeg,image/png,image/webp"


def clean_logo(upload: UploadedFile) -> ContentFile:
    """A logo: JPEG, PNG or WebP of at most 2 MB, opened with Pillow and re-encoded without
    metadata. Raises ``ValidationError`` with a message for the user."""
    if upload.size is not None and upload.size > LOGO_MAX_BYTES:
        raise ValidationError(
            gettext("This logo is too large (%(size)s): the maximum is %(max)s.")
            % {"size": filesizeformat(upload.size), "max": filesizeformat(LOGO_MAX_BYTES)},
            code="file_too_large",
        )
    return clean_image(upload)


class LogoField(forms.FileField):
    """An optional logo upload, checked by ``clean_logo``; can be cleared."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text", _("JPEG, PNG or WebP image, 2 MB at most. Preferably on a white ground.")
        )
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if isinstance(value, UploadedFile):
            return clean_logo(value)
        return value


class PartnerForm(forms.ModelForm):
    website = forms.URLField(
        label=_("website"), required=False, max_length=200, assume_scheme="https"
    )
    logo = LogoField(label=_("logo"))

    class Meta:
        model = Partner
        fields = ["name", "website", "logo", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise ValidationError(gettext("Enter the name of the organisation."), code="required")
        return name


class AddMemberForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("The person must already have a Tremplin account with this address."),
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=OrganiserRole.choices, initial=OrganiserRole.MANAGER
    )

    def __init__(self, *args, organiser=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organiser = organiser
        self.member = None

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise ValidationError(
                gettext("No account uses this address: ask the person to sign up first."),
                code="unknown",
            )
        if self.organiser and user.organiser_memberships.filter(organiser=self.organiser).exists():
            raise ValidationError(
                gettext("This person is already a member of the team."), code="member"
            )
        self.member = user
        return email


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=OrganiserRole.choices)
