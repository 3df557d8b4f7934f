"""The organiser's funding pages, mounted under ``gestion/<organiser_slug>/``: record an
offline contribution, import offline contributions from CSV, the programme's matchfunding
pot, a campaign's settlement statement (and its CSV; its failed refunds retried or recorded
as given back outside the platform), and the list of a campaign's
contributions (filters, CSV export).

Every view is decorated with ``organiser_view``; campaigns and programmes are fetched
through ``request.organiser`` (another organiser's answer 404). Viewers read; changes need
a manager (403 otherwise: ``organiser_view(edit=True)`` for the pages that only change
things, ``post_needs_edit=True`` for the pages viewers may read). An invalid POST
re-renders its page with status 400."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tremplin.calls.exports import to_csv
from tremplin.calls.models import Programme
from tremplin.campaigns.creation import save_matched_counts_toward_goal
from tremplin.campaigns.enums import CLOSED_OUTCOMES
from tremplin.campaigns.models import Campaign, RewardTier
from tremplin.core.audit import entries_for, log_action
from tremplin.core.money import format_money
from tremplin.core.permissions import organiser_view
from tremplin.funding import exports, settlement
from tremplin.funding.errors import FundingError
from tremplin.funding.forms import (
    ContributionFilterForm,
    ImportForm,
    OfflineContributionForm,
    PotForm,
    RefundOutsideForm,
    today,
)
from tremplin.funding.helpers import OFFLINE_SOURCES, new_key
from tremplin.funding.matchfunding import save_pot
from tremplin.funding.models import Contribution, MatchfundingPot
from tremplin.funding.offline import (
    import_offline_csv,
    offline_error,
    record_offline,
    record_offline_refund,
)
from tremplin.funding.offline_csv import CSVImportError
from tremplin.payments.models import Refund
from tremplin.payments.refund_recovery import record_refund_outside, retry_refund
from tremplin.payments.services import PaymentError

PAGE_SIZE = 50
HISTORY_SIZE = 50


def _campaign(request: HttpRequest, slug: str) -> Campaign:
    return get_object_or_404(
        Campaign.objects.select_related("programme", "application"),
        programme__organiser=request.organiser,
        slug=slug,
    )


def _query(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


# --- offline contributions ----------------------------------------------------------------------


@organiser_view(edit=True)
@require_http_methods(["GET", "HEAD", "POST"])
def offline(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = _campaign(request, slug)
    refused = offline_error(campaign)
    initial = {"key": new_key(), "received_on": today()}
    status = 200
    if request.method == "POST":
        form = OfflineContributionForm(request.POST, campaign=campaign, initial=initial)
        if refused is None and form.is_valid():
            try:
                contribution = record_offline(
                    campaign, form.row(), user=request.user, key=form.cleaned_data["key"]
                )
            except FundingError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("The contribution of %(name)s is recorded.") % {"name": contribution.name},
                )
                return redirect("funding_manage:offline", request.organiser.slug, campaign.slug)
        status = 400
    else:
        form = OfflineContributionForm(campaign=campaign, initial=initial)
    recent = (
        Contribution.objects.filter(campaign=campaign, source__in=OFFLINE_SOURCES)
        .select_related("recorded_by")
        .order_by("-created_at")[:20]
    )
    context = {"campaign": campaign, "form": form, "refused": refused, "recent": recent}
    response = render(request, "funding/manage/offline.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@organiser_view(edit=True)
@require_http_methods(["GET", "HEAD", "POST"])
def import_csv(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = _campaign(request, slug)
    refused = offline_error(campaign)
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, initial={"key": new_key()})
        if refused is None and form.is_valid():
            try:
                result = import_offline_csv(
                    campaign,
                    form.cleaned_data["file"].read(),
                    user=request.user,
                    key=form.cleaned_data["key"],
                )
            except CSVImportError as error:
                errors = error.messages()
            else:
                messages.success(
                    request,
                    _("%(count)d offline contributions imported, %(total)s in all.")
                    % {"count": result.count, "total": format_money(result.total)},
                )
                return redirect(
                    "funding_manage:contributions", request.organiser.slug, campaign.slug
                )
        status = 400
        form = ImportForm(initial={"key": new_key()}) if errors else form
    else:
        form = ImportForm(initial={"key": new_key()})
    context = {
        "campaign": campaign,
        "form": form,
        "refused": refused,
        "errors": errors,
        "columns": exports.csv_column_help(),
    }
    response = render(request, "funding/manage/import.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@organiser_view(edit=True)
@require_POST
def offline_refund(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    campaign = _campaign(request, slug)
    contribution = get_object_or_404(
        Contribution.objects.filter(source__in=OFFLINE_SOURCES), campaign=campaign, pk=pk
    )
    try:
        record_offline_refund(contribution, user=request.user)
    except FundingError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _("The contribution of %(name)s is marked as refunded.") % {"name": contribution.name},
        )
    return redirect("funding_manage:statement", request.organiser.slug, campaign.slug)


# --- matchfunding ---------------------------------------------------------------------------


@organiser_view(post_needs_edit=True)
@require_http_methods(["GET", "HEAD", "POST"])
def pot(request: HttpRequest, programme_slug: str) -> HttpResponse:
    programme = get_object_or_404(
        Programme.objects.select_related("organiser"),
        organiser=request.organiser,
        slug=programme_slug,
    )
    existing = MatchfundingPot.objects.filter(programme=programme).first()
    instance = existing or MatchfundingPot(programme=programme)
    can_edit = request.membership.can_edit
    status = 200
    if request.method == "POST":
        form = PotForm(request.POST, instance=instance)
        if form.is_valid():
            try:
                with transaction.atomic():
                    save_pot(form.save(commit=False), user=request.user, changed=form.changed_data)
                    save_matched_counts_toward_goal(
                        programme, form.cleaned_data["counts_toward_goal"]
                    )
            except FundingError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The matchfunding pot is saved."))
                return redirect("funding_manage:pot", request.organiser.slug, programme.slug)
        status = 400
    else:
        form = PotForm(instance=instance, read_only=not can_edit)
    allocations = []
    if existing is not None:
        allocations = list(
            Campaign.objects.filter(programme=programme)
            .exclude(matched_amount=0)
            .only("slug", "title", "matched_amount", "raised_amount", "goal")
            .order_by("title")
        )
    context = {
        "programme": programme,
        "form": form,
        "pot": existing,
        "can_edit": can_edit,
        "allocations": allocations,
        "audit_entries": entries_for(programme).filter(action__startswith="tremplin.matchfunding.")[
            :HISTORY_SIZE
        ],
    }
    return render(request, "funding/manage/pot.html", context, status=status)


# --- settlement -------------------------------------------------------------------------------


@organiser_view()
@require_safe
def statement(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = _campaign(request, slug)
    result = settlement.statement(campaign)
    context = {
        "campaign": campaign,
        "statement": result,
        "can_edit": request.membership.can_edit,
        "closed": campaign.state in CLOSED_OUTCOMES,
        "audit_entries": entries_for(campaign)[:HISTORY_SIZE],
    }
    return render(request, "funding/manage/statement.html", context)


@organiser_view()
@require_safe
def statement_export(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = _campaign(request, slug)
    result = settlement.statement(campaign)
    body = to_csv([_("Item"), _("Value")], iter([list(line) for line in result.lines()]))
    log_action("tremplin.campaign.statement_exported", obj=campaign, user=request.user, data={})
    return _attachment(body, f"{campaign.slug}-releve-{_stamp()}.csv")


@organiser_view(edit=True)
@require_POST
def settle(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = _campaign(request, slug)
    try:
        settlement.settle(campaign, user=request.user)
    except ValidationError as error:  # FundingError or the campaigns' CampaignError
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The campaign is settled."))
    if request.POST.get("back") == "detail":  # the button of the campaign's back-office page
        return redirect("campaigns_manage:detail", request.organiser.slug, campaign.slug)
    return redirect("funding_manage:statement", request.organiser.slug, campaign.slug)


# --- failed refunds: retry, or record as given back outside the platform -----------------------


def _failed_refund(campaign: Campaign, pk: int) -> Refund:
    return get_object_or_404(
        Refund.objects.select_related("payment__contribution"),
        payment__contribution__campaign=campaign,
        pk=pk,
    )


@organiser_view(edit=True)
@require_POST
def refund_retry(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    campaign = _campaign(request, slug)
    refund = _failed_refund(campaign, pk)
    try:
        retry_refund(refund.pk, user=request.user)
    except PaymentError:
        messages.error(request, _("Only a failed refund can be retried."))
    else:
        messages.success(
            request,
            _("The refund of %(name)s is being retried.")
            % {"name": refund.payment.contribution.name},
        )
    return redirect("funding_manage:statement", request.organiser.slug, campaign.slug)


@organiser_view(edit=True)
@require_http_methods(["GET", "HEAD", "POST"])
def refund_outside(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    campaign = _campaign(request, slug)
    refund = _failed_refund(campaign, pk)
    status = 200
    if request.method == "POST":
        form = RefundOutsideForm(request.POST)
        if form.is_valid():
            try:
                record_refund_outside(
                    refund.pk,
                    user=request.user,
                    reason=form.cleaned_data["reason"],
                    reference=form.cleaned_data["reference"],
                )
            except PaymentError:
                form.add_error(
                    None, _("Only a failed refund can be recorded as made outside the platform.")
                )
            else:
                messages.success(
                    request,
                    _("The refund of %(name)s is recorded as made outside the platform.")
                    % {"name": refund.payment.contribution.name},
                )
                return redirect("funding_manage:statement", request.organiser.slug, campaign.slug)
        status = 400
    else:
        form = RefundOutsideForm()
    context = {"campaign": campaign, "refund": refund, "form": form}
    response = render(request, "funding/manage/refund_outside.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


# --- contributions list -----------------------------------------------------------------------


def filter_contributions(campaign: Campaign, filters: dict[str, str]) -> QuerySet[Contribution]:
    rows = Contribution.objects.filter(campaign=campaign)
    if filters["q"]:
        q = filters["q"]
        rows = rows.filter(
            Q(name__icontains=q) | Q(email__icontains=q) | Q(offline_reference__icontains=q)
        )
    if filters["state"]:
        rows = rows.filter(state=filters["state"])
    if filters["source"]:
        rows = rows.filter(source=filters["source"])
    if filters["reward"] == "none":
        rows = rows.filter(reward__isnull=True)
    elif filters["reward"] == "unavailable":
        rows = rows.filter(reward_unavailable=True)
    elif filters["reward"]:
        rows = rows.filter(reward_id=filters["reward"])
    if filters["channel"]:
        rows = rows.filter(channel=filters["channel"])
    return rows.select_related("reward", "recorded_by").order_by("-created_at", "-pk")


@organiser_view()
@require_safe
def contributions(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = _campaign(request, slug)
    rewards = list(RewardTier.objects.filter(campaign=campaign))
    form = ContributionFilterForm(request.GET or None, rewards=rewards)
    rows = filter_contributions(campaign, form.filters())
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "campaign": campaign,
        "form": form,
        "page": page,
        "query": _query(request),
        "can_edit": request.membership.can_edit,
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "funding/manage/contributions.html", context, status=status)


@organiser_view()
@require_safe
def contributions_export(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = _campaign(request, slug)
    rewards = list(RewardTier.objects.filter(campaign=campaign))
    form = ContributionFilterForm(request.GET or None, rewards=rewards)
    rows = list(filter_contributions(campaign, form.filters()))
    header, data = exports.contribution_rows(rows)
    log_action(
        "tremplin.contributions.exported",
        obj=campaign,
        user=request.user,
        data={"format": "csv", "count": len(rows)},
    )
    return _attachment(to_csv(header, data), f"{campaign.slug}-contributions-{_stamp()}.csv")


def _stamp() -> str:
    return timezone.localtime().strftime("%Y-%m-%d")


def _attachment(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
