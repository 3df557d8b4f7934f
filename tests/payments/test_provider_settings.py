"""The organiser's provider settings: Stripe keys are write-only, never logged, and the
pages are scoped to the organiser's team."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories
from tests.conftest import login
from tremplin.core.audit import mask_secrets
from tremplin.core.models import AuditLog
from tremplin.payments.models import ProviderAccount
from tremplin.payments.providers.base import get_provider

pytestmark = pytest.mark.django_db

SECRET = "sk_test_51QxVerySecretKeyThatMustNeverBeShown"
WHSEC = "whsec_VerySecretWebhookSigningSecret"
GOOD = {"publishable_key": "pk_test_51QxPublic", "secret_key": SECRET, "webhook_secret": WHSEC}


def url(organiser, provider="stripe"):
    return reverse("payments_manage:provider", args=[organiser.slug, provider])


def list_url(organiser):
    return reverse("payments_manage:providers", args=[organiser.slug])


def test_saving_keys_never_shows_them_back(organiser, manager):
    client = login(manager)
    response = client.post(url(organiser), GOOD)
    assert response.status_code == 302
    account = ProviderAccount.objects.get(organiser=organiser, provider="stripe")
    assert account.settings == GOOD
    page = client.get(url(organiser)).content.decode()
    assert SECRET not in page and WHSEC not in page
    assert "pk_test_51QxPublic" in page  # the publishable key is not a secret
    assert "Saved and never shown again" in page or "jamais" in page
    # The log names what changed, never a value.
    entry = AuditLog.objects.get(action="tremplin.payment_account.changed")
    assert entry.data["changed"] == ["publishable_key", "secret_key", "webhook_secret"]
    assert SECRET not in str(entry.data) and WHSEC not in str(entry.data)
    assert get_provider("stripe", organiser).is_configured()


def test_empty_secret_fields_keep_the_saved_secrets(organiser, manager):
    client = login(manager)
    client.post(url(organiser), GOOD)
    response = client.post(url(organiser), {"publishable_key": "pk_test_51QxOther"})
    assert response.status_code == 302
    account = ProviderAccount.objects.get(organiser=organiser, provider="stripe")
    assert account.settings["secret_key"] == SECRET
    assert account.settings["webhook_secret"] == WHSEC
    assert account.settings["publishable_key"] == "pk_test_51QxOther"


@pytest.mark.parametrize(
    "data, field",
    [
        ({}, "publishable_key"),
        ({**GOOD, "publishable_key": "sk_test_wrong"}, "publishable_key"),
        ({**GOOD, "secret_key": ""}, "secret_key"),
        ({**GOOD, "secret_key": "pk_test_notsecret"}, "secret_key"),
        ({**GOOD, "webhook_secret": "nope"}, "webhook_secret"),
        ({**GOOD, "secret_key": "sk_test_" + "x" * 300}, "secret_key"),
        ({**GOOD, "publishable_key": "<script>alert(1)</script>"}, "publishable_key"),
        ({**GOOD, "secret_key": "sk_live_mixed"}, None),
    ],
)
def test_bad_keys_are_refused(organiser, manager, data, field):
    response = login(manager).post(url(organiser), data)
    assert response.status_code == 400
    form = response.context["form"]
    if field:
        assert field in form.errors
    else:
        assert form.non_field_errors()
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert not ProviderAccount.objects.exists()


def test_permissions(organiser, manager, viewer, other_manager, maker, client):
    factories.MembershipFactory(organiser=organiser)
    assert client.get(url(organiser)).status_code == 302  # to the login page
    assert login(maker).get(url(organiser)).status_code == 404
    assert login(other_manager).get(url(organiser)).status_code == 404
    assert login(other_manager).post(url(organiser), GOOD).status_code == 404
    assert login(viewer).get(url(organiser)).status_code == 403
    assert login(viewer).post(url(organiser), GOOD).status_code == 403
    assert login(viewer).get(list_url(organiser)).status_code == 200
    assert login(maker).get(list_url(organiser)).status_code == 404
    assert login(manager).get(url(organiser)).status_code == 200
    assert login(manager).get(url(organiser, "sandbox")).status_code == 404  # no settings
    assert login(manager).get(url(organiser, "paypal")).status_code == 404
    assert not ProviderAccount.objects.exists()


def test_a_viewer_cannot_post_to_the_payment_pages(organiser, manager, viewer):
    """Reading is open to viewers; any POST from a viewer is refused (403), on the list
    page too (it used to render the list); the list takes no POST at all (405)."""
    assert login(viewer).post(list_url(organiser), GOOD).status_code == 403
    assert login(viewer).post(url(organiser), GOOD).status_code == 403
    assert login(manager).post(list_url(organiser), GOOD).status_code == 405
    assert not ProviderAccount.objects.exists()


def test_provider_list(organiser, manager):
    page = login(manager).get(list_url(organiser)).content.decode()
    assert "Stripe" in page and "Sandbox" in page


def test_log_action_masks_secret_settings():
    masked = mask_secrets({"secret_key": SECRET, "webhook_secret": WHSEC, "api_key": "k"})
    assert masked == {"secret_key": "********", "webhook_secret": "********", "api_key": "********"}


def test_providers_never_print_their_keys(organiser):
    ProviderAccount.objects.create(organiser=organiser, provider="stripe", settings=GOOD)
    provider = get_provider("stripe", organiser)
    assert SECRET not in repr(provider) and SECRET not in str(provider)
