"""factory_boy factories for campaigns (shared with the funding and payments tests).

campaign = CampaignFactory()                        # live now, ends in 30 days, goal 5 000 €
draft = CampaignFactory(state=CampaignState.DRAFT)  # same programme set-up, not live
reward = RewardFactory(campaign=campaign, stock=10)
UpdateFactory(campaign=campaign); CommentFactory(campaign=campaign)

Every campaign gets a programme (state CAMPAIGNS_LIVE) of a new organiser, a submitted
application of a new maker, and the programme's CampaignSettings (all-or-nothing, sandbox
provider, 5 € – 5 000 €), created when missing.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from tests.factories import ProgrammeFactory, SubmittedApplicationFactory, UserFactory
from tremplin.calls.enums import ProgrammeState
from tremplin.campaigns.enums import CampaignState, CommentState, FundingRule
from tremplin.campaigns.models import (
    Campaign,
    CampaignSettings,
    CampaignUpdate,
    Comment,
    RewardTier,
)


class CampaignSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CampaignSettings
        django_get_or_create = ("programme",)

    programme = factory.SubFactory(ProgrammeFactory, state=ProgrammeState.CAMPAIGNS_LIVE)
    funding_rule = FundingRule.ALL_OR_NOTHING
    min_contribution = Decimal("5.00")
    max_contribution = Decimal("5000.00")
    fee_percent = Decimal("0.00")
    payment_provider = "sandbox"


class CampaignFactory(factory.django.DjangoModelFactory):
    """A live campaign (started yesterday, ends in 30 days) with its settings."""

    class Meta:
        model = Campaign
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory, state=ProgrammeState.CAMPAIGNS_LIVE)
    application = factory.SubFactory(
        SubmittedApplicationFactory, programme=factory.SelfAttribute("..programme")
    )
    slug = factory.Sequence(lambda n: f"campagne-{n}")
    title = factory.LazyAttribute(lambda o: o.application.title)
    pitch = "Un atelier de réparation de vélos ouvert à tous."
    description = "<p>Notre projet en <strong>détail</strong>.</p>"
    goal = Decimal("5000.00")
    state = CampaignState.LIVE
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    ends_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    launched_at = factory.LazyAttribute(
        lambda o: o.starts_at if o.state != CampaignState.DRAFT else None
    )

    @factory.post_generation
    def settings(self, create, extracted, **kwargs):
        """``CampaignFactory(settings__funding_rule=FundingRule.KEEP_IT_ALL)``."""
        if create:
            CampaignSettingsFactory(programme=self.programme, **kwargs)


class RewardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RewardTier

    campaign = factory.SubFactory(CampaignFactory)
    title = factory.Sequence(lambda n: f"Contrepartie {n}")
    description = "Un grand merci et une carte postale."
    min_amount = Decimal("20.00")
    stock = None
    claimed = 0
    position = factory.Sequence(lambda n: n)


class UpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CampaignUpdate

    campaign = factory.SubFactory(CampaignFactory)
    title = factory.Sequence(lambda n: f"Actualité {n}")
    body = "Les premiers prototypes sont prêts."
    author = factory.LazyAttribute(lambda o: o.campaign.application.maker)


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    campaign = factory.SubFactory(CampaignFactory)
    author = factory.SubFactory(UserFactory)
    author_name = factory.LazyAttribute(lambda o: str(o.author) if o.author else "Anonyme")
    body = "Bravo pour ce projet !"
    state = CommentState.VISIBLE


class ContributionFactory(factory.django.DjangoModelFactory):
    """A contribution row written directly (CONFIRMED, online): for pages and lists. It
    does not move the campaign's totals; tests that need them set them (or go through
    ``tests.funding.helpers.contribute``, which pays through the real services)."""

    class Meta:
        model = "funding.Contribution"

    campaign = factory.SubFactory(CampaignFactory)
    amount = Decimal("25.00")
    state = "confirmed"
    name = factory.Faker("name", locale="fr_FR")
    email = factory.Sequence(lambda n: f"contributor{n}@example.org")
    language = "fr"
    idempotency_key = factory.Sequence(lambda n: f"test-contribution-{n:08d}")
    confirmed_at = factory.LazyFunction(timezone.now)
