"""What the campaigns' pages show of the contributions (campaigns asks through its signals,
see ``funding.receivers``): one page of the public contributors list, the matched funds'
funder, the maker's CSV of their contributors, and the contributors who asked for the news."""

from __future__ import annotations

import csv

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.campaigns.models import Campaign
from tremplin.funding.enums import ContributionState
from tremplin.funding.models import Contribution, MatchfundingPot


def contributors_page(campaign: Campaign, number: int, size: int) -> tuple[list, bool]:
    """Confirmed contributions, newest first, with only what the public page may show, and
    whether there is a next page (one query, no COUNT)."""
    rows = (
        Contribution.objects.filter(campaign=campaign, state=ContributionState.CONFIRMED)
        .only("name", "amount", "hide_name", "hide_amount", "confirmed_at", "created_at")
        .order_by("-confirmed_at", "-pk")
    )
    start = (number - 1) * size
    items = list(rows[start : start + size + 1])
    return items[:size], len(items) > size


def funder_name(campaign: Campaign) -> str:
    return (
        MatchfundingPot.objects.filter(programme_id=campaign.programme_id)
        .values_list("funder_name", flat=True)
        .first()
        or ""
    )


def news_recipients(campaign: Campaign) -> list[tuple[str, str, str]]:
    """(e-mail, language, name) of the contributors who asked for the news, one per address
    (their latest contribution's language)."""
    rows = (
        Contribution.objects.filter(
            campaign=campaign, state=ContributionState.CONFIRMED, news_consent=True
        )
        .exclude(email="")
        .order_by("-created_at", "-pk")
        .values_list("email", "language", "name")
    )
    seen: dict[str, tuple[str, str, str]] = {}
    for email, language, name in rows:
        seen.setdefault(email.lower(), (email, language, name))
    return list(seen.values())


def maker_export(campaign: Campaign) -> HttpResponse:
    """Every confirmed contribution (the anonymity choices concern the public page only: the
    maker thanks everyone)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="contributeurs-{campaign.slug}.csv"'
    response["Cache-Control"] = "private, no-store"
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("Name"),
            _("E-mail"),
            _("Amount (€)"),
            _("Reward"),
            _("Message"),
            _("Date"),
            _("Wants the news"),
            _("Name hidden on the page"),
            _("Amount hidden on the page"),
            _("Postal address"),
            _("Postal code"),
            _("City"),
            _("Country"),
        ]
    )
    rows = (
        Contribution.objects.filter(campaign=campaign, state=ContributionState.CONFIRMED)
        .select_related("reward")
        .order_by("confirmed_at", "pk")
    )
    for row in rows.iterator(chunk_size=500):
        moment = timezone.localtime(row.confirmed_at or row.created_at)
        writer.writerow(
            [
                _csv_safe(row.name),
                _csv_safe(row.email),
                str(row.amount).replace(".", ","),
                _csv_safe(row.reward.title if row.reward else ""),
                _csv_safe(row.message),
                moment.strftime("%d/%m/%Y %H:%M"),
                _("yes") if row.news_consent else _("no"),
                _("yes") if row.hide_name else _("no"),
                _("yes") if row.hide_amount else _("no"),
                _csv_safe(row.address),
                _csv_safe(row.postal_code),
                _csv_safe(row.city),
                _csv_safe(row.country),
            ]
        )
    return response


def _csv_safe(value: str) -> str:
    """No spreadsheet formula from what a contributor typed."""
    value = value or ""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
