"""The donors app's personal data, declared for the privacy registry (see
docs/privacy.md): plain data, so that donors never imports privacy (which sits above it)."""

from django.utils.translation import gettext_lazy as _

PERSONAL_DATA = [
    {
        # A tax receipt is the copy of a document the donor and the tax administration
        # hold: kept as issued (erasure only empties the contribution it points to); its
        # donor identity goes with the contributions' (privacy.retention, receipts rule).
        "model": "donors.Receipt",
        "about": _("contributors who receive a tax receipt"),
        "user": ("contribution__user",),
        "email": ("donor_email", "contribution__email"),
        "fields": ("donor_name", "donor_address", "donor_email"),
        "exempt": {
            "beneficiary_name": "the beneficiary organisation's legal name",
            "beneficiary_address": "the beneficiary organisation's address",
        },
        "erasure": "keep",
        "reason": _(
            "Donor identity on issued tax receipts, kept for their legal period (6 years tax "
            "review, 10 years accounting)"
        ),
        "retention": _(
            "ten years after the end of the year of the gift, then the donor's identity erased"
        ),
        "export": (
            "id",
            "beneficiary_name",
            "year",
            "number",
            "state",
            "donor_name",
            "donor_address",
            "donor_email",
            "gift_amount",
            "reward_value",
            "amount",
            "amount_in_words",
            "gift_date",
            "gift_form",
            "payment_method",
            "issued_at",
            "emailed_at",
            "cancelled_at",
        ),
    },
    {
        # One-time codes to open the contributors' space: only a hash, dead after
        # DONORS_CODE_MINUTES; deleted at the erasure and by the retention job.
        "model": "donors.SpaceCode",
        "about": _("contributors who open their space"),
        "email": ("email",),
        "fields": ("email",),
        "erasure": "delete",
        "retention": _("one day after the code expired"),
        "export": "",
    },
]

NOT_PERSONAL = {
    "donors.ReceiptSettings": (
        "the beneficiary organisation's legal name and address; its signatory is named in "
        "their official capacity, as printed on the receipts it signs"
    ),
}
