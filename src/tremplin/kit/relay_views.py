"""The partners' relay portal: a partner's member sees the programmes their organisation
is a partner of, each laureate with its tracked links, kit, widget and suggested calendar,
marks what they relayed, and sees what their relay brought.

Everything is scoped by the member's own partner memberships: another partner's page,
a programme the partner is not part of, or another partner's relay answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tremplin.campaigns.models import Campaign
from tremplin.core.dates import PARIS
from tremplin.kit import relay, relay_calendar
from tremplin.kit.errors import KitError
from tremplin.kit.links import partner_url
from tremplin.kit.models import RelayMark
from tremplin.kit.relay_forms import RelayForm
from tremplin.kit.widget import badge_url, widget_snippet


def _scope(request: HttpRequest, partner_slug: str, programme_slug: str):
    try:
        return relay.member_partner(request.user, partner_slug, programme_slug)
    except LookupError:
        raise Http404 from None


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    rows = []
    for membership in relay.memberships(request.user):
        partner = membership.partner
        rows.append((partner, list(relay.programmes_of(partner))))
    if not rows:
        raise Http404
    return render(request, "kit/relay_home.html", {"rows": rows})


def _programme_context(request, partner, programme, forms=None) -> dict:
    now = timezone.now().astimezone(PARIS)
    campaigns = relay.relay_campaigns(programme)
    results = relay.results(partner, campaigns)
    marks = relay.marks_of(partner, campaigns)
    kits = relay.released_items(campaigns)
    forms = forms or {}
    cards = []
    for campaign in campaigns:
        images = list(campaign.images.all())
        link = partner_url(campaign.slug, partner.slug)
        cards.append(
            {
                "campaign": campaign,
                "image": images[0] if images else None,
                "link": link,
                "kit": [
                    (item, relay.for_partner(item, link), f"kit-item-{item.pk}")
                    for item in kits.get(campaign.pk, [])
                ],
                "calendar": relay.calendar(campaign),
                "brought": results.of(campaign),
                "marks": marks.get(campaign.pk, []),
                "form": forms.get(campaign.pk)
                or RelayForm(initial={"relayed_on": now.date()}, prefix_id=f"c{campaign.pk}"),
                "public": campaign.state in relay.PUBLIC_STATES,
                "snippet": widget_snippet(campaign)
                if campaign.state in relay.PUBLIC_STATES
                else "",
                "badge": badge_url(campaign) if campaign.state in relay.PUBLIC_STATES else "",
            }
        )
    return {
        "partner": partner,
        "programme": programme,
        "cards": cards,
        "total": results.total,
        "now": now,
    }


@login_required
@require_safe
def programme(request: HttpRequest, partner_slug: str, programme_slug: str) -> HttpResponse:
    partner, programme_ = _scope(request, partner_slug, programme_slug)
    return render(
        request, "kit/relay_programme.html", _programme_context(request, partner, programme_)
    )


@login_required
@require_POST
def mark(
    request: HttpRequest, partner_slug: str, programme_slug: str, campaign_slug: str
) -> HttpResponse:
    partner, programme_ = _scope(request, partner_slug, programme_slug)
    campaign = get_object_or_404(
        Campaign, programme=programme_, slug=campaign_slug, state__in=relay.RELAYED_STATES
    )
    form = RelayForm(request.POST, prefix_id=f"c{campaign.pk}")
    if form.is_valid():
        try:
            relay.mark_relay(partner, campaign, by=request.user, **form.values())
        except KitError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your relay is recorded: thank you!"))
            return redirect(
                reverse("kit:relay_programme", args=[partner.slug, programme_.slug])
                + f"#campaign-{campaign.pk}"
            )
    context = _programme_context(request, partner, programme_, forms={campaign.pk: form})
    return render(request, "kit/relay_programme.html", context, status=400)


def _my_mark(request, partner, programme_, pk: int) -> RelayMark:
    return get_object_or_404(
        RelayMark.objects.select_related("campaign"),
        pk=pk,
        partner=partner,
        campaign__programme=programme_,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit_mark(
    request: HttpRequest, partner_slug: str, programme_slug: str, pk: int
) -> HttpResponse:
    partner, programme_ = _scope(request, partner_slug, programme_slug)
    relay_mark = _my_mark(request, partner, programme_, pk)
    status = 200
    if request.method == "POST":
        form = RelayForm(request.POST)
        if form.is_valid():
            try:
                relay.change_relay(relay_mark, by=request.user, **form.values())
            except KitError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your relay is updated."))
                return redirect(
                    reverse("kit:relay_programme", args=[partner.slug, programme_.slug])
                    + f"#campaign-{relay_mark.campaign_id}"
                )
        status = 400
    else:
        form = RelayForm(
            initial={
                "relayed_on": relay_mark.relayed_on,
                "place": relay_mark.place,
                "detail": relay_mark.detail,
                "link": relay_mark.link,
            }
        )
    context = {"partner": partner, "programme": programme_, "mark": relay_mark, "form": form}
    return render(request, "kit/relay_edit.html", context, status=status)


@login_required
@require_POST
def delete_mark(
    request: HttpRequest, partner_slug: str, programme_slug: str, pk: int
) -> HttpResponse:
    partner, programme_ = _scope(request, partner_slug, programme_slug)
    relay_mark = _my_mark(request, partner, programme_, pk)
    campaign_id = relay_mark.campaign_id
    try:
        relay.delete_relay(relay_mark, by=request.user)
    except KitError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The relay is deleted."))
    return redirect(
        reverse("kit:relay_programme", args=[partner.slug, programme_.slug])
        + f"#campaign-{campaign_id}"
    )


@login_required
@require_safe
def kit_item(request: HttpRequest, partner_slug: str, programme_slug: str, pk: int):
    """A file of a released kit, for the partner's members."""
    _partner, programme_ = _scope(request, partner_slug, programme_slug)
    item = relay.released_item(programme_, pk)
    if item is None or not item.file:
        raise Http404
    try:
        handle = item.file.open("rb")
    except (OSError, ValueError):
        raise Http404 from None
    name = item.file.name.rsplit("/", 1)[-1]
    return FileResponse(
        handle,
        as_attachment=True,
        filename=name,
        content_type=item.media_type or "application/octet-stream",
    )


@login_required
@require_safe
def calendar_ics(request: HttpRequest, partner_slug: str, programme_slug: str) -> HttpResponse:
    partner, programme_ = _scope(request, partner_slug, programme_slug)
    body = relay_calendar.ics(partner, programme_, relay.relay_campaigns(programme_))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="relais-{programme_.slug}.ics"'
    return response
