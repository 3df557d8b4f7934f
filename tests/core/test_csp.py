"""Content-Security-Policy on every page: scripts and styles from this site only; the one
inline <style> (a programme's colours) allowed by its hash, also when the page comes from
the page cache; no template holds an inline script or event handler."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

import tremplin
from tests import factories
from tremplin.core.csp import source_hash

pytestmark = pytest.mark.django_db

PACKAGE = Path(tremplin.__file__).parent


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.parametrize(
    "url",
    ["/", "/comptes/login/", "/mentions-legales/", "/page-qui-n-existe-pas/", "/admin/login/"],
)
def test_every_page_has_a_strict_policy(client, url):
    policy = _policy(client.get(url))
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]


def test_signed_in_pages_have_it_too(client):
    client.force_login(factories.UserFactory())
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 200
    assert _policy(response)["script-src"] == ["'self'"]


def test_the_brand_colours_are_allowed_by_their_hash_also_from_the_page_cache(programme):
    type(programme).objects.filter(pk=programme.pk).update(
        primary_colour="#123456", secondary_colour="#abcdef"
    )
    url = reverse("calls:programme", args=[programme.slug])
    css = ":root { --brand-primary: #123456; --brand-secondary: #abcdef; }"
    for _ in range(2):  # rendered, then served from the page cache
        response = Client().get(url)
        assert f"<style>{css}</style>" in response.content.decode()
        assert _policy(response)["style-src"] == ["'self'", source_hash(css)]
    assert source_hash(css).startswith("'sha256-")


def test_pages_without_branding_allow_no_inline_style(client):
    assert _policy(client.get("/"))["style-src"] == ["'self'"]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)
INLINE_STYLE = re.compile(r"<style", re.I)


def test_no_template_holds_an_inline_script_or_event_handler():
    found = []
    for path in PACKAGE.rglob("templates/**/*.html"):
        if "/email/" in str(path):
            continue  # e-mails are not web pages
        text = path.read_text()
        for pattern in (INLINE_SCRIPT, EVENT_HANDLER):
            found += [f"{path.relative_to(PACKAGE)}: {m.group(0)}" for m in pattern.finditer(text)]
        if INLINE_STYLE.search(text) and path.name != "_branding.html":
            found.append(f"{path.relative_to(PACKAGE)}: <style>")
    assert not found, "\n".join(found)


def test_htmx_adds_no_inline_style():
    base = (PACKAGE / "templates" / "base.html").read_text()
    assert "tremplin/js/htmx-config.js" in base
    config = (PACKAGE / "core" / "static" / "tremplin" / "js" / "htmx-config.js").read_text()
    assert "htmx.config.includeIndicatorStyles = false;" in config
    css = (PACKAGE / "core" / "static" / "tremplin" / "css" / "app.css").read_text()
    assert ".htmx-indicator" in css


def test_a_page_may_frame_its_own_video_players_only(rf):
    from django.http import HttpResponse

    from tremplin.core.csp import CSPMiddleware

    html = (
        '<template><iframe class="video-frame" src="https://www.youtube-nocookie.com/embed/x'
        '?autoplay=1&amp;a=b" title="v"></iframe></template>'
        '<iframe src="https://videos.example.org:8443/videos/embed/abc"></iframe>'
        '<p>&lt;iframe src="https://evil.example/"&gt;</p>'
    )
    middleware = CSPMiddleware(lambda request: HttpResponse(html))
    policy = _policy(middleware(rf.get("/")))
    assert policy["frame-src"] == [
        "https://www.youtube-nocookie.com",
        "https://videos.example.org:8443",
    ]
    plain = CSPMiddleware(lambda request: HttpResponse("<p>text</p>"))(rf.get("/"))
    assert _policy(plain)["frame-src"] == ["'none'"]
