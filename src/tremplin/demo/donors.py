"""The demo's tax receipts and contributors' space (issue #13).

- The first laureate of MEL Makers 2019 (by its campaign's order) is an association
  entitled to tax receipts: its contributors gave their postal address and its receipts
  were issued, through ``donors.receipts``, when its campaign succeeded (dated then; their
  e-mails count as sent). A few of its contributors never gave their address: their
  receipts wait for it in their space.
- The live winter campaign of the demo maker (« Atelier vélo mobile des quartiers ») is
  carried by an association entitled to receipts too: they come if it succeeds.
- ``demo_contributor_email()``: a contributor with a receipt, whose space link
  ``tremplin demo`` prints."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q

from tremplin.campaigns.models import Campaign
from tremplin.core.models import User
from tremplin.demo import data
from tremplin.donors.beneficiary import save_receipt_settings
from tremplin.donors.enums import GiftForm
from tremplin.donors.models import Receipt
from tremplin.donors.receipts import issue_campaign_receipts
from tremplin.funding.enums import ContributionState
from tremplin.funding.models import Contribution

WINTER_CAMPAIGN = "atelier-velo-mobile-des-quartiers"
# One contributor in this many never gave their postal address.
WITHOUT_ADDRESS_EVERY = 12


def _settings(**fields) -> dict:
    return {
        "entitled": True,
        "identifier": "",
        "article_200": True,
        "article_238_bis": True,
        "gift_form": GiftForm.MANUAL_GIFT,
        **fields,
    }


def laureate_2019() -> Campaign:
    return (
        Campaign.objects.filter(programme__slug=data.PROGRAMME_2019["slug"])
        .select_related("programme")
        .order_by("pk")
        .first()
    )


def load_donors_demo(now: datetime) -> dict[str, int]:
    manager = User.objects.get(email=data.MEL_MANAGER.email)
    campaign = laureate_2019()
    save_receipt_settings(
        campaign,
        _settings(
            legal_name=f"Association {campaign.title}"[:200],
            identifier="W595019001",
            address="21 rue de Gand",
            postal_code="59000",
            city="Lille",
            purpose="Faire connaître et partager les savoir-faire des makers de la métropole "
            "lilloise ; ateliers ouverts à tous.",
            signatory="Claire Vandamme, présidente",
        ),
        {},
        user=manager,
    )
    gifts = Contribution.objects.filter(
        campaign=campaign, state=ContributionState.CONFIRMED
    ).order_by("pk")
    with_address = [c for i, c in enumerate(gifts) if i % WITHOUT_ADDRESS_EVERY != 5]
    for i, contribution in enumerate(with_address):
        if contribution.address:
            continue
        contribution.address = f"{2 + i % 120} rue Nationale"
        contribution.postal_code = "59000" if i % 3 else "59800"
        contribution.city = "Lille"
        contribution.country = "FR"
    Contribution.objects.bulk_update(with_address, ["address", "postal_code", "city", "country"])
    issued = issue_campaign_receipts(campaign, now=campaign.closed_at, notify=False)

    winter = Campaign.objects.filter(slug=WINTER_CAMPAIGN).first()
    if winter is not None:
        save_receipt_settings(
            winter,
            _settings(
                legal_name="Association Vélo Quartiers Solidaires",
                identifier="W595020417",
                address="8 rue Pierre Legrand",
                postal_code="59800",
                city="Lille",
                purpose="Réparer et prêter des vélos dans les quartiers, former à la mécanique.",
                signatory="Malik Benhamou, trésorier",
            ),
            {},
            user=manager,
        )
    return {"receipts": issued.issued, "awaiting_address": issued.awaiting_address}


def demo_contributor_email() -> str:
    """A contributor of the 2019 laureate with a receipt (and, if any, a winter gift)."""
    receipts = Receipt.objects.exclude(donor_email="").order_by("number")
    winter = Contribution.objects.filter(campaign__slug=WINTER_CAMPAIGN).values("email")
    both = receipts.filter(Q(donor_email__in=winter)).first()
    first = both or receipts.first()
    return first.donor_email if first else ""


def contributor_space_lines(url: str) -> list[str]:
    """What ``tremplin demo`` prints: the link of a demo contributor's e-mails to their
    space (the one-time code it sends is printed by the worker: e-mails go to the console)."""
    from tremplin.core.contributor_links import space_path

    email = demo_contributor_email()
    if not email:
        return []
    return [
        f"Contributor's space of {email} (the link of their e-mails; the code it sends "
        "is printed below by the worker):",
        f"  {url.rstrip('/')}{space_path(email)}",
    ]
