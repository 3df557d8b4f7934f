"""The alerts part of the demo: the winter edition's live campaigns are evaluated as the
periodic command would (without e-mails), which raises the alerts their figures call for
— the kits, far below the pace they need; the luminaires, in their last 72 hours below
their goal — and the coach acknowledges the first one with a note."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from tremplin.calls.models import Programme
from tremplin.core.models import User
from tremplin.demo import data
from tremplin.demo.campaigns import WINTER
from tremplin.tracking.alerts import acknowledge_alert, evaluate_alerts
from tremplin.tracking.enums import AlertRule
from tremplin.tracking.models import Alert, TrackingSettings

NOTE = (
    "Appel prévu avec Romain jeudi : relance des collèges partenaires et un article dans "
    "le magazine."
)


def load_tracking_alerts_demo(now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    programme = Programme.objects.get(slug=WINTER["slug"])
    TrackingSettings.objects.get_or_create(programme=programme)
    result = evaluate_alerts(now, notify=False, programme=programme)
    coach = User.objects.get(email=data.COACH.email)
    first = (
        Alert.objects.filter(campaign__programme=programme, rule=AlertRule.BELOW_PACE)
        .order_by("pk")
        .first()
    )
    if first is not None:
        acknowledge_alert(first.pk, user=coach, note=NOTE)
    return {"alerts": result["raised"], "acknowledged": int(first is not None)}
