"""The coaching part of the demo: the winter edition's fourth campaign mid-checklist with
its coach's thread; MEL Makers 2020's workshops (one full with a waiting list, one with
places, one past with attendance and materials)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.calls.helpers import english_client
from tremplin.campaigns.models import Campaign
from tremplin.coaching import checklist
from tremplin.coaching.models import CoachNote, MeetingSlot, Message, Workshop
from tremplin.demo import data
from tremplin.demo.coaching import FOURTH_CAMPAIGN
from tremplin.demo.load import load_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    load_demo()


def test_the_fourth_winter_campaign_is_mid_checklist_with_a_thread(demo):
    campaign = Campaign.objects.get(slug=FOURTH_CAMPAIGN)
    states = checklist.evaluate(campaign)
    done, required = checklist.readiness(states)
    assert 0 < done < required
    waiting = [s.item.key for s in states if s.awaiting_confirmation]
    assert waiting == ["day-one"]
    assert Message.objects.filter(campaign=campaign).count() == 4
    assert Message.objects.filter(campaign=campaign, kind="meeting_notes").count() == 1
    assert CoachNote.objects.filter(campaign=campaign).exists()
    assert MeetingSlot.objects.filter(campaign=campaign, booked_at__isnull=True).count() == 2
    # The coach sees it all on the space page; the maker never sees the private note.
    from tremplin.core.models import User

    coach = english_client(User.objects.get(email=data.COACH.email))
    page = coach.get(f"/accompagnement/c/{campaign.slug}/").content.decode()
    assert "Rendez-vous du lancement" in page and "la rassurer" in page
    maker = english_client(campaign.maker)
    page = maker.get(f"/accompagnement/c/{campaign.slug}/").content.decode()
    assert "Rendez-vous du lancement" in page and "la rassurer" not in page
    assert coach.get("/accompagnement/").status_code == 200


def test_the_2020_workshops(demo):
    now = timezone.now()
    workshops = Workshop.objects.filter(programme__slug="mel-makers-2020")
    upcoming = [w for w in workshops if w.starts_at > now]
    past = [w for w in workshops if w.starts_at <= now]
    assert len(upcoming) == 2 and len(past) == 1
    full = next(w for w in upcoming if w.audience == "public")
    confirmed = full.registrations.filter(state="confirmed").count()
    assert confirmed == full.capacity
    assert full.registrations.filter(state="waiting").count() == 3
    (before,) = past
    assert before.registrations.filter(attended=True).count() == 7
    assert before.materials.count() == 2 and before.materials_shared_at
    client = english_client()
    assert client.get(f"/ateliers/{full.pk}/").status_code == 200
    assert b"Join the waiting list" in client.get(f"/ateliers/{full.pk}/").content
    assert client.get("/programmes/mel-makers-2020/ateliers.ics").status_code == 200
