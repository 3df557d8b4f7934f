"""The page cache of public pages (core.pagecache), on the programme page: what is served
from the cache, to whom, for how long; and the language switch that needs no CSRF token."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from tests import factories
from tests.calls.helpers import english_client
from tests.jury.factories import JuryFactory
from tremplin.calls.enums import ProgrammeState
from tremplin.core.pagecache import MAX_TTL, PageVersion, public_page_cache, ttl_until

pytestmark = pytest.mark.django_db


def _url(programme) -> str:
    return reverse("calls:programme", args=[programme.slug])


def _later(monkeypatch, seconds: float) -> None:
    """Move the clock forward: Django's ``timezone.now`` and the cache's ``time.time``."""
    now, wall = timezone.now(), time.time()
    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(seconds=seconds))
    monkeypatch.setattr(time, "time", lambda: wall + seconds)


def test_second_anonymous_request_comes_from_the_cache(
    programme, django_assert_num_queries, django_assert_max_num_queries
):
    client = english_client()
    first = client.get(_url(programme))
    assert first.status_code == 200
    with django_assert_num_queries(1):  # the programme's version, nothing else
        second = client.get(_url(programme))
    assert second.status_code == 200
    assert second.content == first.content
    with django_assert_max_num_queries(1):  # another visitor too
        assert english_client().get(_url(programme)).content == first.content


def test_anonymous_page_holds_no_csrf_token_and_sets_no_cookie(programme):
    for _ in range(2):  # rendered, then from the cache
        response = Client().get(_url(programme))
        html = response.content.decode()
        assert "csrfmiddlewaretoken" not in html
        assert "X-CSRFToken" not in html
        assert settings.CSRF_COOKIE_NAME not in response.cookies
        assert not response.cookies


def test_logged_in_user_never_gets_the_cached_page(programme, maker, django_assert_max_num_queries):
    english_client().get(_url(programme))  # cached for anonymous visitors
    factories.ApplicationFactory(programme=programme, maker=maker)
    client = english_client(maker)
    for _ in range(2):
        html = client.get(_url(programme)).content.decode()
        assert "Continue my application" in html
        assert "Log out" in html
        assert "X-CSRFToken" in html  # htmx still sends the token for logged-in users


def test_a_visitor_with_a_session_or_messages_is_not_served_from_the_cache(
    programme, django_assert_max_num_queries
):
    english_client().get(_url(programme))
    for cookie in (settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name):
        client = english_client()
        client.cookies[cookie] = "something"
        with django_assert_max_num_queries(10) as captured:
            assert client.get(_url(programme)).status_code == 200
        assert len(captured) > 1, cookie  # rendered, not read from the cache


def test_a_query_string_is_not_served_from_the_cache(programme, django_assert_max_num_queries):
    client = english_client()
    client.get(_url(programme), {"utm_source": "newsletter"})
    with django_assert_max_num_queries(10) as captured:
        client.get(_url(programme), {"utm_source": "newsletter"})
    assert len(captured) > 1


def test_changing_the_programme_shows_at_once(programme):
    client = english_client()
    assert "Programme d’origine" not in client.get(_url(programme)).content.decode()
    programme.tagline = "Programme d’origine"
    programme.save()
    assert "Programme d’origine" in client.get(_url(programme)).content.decode()


def test_closing_the_call_shows_at_once(programme):
    client = english_client()
    assert ">Apply</a>" in client.get(_url(programme)).content.decode()
    programme.state = ProgrammeState.CALL_CLOSED
    programme.save()
    html = client.get(_url(programme)).content.decode()
    assert ">Apply</a>" not in html
    assert "The call for projects is closed" in html


def test_publishing_the_laureates_shows_at_once(programme):
    jury = JuryFactory(programme=programme)
    client = english_client()
    assert "See the laureates" not in client.get(_url(programme)).content.decode()
    jury.published_at = timezone.now()
    jury.save()
    assert "See the laureates" in client.get(_url(programme)).content.decode()


def test_the_deadline_passing_flips_the_page(programme, monkeypatch):
    programme.call_closes_at = timezone.now() + timedelta(seconds=30)
    programme.save()
    client = english_client()
    assert ">Apply</a>" in client.get(_url(programme)).content.decode()
    assert ">Apply</a>" in client.get(_url(programme)).content.decode()  # cached
    _later(monkeypatch, 31)
    html = client.get(_url(programme)).content.decode()
    assert ">Apply</a>" not in html
    assert "The call for projects is closed" in html


def test_the_opening_flips_the_page(programme, monkeypatch):
    programme.call_opens_at = timezone.now() + timedelta(seconds=20)
    programme.save()
    client = english_client()
    assert "The call for projects opens on" in client.get(_url(programme)).content.decode()
    _later(monkeypatch, 21)
    assert ">Apply</a>" in client.get(_url(programme)).content.decode()


def test_a_page_lives_at_most_a_minute(programme, monkeypatch, django_assert_max_num_queries):
    client = english_client()
    client.get(_url(programme))
    _later(monkeypatch, MAX_TTL + 1)
    with django_assert_max_num_queries(10) as captured:
        client.get(_url(programme))
    assert len(captured) > 1  # rendered again


def test_english_and_french_are_cached_apart(programme):
    english = english_client()
    french = Client(headers={"accept-language": "fr"})
    for _ in range(2):
        assert '<html lang="en">' in english.get(_url(programme)).content.decode()
        assert '<html lang="fr">' in french.get(_url(programme)).content.decode()


def test_a_draft_programme_is_never_cached(organiser):
    draft = factories.ProgrammeFactory(organiser=organiser, state=ProgrammeState.DRAFT)
    client = english_client()
    assert client.get(_url(draft)).status_code == 404
    draft.state = ProgrammeState.CALL_OPEN
    draft.save()
    assert client.get(_url(draft)).status_code == 200


def test_ttl_until_the_next_boundary():
    now = timezone.now()
    assert ttl_until([], now) == MAX_TTL
    assert ttl_until([None, now - timedelta(days=1)], now) == MAX_TTL
    assert ttl_until([now + timedelta(days=1), now + timedelta(seconds=12.7)], now) == 12
    assert ttl_until([now + timedelta(seconds=0.5)], now) == 0  # too close: not stored


# --- the language switch, without a CSRF token -----------------------------------------------


def test_language_switch_needs_no_token(programme):
    client = Client(enforce_csrf_checks=True)
    html = client.get(_url(programme)).content.decode()
    assert f'action="{reverse("core:set_language")}"' in html
    response = client.post(
        reverse("core:set_language"), {"language": "en", "next": _url(programme)}
    )
    assert response.status_code == 302
    assert response["Location"] == _url(programme)
    assert '<html lang="en">' in client.get(_url(programme)).content.decode()


def test_language_switch_is_post_only_and_stays_on_the_site():
    client = Client(enforce_csrf_checks=True)
    assert client.get(reverse("core:set_language"), {"language": "en"}).status_code == 405
    response = client.post(
        reverse("core:set_language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_djangos_own_switch_still_works_with_a_token():
    client = Client(enforce_csrf_checks=True)
    assert client.post(reverse("set_language"), {"language": "en"}).status_code == 403
    client.get(reverse("account_login"))  # a page with a form: sets the CSRF cookie
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "/", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


# --- the middleware, on views of its own -------------------------------------------------

RENDERS: list[str] = []


def _v1() -> PageVersion:
    return PageVersion(parts=("v1",), ttl=30)


@public_page_cache(_v1)
def _with_token(request):
    RENDERS.append("with_token")
    return HttpResponse(f"<input value='{get_token(request)}'>")


@require_GET
@public_page_cache(_v1)
def _plain(request):
    RENDERS.append("plain")
    response = HttpResponse("<p>Same for all</p>")
    response["X-Page"] = "plain"
    return response


@public_page_cache(_v1)
def _sets_a_cookie(request):
    RENDERS.append("sets_a_cookie")
    response = HttpResponse("<p>Cookie</p>")
    response.set_cookie("seen", "1")
    return response


@public_page_cache(lambda: None)
def _not_public(request):
    RENDERS.append("not_public")
    return HttpResponse("<p>Not public</p>")


urlpatterns = [
    path("with-token/", _with_token),
    path("plain/", _plain),
    path("cookie/", _sets_a_cookie),
    path("not-public/", _not_public),
]


@pytest.fixture
def own_views(settings):
    settings.ROOT_URLCONF = __name__
    RENDERS.clear()
    yield RENDERS
    RENDERS.clear()


def test_a_page_that_used_a_csrf_token_is_never_stored(own_views):
    for _ in range(2):
        Client().get("/with-token/")
    assert own_views == ["with_token", "with_token"]  # rendered each time


def test_a_plain_page_is_stored_with_its_headers(own_views):
    first = english_client().get("/plain/")
    second = english_client().get("/plain/")
    assert own_views == ["plain"]  # then from the cache
    assert second.content == first.content == b"<p>Same for all</p>"
    for header in ("X-Page", "Content-Language", "Vary", "X-Frame-Options", "Content-Type"):
        assert second[header] == first[header], header
    assert second["Content-Language"] == "en"


def test_a_page_that_sets_a_cookie_or_is_not_public_is_never_stored(own_views):
    for _ in range(2):
        Client().get("/cookie/")
        Client().get("/not-public/")
    assert own_views.count("sets_a_cookie") == 2
    assert own_views.count("not_public") == 2


def test_only_get_is_served_from_the_cache(own_views):
    english_client().get("/plain/")
    assert english_client().post("/plain/").status_code == 405
    assert english_client().head("/plain/").status_code == 405


def test_the_visitors_language_picks_the_page(own_views):
    assert Client(headers={"accept-language": "fr"}).get("/plain/")["Content-Language"] == "fr"
    english = Client(headers={"accept-language": "en"}).get("/plain/")
    assert english["Content-Language"] == "en"
    cookie = Client()
    cookie.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert cookie.get("/plain/")["Content-Language"] == "en"
    assert own_views == ["plain", "plain"]  # one page per language


def test_a_logged_in_visitor_goes_past_the_cache(own_views, maker):
    english_client().get("/plain/")
    english_client(maker).get("/plain/")
    assert own_views == ["plain", "plain"]
