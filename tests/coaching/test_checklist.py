"""The readiness checklist: its automatic items follow the campaign's content, manual items
are ticked by the maker and confirmed by the coach, and once the organiser has adopted the
checklist, the submission for review needs its required items (the maker sees what is
missing and why)."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from tests.campaigns.factories import RewardFactory
from tremplin.campaigns import review
from tremplin.campaigns.enums import CampaignState
from tremplin.campaigns.errors import CampaignError
from tremplin.campaigns.models import CampaignImage
from tremplin.coaching import checklist
from tremplin.coaching.errors import CoachingError
from tremplin.coaching.models import ChecklistItem, ChecklistTick, FirstCircleContact

pytestmark = pytest.mark.django_db
CHECKLIST_URL = "/gestion/{org}/programmes/{slug}/accompagnement/liste/"


def _state(campaign, key):
    return next(s for s in checklist.evaluate(campaign) if s.item.key == key)


def _complete_page(campaign):
    CampaignImage.objects.create(campaign=campaign, image="public/campaigns/a.png", alt_text="")


def test_automatic_items_follow_the_content(world):
    campaign = world.campaign
    assert _state(campaign, "page").reason.startswith("still needs: at least one image")
    _complete_page(campaign)
    assert _state(campaign, "page").done

    assert _state(campaign, "rewards").reason == "0 rewards so far, 3 needed"
    RewardFactory(campaign=campaign)
    assert _state(campaign, "rewards").reason == "1 reward so far, 3 needed"
    RewardFactory.create_batch(2, campaign=campaign)
    assert _state(campaign, "rewards").done

    assert _state(campaign, "video").reason == "no video yet"
    campaign.video_url = "https://video.example.org/v/1"
    campaign.save()
    assert _state(campaign, "video").reason == "the video has neither captions nor a transcript"
    campaign.video_captions.save(
        "v.vtt", ContentFile(b"WEBVTT\n\n00:00.000 --> 00:01.000\nBonjour\n")
    )
    assert _state(campaign, "video").done
    campaign.video_captions = ""
    campaign.video_transcript = "Bonjour, je suis Marie."
    campaign.save()
    assert _state(campaign, "video").done

    assert _state(campaign, "images").reason == "1 image has no description"
    CampaignImage.objects.filter(campaign=campaign).update(alt_text="L'atelier, vu de la rue")
    assert _state(campaign, "images").done

    assert _state(campaign, "launch").done  # the factory's campaign has dates
    campaign.starts_at = None
    campaign.save()
    assert _state(campaign, "launch").reason == "no launch date chosen yet"

    for i in range(19):
        FirstCircleContact.objects.create(campaign=campaign, name=f"Ami {i}")
    assert (
        _state(campaign, "first-circle").reason == "19 people in the first circle so far, 20 needed"
    )
    FirstCircleContact.objects.create(campaign=campaign, name="Vingtième")
    assert _state(campaign, "first-circle").done


def test_the_default_checklist_guides_until_the_organiser_adopts_it(world, client_for):
    campaign = world.campaign
    _complete_page(campaign)
    assert not checklist.in_force(campaign.programme)
    assert checklist.blockers(campaign) == []
    # The organiser adopts the default checklist.
    url = CHECKLIST_URL.format(org=world.programme.organiser.slug, slug=world.programme.slug)
    assert client_for(world.manager).post(url, {"adopt": "default"}).status_code == 302
    assert ChecklistItem.objects.filter(programme=world.programme).count() == 9
    blockers = checklist.blockers(campaign)
    assert "“At least 3 rewards”: 0 rewards so far, 3 needed" in blockers
    assert "“The launch plan is written”: not ticked by the maker yet" in blockers
    # The news item is optional: it never blocks.
    assert not any("news" in b for b in blockers)
    with pytest.raises(CampaignError) as error:
        review.submit_for_review(campaign, user=world.maker)
    assert error.value.code == "checklist"
    assert "0 rewards so far, 3 needed" in error.value.messages[0]
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.DRAFT
    # The maker sees what is missing and why on the backstage, and the submit is refused.
    maker = client_for(world.maker)
    page = maker.get(f"/mes-campagnes/{campaign.slug}/").content.decode()
    assert "0 rewards so far, 3 needed" in page
    response = maker.post(f"/mes-campagnes/{campaign.slug}/", {"action": "submit"})
    assert response.status_code == 400
    assert "not ticked by the maker yet" in response.content.decode()


def _fill_everything(world):
    campaign = world.campaign
    CampaignImage.objects.create(campaign=campaign, image="public/campaigns/a.png", alt_text="Vue")
    RewardFactory.create_batch(3, campaign=campaign)
    campaign.video_url = "https://video.example.org/v/1"
    campaign.video_transcript = "Bonjour."
    campaign.save()
    FirstCircleContact.objects.bulk_create(
        FirstCircleContact(campaign=campaign, name=f"Ami {i}") for i in range(20)
    )


def test_manual_items_ticked_by_the_maker_confirmed_by_the_coach_then_submit(world, client_for):
    client_for(world.manager).post(
        CHECKLIST_URL.format(org=world.programme.organiser.slug, slug=world.programme.slug),
        {"adopt": "default"},
    )
    _fill_everything(world)
    campaign = world.campaign
    url = f"/accompagnement/c/{campaign.slug}/"
    maker, coach = client_for(world.maker), client_for(world.coach)
    # The coach cannot tick for the maker; the maker cannot confirm.
    assert coach.post(url, {"action": "tick", "item": "plan"}).status_code == 403
    assert not ChecklistTick.objects.exists()
    for key in ("plan", "day-one"):
        assert maker.post(url, {"action": "tick", "item": key}).status_code == 302
    assert maker.post(url, {"action": "confirm", "item": "plan"}).status_code == 403
    assert checklist.blockers(campaign) == [
        "“The launch plan is written”: ticked, waiting for the coach's confirmation",
        "“The first contributors are lined up for day one”: ticked, waiting for the coach's "
        "confirmation",
    ]
    for key in ("plan", "day-one"):
        assert coach.post(url, {"action": "confirm", "item": key}).status_code == 302
    assert coach.post(url, {"action": "confirm", "item": "plan"}).status_code == 400  # twice
    assert checklist.blockers(campaign) == []
    review.submit_for_review(campaign, user=world.maker)
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.IN_REVIEW
    # Unticking takes the confirmation back.
    maker.post(url, {"action": "untick", "item": "plan"})
    assert not ChecklistTick.objects.filter(key="plan").exists()


@pytest.mark.parametrize(
    "data",
    [
        {"action": "tick", "item": "nope"},
        {"action": "tick", "item": "rewards"},  # automatic: not ticked by hand
        {"action": "tick", "item": "x" * 5000},
        {"action": "tick", "item": "\x00"},
        {"action": "tick"},
        {"action": "contact_add", "name": ""},
        {"action": "contact_add", "name": "A" * 500},
        {"action": "contact_add", "name": "A\x00B"},
        {"action": "contact_add", "name": "A", "email": "not-an-address"},
        {"action": "contact_remove", "contact": "1" * 40},
        {"action": "contact_remove", "contact": "<script>"},
        {"action": "whatever"},
    ],
)
def test_bad_checklist_input(world, client_for, data):
    response = client_for(world.maker).post(f"/accompagnement/c/{world.campaign.slug}/", data)
    assert response.status_code == 400
    assert not ChecklistTick.objects.exists()
    assert not FirstCircleContact.objects.exists()


def test_the_first_circle_is_the_makers(world, client_for):
    url = f"/accompagnement/c/{world.campaign.slug}/"
    maker = client_for(world.maker)
    assert (
        maker.post(
            url,
            {
                "action": "contact_add",
                "name": "Jeanne Voisine",
                "relation": "voisine",
                "email": "jeanne@example.org",
            },
        ).status_code
        == 302
    )
    contact = FirstCircleContact.objects.get()
    # The coach sees how many, not who.
    page = client_for(world.coach).get(url).content.decode()
    assert "1 person the maker will ask on day one" in page and "Jeanne" not in page
    assert (
        client_for(world.coach)
        .post(url, {"action": "contact_remove", "contact": contact.pk})
        .status_code
        == 403
    )
    assert maker.post(url, {"action": "contact_remove", "contact": contact.pk}).status_code == 302
    assert not FirstCircleContact.objects.exists()
    with pytest.raises(CoachingError):
        checklist.add_contact(world.campaign, user=world.coach, name="X")


def test_the_space_by_role(world, client_for, client):
    url = f"/accompagnement/c/{world.campaign.slug}/"
    statuses = {
        role: (client_for(user) if user else client).get(url).status_code
        for role, user in world.people().items()
    }
    assert statuses == {
        "maker": 200,
        "other_maker": 404,
        "coach": 200,
        "other_coach": 404,
        "manager": 200,
        "viewer": 200,
        "other_manager": 404,
        "anonymous": 302,
    }
    assert client_for(world.viewer).post(url, {"action": "tick", "item": "plan"}).status_code == 403
    assert (
        client_for(world.other_manager).post(url, {"action": "tick", "item": "plan"}).status_code
        == 404
    )


def _template_post(rows):
    data = {
        "items-TOTAL_FORMS": str(len(rows)),
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "30",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"items-{i}-{key}"] = value
    return data


GOOD_ROW = {
    "label_fr": "Photo de l'équipe",
    "label_en": "A team photo",
    "auto": "",
    "required": "on",
}


def test_the_organiser_edits_the_template(world, client_for):
    url = CHECKLIST_URL.format(org=world.programme.organiser.slug, slug=world.programme.slug)
    rows = [
        GOOD_ROW,
        {
            "label_fr": "5 contreparties",
            "label_en": "5 rewards",
            "auto": "rewards",
            "threshold": "5",
            "required": "on",
        },
    ]
    assert client_for(world.viewer).get(url).status_code == 200
    assert client_for(world.viewer).post(url, _template_post(rows)).status_code == 403
    assert client_for(world.other_manager).get(url).status_code == 404
    assert client_for(world.coach).get(url).status_code == 404
    assert client_for(world.manager).post(url, _template_post(rows)).status_code == 302
    items = list(ChecklistItem.objects.filter(programme=world.programme))
    assert [(i.label_en, i.auto, i.threshold) for i in items] == [
        ("A team photo", "", 0),
        ("5 rewards", "rewards", 5),
    ]
    assert checklist.blockers(world.campaign)[0] == "“A team photo”: not ticked by the maker yet"


@pytest.mark.parametrize(
    "change",
    [
        {"label_fr": ""},
        {"label_en": "x" * 500},
        {"label_fr": "A\x00"},
        {"auto": "launch_the_rockets"},
        {"auto": "rewards", "threshold": ""},
        {"auto": "rewards", "threshold": "1" * 40},
        {"threshold": "-1"},
    ],
)
def test_bad_template_input(world, client_for, change):
    url = CHECKLIST_URL.format(org=world.programme.organiser.slug, slug=world.programme.slug)
    response = client_for(world.manager).post(url, _template_post([{**GOOD_ROW, **change}]))
    assert response.status_code == 400
    assert not ChecklistItem.objects.exists()


def test_too_many_forms_are_refused(world, client_for):
    url = CHECKLIST_URL.format(org=world.programme.organiser.slug, slug=world.programme.slug)
    response = client_for(world.manager).post(url, _template_post([GOOD_ROW] * 31))
    assert response.status_code == 400
    assert not ChecklistItem.objects.exists()
