"""The hosted card page of the simulated payment service (what Stripe Checkout would be)."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tremplin.core.money import format_money, from_cents
from tremplin.sandbox import api
from tremplin.sandbox.forms import CardForm
from tremplin.sandbox.models import ChargeState, SandboxCharge, is_charge_id


def decline_message(code: str) -> str:
    if code == "insufficient_funds":
        return _(
            "Your card was declined: insufficient funds. No money was taken. You can go back "
            "to the site and try again with another card."
        )
    return _(
        "Your card was declined by the bank. No money was taken. You can go back to the site "
        "and try again with another card."
    )


@require_http_methods(["GET", "HEAD", "POST"])
def checkout(request: HttpRequest, charge_id: str) -> HttpResponse:
    if not getattr(settings, "SANDBOX_ENABLED", False) or not is_charge_id(charge_id):
        raise Http404
    charge = SandboxCharge.objects.filter(public_id=charge_id).first()
    if charge is None:
        raise Http404
    form = CardForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and charge.state == ChargeState.OPEN:
        if form.is_valid():
            result = api.pay(charge.public_id, form.cleaned_data["card_number"])
            if result["state"] == ChargeState.SUCCEEDED:
                return redirect(charge.return_url)
            charge.refresh_from_db()
        else:
            status = 400
    context = {
        "charge": charge,
        "form": form,
        "amount": format_money(from_cents(charge.amount)),
        "declined": charge.state == ChargeState.DECLINED,
        "decline_message": decline_message(charge.decline_code),
        "test_cards": [
            ("4242 4242 4242 4242", _("payment accepted")),
            ("4000 0000 0000 0002", _("card declined")),
            ("4000 0000 0000 9995", _("declined: insufficient funds")),
        ],
    }
    return render(request, "sandbox/checkout.html", context, status=status)
