"""Browser: the manager opens a programme's alerts from its back office, reads the
forecasts in words, acknowledges an alert with a note, changes the thresholds (an empty
one is refused first); the coach reads theirs; the partner member opts in to the
digest. axe-core on every page visited."""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD, MembershipFactory, OrganiserFactory, PartnerMembershipFactory
from tests.tracking.alert_helpers import coach_user, live_campaign, live_programme
from tremplin.tracking.alerts import evaluate_alerts
from tremplin.tracking.models import Alert, DigestPreference, TrackingSettings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(tab, user) -> None:
    tab.goto("/comptes/login/")
    tab.fill("input[name=login]", user.email)
    tab.fill("input[name=password]", PASSWORD)
    tab.locator("form button[type=submit]").last.click()
    tab.wait_for_load_state()


@pytest.fixture
def world(settings, live_server):
    settings.SITE_URL = live_server.url
    organiser = OrganiserFactory(slug="mel")
    manager = MembershipFactory(organiser=organiser).user
    coach = coach_user()
    programme = live_programme(organiser)
    behind = live_campaign(programme, raised="50", coach=coach)
    live_campaign(programme, raised="960", days_in=28, days_left=2, coach=coach)
    evaluate_alerts(notify=False)
    partner = PartnerMembershipFactory(partner__organiser=organiser).user
    programme.partners.add(partner.partner_memberships.get().partner)
    return {
        "organiser": organiser,
        "programme": programme,
        "manager": manager,
        "coach": coach,
        "behind": behind,
        "partner": partner,
    }


def test_the_manager_reads_acknowledges_and_sets_the_thresholds(page, axe, world):
    organiser, programme = world["organiser"], world["programme"]
    _login(page, world["manager"])
    page.goto(f"/gestion/{organiser.slug}/programmes/{programme.slug}/")
    page.get_by_role("link", name="Alertes et prévisions").first.click()
    page.wait_for_load_state()
    assert "comme celle-ci" in page.content()
    axe.check(page)
    alert = Alert.objects.get(campaign=world["behind"])
    card = page.locator(f"#alert-{alert.pk}")
    assert card.locator("textarea").get_attribute("maxlength") == "2000"  # the server's limit
    card.locator("textarea").fill("Appel jeudi avec la porteuse.")
    card.get_by_role("button", name="Prendre en compte").click()
    page.wait_for_load_state()
    assert "L’alerte est prise en compte." in page.content()
    alert.refresh_from_db()
    assert alert.note == "Appel jeudi avec la porteuse."
    page.get_by_role("link", name="Modifier les réglages des alertes").click()
    page.wait_for_load_state()
    axe.check(page)
    page.fill("#id_pace_percent", "")
    page.get_by_role("button", name="Enregistrer les réglages des alertes").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").is_visible()
    axe.check(page)
    page.fill("#id_pace_percent", "60")
    page.fill("#id_quiet_days", "4")
    page.get_by_role("button", name="Enregistrer les réglages des alertes").click()
    page.wait_for_load_state()
    saved = TrackingSettings.objects.get(programme=programme)
    assert (saved.pace_percent, saved.quiet_days) == (60, 4)


def test_the_coach_and_the_partner_from_their_space(page, axe, world):
    _login(page, world["coach"])
    page.get_by_role("link", name="Alertes et prévisions de mes campagnes").click()
    page.wait_for_load_state()
    assert "Dernières heures, objectif non atteint" in page.content()
    axe.check(page)
    page.context.clear_cookies()
    _login(page, world["partner"])
    page.get_by_role("link", name="Résumé quotidien").click()
    page.wait_for_load_state()
    axe.check(page)
    page.get_by_label("M’envoyer le résumé quotidien").check()
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_load_state()
    assert DigestPreference.objects.get(user=world["partner"]).enabled
