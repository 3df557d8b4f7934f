"""The communication kit part of the demo (loaded after the campaigns): a custom print
format of the Métropole (an A5 flyer), the kits of the ten 2019 laureates, released, and
the kits of the winter edition's live campaigns, all released but one, which waits for the
organiser's release. Every kit is generated here, at once (posters in every format, social
visuals, texts, press releases), through the kit's own functions, without its teaser video
(about 6 s of CPU each would make `tremplin demo` start in minutes): when ``KIT_TEASER`` is
on, the completion of every kit (``kit.tasks.complete_kit``) is queued instead, and the
task worker that `tremplin demo` starts beside the site adds each teaser to its kit, released
or not, within a minute or two."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import transaction

from tremplin.calls.models import Programme
from tremplin.campaigns.enums import CampaignState
from tremplin.campaigns.models import Campaign
from tremplin.core.models import Organiser, User
from tremplin.demo import data
from tremplin.kit.formats import add_format
from tremplin.kit.generation import request_kit
from tremplin.kit.release import release
from tremplin.kit.tasks import complete_kit

WINTER_SLUG = "tremplin-makers-lille-hiver"
FLYER = {
    "name": "Flyer A5",
    "code": "flyer-a5",
    "width_mm": 148,
    "height_mm": 210,
    "bleed_mm": 3,
    "reading_distance_cm": 40,
    "channel": "flyer",
    "quantity": 500,
}


def load_kit_demo(now: datetime | None = None) -> dict[str, int]:
    teaser, settings.KIT_TEASER = settings.KIT_TEASER, False
    try:
        versions = _load(now)
    finally:
        settings.KIT_TEASER = teaser
    if teaser:
        # After the demo's transaction: the worker adds the teasers in the background.
        for pk in versions["made"]:
            transaction.on_commit(lambda pk=pk: complete_kit.enqueue(pk))
    return {
        "kits_released": versions["released"],
        "kits_waiting": versions["waiting"],
        "kits_completing": len(versions["made"]) if teaser else 0,
    }


def remake_kit(campaign: Campaign) -> None:
    """The kit of ``campaign`` made again and released by the MEL's manager, as an organiser
    does after its maker erased their account (the items that named them went with their
    data; the campaign is kept): its teaser is queued like the others'."""
    manager = User.objects.get(email=data.MEL_MANAGER.email)
    teaser, settings.KIT_TEASER = settings.KIT_TEASER, False
    try:
        version = request_kit(campaign, reason="manual", user=manager, run="now", notify=False)
        release(version, user=manager)
    finally:
        settings.KIT_TEASER = teaser
    if teaser:
        transaction.on_commit(lambda: complete_kit.enqueue(version.pk))


def _load(now: datetime | None) -> dict:
    manager = User.objects.get(email=data.MEL_MANAGER.email)
    organiser = Organiser.objects.get(slug=data.MEL["slug"])
    add_format(organiser, user=manager, values=FLYER)
    released = waiting = 0
    made: list[int] = []
    programme_2019 = Programme.objects.get(slug=data.PROGRAMME_2019["slug"])
    for campaign in Campaign.objects.filter(programme=programme_2019).order_by("title"):
        version = request_kit(campaign, reason="approved", user=manager, run="now", notify=False)
        made.append(version.pk)
        release(version, user=manager)
        released += 1
    live = Campaign.objects.filter(programme__slug=WINTER_SLUG, state=CampaignState.LIVE).order_by(
        "title"
    )
    for index, campaign in enumerate(live):
        version = request_kit(campaign, reason="approved", user=manager, run="now", notify=False)
        made.append(version.pk)
        if index == len(live) - 1:
            waiting += 1  # the last one waits for the organiser's release
        else:
            release(version, user=manager)
            released += 1
    return {"released": released, "waiting": waiting, "made": made}
