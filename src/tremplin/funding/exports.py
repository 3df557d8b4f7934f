"""CSV of a campaign's contributions for the organiser (UTF-8 with BOM, ``;``-separated,
formulas neutralised by ``calls.exports.to_csv``), and the documented columns of the offline
contributions import."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext as _

from tremplin.calls.exports import Cell
from tremplin.core.dates import naive_paris
from tremplin.funding.enums import ContributionSource, ContributionState
from tremplin.funding.models import Contribution

# The sources carried to the checkout besides the channel (core.attribution), as columns.
ATTRIBUTION_COLUMNS = ("ref", "utm_source", "utm_medium", "utm_campaign")


def _yes(value: bool) -> str:
    return _("yes") if value else _("no")


def contribution_rows(rows: list[Contribution]) -> tuple[list[str], Iterator[list[Cell]]]:
    """Header and rows; ``rows`` come with their reward and recorder joined."""
    header = [
        _("Created at"),
        _("Confirmed at"),
        _("Name"),
        _("E-mail address"),
        _("Amount (€)"),
        _("Matched (€)"),
        _("State"),
        _("Paid by"),
        _("Reward"),
        _("Reward no longer available"),
        _("Postal address"),
        _("Postal code"),
        _("City"),
        _("Country"),
        _("Name hidden"),
        _("Amount hidden"),
        _("News by e-mail"),
        _("Message"),
        _("Channel"),
        _("Reference"),
        _("Recorded by"),
        _("Source (ref)"),
        "utm_source",
        "utm_medium",
        "utm_campaign",
    ]

    def generate() -> Iterator[list[Cell]]:
        for c in rows:
            yield [
                naive_paris(c.created_at),
                naive_paris(c.confirmed_at),
                c.name,
                c.email,
                c.amount,
                c.matched_amount,
                str(ContributionState(c.state).label),
                str(ContributionSource(c.source).label),
                c.reward.title if c.reward_id else "",
                _yes(c.reward_unavailable) if c.reward_id else "",
                c.address,
                c.postal_code,
                c.city,
                c.country if c.address else "",
                _yes(c.hide_name),
                _yes(c.hide_amount),
                _yes(c.news_consent),
                c.message,
                c.channel,
                c.offline_reference,
                str(c.recorded_by) if c.recorded_by_id else "",
                *[(c.attribution or {}).get(key, "") for key in ATTRIBUTION_COLUMNS],
            ]

    return header, generate()


def csv_column_help() -> list[tuple[str, bool, str]]:
    """(column, required, what it holds) for the import page; docs/offline-contributions.md
    says the same."""
    return [
        ("date", True, _("The day the money was received: 31/12/2025 or 2025-12-31.")),
        ("montant", True, _("The amount in euros: 25, 12,50 or 1 500,00 (two decimals at most).")),
        ("nom", True, _("The contributor's name (150 characters at most).")),
        ("email", False, _("The contributor's e-mail address, or empty.")),
        ("mode", True, _("chèque, espèces or virement (cheque, cash, transfer).")),
        (
            "reference",
            False,
            _("Cheque number or transfer reference: a reference already recorded is refused."),
        ),
        ("anonyme", False, _("oui to hide the name on the campaign page; non or empty otherwise.")),
    ]
