"""URLs of sandbox, payments and funding that take a string id answer 404 to a NUL byte or
another id that cannot be one, never a 500 (PostgreSQL refuses NUL in a text value: a
DataError). Run on both databases by the CI."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

BAD = ["%00", "a%00b", "%00" * 40, "x" * 300, "%0A"]


@pytest.mark.parametrize("bad", BAD)
def test_public_string_ids(bad, campaign):
    client = Client(raise_request_exception=False)
    for path in (
        f"/sandbox/pay/{bad}/",
        f"/contribution/{bad}/merci/",
        f"/paiement/retour/1/{bad}/",
        f"/paiement/webhook/{bad}/",
    ):
        method = client.post if "webhook" in path else client.get
        response = method(path)
        assert response.status_code in (404, 405), (path, response.status_code)


@pytest.mark.parametrize("bad", BAD)
def test_back_office_string_ids(bad, organiser, manager):
    client = Client(raise_request_exception=False)
    client.force_login(manager)
    response = client.get(f"/gestion/{organiser.slug}/paiement/{bad}/")
    assert response.status_code == 404
