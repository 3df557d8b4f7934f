"""Browser: a person exports their data, downloads the ZIP once, then erases their
account. axe-core on every page visited, no CSP violation."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from tests import factories
from tremplin.core.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_person_exports_then_erases_their_account(page, live_server, axe, mailoutbox, settings):
    settings.SITE_URL = live_server.url
    user = factories.UserFactory(email="camille@example.org", full_name="Camille Martin")
    factories.ApplicationFactory(maker=user, title="Atelier de couture")  # a draft

    page.goto("/comptes/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", factories.PASSWORD)
    page.locator("form:has(input[name=password]) [type=submit]").click()
    page.get_by_role("link", name="Mes données personnelles").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Mes données personnelles"
    axe.check(page)

    page.get_by_role("button", name="Préparer mon export").click()
    assert "préparation" in page.locator(".messages, [role=status], .alert").first.inner_text()
    assert any("/donnees/telechargement/" in m.body for m in mailoutbox)
    page.get_by_role("link", name="Télécharger").first.click()
    axe.check(page)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Télécharger le fichier ZIP").click()
    archive = zipfile.ZipFile(io.BytesIO(download_info.value.path().read_bytes()))
    data = json.loads(archive.read("data.json"))["sections"]
    assert data["calls_application"][0]["title"] == "Atelier de couture"

    page.goto("/mon-compte/donnees/")
    page.get_by_role("button", name="Effacer définitivement mon compte").click()
    assert page.locator(".error-summary").is_visible()  # nothing confirmed
    axe.check(page)
    page.get_by_label("Saisissez votre adresse e-mail pour confirmer").fill(user.email)
    page.get_by_label(
        "Je comprends que mon compte et mes données seront effacés définitivement."
    ).check()
    page.get_by_role("button", name="Effacer définitivement mon compte").click()
    page.wait_for_load_state()
    assert "Votre compte est effacé" in page.content()
    axe.check(page)
    assert not User.objects.filter(pk=user.pk).exists()
