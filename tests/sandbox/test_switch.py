"""The test-card provider is never on by accident (issue #9): ``SANDBOX_ENABLED`` (off by
default, on in the tests and ``tremplin demo``). Off: /sandbox/ answers 404, the provider is
not offered, a programme set to it cannot take payments (a clear message, no 500, nothing
created). On: every page of a sandbox campaign says "test mode"."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.campaigns.factories import CampaignFactory
from tests.funding.helpers import form_data
from tests.payments.helpers import payment_for
from tremplin.campaigns.manage_forms import provider_choices
from tremplin.campaigns.models import CampaignSettings
from tremplin.core.checks import check_sandbox_off
from tremplin.funding.models import Contribution
from tremplin.payments import services
from tremplin.payments.availability import payments_refusal
from tremplin.payments.models import Payment
from tremplin.sandbox import api

pytestmark = pytest.mark.django_db

NOT_SET_UP = "Online payments are not set up yet for this campaign"
TEST_MODE = "payments on this campaign are simulated"


def _english() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def off(settings):
    settings.SANDBOX_ENABLED = False
    settings.PAYMENTS_DEFAULT_PROVIDER = ""


def test_the_provider_is_offered_only_when_on(settings):
    assert "sandbox" in dict(provider_choices())
    settings.SANDBOX_ENABLED = False
    assert "sandbox" not in dict(provider_choices())
    assert "stripe" in dict(provider_choices())


def test_off_the_hosted_card_page_and_the_webhook_answer_404(campaign, settings):
    payment = payment_for(campaign)
    url = reverse("sandbox:checkout", args=[payment.provider_reference])
    assert _english().get(url).status_code == 200
    settings.SANDBOX_ENABLED = False
    assert _english().get(url).status_code == 404
    webhook = reverse("payments:webhook", args=["sandbox"])
    assert _english().post(webhook, b"{}", content_type="application/json").status_code == 404


def test_off_a_sandbox_programme_cannot_take_payments(campaign, off):
    assert payments_refusal(campaign.programme) is not None
    url = reverse("funding:contribute", args=[campaign.slug])
    page = _english().get(url)
    assert page.status_code == 200
    assert NOT_SET_UP in page.content.decode()
    assert 'name="amount"' not in page.content.decode()
    response = _english().post(url, form_data(amount="20"))
    assert response.status_code == 400
    assert NOT_SET_UP in response.content.decode()
    assert not Contribution.objects.exists()
    assert not Payment.objects.exists()


def test_off_a_payment_cannot_be_opened_at_the_sandbox(campaign, off):
    from tests.funding.helpers import checkout

    contribution = checkout(campaign, "20")
    with pytest.raises(services.PaymentsNotSetUp):
        services.create_payment(contribution)
    assert not Payment.objects.exists()


def test_no_provider_configured_says_payments_are_not_set_up(campaign, settings):
    settings.PAYMENTS_DEFAULT_PROVIDER = ""
    CampaignSettings.objects.filter(programme=campaign.programme).update(payment_provider="")
    campaign.programme.refresh_from_db()
    page = _english().get(reverse("funding:contribute", args=[campaign.slug]))
    assert NOT_SET_UP in page.content.decode()
    # Stripe without its keys: not set up either.
    CampaignSettings.objects.filter(programme=campaign.programme).update(payment_provider="stripe")
    page = _english().get(reverse("funding:contribute", args=[campaign.slug]))
    assert NOT_SET_UP in page.content.decode()


def test_on_every_page_of_a_sandbox_campaign_says_test_mode(campaign):
    from tests.funding.helpers import checkout

    client = _english()
    campaign_page = client.get(reverse("campaigns:campaign", args=[campaign.slug]))
    contribute_page = client.get(reverse("funding:contribute", args=[campaign.slug]))
    contribution = checkout(campaign, "20")
    thanks_page = client.get(reverse("funding:thanks", args=[contribution.idempotency_key]))
    news_page = client.get(reverse("campaigns:updates", args=[campaign.slug]))
    for page in (campaign_page, contribute_page, thanks_page, news_page):
        assert page.status_code == 200
        html = page.content.decode()
        assert TEST_MODE in html
        assert 'id="test-mode-notice"' in html and 'role="note"' in html
    french = Client(HTTP_ACCEPT_LANGUAGE="fr").get(
        reverse("funding:contribute", args=[campaign.slug])
    )
    assert "Mode test" in french.content.decode()
    assert "les paiements de cette campagne sont simulés" in french.content.decode()


def test_a_stripe_campaign_has_no_test_mode_notice(db):
    other = CampaignFactory(settings__payment_provider="stripe")
    page = _english().get(reverse("campaigns:campaign", args=[other.slug]))
    assert TEST_MODE not in page.content.decode()


def test_check_deploy_refuses_the_sandbox_on_a_public_site(settings):
    settings.SITE_URL = "https://tremplin.example.org"
    settings.SANDBOX_ENABLED = True
    assert [e.id for e in check_sandbox_off()] == ["tremplin.E002"]
    settings.SANDBOX_ENABLED = False
    assert check_sandbox_off() == []
    settings.SITE_URL = "http://127.0.0.1:8000"  # the demo
    settings.SANDBOX_ENABLED = True
    assert check_sandbox_off() == []


@pytest.mark.parametrize("charge_id", ["%00", "ch_%00abc", "x" * 200, "ch_abc%0A", "ch_é"])
def test_a_charge_id_that_is_no_charge_id_is_404(charge_id, client):
    """NUL bytes in a text value: PostgreSQL's DataError was a 500 (issue #9)."""
    response = client.get(f"/sandbox/pay/{charge_id}/")
    assert response.status_code == 404
    assert client.post(f"/sandbox/pay/{charge_id}/", {"card_number": "4242"}).status_code == 404


def test_the_api_refuses_a_bad_charge_id_without_a_query(django_assert_num_queries):
    for call in (
        lambda: api.retrieve_charge("ch_\x00"),
        lambda: api.refund_charge("ch_\x00", idempotency_key="k"),
        lambda: api.pay("\x00", "4242424242424242"),
    ):
        with django_assert_num_queries(0), pytest.raises(api.SandboxAPIError) as error:
            call()
        assert error.value.status == 404
