"""The relay part of the demo, loaded after the campaigns (``demo.load`` calls
``load_relay_demo``): the Université de Lille's partner member has relayed two of the
winter edition's live campaigns (three relays, marked through ``kit.relay``), and some of
those campaigns' contributions came through the University's tracked links (their
channel and source say so), so the member sees what the relay brought. The winter maker's
campaign gets a video (a PeerTube link) with captions made from the maker's transcript
(``kit.video``)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from tremplin.campaigns.enums import CampaignState
from tremplin.campaigns.models import Campaign
from tremplin.campaigns.page import PageChanges, update_campaign_page
from tremplin.core.dates import PARIS
from tremplin.core.models import Partner, User
from tremplin.demo import data
from tremplin.demo.campaigns import WINTER, WINTER_MAKER_EMAIL
from tremplin.funding.enums import ContributionState
from tremplin.funding.models import Contribution
from tremplin.kit import relay, video
from tremplin.kit.links import PARTNER_CHANNEL
from tremplin.kit.models import RelayPlace

RELAY_PARTNER = data.MEL_PARTNERS[0]  # the Université de Lille
# Of each relayed campaign's contributions, one in SHARE came through the partner's links.
SHARE = 6
# A PeerTube instance of the territory (fictional): the page's click-to-load player.
VIDEO_URL = "https://video.lille.example/w/kLhQv7mGm8zNNA3tR1Fs2B"
TRANSCRIPT = (
    "Bonjour, je m'appelle Malik. Depuis trois ans, je répare des vélos au pied des "
    "immeubles, avec une remorque et quelques outils. Beaucoup d'habitants n'ont pas de "
    "voiture : un vélo qui roule, c'est un travail qu'on peut garder. Avec votre aide, "
    "l'atelier aura un deuxième vélo-cargo et formera dix jeunes du quartier à la "
    "mécanique. Merci de votre soutien, et à bientôt à l'atelier !"
)


def load_relay_demo(now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    partner = Partner.objects.get(organiser__slug=data.MEL["slug"], slug=RELAY_PARTNER.slug)
    member = User.objects.get(email=RELAY_PARTNER.member.email)
    campaigns = list(
        Campaign.objects.filter(programme__slug=WINTER["slug"], state=CampaignState.LIVE)
        .select_related("programme", "application")
        .order_by("starts_at", "pk")[:2]
    )
    today = now.astimezone(PARIS).date()
    marks = 0
    for index, campaign in enumerate(campaigns):
        launch = campaign.starts_at.astimezone(PARIS).date()
        relay.mark_relay(
            partner,
            campaign,
            by=member,
            relayed_on=min(launch, today),
            place=RelayPlace.NEWSLETTER,
            detail="Lettre d'information des étudiants",
        )
        marks += 1
        if index == 0:
            relay.mark_relay(
                partner,
                campaign,
                by=member,
                relayed_on=min(launch + timedelta(days=1), today),
                place=RelayPlace.INSTAGRAM,
                detail="Compte Instagram de la vie étudiante",
                link="https://www.instagram.com/",
            )
            marks += 1
        confirmed = list(
            Contribution.objects.filter(campaign=campaign, state=ContributionState.CONFIRMED)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        brought = confirmed[index::SHARE]
        Contribution.objects.filter(pk__in=brought).update(
            channel=PARTNER_CHANNEL, attribution={"ref": partner.slug}
        )
    captioned = 0
    malik = (
        Campaign.objects.filter(
            programme__slug=WINTER["slug"], application__maker__email=WINTER_MAKER_EMAIL
        )
        .select_related("programme", "application")
        .first()
    )
    if malik is not None:
        if not malik.video_url:
            malik = update_campaign_page(
                malik, user=malik.maker, changes=PageChanges(fields={"video_url": VIDEO_URL})
            )
        video.set_captions(malik, by=malik.maker, transcript=TRANSCRIPT, from_transcript=True)
        captioned = 1
    return {"relay_marks": marks, "captioned_videos": captioned}
