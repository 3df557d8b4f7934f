"""Two evaluations of the alerts at once (two cron runs, two workers), on PostgreSQL:
each alert is raised once and e-mailed once. Without the claim of ``emailed_on`` (a naive
read, check, write), the same alert is e-mailed twice."""

from __future__ import annotations

import threading

import pytest
from django.core import mail
from django.db import connection

from tests.concurrency import run_together
from tests.tracking.alert_helpers import coach_user, live_campaign, live_programme
from tremplin.core.models import AuditLog
from tremplin.tracking import actions, alerts
from tremplin.tracking.models import Alert

pytestmark = pytest.mark.django_db(transaction=True)

WORKERS = 2


@pytest.fixture
def behind(organiser, manager):
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL")
    programme = live_programme(organiser)
    return [live_campaign(programme, raised="50", coach=coach_user()) for _ in range(3)]


def test_without_the_claim_an_alert_is_emailed_twice(behind, monkeypatch):
    alerts.evaluate_alerts(notify=False)  # raised, not e-mailed yet
    read_all = threading.Barrier(WORKERS)

    def read_check_write(alert_id, today):
        current = Alert.objects.get(pk=alert_id)
        read_all.wait(timeout=30)
        if current.emailed_on == today:
            return False
        Alert.objects.filter(pk=alert_id).update(emailed_on=today)
        return True

    monkeypatch.setattr(alerts, "_claim_email", read_check_write)
    run_together(WORKERS, lambda i: alerts.evaluate_alerts()["emailed"])
    assert len(mail.outbox) == 2 * 2 * len(behind)  # (coach + manager) × 2 workers


def test_two_evaluations_raise_and_email_each_alert_once(behind, monkeypatch):
    real_claim = alerts._claim_email
    both_ready = threading.Barrier(WORKERS)

    def claim_together(alert_id, today):
        both_ready.wait(timeout=30)
        return real_claim(alert_id, today)

    monkeypatch.setattr(alerts, "_claim_email", claim_together)
    outcomes = run_together(WORKERS, lambda i: alerts.evaluate_alerts())
    assert sum(o["raised"] for o in outcomes) == len(behind), outcomes
    assert Alert.objects.count() == len(behind)
    assert AuditLog.objects.filter(action=actions.ALERT_RAISED).count() == len(behind)
    assert sum(o["emailed"] for o in outcomes) == 2 * len(behind)
    assert len(mail.outbox) == 2 * len(behind)
