"""The contributors' space (public URLs, no account): ask for a link, open a link, type
the code, then the space itself — contributions, receipts, choices, postal address.

Anonymous writes are rate-limited (``space``); an invalid POST re-renders its page with
status 400; a contribution or receipt of another address answers 404. Every page is
``no-store``: it shows personal data."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tremplin.donors import rules, space
from tremplin.donors.errors import DonorsError
from tremplin.donors.forms import AddressForm, ChoicesForm, CodeForm, LinkRequestForm
from tremplin.donors.models import Receipt
from tremplin.donors.receipt_pdf import filename, render_receipt
from tremplin.donors.receipts import KEPT_STATES, entitled_settings, has_postal_address
from tremplin.funding.enums import ContributionState

# Where the export of a person's data will be linked (the privacy app's part 2): an URL
# name under ``privacy:`` once that app is merged. Until then the space says the export
# is to come. See the report of issue #13.
EXPORT_URL_NAME = ""


def _private(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex"
    return response


def mask(email: str) -> str:
    local, _sep, domain = email.partition("@")
    return f"{local[:1]}{'•' * max(len(local) - 1, 2)}@{domain}"


@require_http_methods(["GET", "HEAD", "POST"])
def request_link(request: HttpRequest) -> HttpResponse:
    form = LinkRequestForm(request.POST or None)
    status = 200
    sent = False
    if request.method == "POST":
        if form.is_valid():
            try:
                space.send_link(request, form.cleaned_data["email"])
                sent = True
            except DonorsError as error:
                form.add_error(None, error.messages[0])
                status = 429
        else:
            status = 400
    context = {"form": form, "sent": sent}
    return _private(render(request, "donors/request_link.html", context, status=status))


@require_http_methods(["GET", "HEAD", "POST"])
def open_link(request: HttpRequest, token: str) -> HttpResponse:
    email = space.link_email(token)
    if email is None:
        return _private(render(request, "donors/link_invalid.html", status=400))
    if space.space_email(request) == email:
        return redirect("donors:space")
    status = 200
    error = ""
    if request.method == "POST":
        try:
            space.send_code(request, email)
        except DonorsError as refusal:
            error = refusal.messages[0]
            status = 429
        else:
            return redirect("donors:code")
    context = {"masked": mask(email), "error": error}
    return _private(render(request, "donors/open.html", context, status=status))


@require_http_methods(["GET", "HEAD", "POST"])
def code(request: HttpRequest) -> HttpResponse:
    email = space.pending_email(request)
    if email is None:
        messages.info(request, _("Open the link of one of your contribution e-mails first."))
        return redirect("donors:request_link")
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                space.verify_code(request, form.cleaned_data["code"])
            except DonorsError as error:
                if error.code != "wrong_code":
                    messages.error(request, error.messages[0])
                    return redirect("donors:request_link")
                form.add_error("code", error.messages[0])
                status = 400
            else:
                return redirect("donors:space")
        else:
            status = 400
    context = {"form": form, "masked": mask(email)}
    return _private(render(request, "donors/code.html", context, status=status))


def _space_context(email: str) -> dict:
    contributions = list(
        space.contributions_of(email)
        .select_related("campaign", "reward", "tax_receipt")
        .order_by("-created_at")
    )
    rows = []
    address_needed = False
    for contribution in contributions:
        receipt = getattr(contribution, "tax_receipt", None)
        entitled = entitled_settings(contribution.campaign_id) is not None
        waiting = (
            receipt is None
            and entitled
            and contribution.state == ContributionState.CONFIRMED
            and not has_postal_address(contribution)
        )
        address_needed = address_needed or waiting
        rows.append(
            {
                "contribution": contribution,
                "receipt": receipt,
                "entitled": entitled,
                "waiting_address": waiting,
                "campaign_over": contribution.campaign.state in KEPT_STATES,
                "form": ChoicesForm(
                    initial={
                        "hide_name": contribution.hide_name,
                        "hide_amount": contribution.hide_amount,
                        "news_consent": contribution.news_consent,
                    },
                    prefix=f"c{contribution.pk}",
                ),
            }
        )
    latest = contributions[0] if contributions else None
    address_form = AddressForm(
        initial={
            "address": latest.address if latest else "",
            "postal_code": latest.postal_code if latest else "",
            "city": latest.city if latest else "",
            "country": (latest.country if latest else "") or "FR",
        }
    )
    return {
        "email": email,
        "rows": rows,
        "address_form": address_form,
        "address_needed": address_needed,
        "any_entitled": any(row["entitled"] for row in rows),
        "export_url_name": EXPORT_URL_NAME,
    }


def _need_space(request: HttpRequest) -> str:
    email = space.space_email(request)
    if email is None:
        raise Http404
    return email


@require_safe
def space_view(request: HttpRequest) -> HttpResponse:
    email = space.space_email(request)
    if email is None:
        return redirect("donors:request_link")
    return _private(render(request, "donors/space.html", _space_context(email)))


@require_POST
def choices(request: HttpRequest, pk: int) -> HttpResponse:
    email = _need_space(request)
    form = ChoicesForm(request.POST, prefix=f"c{pk}")
    if not form.is_valid():  # booleans: only a forged POST gets here
        return _private(HttpResponse(status=400))
    try:
        space.update_choices(email, pk, **form.cleaned_data)
    except DonorsError:
        raise Http404 from None
    messages.success(request, _("Your choices are saved."))
    return redirect("donors:space")


@require_POST
def address(request: HttpRequest) -> HttpResponse:
    email = _need_space(request)
    form = AddressForm(request.POST)
    if not form.is_valid():
        context = {**_space_context(email), "address_form": form}
        return _private(render(request, "donors/space.html", context, status=400))
    issued = space.save_address(email, **form.cleaned_data)
    if issued:
        messages.success(
            request,
            _("Your address is saved and your tax receipts are ready below."),
        )
    else:
        messages.success(request, _("Your address is saved."))
    return redirect("donors:space")


@require_safe
def receipt_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    email = _need_space(request)
    receipt = Receipt.objects.select_related("contribution").filter(pk=pk).first()
    if receipt is None or not rules.can_read_receipt(email, receipt):
        raise Http404
    return pdf_response(receipt)


def pdf_response(receipt: Receipt) -> HttpResponse:
    response = HttpResponse(render_receipt(receipt), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename(receipt)}"'
    return _private(response)


@require_POST
def leave(request: HttpRequest) -> HttpResponse:
    space.close_space(request)
    messages.success(request, _("Your contributor's space is closed on this browser."))
    return redirect("donors:request_link")
