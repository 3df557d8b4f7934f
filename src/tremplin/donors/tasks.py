"""Background work of the donors app: a receipt's e-mail, with its PDF attached."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from tremplin.core.contributor_links import space_path
from tremplin.core.money import format_money
from tremplin.donors.enums import ReceiptState
from tremplin.donors.models import Receipt
from tremplin.donors.receipt_pdf import filename, render_receipt

TEMPLATE = "donors/email/receipt_issued"


def deliver_receipt(receipt_pk: int) -> bool:
    """E-mail an issued receipt to its donor once, even with several workers: the row is
    claimed by a conditional UPDATE of ``emailed_at``. False when another worker had it,
    it was cancelled meanwhile, or it has no address."""
    claimed = (
        Receipt.objects.filter(pk=receipt_pk, emailed_at__isnull=True, state=ReceiptState.ISSUED)
        .exclude(donor_email="")
        .update(emailed_at=timezone.now())
    )
    if claimed != 1:
        return False
    receipt = Receipt.objects.get(pk=receipt_pk)
    try:
        _send(receipt)
    except Exception:
        # Give the claim back so that a retry sends it.
        Receipt.objects.filter(pk=receipt_pk).update(emailed_at=None)
        raise
    return True


def _send(receipt: Receipt) -> None:
    context = {
        "name": receipt.donor_name,
        "number": receipt.order_number,
        "beneficiary": receipt.beneficiary_name,
        "amount": str(receipt.amount),
        "amount_display": format_money(receipt.amount, cents=True),
        "space_path": space_path(receipt.donor_email),
        "site_url": settings.SITE_URL,
    }
    with translation.override(receipt.language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{TEMPLATE}_subject.txt", context).split())
        text = render_to_string(f"{TEMPLATE}.txt", context)
        html = render_to_string(f"{TEMPLATE}.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[receipt.donor_email])
    message.attach_alternative(html, "text/html")
    message.attach(filename(receipt), render_receipt(receipt), "application/pdf")
    message.send()


@task()
def send_receipt(receipt_pk: int) -> bool:
    return deliver_receipt(receipt_pk)
