"""The hosted card page of the sandbox: test cards, clear errors, then back to the site."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.payments.helpers import payment_for
from tremplin.sandbox.models import SandboxCharge, SandboxWebhook

pytestmark = pytest.mark.django_db

CARD = {"card_number": "4242 4242 4242 4242", "expiry": "12/39", "cvc": "123"}


@pytest.fixture
def charge(campaign) -> SandboxCharge:
    payment = payment_for(campaign, "12.50")
    return SandboxCharge.objects.get(public_id=payment.provider_reference)


def page(charge) -> str:
    return reverse("sandbox:checkout", args=[charge.public_id])


def test_the_page_says_sandbox_and_the_amount(client, charge):
    response = client.get(page(charge))
    assert response.status_code == 200
    html = response.content.decode()
    assert "SANDBOX" in html
    assert "€12.50" in html
    assert "4242 4242 4242 4242" in html
    for name in ("card_number", "expiry", "cvc"):
        assert f'<label for="id_{name}"' in html
    assert html.count("<h1") == 1


def test_a_good_card_pays_and_goes_back(client, charge):
    response = client.post(page(charge), CARD)
    assert response.status_code == 302
    assert response["Location"] == charge.return_url
    charge.refresh_from_db()
    assert charge.state == "succeeded"
    assert charge.card_last4 == "4242"
    webhook = SandboxWebhook.objects.get()
    assert webhook.event == "charge.succeeded"
    assert webhook.delivered_at is None


@pytest.mark.parametrize(
    "number, code, text",
    [
        ("4000 0000 0000 0002", "card_declined", "declined by the bank"),
        ("4000000000009995", "insufficient_funds", "insufficient funds"),
    ],
)
def test_declined_cards_say_why(client, charge, number, code, text):
    response = client.post(page(charge), {**CARD, "card_number": number})
    assert response.status_code == 200
    html = response.content.decode()
    assert text in html
    assert "No money was taken" in html
    assert charge.return_url in html
    charge.refresh_from_db()
    assert charge.state == "declined" and charge.decline_code == code
    assert SandboxWebhook.objects.get().event == "charge.declined"


@pytest.mark.parametrize(
    "data, field",
    [
        ({**CARD, "card_number": ""}, "card_number"),
        ({**CARD, "card_number": "4242 4242 4242 4241"}, "card_number"),  # Luhn
        ({**CARD, "card_number": "4242"}, "card_number"),
        ({**CARD, "card_number": "abcd efgh ijkl mnop"}, "card_number"),
        ({**CARD, "card_number": "5555 5555 5555 4444"}, "card_number"),  # not a test card
        ({**CARD, "card_number": "4242 " * 10}, "card_number"),  # too long
        ({**CARD, "expiry": ""}, "expiry"),
        ({**CARD, "expiry": "13/30"}, "expiry"),
        ({**CARD, "expiry": "01/20"}, "expiry"),
        ({**CARD, "expiry": "<b>12/30</b>"}, "expiry"),
        ({**CARD, "cvc": "12"}, "cvc"),
        ({**CARD, "cvc": "abc"}, "cvc"),
        ({**CARD, "cvc": ""}, "cvc"),
    ],
)
def test_bad_input_is_refused_with_a_field_error(client, charge, data, field):
    response = client.post(page(charge), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    html = response.content.decode()
    assert f'aria-describedby="id_{field}_error' in html or f"id_{field}_error" in html
    assert "<b>12/30</b>" not in html
    charge.refresh_from_db()
    assert charge.state == "open"
    assert not SandboxWebhook.objects.exists()


def test_paying_twice_changes_nothing(client, charge):
    client.post(page(charge), CARD)
    response = client.post(page(charge), {**CARD, "card_number": "4000 0000 0000 0002"})
    assert response.status_code == 200
    assert "This payment has been made" in response.content.decode()
    charge.refresh_from_db()
    assert charge.state == "succeeded"
    assert SandboxWebhook.objects.count() == 1


def test_unknown_charge(client):
    assert client.get(reverse("sandbox:checkout", args=["ch_nope"])).status_code == 404
    assert client.post(reverse("sandbox:checkout", args=["ch_nope"]), CARD).status_code == 404


def test_csrf_protects_the_form(charge):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(page(charge), CARD)
    assert response.status_code == 403
