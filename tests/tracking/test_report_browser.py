"""Browser: the organiser imports a past edition (a refused file lists its lines, a good
one is stored), then follows a final report being generated: the progress bar refreshed
by htmx until the downloads appear. axe-core on every page; no CSP violation."""

from __future__ import annotations

import pytest

from tests.browser.conftest import (  # noqa: F401  (the browser fixtures)
    _no_csp_violation,
    axe,
    browser,
    context,
    page,
)
from tests.factories import PASSWORD, MembershipFactory, OrganiserFactory
from tests.tracking import scenario
from tremplin.tracking.models import FinalReport, PastEdition, ReportState
from tremplin.tracking.reports import generate_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GOOD = (
    "porteur;titre;commune;objectif;collecte;contributeurs;debut;fin\n"
    "Léa Vandamme;Lampes en carton;Roubaix;4000;5 240,50;77;17/09/2018;15/10/2018\n"
)


def _login(tab, user) -> None:
    tab.goto("/comptes/login/")
    tab.fill("input[name=login]", user.email)
    tab.fill("input[name=password]", PASSWORD)
    tab.locator("form button[type=submit]").last.click()
    tab.wait_for_load_state()


@pytest.fixture
def world(settings, live_server):
    settings.SITE_URL = live_server.url
    settings.SANDBOX_WEBHOOK_TRANSPORT = "inprocess"
    settings.SANDBOX_CHAOS = False
    organiser = OrganiserFactory(slug="mel")
    manager = MembershipFactory(organiser=organiser).user
    return {"organiser": organiser, "manager": manager}


def test_import_a_past_edition_then_follow_a_report(page, axe, world, tmp_path):  # noqa: F811
    organiser, manager = world["organiser"], world["manager"]
    _login(page, manager)
    page.goto(f"/gestion/{organiser.slug}/")
    page.get_by_role("link", name="Éditions passées").first.click()
    axe.check(page)
    page.get_by_role("link", name="Importer une édition passée").click()
    axe.check(page)
    bad = tmp_path / "campagnes.csv"
    bad.write_text(GOOD.replace("4000", "4e9"), encoding="utf-8")
    page.fill("#id_name", "MEL Makers 2018")
    page.fill("#id_year", "2018")
    page.fill("#id_applications_count", "40")
    page.fill("#id_laureates_count", "10")
    page.set_input_files("#id_campaigns_file", str(bad))
    page.click("main form button[type=submit]")
    summary = page.locator(".error-summary")
    assert "Fichier des campagnes, ligne 2" in summary.inner_text()
    axe.check(page)
    assert not PastEdition.objects.exists()
    good = tmp_path / "bon.csv"
    good.write_text(GOOD, encoding="utf-8")
    page.fill("#id_name", "MEL Makers 2018")
    page.fill("#id_year", "2018")
    page.fill("#id_applications_count", "40")
    page.fill("#id_laureates_count", "10")
    page.set_input_files("#id_campaigns_file", str(good))
    page.click("main form button[type=submit]")
    assert "Lampes en carton" in page.locator("main").inner_text()
    axe.check(page)

    programme = scenario.build(organiser, manager)
    report = FinalReport.objects.create(programme=programme, requested_by=manager)
    page.goto(f"/gestion/{organiser.slug}/programmes/{programme.slug}/")
    page.get_by_role("link", name="Rapport final").first.click()
    assert page.locator("progress#report-progress").is_visible()
    axe.check(page)
    generate_report(report.pk)  # the worker, meanwhile
    download = page.get_by_role("link", name="Télécharger le PDF")
    download.wait_for(timeout=10_000)  # htmx polls every 2 s
    assert page.locator("progress").count() == 0
    axe.check(page)
    report.refresh_from_db()
    assert report.state == ReportState.DONE
    with page.expect_download() as info:
        download.click()
    assert info.value.suggested_filename.endswith(".pdf")
