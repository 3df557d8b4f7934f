"""Issue #10, part 4: alerts on campaigns at risk — each rule fires once (per campaign, rule
and day), is e-mailed to the coach and the managers at most once a day, resolves when it
no longer holds, can be acknowledged with a note; thresholds are programme settings."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from tests.factories import MembershipFactory
from tests.tracking.alert_helpers import coach_user, live_campaign, live_programme
from tremplin.campaigns.enums import CampaignState
from tremplin.campaigns.models import Campaign
from tremplin.core.dates import PARIS
from tremplin.core.models import AuditLog
from tremplin.tracking import actions
from tremplin.tracking.alerts import acknowledge_alert, evaluate_alerts, open_alerts_for
from tremplin.tracking.enums import AlertRule
from tremplin.tracking.errors import TrackingError
from tremplin.tracking.forecast import prior_share
from tremplin.tracking.models import Alert, TrackingSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Evaluate the alerts at ``now`` with the e-mails sent (after commit)."""

    def run(now=None, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return evaluate_alerts(now, **kwargs)

    return run


def same_day_for(span: timedelta) -> datetime:
    """Now, or a little earlier when now + ``span`` would fall on the next Paris day: a test
    whose runs must share a day passes whatever the hour it is run at."""
    now = timezone.now()
    tomorrow = timezone.localdate(now, PARIS) + timedelta(days=1)
    midnight = timezone.make_aware(datetime.combine(tomorrow, datetime.min.time()), PARIS)
    return now if now + span < midnight else midnight - span - timedelta(minutes=1)


def raised_count(campaign) -> int:
    return AuditLog.objects.filter(action=actions.ALERT_RAISED, object_id=str(campaign.pk)).count()


def test_a_campaign_below_its_pace_raises_one_alert_and_one_email_each(
    organiser, manager, viewer, run
):
    coach = coach_user(language="en")
    programme = live_programme(organiser)
    behind = live_campaign(programme, raised="50", coach=coach)  # 5 % at half-time
    on_course = live_campaign(programme, raised="600")
    result = run()
    assert result["raised"] == 1 and result["emailed"] == 2
    (alert,) = Alert.objects.all()
    assert (alert.campaign, alert.rule) == (behind, AlertRule.BELOW_PACE)
    assert alert.details["raised"] == "50.00"
    needed = float(alert.details["needed"])  # the curve at half-time
    assert needed == pytest.approx(1000 * prior_share(0.5), abs=0.5)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([coach.email, manager.email])
    english = next(m for m in mail.outbox if m.to == [coach.email])
    french = next(m for m in mail.outbox if m.to == [manager.email])
    assert "Below the pace it needs" in english.subject
    assert "En dessous du rythme nécessaire" in french.subject
    assert "/suivi/mes-alertes/" in english.body
    assert f"/gestion/{organiser.slug}/programmes/{programme.slug}/suivi/alertes/" in french.body
    assert viewer.email not in [m.to[0] for m in mail.outbox]  # viewers read, are not told
    # again, and with the command: nothing more
    assert run() == {"campaigns": 2, "raised": 0, "resolved": 0, "emailed": 0}
    call_command("tracking-alerts")
    assert Alert.objects.count() == 1 and len(mail.outbox) == 2
    assert raised_count(behind) == 1 and raised_count(on_course) == 0


def test_an_open_alert_is_emailed_again_the_next_day_until_acknowledged(organiser, manager, run):
    programme = live_programme(organiser)
    # Ten in the morning in Paris, so that two hours later is still the same Paris day
    # whatever the hour the suite runs.
    now = timezone.now().astimezone(PARIS).replace(hour=10, minute=0, second=0, microsecond=0)
    campaign = live_campaign(programme, raised="50", days_left=20, now=now)
    run(now)
    assert len(mail.outbox) == 1
    run(now + timedelta(hours=2))
    assert len(mail.outbox) == 1  # at most once a day
    tomorrow = now + timedelta(days=1)
    run(tomorrow)
    assert len(mail.outbox) == 2 and Alert.objects.count() == 1
    alert = Alert.objects.get()
    acknowledge_alert(alert.pk, user=manager, note="Relance prévue jeudi.")
    run(now + timedelta(days=2))
    assert len(mail.outbox) == 2  # acknowledged: no more e-mails
    alert.refresh_from_db()
    assert alert.is_open and alert.note == "Relance prévue jeudi."
    assert raised_count(campaign) == 1


def test_an_alert_resolves_when_its_rule_no_longer_holds_and_reopens_the_same_day(
    organiser, manager, run
):
    programme = live_programme(organiser)
    now = same_day_for(timedelta(minutes=10))
    campaign = live_campaign(programme, raised="50", now=now)
    run(now)
    Campaign.objects.filter(pk=campaign.pk).update(raised_amount=Decimal("700"))
    assert run(now + timedelta(minutes=5))["resolved"] == 1
    alert = Alert.objects.get()
    assert alert.resolved_at is not None and open_alerts_for([campaign.pk]) == {}
    assert AuditLog.objects.filter(action=actions.ALERT_RESOLVED).count() == 1
    Campaign.objects.filter(pk=campaign.pk).update(raised_amount=Decimal("60"))
    assert run(now + timedelta(minutes=10))["raised"] == 1
    assert Alert.objects.count() == 1  # the same alert, reopened: one per rule and day
    alert.refresh_from_db()
    assert alert.resolved_at is None
    assert len(mail.outbox) == 1  # and not e-mailed twice that day


def test_no_contribution_for_n_days_and_the_setting(organiser, manager, run):
    programme = live_programme(organiser)
    quiet = live_campaign(programme, raised="700", last_gift_days_ago=4)
    run()
    assert list(Alert.objects.values_list("campaign", "rule")) == [(quiet.pk, AlertRule.QUIET)]
    assert Alert.objects.get().details["quiet_days"] == 4
    TrackingSettings.objects.create(programme=programme, quiet_days=5)
    assert run()["resolved"] == 1
    assert not Alert.objects.filter(resolved_at__isnull=True).exists()


def test_a_campaign_without_any_contribution_is_quiet_from_its_start(organiser, manager, run):
    programme = live_programme(organiser)
    live_campaign(programme, raised="0", days_in=2, days_left=30)
    rules = set(Alert.objects.values_list("rule", flat=True)) if run() else set()
    assert AlertRule.BELOW_PACE in rules  # nothing after two days
    live_campaign(programme, raised="0", days_in=4, days_left=30)
    run()
    assert Alert.objects.filter(rule=AlertRule.QUIET).count() == 1  # only the 4-day-old


def test_the_last_hours_below_the_goal(organiser, manager, run):
    programme = live_programme(organiser)
    ending = live_campaign(programme, raised="960", days_in=28, days_left=2)
    reached = live_campaign(programme, raised="1000", days_in=28, days_left=1)
    later = live_campaign(programme, raised="960", days_in=20, days_left=4)
    run()
    assert list(Alert.objects.values_list("campaign", "rule")) == [
        (ending.pk, AlertRule.FINAL_HOURS)
    ]
    assert Alert.objects.get().details["hours_left"] in (47, 48)
    assert not Alert.objects.filter(campaign__in=[reached, later]).exists()
    TrackingSettings.objects.create(programme=programme, final_hours=120)
    run()
    assert Alert.objects.filter(campaign=later, rule=AlertRule.FINAL_HOURS).exists()


def test_the_pace_threshold_is_a_programme_setting(organiser, manager, run):
    programme = live_programme(organiser)
    TrackingSettings.objects.create(programme=programme, pace_percent=5)
    live_campaign(programme, raised="50")  # 5 % at half-time: just at a 5 % threshold
    run()
    assert not Alert.objects.exists()


def test_alerts_of_a_campaign_that_is_over_are_resolved(organiser, manager, run):
    programme = live_programme(organiser)
    campaign = live_campaign(programme, raised="50")
    run()
    Campaign.objects.filter(pk=campaign.pk).update(state=CampaignState.FAILED)
    assert run()["resolved"] == 1
    assert Alert.objects.get().resolved_at is not None


def test_no_email_when_the_programme_turns_them_off(organiser, manager, run):
    programme = live_programme(organiser)
    TrackingSettings.objects.create(programme=programme, email_alerts=False)
    live_campaign(programme, raised="50", coach=coach_user())
    run()
    assert Alert.objects.count() == 1 and mail.outbox == []


def test_acknowledging_twice_or_a_resolved_alert_is_refused(organiser, manager, run):
    programme = live_programme(organiser)
    campaign = live_campaign(programme, raised="50")
    run(notify=False)
    alert = Alert.objects.get()
    acknowledge_alert(alert.pk, user=manager, note="Vu.")
    with pytest.raises(TrackingError) as refused:
        acknowledge_alert(alert.pk, user=manager, note="Encore.")
    assert refused.value.code == "acknowledged"
    alert.refresh_from_db()
    assert alert.note == "Vu."
    Campaign.objects.filter(pk=campaign.pk).update(raised_amount=Decimal("900"))
    run()
    other = live_campaign(programme, raised="50")
    run()
    Campaign.objects.filter(pk=other.pk).update(state=CampaignState.FAILED)
    run()
    closed = Alert.objects.get(campaign=other)
    with pytest.raises(TrackingError) as refused:
        acknowledge_alert(closed.pk, user=manager)
    assert refused.value.code == "resolved"
    entries = AuditLog.objects.filter(action=actions.ALERT_ACKNOWLEDGED)
    assert entries.count() == 1 and entries.get().data["with_note"] is True


def test_the_evaluation_of_one_programme_leaves_the_others(organiser, manager, run):
    mine = live_programme(organiser, "mine")
    other = live_programme(organiser, "other")
    live_campaign(mine, raised="50")
    live_campaign(other, raised="50")
    run(programme=mine)
    assert list(Alert.objects.values_list("campaign__programme__slug", flat=True)) == ["mine"]


def test_the_managers_of_the_organiser_only_are_told(organiser, manager, other_manager, run):
    MembershipFactory(organiser=organiser, role="admin")
    live_campaign(live_programme(organiser), raised="50")
    run()
    assert len(mail.outbox) == 2 and other_manager.email not in [m.to[0] for m in mail.outbox]
