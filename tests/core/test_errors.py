"""Refused requests and errors: a 403 is logged on one line; the 404, 403 and 500 pages
are French, in the site's look; the 500 page renders without the database."""

from __future__ import annotations

import logging

import pytest

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

