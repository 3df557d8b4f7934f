"""The demo's alerts: the winter edition's live campaigns have the alerts their figures
call for, one acknowledged by the coach with a note, and their pages show them."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tremplin.core import audit
from tremplin.core.models import AuditLog, User
from tremplin.demo import data
from tremplin.demo.campaigns import WINTER
from tremplin.demo.load import load_demo
from tremplin.tracking import actions
from tremplin.tracking.enums import AlertRule
from tremplin.tracking.models import Alert

pytestmark = pytest.mark.django_db


def test_the_winter_campaigns_have_their_alerts_and_one_is_acknowledged():
    load_demo()
    alerts = {
        (a.campaign.title, a.rule): a
        for a in Alert.objects.filter(campaign__programme__slug=WINTER["slug"])
    }
    assert set(alerts) == {
        ("Kits d'électronique pour les collèges", AlertRule.BELOW_PACE),
        ("Luminaires en carton recyclé", AlertRule.FINAL_HOURS),
    }
    acknowledged = alerts[("Kits d'électronique pour les collèges", AlertRule.BELOW_PACE)]
    assert acknowledged.acknowledged_by.email == data.COACH.email
    assert acknowledged.note.startswith("Appel prévu avec Romain")
    open_one = alerts[("Luminaires en carton recyclé", AlertRule.FINAL_HOURS)]
    assert open_one.acknowledged_at is None and open_one.is_open
    assert all(a.emailed_on is None for a in alerts.values())  # the demo sends no e-mail
    for action in (actions.ALERT_RAISED, actions.ALERT_ACKNOWLEDGED):
        entry = AuditLog.objects.filter(action=action).first()
        assert entry is not None and audit.action_label(action) != action

    manager = Client()
    manager.force_login(User.objects.get(email=data.MEL_MANAGER.email))
    page = manager.get(reverse("tracking_manage:alerts", args=[data.MEL["slug"], WINTER["slug"]]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Dernières heures, objectif non atteint" in html
    assert "Appel prévu avec Romain" in html
    assert "comme celle-ci" in html  # the forecast in words
    coach = Client()
    coach.force_login(User.objects.get(email=data.COACH.email))
    assert (
        "Luminaires en carton recyclé"
        in coach.get(reverse("tracking:coach_alerts")).content.decode()
    )
