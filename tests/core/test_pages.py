"""Public core pages: home, legal notice, privacy, accessibility statement; the language
switch; what every page carries (skip link, accessibility link)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tremplin.calls.enums import ProgrammeState

pytestmark = pytest.mark.django_db

LEGAL_PAGES = ["core:legal", "core:privacy", "core:accessibility"]


def _english(client: Client) -> Client:
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    return client


def test_home_lists_open_calls_first_with_a_link_to_apply(client):
    open_call = factories.ProgrammeFactory(name="MEL Makers 2020", slug="mel-makers-2020")
    closed = factories.ProgrammeFactory(
        name="MEL Makers 2019",
        slug="mel-makers-2019",
        state=ProgrammeState.SCREENING,
        call_opens_at=timezone.now() - timedelta(days=400),
        call_closes_at=timezone.now() - timedelta(days=360),
    )
    response = client.get(reverse("calls:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("MEL Makers 2020") < html.index("MEL Makers 2019")
    assert reverse("calls:programme", args=[open_call.slug]) in html
    assert reverse("calls:programme", args=[closed.slug]) in html
    assert response.context["open_calls"] == [open_call]
    assert response.context["others"] == [closed]
    # The deadline is shown, in French, in Paris time.
    local_deadline = timezone.localtime(open_call.call_closes_at)
    assert f"{local_deadline:%H:%M}" in html


def test_home_hides_draft_programmes(client):
    factories.ProgrammeFactory(name="Brouillon secret", state=ProgrammeState.DRAFT)
    response = client.get(reverse("calls:home"))
    assert "Brouillon secret" not in response.content.decode()
    assert response.context["open_calls"] == []
    assert response.context["others"] == []


def test_home_with_nothing_open_shows_an_empty_state(client):
    response = client.get(reverse("calls:home"))
    assert response.status_code == 200
    assert 'class="empty-state"' in response.content.decode()


def test_home_call_not_yet_open_is_not_among_open_calls(client):
    later = factories.ProgrammeFactory(
        call_opens_at=timezone.now() + timedelta(days=3),
        call_closes_at=timezone.now() + timedelta(days=30),
    )
    response = client.get(reverse("calls:home"))
    assert response.context["open_calls"] == []
    assert response.context["others"] == [later]


def test_home_escapes_programme_text(client):
    factories.ProgrammeFactory(name="<script>alert(1)</script>", tagline="<b>x</b>")
    html = Client().get(reverse("calls:home")).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize("count", [2, 20])
def test_home_queries_do_not_grow_with_programmes(client, django_assert_max_num_queries, count):
    organisers = [factories.OrganiserFactory() for _ in range(3)]
    for i in range(count):
        factories.ProgrammeFactory(organiser=organisers[i % 3])
        factories.ProgrammeFactory(
            organiser=organisers[i % 3],
            state=ProgrammeState.CALL_CLOSED,
            call_opens_at=timezone.now() - timedelta(days=60),
            call_closes_at=timezone.now() - timedelta(days=30),
        )
    with django_assert_max_num_queries(4):
        response = client.get(reverse("calls:home"))
    assert len(response.context["open_calls"]) == count


@pytest.mark.parametrize("name", LEGAL_PAGES)
def test_legal_pages_render_in_french_by_default(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert html.count("<h1") == 1


@pytest.mark.parametrize("name", LEGAL_PAGES)
def test_legal_pages_render_in_english(client, name):
    _english(client)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


def test_accessibility_statement_has_the_required_parts(client):
    _english(client)
    html = client.get(reverse("core:accessibility")).content.decode()
    for expected in (
        "partially compliant",
        "RGAA",
        "WCAG 2.1",
        "Défenseur des droits",
        "Libre réponse 71120",
        "Feedback and contact",
        "Content that is not accessible",
    ):
        assert expected in html, expected


def test_privacy_page_explains_rights_and_retention(client):
    _english(client)
    html = client.get(reverse("core:privacy")).content.decode()
    for expected in ("GDPR", "How long we keep it", "Your rights", "CNIL", "Cookies"):
        assert expected in html, expected


def test_operator_details_come_from_settings(client, settings):
    settings.TREMPLIN_OPERATOR = {
        **settings.TREMPLIN_OPERATOR,
        "name": "Métropole de Test",
        "email": "accessibilite@example.org",
        "publication_director": "Mme la Présidente",
    }
    for name in LEGAL_PAGES:
        html = client.get(reverse(name)).content.decode()
        assert "Métropole de Test" in html
    assert (
        "mailto:accessibilite@example.org"
        in client.get(reverse("core:accessibility")).content.decode()
    )
    assert "Mme la Présidente" in client.get(reverse("core:legal")).content.decode()


def test_every_page_links_to_the_accessibility_statement(client, django_user_model):
    programme = factories.ProgrammeFactory()
    maker = factories.UserFactory()
    pages = [
        reverse("calls:home"),
        reverse("core:legal"),
        reverse("core:privacy"),
        reverse("core:accessibility"),
        reverse("account_login"),
        reverse("account_signup"),
        reverse("account_request_login_code"),
        reverse("account_reset_password"),
        reverse("calls:programme", args=[programme.slug]),
    ]
    link = f'href="{reverse("core:accessibility")}"'
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert link in html, url
        assert 'class="skip-link" href="#content"' in html, url
        assert 'id="content"' in html, url
    signed_in = Client()
    signed_in.force_login(maker)
    for url in (reverse("core:dashboard"), reverse("account_email")):
        response = signed_in.get(url)
        assert response.status_code == 200, url
        assert link in response.content.decode(), url


def test_language_switch_to_english_and_back(client):
    html = client.get(reverse("calls:home")).content.decode()
    assert '<html lang="fr">' in html
    assert 'name="language" value="en"' in html

    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get(reverse("calls:home")).content.decode()
    assert '<html lang="en">' in html
    assert 'name="language" value="fr"' in html
    assert "Skip to content" in html

    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert '<html lang="fr">' in client.get(reverse("calls:home")).content.decode()


def test_language_switch_ignores_unknown_language_and_foreign_next(client):
    response = client.post(
        reverse("set_language"), {"language": "xx", "next": "https://evil.example/"}
    )
    assert response.status_code in (302, 204)
    if response.status_code == 302:
        assert "evil.example" not in response["Location"]
    assert '<html lang="fr">' in client.get(reverse("calls:home")).content.decode()


def test_pages_carry_opengraph_tags(client):
    html = client.get(reverse("calls:home")).content.decode()
    assert 'property="og:title"' in html
    assert 'property="og:url" content="http' in html
    assert 'property="og:image"' in html
    assert 'property="og:locale" content="fr_FR"' in html


def test_unknown_page_is_404(client):
    assert client.get("/nope-this-does-not-exist/").status_code == 404
