"""The campaigns part of the demo, loaded last (``demo.load`` calls
``load_campaigns_demo`` after the juries).

- MEL Makers 2019: its ten laureates ran their campaigns from 9 September to 18 October
  2019, as in the brief: all ten reached their goal, 1,272 contributors gave 100,720 €
  in all. The campaigns are settled; every contribution is a CONFIRMED row with its one
  CONFIRMED sandbox payment, and the campaigns' totals are exactly the sums of those rows
  (``tremplin audit-ledger`` is clean). The programme is in "campaigns closed".
- Tremplin Makers Lille — hiver: a short winter edition of the Métropole whose call and
  selection are over; three campaigns are live now (a visitor can contribute with the
  sandbox card), with the Métropole's matchfunding (1 € per euro, 50 € at most per
  contribution), and a fourth page waits for the coach's review.

Rows are written in bulk, with the audit log the domain functions would have written,
dated when it happened. Everything is deterministic (no randomness between two loads).
"""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.html import linebreaks
from django.utils.text import slugify

from tremplin.calls import actions as calls_actions
from tremplin.calls.enums import ApplicationState, Eligibility, ProgrammeState
from tremplin.calls.models import Application, Programme
from tremplin.campaigns import actions as campaigns_actions
from tremplin.campaigns.enums import CampaignState, FundingRule, ReviewKind
from tremplin.campaigns.models import (
    Campaign,
    CampaignImage,
    CampaignSettings,
    CampaignUpdate,
    Comment,
    ReviewNote,
    RewardTier,
)
from tremplin.core.dates import PARIS
from tremplin.core.models import Organiser, User
from tremplin.core.money import to_cents
from tremplin.demo import data
from tremplin.demo.history import History, day_at, paris
from tremplin.funding.enums import AllocationState, ContributionState
from tremplin.funding.models import Contribution, MatchAllocation, MatchfundingPot
from tremplin.payments.enums import PaymentState
from tremplin.payments.models import Payment
from tremplin.sandbox.models import ChargeState, SandboxCharge

# The brief's figures for 2019.
TOTAL_2019 = Decimal("100720")
CONTRIBUTORS_2019 = 1272
START_2019 = datetime(2019, 9, 9, 10, 0, tzinfo=PARIS)
END_2019 = datetime(2019, 10, 18, 23, 59, tzinfo=PARIS)

WINTER = {
    "name": "Tremplin Makers Lille — hiver",
    "slug": "tremplin-makers-lille-hiver",
    "tagline": (
        "Une édition d'hiver : quatre makers, quatre collectes, un abondement de la Métropole."
    ),
    "primary_colour": "#1D3557",
    "secondary_colour": "#E4572E",
    "min_goal": Decimal("2000"),
    "max_goal": Decimal("12000"),
}
WINTER_FUNDER = "Métropole Européenne de Lille"


@dataclass(frozen=True)
class WinterProject:
    maker: data.Person
    commune: str
    category: str
    title: str
    summary: str
    description: str
    goal: int
    state: str
    contributors: int  # for live campaigns
    raised: int
    ends_in: timedelta


WINTER_PROJECTS = [
    WinterProject(
        data.Person("Malik Benhamou", "malik.benhamou@makers.example"),
        "Lille",
        "Mobilité",
        "Atelier vélo mobile des quartiers",
        "Un triporteur-atelier qui répare les vélos au pied des immeubles, avec les habitants.",
        "Chaque semaine, le triporteur s'installe dans un quartier différent de Lille-Sud, "
        "Fives et Moulins. On y répare ensemble les vélos, on apprend à changer une chambre à "
        "air, à régler des freins.\n\nLa collecte financera le triporteur électrique, "
        "l'outillage complet et les pièces d'usure de la première année.",
        6000,
        CampaignState.LIVE,
        58,
        3420,
        timedelta(days=12, hours=3),
    ),
    WinterProject(
        data.Person("Inès Lefebvre", "ines.lefebvre@makers.example"),
        "Roubaix",
        "Artisanat et design",
        "Luminaires en carton recyclé",
        "Des suspensions et des lampes à poser découpées dans le carton des entrepôts.",
        "Je récupère les cartons d'emballage des entrepôts logistiques de Roubaix et je les "
        "transforme en luminaires légers, solides et réparables.\n\nLa collecte paiera une "
        "table de découpe et la première série de cent luminaires.",
        4000,
        CampaignState.LIVE,
        71,
        3850,
        timedelta(days=2, hours=5),
    ),
    WinterProject(
        data.Person("Romain Vasseur", "romain.vasseur@makers.example"),
        "Villeneuve-d'Ascq",
        "Numérique et électronique",
        "Kits d'électronique pour les collèges",
        "Des kits à souder et à programmer, conçus avec des professeurs de technologie.",
        "Chaque kit contient une carte, des capteurs et un livret d'activités pour une "
        "classe entière.\n\nLa collecte financera les cinquante premiers kits, offerts à "
        "cinq collèges de la métropole.",
        8000,
        CampaignState.LIVE,
        21,
        1150,
        timedelta(days=25, hours=8),
    ),
    WinterProject(
        data.Person("Sophie Marchand", "sophie.marchand@makers.example"),
        "Tourcoing",
        "Textile",
        "Teintures végétales de Tourcoing",
        "Des fils et des tissus teints avec les plantes cultivées dans les jardins partagés.",
        "Je cultive avec trois jardins partagés la garance, le pastel et la gaude, et je "
        "teins des fils et des tissus pour les couturières de la ville.\n\nLa collecte "
        "financera les cuves, un séchoir et les ateliers d'initiation.",
        5000,
        CampaignState.IN_REVIEW,
        0,
        0,
        timedelta(days=40),
    ),
]
WINTER_MAKER_EMAIL = WINTER_PROJECTS[0].maker.email

FIRST_NAMES = [
    "Camille",
    "Louise",
    "Léa",
    "Manon",
    "Chloé",
    "Emma",
    "Inès",
    "Jade",
    "Sarah",
    "Lina",
    "Alice",
    "Julie",
    "Claire",
    "Anne",
    "Marie",
    "Nathalie",
    "Sophie",
    "Isabelle",
    "Céline",
    "Aurélie",
    "Hugo",
    "Lucas",
    "Louis",
    "Gabriel",
    "Arthur",
    "Jules",
    "Nathan",
    "Tom",
    "Paul",
    "Léo",
    "Thomas",
    "Nicolas",
    "Julien",
    "Pierre",
    "Antoine",
    "Maxime",
    "Olivier",
    "David",
    "Karim",
    "Yassine",
]
LAST_NAMES = [
    "Martin",
    "Bernard",
    "Dubois",
    "Lefebvre",
    "Leroy",
    "Roux",
    "Moreau",
    "Fournier",
    "Girard",
    "Lambert",
    "Bonnet",
    "Dupont",
    "Vandenberghe",
    "Delannoy",
    "Lemaire",
    "Desmet",
    "Vermeulen",
    "Deprez",
    "Dhainaut",
    "Carpentier",
    "Lecomte",
    "Hennion",
    "Duhamel",
    "Wattel",
    "Cousin",
    "Masse",
    "Delattre",
    "Petit",
    "Caron",
    "Debruyne",
    "Mercier",
    "Vasseur",
    "Boucher",
    "Benali",
    "Haddad",
    "Nguyen",
    "Lopez",
    "Garcia",
    "Dumont",
    "Lesage",
]
AMOUNTS = (10, 15, 20, 20, 25, 30, 30, 40, 50, 50, 50, 60, 75, 80, 100, 100, 120, 150, 200)
CHANNELS = ("affiche-qr", "bus", "reseaux-sociaux", "magazine", "direct", "direct")
MESSAGES = (
    "Bravo et bonne chance !",
    "Fier de soutenir un projet de la métropole.",
    "Hâte de voir le résultat !",
    "",
    "",
    "",
)
COMMENTS = (
    ("Nadia B.", "Superbe projet, je partage autour de moi !"),
    ("Paul D.", "Est-ce que les contreparties peuvent être retirées à l'atelier ?"),
)
MAKER_ANSWER = "Oui, bien sûr : nous vous écrirons pour convenir d'un rendez-vous."


# --- amounts that add up exactly -------------------------------------------------------------


def split_total(total: int, parts: int, weights: list[float]) -> list[int]:
    """``total`` split into ``parts`` multiples of 10 proportional to ``weights``, adding up
    exactly (the rounding difference goes to the largest)."""
    scale = sum(weights)
    shares = [int(total * w / scale) // 10 * 10 for w in weights]
    shares[max(range(parts), key=lambda i: weights[i])] += total - sum(shares)
    return shares


def amounts_for(total: int, count: int, seed: int) -> list[int]:
    """``count`` plausible gifts (multiples of 5, at least 10 €) adding up to ``total``."""
    rng = random.Random(seed)
    mean = sum(AMOUNTS) / len(AMOUNTS)
    factor = (total / count) / mean
    amounts = [max(10, round(rng.choice(AMOUNTS) * factor / 5) * 5) for _ in range(count)]
    difference = total - sum(amounts)
    index = 0
    while difference:
        i = index % count
        if difference > 0:
            step = min(difference, 50)
            amounts[i] += step
            difference -= step
        elif amounts[i] - 5 >= 10:
            step = min(-difference, 5 * ((amounts[i] - 10) // 5), 50)
            amounts[i] -= step
            difference += step
        index += 7  # visit the gifts in a scattered order
    rng.shuffle(amounts)
    return amounts


def _moment(start: datetime, end: datetime, position: float) -> datetime:
    """A moment between ``start`` and ``end``, more of them near both ends (the first days
    and the last days of a campaign are the busiest)."""
    share = (1 - math.cos(math.pi * position)) / 2
    return start + (end - start) * share


def _person(i: int) -> tuple[str, str]:
    first = FIRST_NAMES[i % len(FIRST_NAMES)]
    last = LAST_NAMES[(i * 7 + i // len(FIRST_NAMES)) % len(LAST_NAMES)]
    email = f"{slugify(first)}.{slugify(last)}.{i}@contributeurs.example"
    return f"{first} {last}", email


# --- images -------------------------------------------------------------------------------


def _image(slug: str, colours: tuple[str, str]) -> str:
    """A simple generated visual (a diagonal gradient in the programme's colours), stored
    once under public/campaigns/."""
    name = f"public/campaigns/demo-{slug}.jpg"
    if default_storage.exists(name):
        return name
    from PIL import Image

    width, height = 960, 540
    start = tuple(int(colours[0][i : i + 2], 16) for i in (1, 3, 5))
    end = tuple(int(colours[1][i : i + 2], 16) for i in (1, 3, 5))
    gradient = Image.linear_gradient("L").resize((width, height)).rotate(30, expand=False)
    picture = Image.composite(
        Image.new("RGB", (width, height), end), Image.new("RGB", (width, height), start), gradient
    )
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=80)
    return default_storage.save(name, ContentFile(buffer.getvalue()))


# --- shared builders ---------------------------------------------------------------------------


def _rewards(campaign: Campaign, title: str, delivery: date) -> list[RewardTier]:
    return [
        RewardTier(
            campaign=campaign,
            title="Un grand merci",
            description="Votre nom dans la liste des soutiens et des nouvelles du projet.",
            min_amount=Decimal("10"),
            position=1,
        ),
        RewardTier(
            campaign=campaign,
            title="Carte postale illustrée",
            description="Une carte postale dessinée à l'atelier, envoyée par la poste.",
            min_amount=Decimal("25"),
            requires_shipping=True,
            estimated_delivery=delivery,
            position=2,
        ),
        RewardTier(
            campaign=campaign,
            title=f"Une pièce de « {title} »",
            description="Une pièce fabriquée pour vous, à retirer à l'atelier.",
            min_amount=Decimal("80"),
            stock=30,
            estimated_delivery=delivery + timedelta(days=30),
            position=3,
        ),
    ]


def _contributions(
    campaign: Campaign,
    rewards: list[RewardTier],
    amounts: list[int],
    *,
    start: datetime,
    end: datetime,
    offset: int,
    key: str,
    communes: list[str],
) -> list[Contribution]:
    rows: list[Contribution] = []
    claimed = [0, 0, 0]
    for i, amount in enumerate(amounts):
        name, email = _person(offset + i)
        reward_index = None
        if amount >= 80 and i % 2 == 0 and claimed[2] < (rewards[2].stock or 0):
            reward_index = 2
        elif amount >= 25 and i % 3 == 1:
            reward_index = 1
        elif i % 4 == 0:
            reward_index = 0
        reward = rewards[reward_index] if reward_index is not None else None
        if reward_index is not None:
            claimed[reward_index] += 1
        shipped = reward is not None and reward.requires_shipping
        moment = _moment(start, end, (i + 0.5) / len(amounts))
        rows.append(
            Contribution(
                campaign=campaign,
                amount=Decimal(amount),
                reward=reward,
                state=ContributionState.CONFIRMED,
                name=name,
                email=email,
                language="en" if i % 19 == 0 else "fr",
                address=f"{3 + i % 90} rue de la Clef" if shipped else "",
                postal_code="59000" if shipped else "",
                city=communes[i % len(communes)] if shipped else "",
                country="FR",
                hide_name=i % 9 == 4,
                hide_amount=i % 11 == 6,
                message=MESSAGES[i % len(MESSAGES)],
                news_consent=i % 5 < 2,
                channel=CHANNELS[i % len(CHANNELS)],
                idempotency_key=f"demo-{key}-{i:05d}",
                confirmed_at=moment,
            )
        )
    for reward, count in zip(rewards, claimed, strict=True):
        reward.claimed = count
    return rows


def _pay(contributions: list[Contribution]) -> None:
    """One CONFIRMED sandbox payment per contribution, and the historical dates; and the
    matching paid charge in the sandbox (``SandboxCharge``, same id), so the sandbox knows
    the demo's payments: refunding a demo campaign (failing it) goes through."""
    for row in contributions:
        row.created_at = row.confirmed_at - timedelta(minutes=2)
    Contribution.objects.bulk_update(contributions, ["created_at"], batch_size=500)
    payments = Payment.objects.bulk_create(
        [
            Payment(
                contribution=row,
                provider="sandbox",
                amount=row.amount,
                state=PaymentState.CONFIRMED,
                provider_reference=f"demo_ch_{row.pk:06d}",
                confirmed_at=row.confirmed_at,
            )
            for row in contributions
        ],
        batch_size=500,
    )
    for payment, row in zip(payments, contributions, strict=True):
        payment.created_at = row.created_at
        payment.updated_at = row.confirmed_at
    Payment.objects.bulk_update(payments, ["created_at", "updated_at"], batch_size=500)
    return_url = f"{settings.SITE_URL}/"
    webhook_url = f"{settings.SITE_URL}/paiement/webhook/sandbox/"
    SandboxCharge.objects.bulk_create(
        [
            SandboxCharge(
                public_id=payment.provider_reference,
                amount=to_cents(payment.amount),
                currency="eur",
                state=ChargeState.SUCCEEDED,
                description="Tremplin demo",
                return_url=return_url,
                webhook_url=webhook_url,
                metadata={"payment": str(payment.pk)},
                card_last4="4242",
            )
            for payment in payments
        ],
        batch_size=500,
    )


def _review_history(
    log: History,
    campaign: Campaign,
    *,
    organiser_id: int,
    manager: User,
    coach: User,
    maker: User,
    created: datetime,
    submitted: datetime | None,
    approved: datetime | None,
    scheduled: datetime | None,
    launched: datetime | None,
) -> list[ReviewNote]:
    notes = []
    log.add(
        campaigns_actions.CAMPAIGN_CREATED,
        created,
        obj=campaign,
        organiser_id=organiser_id,
        user=manager,
        application=campaign.application.reference,
        title=campaign.title,
    )
    log.add(
        campaigns_actions.CAMPAIGN_COACH_ASSIGNED,
        created + timedelta(minutes=5),
        obj=campaign,
        organiser_id=organiser_id,
        user=manager,
        member=str(coach),
        previous="",
    )
    if submitted:
        log.add(
            campaigns_actions.CAMPAIGN_SUBMITTED,
            submitted,
            obj=campaign,
            organiser_id=organiser_id,
            user=maker,
            **{"from": CampaignState.DRAFT, "to": CampaignState.IN_REVIEW},
        )
    if approved:
        notes.append(
            ReviewNote(
                campaign=campaign,
                author=coach,
                kind=ReviewKind.APPROVED,
                body="Belle page : la vidéo et les contreparties sont claires. C'est parti !",
            )
        )
        log.add(
            campaigns_actions.CAMPAIGN_APPROVED,
            approved,
            obj=campaign,
            organiser_id=organiser_id,
            user=coach,
            **{"from": CampaignState.IN_REVIEW, "to": CampaignState.APPROVED},
        )
    if scheduled:
        log.add(
            campaigns_actions.CAMPAIGN_SCHEDULED,
            scheduled,
            obj=campaign,
            organiser_id=organiser_id,
            user=manager,
            **{"from": CampaignState.APPROVED, "to": CampaignState.SCHEDULED},
            starts_at=campaign.starts_at.isoformat(),
            ends_at=campaign.ends_at.isoformat(),
        )
    if launched:
        log.add(
            campaigns_actions.CAMPAIGN_LAUNCHED,
            launched,
            obj=campaign,
            organiser_id=organiser_id,
            user=None,
            **{"from": CampaignState.SCHEDULED, "to": CampaignState.LIVE},
        )
    return notes


def _news_and_comments(
    campaign: Campaign, maker: User, when: datetime, *, count: int
) -> tuple[list[CampaignUpdate], list[Comment]]:
    updates = [
        CampaignUpdate(
            campaign=campaign,
            title="Merci pour ce démarrage !",
            body="Vous êtes déjà nombreux à nous soutenir : merci ! Parlez-en autour de vous, "
            "chaque partage compte.",
            author=maker,
            emailed_at=when + timedelta(days=3, hours=1),
        )
    ][:count]
    comments = [
        Comment(campaign=campaign, author=None, author_name=name, body=body)
        for name, body in COMMENTS[:count]
    ]
    return updates, comments


def _date_rows(rows, field: str, moments: list[datetime]) -> None:
    for row, moment in zip(rows, moments, strict=True):
        setattr(row, field, moment)
    if rows:
        type(rows[0]).objects.bulk_update(rows, [field])


# --- MEL Makers 2019 ------------------------------------------------------------------------


def _mel_2019(log: History) -> dict[str, int]:
    from tremplin.jury.publication import laureates

    programme = Programme.objects.select_related("organiser").get(slug=data.PROGRAMME_2019["slug"])
    organiser: Organiser = programme.organiser
    manager = User.objects.get(email=data.MEL_MANAGER.email)
    coach = User.objects.get(email=data.COACH.email)
    CampaignSettings.objects.get_or_create(
        programme=programme,
        defaults={"funding_rule": FundingRule.ALL_OR_NOTHING, "payment_provider": "sandbox"},
    )
    applications = list(laureates(programme))
    goals = [int(a.funding_goal) for a in applications]
    # Each campaign passed its goal (by 5 % to 80 % of it, before sharing out the rest of
    # the brief's total in the same proportions): raised ≥ goal, and the sum is exact.
    boosts = [0.05 + 0.75 * ((i * 37) % 10) / 9 for i in range(len(applications))]
    extras = split_total(
        int(TOTAL_2019) - sum(goals),
        len(applications),
        [g * b for g, b in zip(goals, boosts, strict=True)],
    )
    raised = [g + e for g, e in zip(goals, extras, strict=True)]
    counts = split_total(CONTRIBUTORS_2019 * 10, len(applications), [r**0.9 for r in raised])
    counts = [c // 10 for c in counts]
    counts[counts.index(max(counts))] += CONTRIBUTORS_2019 - sum(counts)

    closed_at = END_2019 + timedelta(minutes=1)
    settled_at = paris(2019, 11, 15, 11)
    campaigns = Campaign.objects.bulk_create(
        [
            Campaign(
                programme=programme,
                application=application,
                slug=slugify(application.title)[:80],
                title=application.title,
                pitch=application.summary,
                description=linebreaks(application.description, autoescape=True),
                goal=application.funding_goal,
                starts_at=START_2019,
                ends_at=END_2019,
                state=CampaignState.SETTLED,
                coach=coach,
                raised_amount=Decimal(total),
                contributor_count=count,
                submitted_at=paris(2019, 8, 19 + i % 5, 10 + i % 6),
                approved_at=paris(2019, 8, 26 + i % 4, 15),
                launched_at=START_2019,
                closed_at=closed_at,
                settled_at=settled_at,
            )
            for i, (application, total, count) in enumerate(
                zip(applications, raised, counts, strict=True)
            )
        ]
    )
    _date_rows(campaigns, "created_at", [paris(2019, 7, 2, 10, i) for i in range(len(campaigns))])
    colours = (programme.primary_colour, programme.secondary_colour)
    images, all_rewards, contributions, notes, updates, comments = [], [], [], [], [], []
    offset = 0
    for i, (campaign, application, total, count) in enumerate(
        zip(campaigns, applications, raised, counts, strict=True)
    ):
        images.append(
            CampaignImage(
                campaign=campaign,
                image=_image(campaign.slug, colours),
                alt_text=f"Visuel de la campagne « {campaign.title} »",
                position=1,
            )
        )
        rewards = _rewards(campaign, campaign.title, date(2019, 12, 15))
        rows = _contributions(
            campaign,
            rewards,
            amounts_for(total, count, seed=2019 + i),
            start=START_2019,
            end=END_2019 - timedelta(minutes=5),
            offset=offset,
            key=f"2019-{i:02d}",
            communes=data.MEL_COMMUNES,
        )
        offset += count
        all_rewards += rewards
        contributions += rows
        maker = application.maker
        notes += _review_history(
            log,
            campaign,
            organiser_id=organiser.pk,
            manager=manager,
            coach=coach,
            maker=maker,
            created=campaign.created_at,
            submitted=campaign.submitted_at,
            approved=campaign.approved_at,
            scheduled=campaign.approved_at + timedelta(days=1),
            launched=START_2019,
        )
        log.add(
            campaigns_actions.CAMPAIGN_CLOSED,
            closed_at,
            obj=campaign,
            organiser_id=organiser.pk,
            user=None,
            **{"from": CampaignState.LIVE, "to": CampaignState.SUCCEEDED},
            raised=str(campaign.raised_amount),
            matched="0.00",
            contributors=count,
        )
        log.add(
            campaigns_actions.CAMPAIGN_SETTLED,
            settled_at,
            obj=campaign,
            organiser_id=organiser.pk,
            user=manager,
            **{"from": CampaignState.SUCCEEDED, "to": CampaignState.SETTLED},
        )
        news, talk = _news_and_comments(campaign, maker, START_2019, count=2)
        updates += news
        comments += talk
    CampaignImage.objects.bulk_create(images)
    RewardTier.objects.bulk_create(all_rewards)
    Contribution.objects.bulk_create(contributions, batch_size=500)
    _pay(contributions)
    ReviewNote.objects.bulk_create(notes)
    _date_rows(notes, "created_at", [n.campaign.approved_at for n in notes])
    CampaignUpdate.objects.bulk_create(updates)
    _date_rows(updates, "published_at", [START_2019 + timedelta(days=3)] * len(updates))
    Comment.objects.bulk_create(comments)
    _date_rows(
        comments,
        "created_at",
        [START_2019 + timedelta(days=5 + i % 20) for i in range(len(comments))],
    )
    for when, action, old, new in (
        (
            START_2019,
            campaigns_actions.PROGRAMME_CAMPAIGNS_STARTED,
            ProgrammeState.RESULTS,
            ProgrammeState.CAMPAIGNS_LIVE,
        ),
        (
            closed_at,
            campaigns_actions.PROGRAMME_CAMPAIGNS_CLOSED,
            ProgrammeState.CAMPAIGNS_LIVE,
            ProgrammeState.CAMPAIGNS_CLOSED,
        ),
    ):
        log.add(
            action,
            when,
            obj=programme,
            organiser_id=organiser.pk,
            user=None,
            **{"from": old, "to": new},
        )
    Programme.objects.filter(pk=programme.pk).update(
        state=ProgrammeState.CAMPAIGNS_CLOSED, updated_at=closed_at
    )
    return {"campaigns": len(campaigns), "contributions": len(contributions)}


# --- the winter edition: campaigns live now ---------------------------------------------------


def _winter(log: History, now: datetime) -> dict[str, int]:
    organiser = Organiser.objects.get(slug=data.MEL["slug"])
    manager = User.objects.get(email=data.MEL_MANAGER.email)
    coach = User.objects.get(email=data.COACH.email)
    today = timezone.localdate(now, PARIS)
    launched = day_at(today - timedelta(days=9), 10)
    programme = Programme.objects.create(
        organiser=organiser,
        state=ProgrammeState.CAMPAIGNS_LIVE,
        description=data.MEL_DESCRIPTION,
        communes="\n".join(data.MEL_COMMUNES),
        categories="\n".join(data.MEL_CATEGORIES + ["Mobilité", "Textile"]),
        call_opens_at=day_at(today - timedelta(days=150), 9),
        call_closes_at=day_at(today - timedelta(days=110), 23, 59),
        results_at=day_at(today - timedelta(days=45), 18),
        campaigns_start_at=launched,
        campaigns_end_at=day_at(today + timedelta(days=26), 23, 59),
        **WINTER,
    )
    created = day_at(today - timedelta(days=170), 14)
    Programme.objects.filter(pk=programme.pk).update(created_at=created, updated_at=launched)
    programme.partners.set(organiser.partners.exclude(slug="metropole-europeenne-de-lille"))
    for action, when, old, new in (
        (calls_actions.PROGRAMME_CREATED, created, None, None),
        (
            calls_actions.PROGRAMME_CALL_OPENED,
            programme.call_opens_at,
            ProgrammeState.DRAFT,
            ProgrammeState.CALL_OPEN,
        ),
        (
            calls_actions.PROGRAMME_CALL_CLOSED,
            programme.call_closes_at,
            ProgrammeState.CALL_OPEN,
            ProgrammeState.CALL_CLOSED,
        ),
        (
            campaigns_actions.PROGRAMME_CAMPAIGNS_STARTED,
            launched,
            ProgrammeState.RESULTS,
            ProgrammeState.CAMPAIGNS_LIVE,
        ),
    ):
        extra = {"from": old, "to": new} if old else {"changed": {"name": programme.name}}
        log.add(action, when, obj=programme, organiser_id=organiser.pk, user=manager, **extra)
    CampaignSettings.objects.create(
        programme=programme,
        funding_rule=FundingRule.ALL_OR_NOTHING,
        min_contribution=Decimal("5"),
        max_contribution=Decimal("2000"),
        payment_provider="sandbox",
    )
    pot = MatchfundingPot.objects.create(
        programme=programme,
        funder_name=WINTER_FUNDER,
        budget=Decimal("20000"),
        rule="ratio",
        ratio=Decimal("1"),
        cap_per_contribution=Decimal("50"),
        cap_per_campaign=Decimal("1500"),
    )
    from allauth.account.models import EmailAddress

    password = manager.password  # the demo password, already hashed once
    makers = User.objects.bulk_create(
        [
            User(email=p.maker.email, full_name=p.maker.full_name, language="fr", password=password)
            for p in WINTER_PROJECTS
        ]
    )

    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in makers]
    )
    submitted = [programme.call_closes_at - timedelta(days=3 + i) for i in range(len(makers))]
    applications = Application.objects.bulk_create(
        [
            Application(
                programme=programme,
                maker=maker,
                state=ApplicationState.SUBMITTED,
                eligibility=Eligibility.ELIGIBLE,
                screened_at=programme.call_closes_at + timedelta(days=3),
                screened_by=manager,
                title=p.title,
                summary=p.summary,
                description=p.description,
                category=p.category,
                commune=p.commune,
                maker_profile="entrepreneur",
                maker_name=p.maker.full_name,
                funding_goal=Decimal(p.goal),
                budget=Decimal(p.goal * 2),
                submitted_at=when,
            )
            for p, maker, when in zip(WINTER_PROJECTS, makers, submitted, strict=True)
        ]
    )
    colours = (programme.primary_colour, programme.secondary_colour)
    campaigns = Campaign.objects.bulk_create(
        [
            Campaign(
                programme=programme,
                application=application,
                slug=slugify(p.title)[:80],
                title=p.title,
                pitch=p.summary,
                description=linebreaks(p.description, autoescape=True),
                goal=Decimal(p.goal),
                starts_at=launched if p.state == CampaignState.LIVE else now + timedelta(days=7),
                ends_at=(now + p.ends_in).replace(second=0, microsecond=0),
                state=p.state,
                coach=coach,
                raised_amount=Decimal(p.raised),
                contributor_count=p.contributors,
                submitted_at=launched - timedelta(days=12 - i)
                if p.state == CampaignState.LIVE
                else now - timedelta(days=1),
                approved_at=launched - timedelta(days=5) if p.state == CampaignState.LIVE else None,
                launched_at=launched if p.state == CampaignState.LIVE else None,
            )
            for i, (p, application) in enumerate(zip(WINTER_PROJECTS, applications, strict=True))
        ]
    )
    _date_rows(campaigns, "created_at", [launched - timedelta(days=30)] * len(campaigns))
    images, all_rewards, contributions, notes, updates, comments = [], [], [], [], [], []
    offset = CONTRIBUTORS_2019
    for i, (campaign, p, maker) in enumerate(zip(campaigns, WINTER_PROJECTS, makers, strict=True)):
        images.append(
            CampaignImage(
                campaign=campaign,
                image=_image(campaign.slug, colours),
                alt_text=f"Visuel de la campagne « {campaign.title} »",
                position=1,
            )
        )
        rewards = _rewards(campaign, campaign.title, today + timedelta(days=60))
        live = p.state == CampaignState.LIVE
        rows = []
        if live:
            rows = _contributions(
                campaign,
                rewards,
                amounts_for(p.raised, p.contributors, seed=7 + i),
                start=launched,
                end=now - timedelta(minutes=10),
                offset=offset,
                key=f"hiver-{i:02d}",
                communes=data.MEL_COMMUNES,
            )
            offset += p.contributors
        all_rewards += rewards
        contributions += rows
        notes += _review_history(
            log,
            campaign,
            organiser_id=organiser.pk,
            manager=manager,
            coach=coach,
            maker=maker,
            created=campaign.created_at,
            submitted=campaign.submitted_at,
            approved=campaign.approved_at,
            scheduled=campaign.approved_at + timedelta(days=1) if live else None,
            launched=launched if live else None,
        )
        if live:
            news, talk = _news_and_comments(campaign, maker, launched, count=1 + i % 2)
            updates += news
            comments += talk
    CampaignImage.objects.bulk_create(images)
    RewardTier.objects.bulk_create(all_rewards)
    Contribution.objects.bulk_create(contributions, batch_size=500)
    _pay(contributions)
    # The Métropole's matchfunding: 1 € per euro, 50 € at most per contribution, 1 500 € at
    # most per campaign, allocated in the order of the gifts.
    allocations, matched_by_campaign = [], {}
    for row in sorted(contributions, key=lambda c: c.confirmed_at):
        so_far = matched_by_campaign.get(row.campaign_id, Decimal("0"))
        amount = min(
            row.amount * pot.ratio, pot.cap_per_contribution, pot.cap_per_campaign - so_far
        )
        if amount <= 0:
            continue
        matched_by_campaign[row.campaign_id] = so_far + amount
        row.matched_amount = amount
        allocations.append(
            MatchAllocation(
                pot=pot,
                campaign_id=row.campaign_id,
                contribution=row,
                amount=amount,
                state=AllocationState.CONFIRMED,
            )
        )
    MatchAllocation.objects.bulk_create(allocations)
    Contribution.objects.bulk_update(contributions, ["matched_amount"], batch_size=500)
    for campaign in campaigns:
        campaign.matched_amount = matched_by_campaign.get(campaign.pk, Decimal("0"))
    Campaign.objects.bulk_update(campaigns, ["matched_amount"])
    MatchfundingPot.objects.filter(pk=pot.pk).update(
        allocated=sum(matched_by_campaign.values(), Decimal("0"))
    )
    ReviewNote.objects.bulk_create(notes)
    _date_rows(notes, "created_at", [n.campaign.approved_at for n in notes])
    CampaignUpdate.objects.bulk_create(updates)
    _date_rows(updates, "published_at", [launched + timedelta(days=3)] * len(updates))
    Comment.objects.bulk_create(comments)
    _date_rows(
        comments, "created_at", [launched + timedelta(days=4 + i) for i in range(len(comments))]
    )
    return {"campaigns": len(campaigns), "contributions": len(contributions)}


def load_campaigns_demo(now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    log = History()
    past = _mel_2019(log)
    live = _winter(log, now)
    return {
        "campaigns": past["campaigns"] + live["campaigns"],
        "contributions": past["contributions"] + live["contributions"],
        "audit_log_entries": log.write(),
    }
