"""Refused requests and errors: a 403 is logged on one line; the 404, 403 and 500 pages
are French, in the site's look; the 500 page renders without the database."""

from __future__ import annotations

import logging

import pytest
from django.db import OperationalError

from tests import factories

pytestmark = pytest.mark.django_db


def test_a_403_is_logged_on_one_line_without_traceback(client, caplog):
    client.force_login(factories.UserFactory())  # not staff: the admin is refused
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/admin/login/")
    assert response.status_code == 403
    records = [r for r in caplog.records if r.name == "django.request"]
    assert len(records) == 1
    record = records[0]
    assert record.getMessage() == "Forbidden (Permission denied): /admin/login/"
    assert record.exc_info is None
    assert "Traceback" not in caplog.text


def test_a_server_error_keeps_its_traceback():
    from tremplin.core.logging import ClientErrorsOnOneLine

    try:
        raise RuntimeError("boom")
    except RuntimeError:
        import sys

        exc_info = sys.exc_info()
    record = logging.LogRecord("django.request", logging.ERROR, "", 0, "x", (), exc_info)
    record.status_code = 500
    assert ClientErrorsOnOneLine().filter(record)
    assert record.exc_info is exc_info
    refused = logging.LogRecord("django.request", logging.WARNING, "", 0, "x", (), exc_info)
    refused.status_code = 403
    ClientErrorsOnOneLine().filter(refused)
    assert refused.exc_info is None


def test_not_found_page_is_french_in_the_site_look(client):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "Page introuvable" in html
    assert 'class="site-header"' in html and 'class="site-footer"' in html
    assert "Retour à l’accueil" in html


def test_forbidden_page_is_french_in_the_site_look(client):
    client.force_login(factories.UserFactory())
    response = client.get("/admin/login/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "Accès refusé" in html
    assert 'class="site-header"' in html
    assert "Retour à mon espace" in html


def test_english_visitors_get_the_pages_in_english(client):
    client.cookies["django_language"] = "en"
    response = client.get("/cette-page-n-existe-pas/")
    assert "Page not found" in response.content.decode()


@pytest.mark.urls("tests.core.error_urls")
def test_a_view_failing_on_an_unreachable_database_gets_the_500_page(client, monkeypatch):
    from django.db import connection

    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "ensure_connection", unreachable)
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "Erreur du serveur" in response.content.decode()


def test_too_large_a_body_is_refused_before_it_is_read(client, settings):
    settings.MAX_REQUEST_BODY = 1000
    response = client.post("/comptes/login/", {"login": "x" * 2000, "password": "y"})
    assert response.status_code == 413
    assert "script-src 'self'" in response["Content-Security-Policy"]
    html = response.content.decode()
    assert "Fichiers trop volumineux" in html
    assert "1000\xa0octets" in html or "1000 octets" in html
    # Under the limit, the request goes through.
    assert client.post("/comptes/login/", {"login": "x", "password": "y"}).status_code == 400


def test_the_body_is_not_read_when_refused(settings):
    """The middleware answers from Content-Length: the body stream is never touched."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.test.client import FakePayload

    class Untouchable(FakePayload):
        def read(self, *args, **kwargs):
            raise AssertionError("the body was read")

        def readline(self, *args, **kwargs):
            raise AssertionError("the body was read")

    settings.MAX_REQUEST_BODY = 10 * 1024 * 1024
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/comptes/login/",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": Untouchable(b""),
        "CONTENT_TYPE": "multipart/form-data; boundary=x",
        "CONTENT_LENGTH": str(60 * 1024 * 1024),
    }
    statuses = []
    body = WSGIHandler()(environ, lambda status, headers: statuses.append(status))
    assert statuses == ["413 Request Entity Too Large"]
    assert b"Fichiers trop volumineux" in b"".join(body)


def test_default_body_limit_leaves_room_for_the_largest_form(settings):
    from tremplin import settings as project

    largest = (
        project.TREMPLIN_MAX_IMAGES_PER_APPLICATION * project.TREMPLIN_MAX_IMAGE_BYTES
        + project.TREMPLIN_MAX_PDF_BYTES
    )
    assert largest < project.MAX_REQUEST_BODY < 60 * 1024 * 1024


def test_csrf_failure_page_is_french_in_the_site_look():
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/comptes/login/", {"login": "x@example.org", "password": "y"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Formulaire expiré" in html
    assert 'class="site-header"' in html
