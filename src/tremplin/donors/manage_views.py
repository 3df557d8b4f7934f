"""The organiser's receipt pages, under ``gestion/<organiser_slug>/``: a campaign's
beneficiary settings and its receipts (viewers read, managers change), a receipt's PDF,
and the yearly summary per beneficiary (page and CSV).

Every view is decorated with ``organiser_view``; campaigns come through
``request.organiser`` (another organiser's answer 404). An invalid POST re-renders its
page with status 400."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tremplin.calls.exports import to_csv
from tremplin.campaigns.models import Campaign, RewardTier
from tremplin.core.audit import log_action
from tremplin.core.fields import parse_id
from tremplin.core.permissions import organiser_view
from tremplin.donors import actions
from tremplin.donors.beneficiary import receipt_years, save_receipt_settings, yearly_summary
from tremplin.donors.forms import ReceiptSettingsForm
from tremplin.donors.models import Receipt, ReceiptSettings, RewardValue
from tremplin.donors.receipts import KEPT_STATES, issue_campaign_receipts
from tremplin.donors.views import pdf_response

PAGE_SIZE = 50


def _campaign(request: HttpRequest, slug: str) -> Campaign:
    return get_object_or_404(
        Campaign.objects.select_related("programme"),
        programme__organiser=request.organiser,
        slug=slug,
    )


def _settings_form(campaign: Campaign, data=None) -> ReceiptSettingsForm:
    rewards = list(RewardTier.objects.filter(campaign=campaign).order_by("position", "pk"))
    values = dict(
        RewardValue.objects.filter(reward__campaign=campaign).values_list("reward_id", "value")
    )
    instance = ReceiptSettings.objects.filter(campaign=campaign).first()
    return ReceiptSettingsForm(data, instance=instance, rewards=rewards, values=values)


@organiser_view(post_needs_edit=True)
@require_http_methods(["GET", "HEAD", "POST"])
def receipts(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = _campaign(request, slug)
    form = _settings_form(campaign, request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            save_receipt_settings(campaign, data, data["reward_values"], user=request.user)
            messages.success(request, _("The tax receipt settings are saved."))
            return redirect("donors_manage:receipts", request.organiser.slug, campaign.slug)
        status = 400
    issued = Receipt.objects.filter(contribution__campaign=campaign).order_by("year", "number")
    page = Paginator(issued, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "campaign": campaign,
        "form": form,
        "page": page,
        "receipt_settings": ReceiptSettings.objects.filter(campaign=campaign).first(),
        "can_issue": campaign.state in KEPT_STATES,
    }
    return render(request, "donors/manage/receipts.html", context, status=status)


@organiser_view(edit=True)
@require_POST
def issue(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = _campaign(request, slug)
    if campaign.state not in KEPT_STATES:
        messages.error(request, _("Receipts are issued once the campaign has kept its gifts."))
    else:
        result = issue_campaign_receipts(campaign)
        messages.success(
            request,
            _("%(issued)s receipt(s) issued; %(waiting)s contributor(s) still to give an address.")
            % {"issued": result.issued, "waiting": result.awaiting_address},
        )
    return redirect("donors_manage:receipts", request.organiser.slug, campaign.slug)


@organiser_view()
@require_safe
def receipt_pdf(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    campaign = _campaign(request, slug)
    receipt = get_object_or_404(Receipt, pk=pk, contribution__campaign=campaign)
    return pdf_response(receipt)


def _year(request: HttpRequest, years: list[int]) -> int:
    asked = parse_id(request.GET.get("annee", ""))
    if asked in years:
        return asked
    return years[0] if years else timezone.localdate().year


@organiser_view()
@require_safe
def summary(request: HttpRequest) -> HttpResponse:
    years = receipt_years(request.organiser)
    year = _year(request, years)
    lines = yearly_summary(request.organiser, year)
    context = {"years": years, "year": year, "lines": lines}
    return render(request, "donors/manage/summary.html", context)


@organiser_view()
@require_safe
def summary_export(request: HttpRequest, year: int) -> HttpResponse:
    if year not in receipt_years(request.organiser):
        raise Http404
    lines = yearly_summary(request.organiser, year)
    header = [
        _("Beneficiary"),
        _("SIREN or RNA number"),
        _("Year"),
        _("Receipts to declare"),
        _("Total of the gifts (€)"),
        _("Cancelled receipts"),
        _("Total of the cancelled receipts (€)"),
        _("First number"),
        _("Last number"),
        _("Campaigns"),
    ]
    rows = (
        [
            line.legal_name,
            line.identifier,
            year,
            line.receipts,
            line.total,
            line.cancelled,
            line.cancelled_total,
            line.first_number,
            line.last_number,
            " | ".join(line.campaigns),
        ]
        for line in lines
    )
    body = to_csv(header, rows)
    log_action(
        actions.RECEIPTS_SUMMARY_EXPORTED,
        user=request.user,
        organiser=request.organiser,
        data={"year": year},
    )
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="recus-fiscaux-{year}.csv"'
    return response
