"""The alert pages: who may read, acknowledge and change the settings (organiser, viewer,
other organiser → 404, coach only theirs, anonymous), and bad input on every form (400,
nothing changed)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import login
from tests.factories import UserFactory
from tests.tracking.alert_helpers import coach_user, live_campaign, live_programme
from tremplin.core.models import AuditLog
from tremplin.tracking import actions
from tremplin.tracking.alerts import evaluate_alerts
from tremplin.tracking.models import Alert, TrackingSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(organiser):
    coach = coach_user()
    programme = live_programme(organiser)
    behind = live_campaign(programme, raised="50", coach=coach)
    evaluate_alerts(notify=False)
    return {
        "coach": coach,
        "programme": programme,
        "campaign": behind,
        "alert": Alert.objects.get(),
    }


def alerts_url(organiser, programme):
    return reverse("tracking_manage:alerts", args=[organiser.slug, programme.slug])


def ack_url(organiser, programme, alert):
    return reverse(
        "tracking_manage:alert_acknowledge", args=[organiser.slug, programme.slug, alert.pk]
    )


def settings_url(organiser, programme):
    return reverse("tracking_manage:alert_settings", args=[organiser.slug, programme.slug])


def test_the_manager_reads_the_forecasts_and_acknowledges(organiser, manager, setup):
    client = login(manager)
    page = client.get(alerts_url(organiser, setup["programme"]))
    assert page.status_code == 200
    html = page.content.decode()
    assert setup["campaign"].title in html
    assert "campagne sur 10 comme celle-ci" in html or "moins d’1 campagne sur 20" in html
    assert "Montant final projeté" in html
    assert "En dessous du rythme nécessaire" in html
    assert ack_url(organiser, setup["programme"], setup["alert"]) in html
    response = client.post(
        ack_url(organiser, setup["programme"], setup["alert"]), {"note": "<b>Appel</b> jeudi"}
    )
    assert response.status_code == 302
    setup["alert"].refresh_from_db()
    assert setup["alert"].acknowledged_by == manager
    assert setup["alert"].note == "<b>Appel</b> jeudi"
    html = client.get(alerts_url(organiser, setup["programme"])).content.decode()
    assert "&lt;b&gt;Appel&lt;/b&gt; jeudi" in html and "<b>Appel</b>" not in html


def test_the_viewer_reads_but_cannot_acknowledge(organiser, viewer, setup):
    client = login(viewer)
    page = client.get(alerts_url(organiser, setup["programme"]))
    assert page.status_code == 200
    assert ack_url(organiser, setup["programme"], setup["alert"]) not in page.content.decode()
    response = client.post(ack_url(organiser, setup["programme"], setup["alert"]), {"note": "x"})
    assert response.status_code == 403
    setup["alert"].refresh_from_db()
    assert setup["alert"].acknowledged_at is None


@pytest.mark.parametrize("who", ["other_manager", "coach", "maker"])
def test_others_get_404_on_the_organisers_pages(organiser, who, setup, other_manager, maker):
    user = {"other_manager": other_manager, "coach": setup["coach"], "maker": maker}[who]
    client = login(user)
    programme, alert = setup["programme"], setup["alert"]
    assert client.get(alerts_url(organiser, programme)).status_code == 404
    assert client.get(settings_url(organiser, programme)).status_code == 404
    assert client.post(ack_url(organiser, programme, alert), {"note": "x"}).status_code == 404
    assert client.post(settings_url(organiser, programme), {"pace_percent": "1"}).status_code == 404
    alert.refresh_from_db()
    assert alert.acknowledged_at is None and not TrackingSettings.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(organiser, setup):
    from django.test import Client

    client = Client()
    for url in (
        alerts_url(organiser, setup["programme"]),
        settings_url(organiser, setup["programme"]),
        reverse("tracking:coach_alerts"),
        reverse("tracking:digest"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/comptes/login/" in response["Location"]
    assert (
        client.post(reverse("tracking:coach_acknowledge", args=[setup["alert"].pk])).status_code
        == 302
    )


def test_an_alert_of_another_programme_answers_404(organiser, manager, setup):
    other = live_programme(organiser, "autre")
    response = login(manager).post(ack_url(organiser, other, setup["alert"]), {"note": "x"})
    assert response.status_code == 404


def test_a_second_acknowledgement_is_refused_cleanly(organiser, manager, setup):
    client = login(manager)
    url = ack_url(organiser, setup["programme"], setup["alert"])
    client.post(url, {"note": "first"})
    response = client.post(url, {"note": "second"}, follow=True)
    assert response.status_code == 200
    assert "déjà été prise en compte" in response.content.decode()
    setup["alert"].refresh_from_db()
    assert setup["alert"].note == "first"


BAD_NOTES = {
    "too long": "x" * 2001,
    "NUL": "a\x00b",
    "control": "a\x07b",
}


@pytest.mark.parametrize("label", list(BAD_NOTES))
def test_bad_notes_are_refused_with_400_and_nothing_changes(organiser, manager, setup, label):
    before = AuditLog.objects.count()
    response = login(manager).post(
        ack_url(organiser, setup["programme"], setup["alert"]), {"note": BAD_NOTES[label]}
    )
    assert response.status_code == 400
    assert "La note n’a pas pu être enregistrée" in response.content.decode()
    setup["alert"].refresh_from_db()
    assert setup["alert"].acknowledged_at is None and AuditLog.objects.count() == before


def test_the_coach_sees_and_acknowledges_only_their_campaigns(organiser, setup):
    other_coach = coach_user()
    theirs = live_campaign(setup["programme"], raised="40", coach=other_coach)
    evaluate_alerts(notify=False)
    other_alert = Alert.objects.get(campaign=theirs)
    client = login(setup["coach"])
    page = client.get(reverse("tracking:coach_alerts"))
    assert page.status_code == 200
    html = page.content.decode()
    assert setup["campaign"].title in html and theirs.title not in html
    refused = client.post(
        reverse("tracking:coach_acknowledge", args=[other_alert.pk]), {"note": "x"}
    )
    assert refused.status_code == 404
    done = client.post(
        reverse("tracking:coach_acknowledge", args=[setup["alert"].pk]), {"note": "ok"}
    )
    assert done.status_code == 302
    setup["alert"].refresh_from_db()
    other_alert.refresh_from_db()
    assert setup["alert"].acknowledged_by == setup["coach"] and other_alert.acknowledged_at is None
    bad = client.post(reverse("tracking:coach_acknowledge", args=[other_alert.pk + 1000]), {})
    assert bad.status_code == 404
    too_long = coach_user()
    live_campaign(setup["programme"], raised="30", coach=too_long)
    evaluate_alerts(notify=False)
    mine = Alert.objects.get(campaign__coach=too_long)
    response = login(too_long).post(
        reverse("tracking:coach_acknowledge", args=[mine.pk]), {"note": "y" * 5000}
    )
    assert response.status_code == 400
    mine.refresh_from_db()
    assert mine.acknowledged_at is None


def test_a_user_who_is_not_a_coach_cannot_open_the_coach_page(maker, manager):
    assert login(maker).get(reverse("tracking:coach_alerts")).status_code == 403
    assert login(manager).get(reverse("tracking:coach_alerts")).status_code == 403
    assert (
        login(UserFactory()).post(reverse("tracking:coach_acknowledge", args=[1])).status_code
        == 404
    )


# --- the settings form --------------------------------------------------------------------------


def test_the_manager_changes_the_thresholds(organiser, manager, setup):
    client = login(manager)
    url = settings_url(organiser, setup["programme"])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"pace_percent": "60", "quiet_days": "5", "final_hours": "48", "email_alerts": ""}
    )
    assert response.status_code == 302
    saved = TrackingSettings.objects.get(programme=setup["programme"])
    assert (saved.pace_percent, saved.quiet_days, saved.final_hours, saved.email_alerts) == (
        60,
        5,
        48,
        False,
    )
    entry = AuditLog.objects.get(action=actions.ALERT_SETTINGS_CHANGED)
    assert set(entry.data["changed"]) == {
        "pace_percent",
        "quiet_days",
        "final_hours",
        "email_alerts",
    }


def test_the_viewer_reads_the_settings_but_cannot_change_them(organiser, viewer, setup):
    client = login(viewer)
    url = settings_url(organiser, setup["programme"])
    page = client.get(url)
    assert page.status_code == 200 and b"disabled" in page.content
    response = client.post(url, {"pace_percent": "10", "quiet_days": "1", "final_hours": "1"})
    assert response.status_code == 403
    assert not TrackingSettings.objects.exists()


GOOD = {"pace_percent": "80", "quiet_days": "3", "final_hours": "72", "email_alerts": "on"}
BAD_SETTINGS = {
    "empty": {"pace_percent": "", "quiet_days": "", "final_hours": ""},
    "zero": {"pace_percent": "0"},
    "over 100 %": {"pace_percent": "101"},
    "negative": {"quiet_days": "-1"},
    "40 digits": {"final_hours": "9" * 40},
    "huge days": {"quiet_days": "31"},
    "NUL": {"pace_percent": "8\x000"},
    "script": {"quiet_days": "<script>alert(1)</script>"},
    "decimal": {"final_hours": "1.5"},
    "exponent": {"pace_percent": "1e3"},
    "text": {"pace_percent": "quatre-vingts"},
}


@pytest.mark.parametrize("label", list(BAD_SETTINGS))
def test_bad_settings_are_refused_with_400_and_nothing_changes(organiser, manager, setup, label):
    response = login(manager).post(
        settings_url(organiser, setup["programme"]), {**GOOD, **BAD_SETTINGS[label]}
    )
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert not TrackingSettings.objects.exists()
    assert not AuditLog.objects.filter(action=actions.ALERT_SETTINGS_CHANGED).exists()


def test_the_programme_page_links_to_the_alerts(organiser, manager, setup):
    page = login(manager).get(
        reverse("manage:programme", args=[organiser.slug, setup["programme"].slug])
    )
    assert alerts_url(organiser, setup["programme"]).encode() in page.content


def test_a_coach_finds_the_page_from_the_dashboard(setup):
    page = login(setup["coach"]).get(reverse("core:dashboard"))
    assert reverse("tracking:coach_alerts").encode() in page.content
