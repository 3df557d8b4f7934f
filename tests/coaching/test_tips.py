"""Timed tips: each due on its day, sent once (even by two workers at once, on
PostgreSQL), respecting its condition (below pace, no news for 7 days), in the maker's
language; the schedule's preview; the organiser's configuration."""

from __future__ import annotations

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from tests.campaigns.factories import CampaignFactory, UpdateFactory
from tests.concurrency import run_together
from tremplin.campaigns.models import Campaign
from tremplin.coaching import tips
from tremplin.coaching.models import TipRule, TipSent

D = Decimal


def _live(world, *, days_in: float, length: int = 30, raised: str = "0", language="fr"):
    now = timezone.now()
    start = now - timedelta(days=days_in)
    world.maker.language = language
    world.maker.save()
    Campaign.objects.filter(pk=world.campaign.pk).update(
        state="live",
        launched_at=start,
        starts_at=start,
        ends_at=start + timedelta(days=length),
        raised_amount=D(raised),
    )
    # The other campaign of the programme is not live: its tips stay out of the counts.
    Campaign.objects.filter(pk=world.other_campaign.pk).update(state="draft")
    world.campaign.refresh_from_db()
    return world.campaign


@pytest.mark.django_db
def test_due_moments(world):
    campaign = _live(world, days_in=0, length=30)
    start = campaign.launched_at
    assert tips.due_at(campaign, "day0") == start
    assert tips.due_at(campaign, "day8") == start + timedelta(days=8)
    assert tips.due_at(campaign, "slump") == start + timedelta(days=15)
    assert tips.due_at(campaign, "end3") == campaign.ends_at - timedelta(days=3)


@pytest.mark.django_db
def test_day_0_is_sent_once_in_the_makers_language(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    _live(world, days_in=0.1, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        assert tips.send_due_tips() == {"sent": 1, "skipped": 0}
        assert tips.send_due_tips() == {"sent": 0, "skipped": 0}
    assert [m.to for m in mailoutbox] == [[world.maker.email]]
    assert mailoutbox[0].subject == "You are live! Your campaign has started"
    assert "write personally to your first circle" in mailoutbox[0].body


@pytest.mark.django_db
def test_below_pace_condition(world, mailoutbox, django_capture_on_commit_callbacks):
    # Day 3 of 30 (10 % of the time): 5 % raised is below pace → sent.
    _live(world, days_in=3.1, raised="250")
    with django_capture_on_commit_callbacks(execute=True):
        assert tips.send_due_tips() == {"sent": 1, "skipped": 0}
    assert mailoutbox[0].subject == "Jour 3 : accélérez le démarrage"
    assert TipSent.objects.get().outcome == "sent"


@pytest.mark.django_db
def test_on_pace_the_day_3_tip_is_skipped_for_good(world, mailoutbox):
    campaign = _live(world, days_in=3.1, raised="1000")  # 20 % raised at 10 % of the time
    assert tips.send_due_tips() == {"sent": 0, "skipped": 1}
    # Falling behind later the same day changes nothing: the tip was decided.
    Campaign.objects.filter(pk=campaign.pk).update(raised_amount=0)
    assert tips.send_due_tips() == {"sent": 0, "skipped": 0}
    assert mailoutbox == []
    assert TipSent.objects.get().outcome == "skipped"


@pytest.mark.django_db
def test_no_news_condition(world, mailoutbox, django_capture_on_commit_callbacks):
    campaign = _live(world, days_in=8.1, raised="5000")
    UpdateFactory(campaign=campaign)  # news today: day 8's tip is skipped
    assert tips.send_due_tips() == {"sent": 0, "skipped": 1}
    other = CampaignFactory(
        programme=world.programme,
        launched_at=timezone.now() - timedelta(days=8, hours=2),
        starts_at=timezone.now() - timedelta(days=8, hours=2),
        raised_amount=D("5000"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert tips.send_due_tips() == {"sent": 1, "skipped": 0}
    assert mailoutbox[0].to == [other.maker.email]


@pytest.mark.django_db
def test_a_missed_day_is_not_sent_late_and_disabled_tips_are_not_sent(world, mailoutbox):
    _live(world, days_in=1.5)  # day 1's window is open; day 0's has passed
    TipRule.objects.create(
        programme=world.programme,
        moment="day1",
        enabled=False,
        subject_fr="x",
        subject_en="x",
        body_fr="x",
        body_en="x",
    )
    assert tips.send_due_tips() == {"sent": 0, "skipped": 0}
    assert mailoutbox == []


@pytest.mark.django_db
def test_the_command(world, mailoutbox, django_capture_on_commit_callbacks, capsys):
    _live(world, days_in=0.1)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("coaching-tips")
    assert "1 tip(s) sent" in capsys.readouterr().out
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_the_preview(world, client_for, client):
    campaign = _live(world, days_in=3.1, raised="1000")
    tips.send_due_tips()
    url = f"/accompagnement/c/{campaign.slug}/conseils/"
    page = client_for(world.maker).get(url).content.decode()
    assert page.count("<tr>") == 13
    assert "Skipped (condition not met)" in page  # day 3, on pace
    assert "Not sent (its day has passed)" in page  # day 0..2: the job never ran then
    assert "Upcoming" in page
    assert "does not hold now" in page
    for person, status in (
        (world.coach, 200),
        (world.viewer, 200),
        (world.other_maker, 404),
        (world.other_coach, 404),
        (world.other_manager, 404),
    ):
        assert client_for(person).get(url).status_code == status
    assert client.get(url).status_code == 302


def _url(world) -> str:
    organiser, programme = world.programme.organiser.slug, world.programme.slug
    return f"/gestion/{organiser}/programmes/{programme}/accompagnement/conseils/"


def _post(rows):
    data = {
        "tips-TOTAL_FORMS": str(len(rows)),
        "tips-INITIAL_FORMS": str(len(rows)),
        "tips-MIN_NUM_FORMS": "12",
        "tips-MAX_NUM_FORMS": "12",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"tips-{i}-{key}"] = value
    return data


def _defaults(programme):
    return [
        {
            "moment": r.moment,
            "enabled": "on",
            "condition": r.condition,
            "subject_fr": r.subject_fr,
            "subject_en": r.subject_en,
            "body_fr": r.body_fr,
            "body_en": r.body_en,
        }
        for r in tips.default_rules(programme)
    ]


@pytest.mark.django_db
def test_the_organiser_configures_the_tips(world, client_for):
    url = _url(world)
    rows = _defaults(world.programme)
    rows[0] = {**rows[0], "subject_fr": "Bienvenue !", "condition": "below_pace"}
    del rows[1]["enabled"]
    assert client_for(world.viewer).get(url).status_code == 200
    assert client_for(world.viewer).post(url, _post(rows)).status_code == 403
    assert client_for(world.other_manager).get(url).status_code == 404
    assert client_for(world.manager).post(url, _post(rows)).status_code == 302
    saved = {r.moment: r for r in tips.rules_for(world.programme)}
    assert saved["day0"].subject_fr == "Bienvenue !" and saved["day0"].condition == "below_pace"
    assert saved["day1"].enabled is False
    assert TipRule.objects.count() == 12


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [
        {"subject_fr": ""},
        {"subject_en": "x" * 200},
        {"body_fr": "a\x00b"},
        {"body_en": "x" * 6000},
        {"condition": "when-it-rains"},
        {"moment": "day42"},
        {"moment": "day1"},  # twice
    ],
)
def test_bad_tips_input(world, client_for, change):
    url = _url(world)
    rows = _defaults(world.programme)
    rows[0] = {**rows[0], **change}
    assert client_for(world.manager).post(url, _post(rows)).status_code == 400
    assert not TipRule.objects.exists()


@pytest.mark.django_db
def test_eleven_forms_are_refused(world, client_for):
    url = _url(world)
    assert (
        client_for(world.manager).post(url, _post(_defaults(world.programme)[:11])).status_code
        == 400
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (threads)")
def test_without_the_conditional_update_two_workers_send_a_tip_twice(
    world, mailoutbox, monkeypatch
):
    """The race the claim prevents: both workers read the tip undecided, both decide it."""
    _live(world, days_in=3.1, raised="250")
    both_read = threading.Barrier(2)
    original = tips.condition_holds

    def read_then_wait(*args, **kwargs):
        both_read.wait(timeout=30)  # both have read decided_at IS NULL
        return original(*args, **kwargs)

    def naive_claim(pk, now, outcome):
        TipSent.objects.filter(pk=pk).update(decided_at=now, outcome=outcome)
        return True

    monkeypatch.setattr(tips, "_claim", naive_claim)
    monkeypatch.setattr(tips, "condition_holds", read_then_wait)
    now = timezone.now()
    outcomes = run_together(2, lambda i: tips.send_due_tips(now))
    assert [o["sent"] for o in outcomes] == [1, 1], outcomes
    assert len(mailoutbox) == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (threads)")
def test_two_workers_send_each_tip_once(world, mailoutbox, monkeypatch):
    _live(world, days_in=3.1, raised="250")  # day 3 due, below pace
    both_read = threading.Barrier(2)
    original = tips.condition_holds

    def read_then_wait(*args, **kwargs):
        both_read.wait(timeout=30)  # the same window as above: only the claim differs
        return original(*args, **kwargs)

    monkeypatch.setattr(tips, "condition_holds", read_then_wait)
    now = timezone.now()
    outcomes = run_together(2, lambda i: tips.send_due_tips(now))
    assert all(isinstance(o, dict) for o in outcomes), outcomes
    assert sorted(o["sent"] for o in outcomes) == [0, 1], outcomes
    assert len(mailoutbox) == 1
    assert TipSent.objects.count() == 1
