"""Unpaid anonymous checkouts cannot hold a limited reward's stock (issue #9): checkouts
are rate-limited per address and per e-mail address (429, nothing created), and a checkout
of one of the last units of a reward holds it for 10 minutes instead of 30."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.campaigns.factories import RewardFactory
from tests.funding.helpers import checkout, form_data
from tremplin.campaigns.models import RewardTier
from tremplin.core import ratelimit
from tremplin.funding.checkout import CHECKOUT_TTL, SCARCE_CHECKOUT_TTL, is_scarce
from tremplin.funding.enums import ContributionState
from tremplin.funding.expiry import expire_pending_checkouts
from tremplin.funding.models import Contribution

pytestmark = pytest.mark.django_db

LIMITED = "Too many contributions were started from here in the last few minutes"


def _post(client: Client, campaign, **data):
    return client.post(reverse("funding:contribute", args=[campaign.slug]), form_data(**data))


def test_checkouts_per_email_are_limited(client, campaign, reward, settings):
    settings.CHECKOUT_LIMIT_PER_EMAIL = 2
    for _ in range(2):
        assert _post(client, campaign, amount="20", reward=str(reward.pk)).status_code == 302
    held = RewardTier.objects.get(pk=reward.pk).claimed
    response = _post(client, campaign, amount="20", reward=str(reward.pk))
    assert response.status_code == 429
    assert LIMITED in response.content.decode()
    assert Contribution.objects.count() == 2
    assert RewardTier.objects.get(pk=reward.pk).claimed == held
    # Another address is another count; the same address in capitals is the same one.
    assert _post(client, campaign, amount="20", email="autre@example.org").status_code == 302
    assert _post(client, campaign, amount="20", email="MARIE@EXAMPLE.ORG").status_code in (
        302,
        429,
    )


def test_checkouts_per_address_are_limited(client, campaign, settings):
    settings.CHECKOUT_LIMIT_PER_IP = 3
    for i in range(3):
        assert _post(client, campaign, amount="20", email=f"p{i}@example.org").status_code == 302
    response = _post(client, campaign, amount="20", email="p9@example.org")
    assert response.status_code == 429
    assert Contribution.objects.count() == 3
    other = Client(HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR="203.0.113.9")
    assert _post(other, campaign, amount="20", email="p9@example.org").status_code == 302


def test_a_replayed_form_is_not_counted(client, campaign, settings):
    settings.CHECKOUT_LIMIT_PER_EMAIL = 1
    data = form_data(amount="20")
    url = reverse("funding:contribute", args=[campaign.slug])
    first = client.post(url, data)
    again = client.post(url, data)  # a double click: the same contribution
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    assert Contribution.objects.count() == 1


def test_the_limit_is_french(campaign, settings):
    settings.CHECKOUT_LIMIT_PER_EMAIL = 1
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    assert _post(client, campaign, amount="20").status_code == 302
    response = _post(client, campaign, amount="20")
    assert response.status_code == 429
    assert "Trop de contributions" in response.content.decode()


def test_client_ip_behind_trusted_proxies(rf, settings):
    request = rf.get("/", HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.1", REMOTE_ADDR="10.0.0.1")
    settings.TRUSTED_PROXIES = 0
    assert ratelimit.client_ip(request) == "10.0.0.1"  # the header is not trusted
    settings.TRUSTED_PROXIES = 1
    assert ratelimit.client_ip(request) == "203.0.113.1"
    settings.TRUSTED_PROXIES = 2
    assert ratelimit.client_ip(request) == "198.51.100.7"


def test_allow_counts_in_a_window():
    assert all(ratelimit.allow("t", "a", limit=3, window=60) for _ in range(3))
    assert not ratelimit.allow("t", "a", limit=3, window=60)
    assert ratelimit.allow("t", "b", limit=3, window=60)
    assert ratelimit.allow("t", "a", limit=0, window=60)  # 0: no limit


def test_scarce_rewards():
    """(stock, claimed once this checkout's unit is held)."""
    assert not is_scarce(None, 1000)
    assert is_scarce(10, 1)  # a small stock: every unit is one of the last
    assert not is_scarce(100, 0)
    assert not is_scarce(100, 75)
    assert is_scarce(100, 76)


def test_the_last_units_are_held_for_ten_minutes_and_expire_then(campaign):
    reward = RewardFactory(campaign=campaign, title="Poster", min_amount="20.00", stock=100)
    now = timezone.now()
    plenty = checkout(campaign, "20", reward=reward.pk)
    assert plenty.expires_at >= now + CHECKOUT_TTL - timedelta(seconds=5)
    RewardTier.objects.filter(pk=reward.pk).update(claimed=80)
    scarce = checkout(campaign, "20", reward=reward.pk)
    scarce.refresh_from_db()
    assert now + SCARCE_CHECKOUT_TTL - timedelta(seconds=5) <= scarce.expires_at
    assert scarce.expires_at <= timezone.now() + SCARCE_CHECKOUT_TTL
    assert RewardTier.objects.get(pk=reward.pk).claimed == 81
    # The expiry job honours each checkout's own time.
    assert expire_pending_checkouts(now + SCARCE_CHECKOUT_TTL + timedelta(minutes=1)) == 1
    scarce.refresh_from_db()
    plenty.refresh_from_db()
    assert scarce.state == ContributionState.CANCELLED
    assert plenty.state == ContributionState.PENDING
    assert RewardTier.objects.get(pk=reward.pk).claimed == 80
