"""The clock: `tremplin campaigns-tick` launches due campaigns and closes those past their
deadline, each exactly once, however often and in however many workers it runs."""

from __future__ import annotations

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from tests.campaigns.factories import CampaignFactory
from tests.campaigns.helpers import html_language
from tests.factories import ProgrammeFactory
from tests.funding.helpers import contribute
from tremplin.calls.enums import ProgrammeState
from tremplin.campaigns import clock
from tremplin.campaigns.enums import CampaignState, FundingRule
from tremplin.campaigns.models import Campaign, CampaignSettings
from tremplin.core.models import AuditLog
from tremplin.funding.models import MatchfundingPot
from tremplin.payments.models import Refund

pytestmark = pytest.mark.django_db


def count(action: str, campaign) -> int:
    return AuditLog.objects.filter(action=action, object_id=str(campaign.pk)).count()


def scheduled(programme=None, **kwargs) -> Campaign:
    now = timezone.now()
    defaults = {
        "state": CampaignState.SCHEDULED,
        "starts_at": now - timedelta(minutes=1),
        "ends_at": now + timedelta(days=30),
    }
    if programme is not None:
        defaults["programme"] = programme
    return CampaignFactory(**{**defaults, **kwargs})


def ended(campaign: Campaign) -> Campaign:
    Campaign.objects.filter(pk=campaign.pk).update(ends_at=timezone.now() - timedelta(minutes=1))
    campaign.refresh_from_db()
    return campaign


def test_tick_launches_a_due_campaign_once(django_capture_on_commit_callbacks):
    campaign = scheduled(application__maker__language="en")
    later = scheduled(starts_at=timezone.now() + timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        assert clock.tick()["launched"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert clock.tick()["launched"] == 0
    campaign.refresh_from_db()
    later.refresh_from_db()
    assert campaign.state == CampaignState.LIVE
    assert campaign.launched_at is not None
    assert later.state == CampaignState.SCHEDULED
    assert count("tremplin.campaign.launched", campaign) == 1
    launched = [m for m in mail.outbox if "live" in m.subject]
    assert [m.to for m in launched] == [[campaign.maker.email]]


def test_first_launch_moves_the_programme_to_campaigns_live(organiser):
    programme = ProgrammeFactory(organiser=organiser, state=ProgrammeState.RESULTS)
    first, second = scheduled(programme), scheduled(programme)
    clock.tick()
    programme.refresh_from_db()
    assert programme.state == ProgrammeState.CAMPAIGNS_LIVE
    assert {first.pk, second.pk} == set(
        Campaign.objects.filter(state=CampaignState.LIVE).values_list("pk", flat=True)
    )
    assert AuditLog.objects.filter(action="tremplin.programme.campaigns_started").count() == 1


@pytest.mark.parametrize(
    ("rule", "raised", "expected"),
    [
        (FundingRule.ALL_OR_NOTHING, "5000.00", CampaignState.SUCCEEDED),
        (FundingRule.ALL_OR_NOTHING, "4999.99", CampaignState.FAILED),
        (FundingRule.KEEP_IT_ALL, "10.00", CampaignState.CLOSED),
        (FundingRule.KEEP_IT_ALL, "9000.00", CampaignState.CLOSED),
    ],
)
def test_close_outcome_by_rule_and_goal(rule, raised, expected):
    campaign = ended(CampaignFactory(settings__funding_rule=rule))
    Campaign.objects.filter(pk=campaign.pk).update(raised_amount=Decimal(raised))
    assert clock.tick()["closed"] == 1
    campaign.refresh_from_db()
    assert campaign.state == expected
    assert campaign.closed_at is not None
    assert clock.tick()["closed"] == 0
    assert count("tremplin.campaign.closed", campaign) == 1
    assert count("tremplin.campaign.funding_closed", campaign) == 1


@pytest.mark.parametrize(("counts", "expected"), [(True, "succeeded"), (False, "failed")])
def test_matched_funds_count_toward_the_goal_only_if_the_settings_say_so(counts, expected):
    campaign = ended(CampaignFactory())
    MatchfundingPot.objects.create(
        programme=campaign.programme,
        funder_name="Métropole",
        budget=Decimal("10000"),
        rule="ratio",
        allocated=Decimal("1000"),
    )
    CampaignSettings.objects.filter(programme=campaign.programme).update(
        matched_counts_toward_goal=counts
    )
    Campaign.objects.filter(pk=campaign.pk).update(
        raised_amount=Decimal("4000"), matched_amount=Decimal("1000")
    )
    clock.tick()
    campaign.refresh_from_db()
    assert campaign.state == expected


def test_a_live_campaign_before_its_deadline_stays_live():
    campaign = CampaignFactory()
    assert clock.tick() == {"launched": 0, "closed": 0, "programmes_closed": 0}
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.LIVE


def test_failed_campaign_refunds_every_payment_once(django_capture_on_commit_callbacks):
    campaign = CampaignFactory(goal=Decimal("5000"))
    with django_capture_on_commit_callbacks(execute=True):
        first = contribute(campaign, "40")
        second = contribute(campaign, "60")
    campaign.refresh_from_db()
    assert campaign.raised_amount == Decimal("100.00")
    ended(campaign)
    with django_capture_on_commit_callbacks(execute=True):
        clock.tick()
    with django_capture_on_commit_callbacks(execute=True):
        clock.tick()
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.FAILED
    refunds = Refund.objects.filter(payment__contribution__campaign=campaign)
    assert refunds.count() == 2
    assert {r.payment.contribution_id for r in refunds} == {first.pk, second.pk}


def test_every_campaign_over_closes_the_programme(organiser):
    programme = ProgrammeFactory(organiser=organiser, state=ProgrammeState.CAMPAIGNS_LIVE)
    first = ended(CampaignFactory(programme=programme))
    second = CampaignFactory(programme=programme)
    clock.tick()
    programme.refresh_from_db()
    assert programme.state == ProgrammeState.CAMPAIGNS_LIVE  # the second is still live
    ended(second)
    clock.tick()
    programme.refresh_from_db()
    first.refresh_from_db()
    assert programme.state == ProgrammeState.CAMPAIGNS_CLOSED
    assert first.state == CampaignState.FAILED


def test_close_emails_maker_and_coach_in_their_language(django_capture_on_commit_callbacks):
    from tests.factories import UserFactory

    coach = UserFactory(is_coach=True, language="en")
    campaign = ended(CampaignFactory(coach=coach, application__maker__language="fr"))
    Campaign.objects.filter(pk=campaign.pk).update(raised_amount=Decimal("6000"))
    with django_capture_on_commit_callbacks(execute=True):
        clock.tick()
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert html_language(by_recipient[campaign.maker.email]) == "fr"
    assert html_language(by_recipient[coach.email]) == "en"
    assert "Goal reached" in by_recipient[coach.email].subject


def test_command_runs_the_tick(capsys):
    scheduled()
    call_command("campaigns-tick")
    assert "1 campaign(s) launched, 0 closed" in capsys.readouterr().out


def test_a_second_close_of_the_same_campaign_does_nothing():
    campaign = ended(CampaignFactory())
    assert clock.close(campaign.pk) is True
    assert clock.close(campaign.pk) is False
    assert clock.launch(campaign.pk) is False
    assert count("tremplin.campaign.closed", campaign) == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_close_a_campaign_once():
    """On PostgreSQL two threads race to close (and launch) the same campaigns: each is
    claimed by exactly one of them."""
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL")
    to_close = [ended(CampaignFactory()) for _ in range(5)]
    to_launch = [scheduled() for _ in range(5)]
    results: list[dict] = []
    barrier = threading.Barrier(4)

    def worker():
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            results.append(clock.tick())
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(r["closed"] for r in results) == 5
    assert sum(r["launched"] for r in results) == 5
    for campaign in to_close:
        assert count("tremplin.campaign.closed", campaign) == 1
        assert count("tremplin.campaign.funding_closed", campaign) == 1
    for campaign in to_launch:
        assert count("tremplin.campaign.launched", campaign) == 1


def test_a_failing_close_rolls_back_alone_and_is_retried_next_tick():
    """The money side runs in the close's transaction (``campaign_closed``): if it fails, the
    campaign stays live (no state, no audit row) and the other campaigns still close."""
    from tremplin.campaigns import signals

    broken, fine = ended(CampaignFactory()), ended(CampaignFactory())

    def fail(sender, campaign, **kwargs):
        if campaign.pk == broken.pk:
            raise RuntimeError("provider down")

    signals.campaign_closed.connect(fail, dispatch_uid="test.fail")
    try:
        assert clock.tick()["closed"] == 1
    finally:
        signals.campaign_closed.disconnect(dispatch_uid="test.fail")
    broken.refresh_from_db()
    fine.refresh_from_db()
    assert broken.state == CampaignState.LIVE
    assert broken.closed_at is None and broken.funds_closed_at is None
    assert count("tremplin.campaign.closed", broken) == 0
    assert fine.state == CampaignState.FAILED and fine.funds_closed_at is not None
    assert clock.tick()["closed"] == 1
    broken.refresh_from_db()
    assert broken.state == CampaignState.FAILED
    assert count("tremplin.campaign.funding_closed", broken) == 1
