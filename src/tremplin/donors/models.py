"""Models of the contributors' space and the tax receipts (thin: writes go through
``space.py`` and ``receipts.py``).

- ``ReceiptSettings``: a campaign's beneficiary when it may issue tax receipts (legal
  name, address, object, CGI articles), edited by the organiser.
- ``RewardValue``: what a reward is worth, to deduct it from the receipt when it exceeds
  the administration's tolerance.
- ``ReceiptCounter``: the last number given per beneficiary and year, locked to number
  receipts without gaps.
- ``Receipt``: one per confirmed gift, a frozen copy of every field the Cerfa needs.
- ``SpaceCode``: a one-time code sent to an address to open the contributor's space."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tremplin.campaigns.models import MAX_AMOUNT, Campaign, RewardTier
from tremplin.core.models import Organiser
from tremplin.donors.enums import GiftForm, GiftNature, PaymentMethod, ReceiptState
from tremplin.funding.models import Contribution


class ReceiptSettings(models.Model):
    campaign = models.OneToOneField(
        Campaign, on_delete=models.CASCADE, related_name="receipt_settings"
    )
    entitled = models.BooleanField(
        _("the beneficiary may issue tax receipts"),
        default=False,
        help_text=_(
            "An organisation of general interest or recognised as being of public utility, "
            "entitled to receive gifts that give a tax reduction."
        ),
    )
    legal_name = models.CharField(_("legal name"), max_length=200)
    identifier = models.CharField(
        _("SIREN or RNA number"),
        max_length=10,
        blank=True,
        help_text=_("9 digits (SIREN) or W followed by 9 digits (RNA)."),
    )
    address = models.CharField(_("street address"), max_length=300)
    postal_code = models.CharField(_("postal code"), max_length=5)
    city = models.CharField(_("city"), max_length=100)
    purpose = models.TextField(_("object of the organisation"), max_length=1000)
    article_200 = models.BooleanField(
        _("article 200 of the CGI (gifts of individuals)"), default=True
    )
    article_238_bis = models.BooleanField(
        _("article 238 bis of the CGI (gifts of companies)"), default=False
    )
    gift_form = models.CharField(
        _("form of the gifts"),
        max_length=20,
        choices=GiftForm.choices,
        default=GiftForm.MANUAL_GIFT,
    )
    signatory = models.CharField(
        _("signatory (name and role)"),
        max_length=150,
        help_text=_("Printed as the signature of the receipts, e.g. “Marie Dupont, president”."),
    )
    # Receipts are numbered per beneficiary and year: the SIREN/RNA number, or the legal
    # name when there is none (see receipts.beneficiary_key).
    beneficiary_key = models.CharField(max_length=220, editable=False, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("tax receipt settings")
        verbose_name_plural = _("tax receipt settings")

    def __str__(self) -> str:
        return f"{self.legal_name} ({self.campaign})"

    @property
    def articles(self) -> list[str]:
        return [
            label
            for on, label in ((self.article_200, "200"), (self.article_238_bis, "238 bis"))
            if on
        ]


class RewardValue(models.Model):
    reward = models.OneToOneField(RewardTier, on_delete=models.CASCADE, related_name="value")
    value = models.DecimalField(
        _("value of the reward (€)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_AMOUNT)],
    )

    def __str__(self) -> str:
        return f"{self.reward}: {self.value} €"


class ReceiptCounter(models.Model):
    organiser = models.ForeignKey(Organiser, on_delete=models.PROTECT, related_name="+")
    beneficiary_key = models.CharField(max_length=220)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organiser", "beneficiary_key", "year"], name="one_counter_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.beneficiary_key} {self.year}: {self.last_number}"


class Receipt(models.Model):
    """A tax receipt (Cerfa n° 11580*05), frozen when issued: what it says never changes,
    even if the settings or the contributor's details do later. A refund cancels it
    (kept, marked)."""

    contribution = models.OneToOneField(
        Contribution, on_delete=models.PROTECT, related_name="tax_receipt"
    )
    settings = models.ForeignKey(ReceiptSettings, on_delete=models.PROTECT, related_name="receipts")
    organiser = models.ForeignKey(Organiser, on_delete=models.PROTECT, related_name="+")
    beneficiary_key = models.CharField(max_length=220)
    year = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField()
    state = models.CharField(
        max_length=10, choices=ReceiptState.choices, default=ReceiptState.ISSUED
    )
    # The beneficiary, as printed.
    beneficiary_name = models.CharField(max_length=200)
    beneficiary_identifier = models.CharField(max_length=10, blank=True)
    beneficiary_address = models.CharField(max_length=420)
    beneficiary_purpose = models.TextField()
    articles = models.CharField(max_length=40)
    signatory = models.CharField(max_length=150)
    # The donor, as printed.
    donor_name = models.CharField(max_length=150)
    donor_address = models.CharField(max_length=420)
    donor_email = models.EmailField(blank=True)
    language = models.CharField(max_length=8, default="fr")
    # The gift.
    gift_amount = models.DecimalField(max_digits=10, decimal_places=2)
    reward_value = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0"))
    reward_deducted = models.BooleanField(default=False)
    amount = models.DecimalField(max_digits=10, decimal_places=2)  # what the receipt states
    amount_in_words = models.CharField(max_length=400)
    gift_date = models.DateField()
    gift_form = models.CharField(max_length=20, choices=GiftForm.choices)
    gift_nature = models.CharField(
        max_length=10, choices=GiftNature.choices, default=GiftNature.CASH
    )
    payment_method = models.CharField(max_length=20, choices=PaymentMethod.choices)
    issued_at = models.DateTimeField()
    emailed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organiser", "beneficiary_key", "year", "number"],
                name="receipt_number_unique",
            )
        ]
        indexes = [models.Index(fields=["donor_email"])]

    def __str__(self) -> str:
        return f"{self.order_number} {self.beneficiary_name}"

    @property
    def order_number(self) -> str:
        return f"{self.year}-{self.number:05d}"

    @property
    def cancelled(self) -> bool:
        return self.state == ReceiptState.CANCELLED


class SpaceCode(models.Model):
    """A one-time code sent to ``email`` to open the contributor's space in the browser
    whose session holds this row's id. Only its hash is stored."""

    email = models.EmailField()
    code_hash = models.CharField(max_length=64)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["email", "created_at"])]

    def __str__(self) -> str:
        return f"code for {self.email}"
