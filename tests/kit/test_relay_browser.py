"""The partner's relay portal in a browser: from the dashboard to the programme page,
copying a tracked link, marking a relay, editing and deleting it; axe-core clean on every
page, no CSP violation."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.browser.conftest import log_in
from tests.kit.world import build, contribution
from tremplin.core.dates import PARIS
from tremplin.kit.models import RelayMark

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_partner_member_relays_a_campaign(browser, live_server, axe, settings):
    settings.SITE_URL = live_server.url
    world = build()
    contribution(world.live, "40", ref="universite-de-lille")
    member = world.users["partner"]
    context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = log_in(context, member)
    axe.check(page)

    page.get_by_role("link", name="Relayer les campagnes").click()
    page.wait_for_url("**" + reverse("kit:relay_home"))
    axe.check(page)
    page.get_by_role("link", name="Relayer ses lauréats").first.click()
    programme_url = reverse("kit:relay_programme", args=[world.partner.slug, world.programme.slug])
    page.wait_for_url("**" + programme_url)
    axe.check(page)
    assert "40\xa0€" in page.locator("#brought-title + table").inner_text()

    # Copy the tracked link: the button says so, the clipboard holds the link.
    card = page.locator(f"#campaign-{world.live.pk}")
    card.get_by_role("button", name="Copier").first.click()
    status = card.locator("#link-atelier-velo-status")
    status.wait_for(state="visible")
    page.wait_for_function(
        "document.getElementById('link-atelier-velo-status').textContent === 'Copié'"
    )
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.endswith("/c/atelier-velo/?canal=partenaire&ref=universite-de-lille")

    # Mark a relay: a bad date first (in the future), then a good one.
    future = (timezone.now().astimezone(PARIS).date().replace(year=2999)).isoformat()
    card.locator("input[name=relayed_on]").fill(future)
    card.locator("select[name=place]").select_option("newsletter")
    card.get_by_role("button", name="Noter comme relayée").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary").first.is_visible()
    axe.check(page)
    assert not RelayMark.objects.exists()

    card = page.locator(f"#campaign-{world.live.pk}")
    today = timezone.now().astimezone(PARIS).date().isoformat()
    card.locator("input[name=relayed_on]").fill(today)
    card.locator("select[name=place]").select_option("newsletter")
    card.locator("input[name=detail]").fill("Lettre de la vie étudiante")
    card.get_by_role("button", name="Noter comme relayée").click()
    page.wait_for_url("**" + programme_url + f"#campaign-{world.live.pk}")
    mark = RelayMark.objects.get()
    assert mark.detail == "Lettre de la vie étudiante"
    assert "Lettre de la vie étudiante" in page.locator(f"#campaign-{world.live.pk}").inner_text()
    axe.check(page)

    # Edit it, then delete it.
    page.locator(f"#campaign-{world.live.pk} .relay-marks").get_by_role(
        "link", name="Modifier"
    ).click()
    page.wait_for_url(
        "**" + reverse("kit:relay_edit", args=[world.partner.slug, world.programme.slug, mark.pk])
    )
    axe.check(page)
    page.select_option("select[name=place]", "instagram")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url("**" + programme_url + f"#campaign-{world.live.pk}")
    mark.refresh_from_db()
    assert mark.place == "instagram"
    page.locator(f"#campaign-{world.live.pk} .relay-marks").get_by_role(
        "button", name="Supprimer"
    ).click()
    page.wait_for_url("**" + programme_url + f"#campaign-{world.live.pk}")
    assert not RelayMark.objects.exists()
    axe.check(page)
    context.close()
