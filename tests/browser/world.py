"""The campaign the browser journeys start from: the Métropole's 2019 programme, its
manager, a coach, and the draft page of "Atelier vélo" with its photo."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from tests import factories
from tests.calls.helpers import image_bytes
from tests.campaigns.factories import CampaignFactory
from tremplin.calls.enums import ProgrammeState
from tremplin.campaigns.enums import CampaignState
from tremplin.campaigns.models import CampaignImage


def draft_campaign(**campaign_fields):
    """(manager, coach, campaign): a draft campaign coached by Julien Coach, starting in two
    days, with its video and photo; ``campaign_fields`` add to or replace its fields."""
    organiser = factories.OrganiserFactory(name="Métropole Européenne de Lille", slug="mel")
    manager = factories.MembershipFactory(organiser=organiser).user
    coach = factories.UserFactory(is_coach=True, full_name="Julien Coach")
    programme = factories.ProgrammeFactory(
        organiser=organiser,
        slug="mel-makers-2019",
        name="MEL Makers 2019",
        state=ProgrammeState.RESULTS,
    )
    now = timezone.now()
    fields = {
        "programme": programme,
        "slug": "atelier-velo",
        "title": "Atelier vélo",
        "state": CampaignState.DRAFT,
        "coach": coach,
        "starts_at": now + timedelta(days=2),
        "ends_at": now + timedelta(days=30),
        "video_url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        **campaign_fields,
    }
    campaign = CampaignFactory(**fields)
    image = CampaignImage(campaign=campaign, alt_text="L'atelier mobile devant la gare")
    image.image.save("velo.jpg", ContentFile(image_bytes("JPEG", size=(320, 180))), save=True)
    return manager, coach, campaign
