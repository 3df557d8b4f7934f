"""Forms of the organiser's back-office for campaigns: creating one from an application,
scheduling, assigning a coach, and the programme's crowdfunding settings."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tremplin.calls.forms import FrenchDecimalField, MoneyField
from tremplin.calls.manage_forms import ParisDateTimeField
from tremplin.calls.models import Application
from tremplin.campaigns.enums import FundingRule
from tremplin.campaigns.models import MAX_AMOUNT, CampaignSettings
from tremplin.core.fields import IdChoiceField
from tremplin.core.models import User
from tremplin.core.money import format_money


def provider_choices() -> list[tuple[str, Any]]:
    """The payment providers available here (``payments.providers``: "stripe", and
    "sandbox" only with ``SANDBOX_ENABLED``)."""
    from tremplin.payments.providers.base import available_provider_classes

    return [
        (identifier, cls.verbose_name) for identifier, cls in available_provider_classes().items()
    ]


class Form(forms.Form):
    use_required_attribute = False


class ApplicationChoiceField(IdChoiceField):
    def label_from_instance(self, obj: Application) -> str:
        return f"{obj.title} — {obj.programme.name}"


class CreateCampaignForm(Form):
    application = ApplicationChoiceField(
        label=_("Application"),
        queryset=Application.objects.none(),
        empty_label=_("Choose an application"),
        help_text=_("A submitted application of one of your programmes without a campaign."),
    )

    def __init__(self, *args: Any, applications: QuerySet[Application], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = applications


class ScheduleForm(Form):
    starts_at = ParisDateTimeField(label=_("Start (Paris time)"))
    ends_at = ParisDateTimeField(label=_("Deadline (Paris time)"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if ends_at and "ends_at" not in self.errors:
            if starts_at and starts_at >= ends_at:
                self.add_error(
                    "ends_at",
                    ValidationError(
                        _("The campaign must end after it starts."), code="dates_order"
                    ),
                )
            elif ends_at <= timezone.now():
                self.add_error(
                    "ends_at",
                    ValidationError(_("The deadline must be in the future."), code="past"),
                )
        return cleaned


class CoachChoiceField(IdChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.full_name} <{obj.email}>" if obj.full_name else obj.email


class CoachForm(Form):
    coach = CoachChoiceField(
        label=_("Coach"),
        queryset=User.objects.filter(is_coach=True, is_active=True).order_by("full_name", "email"),
        required=False,
        empty_label=_("No coach"),
    )


class CampaignSettingsForm(forms.ModelForm):
    use_required_attribute = False

    funding_rule = forms.ChoiceField(
        label=_("Funding rule"),
        choices=FundingRule.choices,
        widget=forms.RadioSelect,
    )
    min_contribution = MoneyField(label=_("Minimum contribution (€)"))
    max_contribution = MoneyField(label=_("Maximum contribution (€)"))
    fee_percent = FrenchDecimalField(
        label=_("Platform and payment fees (%)"),
        max_digits=5,
        decimal_places=2,
        help_text=_("Deducted from the amount paid out, shown on the settlement statement."),
    )
    payment_provider = forms.ChoiceField(label=_("Payment provider"), choices=provider_choices)

    class Meta:
        model = CampaignSettings
        fields = [
            "funding_rule",
            "min_contribution",
            "max_contribution",
            "fee_percent",
            "payment_provider",
        ]

    def __init__(self, *args: Any, rule_locked: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if rule_locked:
            self.fields["funding_rule"].disabled = True
            self.fields["funding_rule"].help_text = _(
                "Locked: a campaign of the programme is scheduled or live."
            )

    def _amount(self, name: str) -> Decimal | None:
        value = self.cleaned_data.get(name)
        low = Decimal("1")
        if value is not None and not (low <= value <= MAX_AMOUNT):
            raise ValidationError(
                _("Enter an amount between %(min)s and %(max)s.")
                % {"min": format_money(low), "max": format_money(MAX_AMOUNT)},
                code="range",
            )
        return value

    def clean_min_contribution(self) -> Decimal | None:
        return self._amount("min_contribution")

    def clean_max_contribution(self) -> Decimal | None:
        return self._amount("max_contribution")

    def clean_fee_percent(self) -> Decimal | None:
        value = self.cleaned_data.get("fee_percent")
        if value is not None and not (Decimal("0") <= value <= Decimal("20")):
            raise ValidationError(_("Enter a percentage between 0 and 20."), code="range")
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        low, high = cleaned.get("min_contribution"), cleaned.get("max_contribution")
        if low is not None and high is not None and low > high:
            self.add_error(
                "max_contribution",
                ValidationError(
                    _("The maximum contribution must be at least the minimum."), code="order"
                ),
            )
        return cleaned
