"""Audit actions of the contributors' space and the tax receipts: constants, labels, data
keys and value enums, registered with ``core.audit.register`` in ``AppConfig.ready()``."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from tremplin.donors.enums import GiftForm, PaymentMethod

RECEIPT_SETTINGS_CHANGED = "tremplin.receipts.settings_changed"
RECEIPT_ISSUED = "tremplin.receipt.issued"
RECEIPT_CANCELLED = "tremplin.receipt.cancelled"
RECEIPTS_SUMMARY_EXPORTED = "tremplin.receipts.summary_exported"
SPACE_OPENED = "tremplin.contributor_space.opened"
SPACE_CHOICES_CHANGED = "tremplin.contributor_space.choices_changed"
SPACE_ADDRESS_CHANGED = "tremplin.contributor_space.address_changed"

LABELS = {
    RECEIPT_SETTINGS_CHANGED: _("Tax receipt settings changed"),
    RECEIPT_ISSUED: _("Tax receipt issued"),
    RECEIPT_CANCELLED: _("Tax receipt cancelled (the gift was refunded)"),
    RECEIPTS_SUMMARY_EXPORTED: _("Yearly summary of tax receipts exported"),
    SPACE_OPENED: _("Contributor's space opened with a code"),
    SPACE_CHOICES_CHANGED: _("Contributor changed their display or news choices"),
    SPACE_ADDRESS_CHANGED: _("Contributor gave their postal address"),
}

DATA_LABELS = {
    "receipt_number": _("receipt number"),
    "amount": _("amount (€)"),
    "entitled": _("entitled to issue receipts"),
    "legal_name": _("legal name"),
    "year": _("year"),
    "hide_name": _("name hidden"),
    "hide_amount": _("amount hidden"),
    "news_consent": _("news wanted"),
    "contributions": _("contributions"),
    "gift_form": _("form of the gifts"),
    "payment_method": _("method of payment"),
}

VALUE_CHOICES = (GiftForm, PaymentMethod)
