"""A small world for the kit's tests: the MEL, its programme with two partners (each with a
member), a live campaign and an approved one, a draft, and another organiser."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.test import Client
from django.utils import timezone

from tests import factories
from tests.campaigns.factories import CampaignFactory, ContributionFactory
from tremplin.calls.enums import ProgrammeState
from tremplin.campaigns.enums import CampaignState


@dataclass
class World:
    organiser: object
    programme: object
    partner: object
    other_partner: object
    foreign_partner: object
    live: object
    approved: object
    draft: object
    users: dict


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def build() -> World:
    organiser = factories.OrganiserFactory(name="Métropole Européenne de Lille", slug="mel")
    other = factories.OrganiserFactory(name="Douaisis Agglo", slug="douaisis")
    programme = factories.ProgrammeFactory(
        organiser=organiser, slug="mel-hiver", name="MEL hiver", state=ProgrammeState.CAMPAIGNS_LIVE
    )
    partner = factories.PartnerFactory(
        organiser=organiser, name="Université de Lille", slug="universite-de-lille"
    )
    other_partner = factories.PartnerFactory(
        organiser=organiser, name="Maker Faire Lille", slug="maker-faire-lille"
    )
    foreign_partner = factories.PartnerFactory(organiser=other, name="Fab Douai", slug="fab-douai")
    programme.partners.set([partner, other_partner])
    now = timezone.now()
    live = CampaignFactory(
        programme=programme,
        slug="atelier-velo",
        title="Atelier vélo",
        starts_at=now - timedelta(days=3),
        ends_at=now + timedelta(days=27),
        goal=Decimal("4000.00"),
        raised_amount=Decimal("1250.00"),
        contributor_count=30,
    )
    approved = CampaignFactory(
        programme=programme,
        slug="teintures",
        title="Teintures végétales",
        state=CampaignState.APPROVED,
        starts_at=now + timedelta(days=5),
        ends_at=now + timedelta(days=35),
    )
    draft = CampaignFactory(
        programme=programme, slug="brouillon", title="Brouillon", state=CampaignState.DRAFT
    )
    users = {
        "maker": live.maker,
        "manager": factories.MembershipFactory(organiser=organiser).user,
        "viewer": factories.MembershipFactory(organiser=organiser, role="viewer").user,
        "partner": factories.PartnerMembershipFactory(partner=partner).user,
        "other_partner": factories.PartnerMembershipFactory(partner=other_partner).user,
        "foreign_partner": factories.PartnerMembershipFactory(partner=foreign_partner).user,
        "other_manager": factories.MembershipFactory(organiser=other).user,
    }
    return World(
        organiser, programme, partner, other_partner, foreign_partner, live, approved, draft, users
    )


def contribution(
    campaign, amount: str, *, ref: str = "", channel: str = "partenaire", state: str = "confirmed"
):
    return ContributionFactory(
        campaign=campaign,
        amount=Decimal(amount),
        channel=channel,
        attribution={"ref": ref} if ref else {},
        state=state,
    )
