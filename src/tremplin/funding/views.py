"""Public funding pages: the checkout form, the thank-you (status) page, and the maker's
form to record an offline contribution for their own campaign.

No account is needed to contribute. The form carries a hidden idempotency key made when it
is shown: a double-clicked or replayed POST lands on the same contribution and the same
payment page. An invalid POST re-renders the form with status 400."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tremplin.campaigns.enums import PUBLIC_STATES
from tremplin.campaigns.models import Campaign, CampaignSettings, RewardTier
from tremplin.core import attribution, ratelimit
from tremplin.funding.checkout import checkout_redirect_url, start_checkout
from tremplin.funding.enums import ContributionState
from tremplin.funding.errors import FundingError
from tremplin.funding.forms import (
    ADDRESS_FIELD_NAMES,
    ContributeForm,
    OfflineContributionForm,
    today,
)
from tremplin.funding.helpers import (
    OFFLINE_SOURCES,
    campaign_open_error,
    clean_channel,
    is_valid_key,
    new_key,
    settings_of,
)
from tremplin.funding.models import Contribution
from tremplin.funding.offline import offline_error, record_offline
from tremplin.payments.availability import is_test_mode, payments_refusal
from tremplin.payments.providers.base import ProviderError
from tremplin.payments.services import PaymentError

# Pages whose campaign is not public (draft, in review, approved, scheduled) answer 404.
REFRESH_SECONDS = 3
# The window of the checkout rate limits (settings.CHECKOUT_LIMIT_PER_IP / _PER_EMAIL).
CHECKOUT_LIMIT_WINDOW = 600


def _public_campaign(slug: str) -> Campaign:
    campaign = get_object_or_404(
        Campaign.objects.select_related("programme__organiser", "programme__campaign_settings"),
        slug=slug,
    )
    if campaign.state not in PUBLIC_STATES:
        raise Http404
    return campaign


def _no_store(response: HttpResponse) -> HttpResponse:
    # The form holds a one-time key: the back button must fetch a fresh one.
    response["Cache-Control"] = "no-store"
    return response


def _amount_text(amount) -> str:
    """An amount as a person would type it: "25" or "12,50"."""
    if amount == amount.to_integral_value():
        return str(int(amount))
    return f"{amount:.2f}".replace(".", ",")


def _contribute_form(request: HttpRequest, campaign: Campaign, rewards, rules, data=None):
    initial: dict = {"key": new_key(), "country": "FR"}
    if request.user.is_authenticated:
        initial["name"] = request.user.full_name
        initial["email"] = request.user.email
    preselected = request.GET.get("contrepartie", "")
    if preselected.isdigit() and any(str(r.pk) == preselected for r in rewards):
        initial["reward"] = preselected
        reward = next(r for r in rewards if str(r.pk) == preselected)
        initial["amount"] = _amount_text(max(reward.min_amount, rules.min_contribution))
    return ContributeForm(
        data,
        campaign=campaign,
        rewards=rewards,
        minimum=rules.min_contribution,
        maximum=rules.max_contribution,
        initial=initial,
    )


def _render_contribute(request, campaign, form, rules, *, status=200, closed=None):
    selected = form.selected_reward()
    context = {
        "campaign": campaign,
        "form": form,
        "rules": rules,
        "rewards": form.rewards,
        "shipping": selected is not None and selected.requires_shipping,
        "address_fields": [form[name] for name in ADDRESS_FIELD_NAMES],
        "closed": closed,
        "canal": clean_channel(request.GET.get("canal", "")),
        "test_mode": is_test_mode(campaign.programme),
    }
    return _no_store(render(request, "funding/contribute.html", context, status=status))


def _payments_closed(campaign: Campaign) -> FundingError | None:
    """The campaign's programme cannot take payments (no provider set up, the sandbox while
    it is off): the form is not offered, with the reason."""
    refusal = payments_refusal(campaign.programme)
    return None if refusal is None else FundingError(refusal, "payments_not_set_up")


def _rate_limited(request: HttpRequest, email: str) -> bool:
    """Too many checkouts from this address, or for this e-mail address, in the window
    (``CHECKOUT_LIMIT_PER_IP`` / ``CHECKOUT_LIMIT_PER_EMAIL`` per 10 minutes)."""
    window = CHECKOUT_LIMIT_WINDOW
    by_ip = ratelimit.allow(
        "checkout-ip",
        ratelimit.client_ip(request),
        limit=getattr(settings, "CHECKOUT_LIMIT_PER_IP", 20),
        window=window,
    )
    by_email = ratelimit.allow(
        "checkout-email",
        email.strip().lower(),
        limit=getattr(settings, "CHECKOUT_LIMIT_PER_EMAIL", 5),
        window=window,
    )
    return not (by_ip and by_email)


def _rules_of(campaign: Campaign) -> CampaignSettings:
    """The programme's settings, read with the campaign (``_public_campaign``)."""
    try:
        return campaign.programme.campaign_settings
    except CampaignSettings.DoesNotExist:
        return settings_of(campaign)


@require_http_methods(["GET", "HEAD", "POST"])
def contribute(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = _public_campaign(slug)
    rules = _rules_of(campaign)
    rewards = list(RewardTier.objects.filter(campaign=campaign))
    closed = campaign_open_error(campaign) or _payments_closed(campaign)
    if request.method in ("GET", "HEAD"):
        form = _contribute_form(request, campaign, rewards, rules)
        return _render_contribute(request, campaign, form, rules, closed=closed)
    form = _contribute_form(request, campaign, rewards, rules, data=request.POST)
    if closed is not None:
        return _render_contribute(request, campaign, form, rules, status=400, closed=closed)
    if not form.is_valid():
        return _render_contribute(request, campaign, form, rules, status=400)
    replay = Contribution.objects.filter(idempotency_key=form.cleaned_data["key"]).exists()
    if not replay and _rate_limited(request, form.cleaned_data["email"]):
        form.add_error(
            None,
            _(
                "Too many contributions were started from here in the last few minutes. "
                "Please wait a few minutes, then try again."
            ),
        )
        return _render_contribute(request, campaign, form, rules, status=429)
    try:
        contribution = start_checkout(
            campaign,
            form.checkout_data(get_language() or "fr"),
            idempotency_key=form.cleaned_data["key"],
            user=request.user,
            channel=request.GET.get("canal", ""),
            attribution=attribution.from_query(request.GET),
            rules=rules,
        )
    except FundingError as error:
        if error.code in ("campaign_closed", "campaign_not_live", "campaign_not_started"):
            return _render_contribute(request, campaign, form, rules, status=400, closed=error)
        form.add_error(None, error)
        return _render_contribute(request, campaign, form, rules, status=400)
    try:
        return redirect(checkout_redirect_url(contribution))
    except (ProviderError, PaymentError):  # unreachable, or no longer set up
        return redirect("funding:thanks", contribution.idempotency_key)


def thanks(request: HttpRequest, key: str) -> HttpResponse:
    """The status of one contribution, found by its idempotency key (a secret only the
    contributor's browser knows): waiting, thanks, or failed with a way to try again."""
    if not is_valid_key(key):
        raise Http404
    contribution = get_object_or_404(
        Contribution.objects.select_related("campaign__programme__campaign_settings", "reward"),
        idempotency_key=key,
    )
    campaign = contribution.campaign
    pending = contribution.state == ContributionState.PENDING
    context = {
        "contribution": contribution,
        "campaign": campaign,
        "pending": pending,
        "confirmed": contribution.state == ContributionState.CONFIRMED,
        "refunded": contribution.state == ContributionState.REFUNDED,
        "failed": contribution.state in (ContributionState.FAILED, ContributionState.CANCELLED),
        "refresh_seconds": REFRESH_SECONDS,
        "retry_url": _retry_url(contribution),
        "campaign_live": campaign_open_error(campaign) is None,
        "test_mode": is_test_mode(campaign.programme),
    }
    response = render(request, "funding/thanks.html", context)
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _retry_url(contribution: Contribution) -> str:
    """The checkout again, with the same reward and the same source (channel, ref, utm)."""
    url = reverse("funding:contribute", args=[contribution.campaign.slug])
    query = {}
    if contribution.reward_id:
        query["contrepartie"] = contribution.reward_id
    if contribution.channel:
        query["canal"] = contribution.channel
    query.update(attribution.from_query(contribution.attribution or {}))
    return f"{url}?{urlencode(query)}" if query else url


# --- the maker's offline contributions ----------------------------------------------------------


def _maker_campaign(request: HttpRequest, slug: str) -> Campaign:
    campaign = get_object_or_404(
        Campaign.objects.select_related("application", "programme"), slug=slug
    )
    if campaign.application.maker_id != request.user.pk:
        raise Http404
    return campaign


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def offline_maker(request: HttpRequest, slug: str) -> HttpResponse:
    """The maker records a cheque, cash or a transfer received for their own campaign."""
    campaign = _maker_campaign(request, slug)
    refused = offline_error(campaign)
    initial = {"key": new_key(), "received_on": today()}
    if request.method == "POST" and refused is None:
        form = OfflineContributionForm(request.POST, campaign=campaign, initial=initial)
        if form.is_valid():
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
                return redirect("funding:offline_maker", campaign.slug)
        status = 400
    else:
        form = OfflineContributionForm(campaign=campaign, initial=initial)
        status = 400 if request.method == "POST" else 200
    recent = (
        Contribution.objects.filter(campaign=campaign, source__in=OFFLINE_SOURCES)
        .select_related("recorded_by")
        .order_by("-created_at")[:20]
    )
    context = {
        "campaign": campaign,
        "form": form,
        "refused": refused,
        "recent": recent,
        "maker_view": True,
    }
    return _no_store(render(request, "funding/offline_maker.html", context, status=status))
