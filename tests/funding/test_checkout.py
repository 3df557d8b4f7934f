"""The checkout: amounts, rewards, address, idempotency, campaign state, and the form."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.campaigns.factories import CampaignFactory, RewardFactory
from tests.funding.helpers import checkout_data, form_data, key
from tremplin.campaigns.enums import CampaignState
from tremplin.campaigns.models import Campaign, RewardTier
from tremplin.funding.checkout import start_checkout
from tremplin.funding.enums import ContributionState
from tremplin.funding.errors import FundingError
from tremplin.funding.helpers import is_valid_key
from tremplin.funding.models import Contribution
from tremplin.payments.models import Payment

pytestmark = pytest.mark.django_db


def _refused(campaign, code: str, **data) -> FundingError:
    with pytest.raises(FundingError) as caught:
        start_checkout(campaign, checkout_data(**data), idempotency_key=key())
    error = caught.value
    codes = [e.code for errors in getattr(error, "error_dict", {}).values() for e in errors]
    assert error.code == code or code in codes, (error.code, codes)
    return error


# --- amounts ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("0", "amount_zero"),
        ("0,00", "amount_zero"),
        ("-10", "amount_zero"),
        ("0,001", "amount_decimals"),
        ("12,505", "amount_decimals"),
        ("1e9", "amount_invalid"),
        ("NaN", "amount_invalid"),
        ("Infinity", "amount_invalid"),
        ("-Infinity", "amount_invalid"),
        ("abc", "amount_invalid"),
        ("", "amount_invalid"),
        ("12,50,3", "amount_invalid"),
        ("4,99", "amount_min"),
        ("5000,01", "amount_max"),
        ("2000000", "amount_max"),
        ("9" * 30, "amount_invalid"),
    ],
)
def test_bad_amounts_are_refused_and_nothing_is_stored(campaign, text, code):
    _refused(campaign, code, amount=text)
    assert not Contribution.objects.exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12,50", "12.50"),
        ("12.5", "12.50"),
        ("1 500,00", "1500.00"),
        ("5", "5.00"),
        ("5000", "5000.00"),
        ("25 €", "25.00"),
        ("12,500", "12.50"),
    ],
)
def test_good_amounts_are_read_the_french_way(campaign, text, expected):
    contribution = start_checkout(campaign, checkout_data(amount=text), idempotency_key=key())
    assert contribution.amount == Decimal(expected)
    assert contribution.state == ContributionState.PENDING
    assert contribution.expires_at > timezone.now() + timedelta(minutes=29)


def test_bounds_come_from_the_programme_settings(campaign):
    rules = campaign.programme.campaign_settings
    rules.min_contribution = Decimal("10.00")
    rules.max_contribution = Decimal("100.00")
    rules.save()
    _refused(campaign, "amount_min", amount="9,99")
    _refused(campaign, "amount_max", amount="100,01")
    assert start_checkout(campaign, checkout_data(amount="100"), idempotency_key=key())


# --- contributor fields ----------------------------------------------------------------------


@pytest.mark.parametrize("email", ["", "pas-une-adresse", "a@b", "x" * 250 + "@example.org"])
def test_bad_email_is_refused(campaign, email):
    code = "email_required" if not email else "email_invalid"
    _refused(campaign, code, email=email)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("", "name_required"),
        ("   ", "name_required"),
        ("x" * 151, "name_length"),
        ("<script>alert(1)</script>", "name_html"),
    ],
)
def test_bad_names_are_refused(campaign, name, code):
    _refused(campaign, code, name=name)


def test_message_too_long(campaign):
    _refused(campaign, "message_length", message="x" * 501)


# --- rewards --------------------------------------------------------------------------------------


def test_reward_below_its_minimum_is_refused(campaign, reward):
    _refused(campaign, "reward_min", amount="19,99", reward=reward.pk)
    reward.refresh_from_db()
    assert reward.claimed == 0


def test_reward_of_another_campaign_is_refused(campaign):
    other = RewardFactory(min_amount="5.00")
    _refused(campaign, "reward_unknown", reward=other.pk)
    _refused(campaign, "reward_unknown", reward="not-a-number")
    other.refresh_from_db()
    assert other.claimed == 0


def test_reward_is_held(campaign, reward):
    contribution = start_checkout(
        campaign, checkout_data(amount="20", reward=reward.pk), idempotency_key=key()
    )
    reward.refresh_from_db()
    assert contribution.reward_id == reward.pk
    assert reward.claimed == 1


def test_sold_out_reward_is_refused_clearly(campaign, reward):
    RewardTier.objects.filter(pk=reward.pk).update(claimed=10)
    error = _refused(campaign, "sold_out", amount="20", reward=reward.pk)
    assert "sold out" in str(error.error_dict["reward"][0].messages[0])
    assert not Contribution.objects.exists()
    reward.refresh_from_db()
    assert reward.claimed == 10


def test_address_required_when_the_reward_ships(campaign, shipped_reward):
    error = _refused(campaign, "address_required", amount="30", reward=shipped_reward.pk)
    assert set(error.error_dict) == {"address", "postal_code", "city"}
    contribution = start_checkout(
        campaign,
        checkout_data(
            amount="30",
            reward=shipped_reward.pk,
            address="1 rue de la Gare",
            postal_code="59000",
            city="Lille",
        ),
        idempotency_key=key(),
    )
    assert (contribution.city, contribution.country) == ("Lille", "FR")


def test_address_not_kept_without_a_shipped_reward(campaign):
    contribution = start_checkout(
        campaign,
        checkout_data(address="1 rue de la Gare", postal_code="59000", city="Lille"),
        idempotency_key=key(),
    )
    assert (contribution.address, contribution.city) == ("", "")


# --- idempotency ----------------------------------------------------------------------------------


def test_same_key_twice_gives_one_contribution_and_one_hold(campaign, reward):
    same = key()
    data = checkout_data(amount="20", reward=reward.pk)
    first = start_checkout(campaign, data, idempotency_key=same)
    second = start_checkout(campaign, {**data, "amount": "40"}, idempotency_key=same)
    assert first.pk == second.pk
    assert Contribution.objects.count() == 1
    reward.refresh_from_db()
    assert reward.claimed == 1


@pytest.mark.parametrize("bad", ["", "abc", "0" * 31, "G" * 32, "0" * 33, "../" * 11])
def test_invalid_key_is_refused(campaign, bad):
    with pytest.raises(FundingError) as caught:
        start_checkout(campaign, checkout_data(), idempotency_key=bad)
    assert caught.value.code == "key_invalid"


def test_a_key_of_another_campaign_is_refused(campaign):
    same = key()
    start_checkout(campaign, checkout_data(), idempotency_key=same)
    other = CampaignFactory()
    with pytest.raises(FundingError):
        start_checkout(other, checkout_data(), idempotency_key=same)


# --- campaign state -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "state",
    [
        CampaignState.DRAFT,
        CampaignState.IN_REVIEW,
        CampaignState.APPROVED,
        CampaignState.SCHEDULED,
        CampaignState.SUCCEEDED,
        CampaignState.FAILED,
        CampaignState.CLOSED,
        CampaignState.SETTLED,
    ],
)
def test_only_a_live_campaign_takes_contributions(campaign, state):
    Campaign.objects.filter(pk=campaign.pk).update(state=state)
    with pytest.raises(FundingError) as caught:
        start_checkout(campaign, checkout_data(), idempotency_key=key())
    assert caught.value.code in ("campaign_closed", "campaign_not_live", "campaign_not_started")
    assert not Contribution.objects.exists()


def test_a_live_campaign_past_its_deadline_is_closed(campaign):
    Campaign.objects.filter(pk=campaign.pk).update(ends_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(FundingError) as caught:
        start_checkout(campaign, checkout_data(), idempotency_key=key())
    assert caught.value.code == "campaign_closed"


# --- the form ------------------------------------------------------------------------------


def test_form_shows_rewards_with_stock_and_a_fresh_key(client, campaign, reward):
    RewardTier.objects.filter(pk=reward.pk).update(claimed=3)
    response = client.get(reverse("funding:contribute", args=[campaign.slug]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Carte postale" in body
    assert "7 left of 10" in body
    assert response["Cache-Control"] == "no-store"
    first_key = response.context["form"].initial["key"]
    assert is_valid_key(first_key)
    again = client.get(reverse("funding:contribute", args=[campaign.slug]))
    assert again.context["form"].initial["key"] != first_key


def test_logged_in_user_is_prefilled(client_for, campaign, maker):
    response = client_for(maker).get(reverse("funding:contribute", args=[campaign.slug]))
    form = response.context["form"]
    assert form.initial["email"] == maker.email
    assert form.initial["name"] == maker.full_name


def test_post_redirects_to_the_payment_page(client, campaign, reward):
    data = form_data(amount="20,00", reward=str(reward.pk), message="Bravo !")
    response = client.post(
        reverse("funding:contribute", args=[campaign.slug]) + "?canal=affiche-metro", data
    )
    assert response.status_code == 302
    contribution = Contribution.objects.get()
    payment = Payment.objects.get(contribution=contribution)
    assert response["Location"] == payment.checkout_url
    assert contribution.amount == Decimal("20.00")
    assert contribution.channel == "affiche-metro"
    assert contribution.message == "Bravo !"
    assert contribution.language == "en"  # the language of the page
    assert contribution.user is None


def test_a_checkout_reads_the_programmes_settings_once(client, campaign):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("funding:contribute", args=[campaign.slug])
    with CaptureQueriesContext(connection) as captured:
        assert client.post(url, form_data(amount="20")).status_code == 302
    settings_reads = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith("SELECT") and '"campaigns_campaignsettings"' in q["sql"]
    ]
    # once by the view, joined to the campaign it reads (the rules and the payment provider);
    # then joined to the contribution locked for its payment
    assert len(settings_reads) == 2
    assert 'FROM "campaigns_campaign"' in settings_reads[0]
    assert 'FROM "funding_contribution"' in settings_reads[1]


def test_double_post_gives_one_contribution_one_payment_one_hold(client, campaign, reward):
    data = form_data(amount="20", reward=str(reward.pk))
    url = reverse("funding:contribute", args=[campaign.slug])
    first = client.post(url, data)
    second = client.post(url, data)
    assert first["Location"] == second["Location"]
    assert Contribution.objects.count() == 1
    assert Payment.objects.count() == 1
    reward.refresh_from_db()
    assert reward.claimed == 1


@pytest.mark.parametrize("channel", ["<script>", "a" * 61, "../x", "canal avec espace"])
def test_bad_channel_is_ignored(client, campaign, channel):
    url = reverse("funding:contribute", args=[campaign.slug])
    response = client.post(url + "?canal=" + channel, form_data())
    assert response.status_code == 302
    assert Contribution.objects.get().channel == ""


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"amount": "0"}, "amount"),
        ({"amount": "-5"}, "amount"),
        ({"amount": "0,001"}, "amount"),
        ({"amount": "1e9"}, "amount"),
        ({"amount": "NaN"}, "amount"),
        ({"amount": "Infinity"}, "amount"),
        ({"amount": "6000"}, "amount"),
        ({"amount": "2"}, "amount"),
        ({"amount": "abc"}, "amount"),
        ({"amount": ""}, "amount"),
        ({"amount": "1" * 100}, "amount"),
        ({"email": "pas-une-adresse"}, "email"),
        ({"email": ""}, "email"),
        ({"name": ""}, "name"),
        ({"name": "x" * 151}, "name"),
        ({"message": "x" * 501}, "message"),
        ({"reward": "999999"}, "reward"),
        ({"country": "XX"}, "country"),
    ],
)
def test_invalid_post_answers_400_with_the_field_error(client, campaign, data, field):
    response = client.post(reverse("funding:contribute", args=[campaign.slug]), form_data(**data))
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert not Contribution.objects.exists()
    assert not Payment.objects.exists()


def test_missing_key_is_a_400(client, campaign):
    data = form_data()
    data.pop("key")
    response = client.post(reverse("funding:contribute", args=[campaign.slug]), data)
    assert response.status_code == 400
    assert not Contribution.objects.exists()


def test_missing_address_for_a_shipped_reward_is_a_400(client, campaign, shipped_reward):
    url = reverse("funding:contribute", args=[campaign.slug])
    response = client.post(url, form_data(amount="30", reward=str(shipped_reward.pk)))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"address", "postal_code", "city"} <= set(errors)
    assert response.context["shipping"] is True
    shipped_reward.refresh_from_db()
    assert shipped_reward.claimed == 0


def test_reward_below_minimum_is_a_400(client, campaign, reward):
    url = reverse("funding:contribute", args=[campaign.slug])
    response = client.post(url, form_data(amount="10", reward=str(reward.pk)))
    assert response.status_code == 400
    assert response.context["form"].errors["reward"]


def test_html_payloads_are_shown_escaped(client, campaign):
    url = reverse("funding:contribute", args=[campaign.slug])
    payload = '<script>alert("x")</script>'
    response = client.post(url, form_data(amount=payload, name=payload, message="ok"))
    assert response.status_code == 400
    body = response.content.decode()
    assert payload not in body
    assert "&lt;script&gt;" in body


@pytest.mark.parametrize(
    "state", [CampaignState.DRAFT, CampaignState.IN_REVIEW, CampaignState.SCHEDULED]
)
def test_a_campaign_not_public_answers_404(client, campaign, state):
    Campaign.objects.filter(pk=campaign.pk).update(state=state)
    url = reverse("funding:contribute", args=[campaign.slug])
    assert client.get(url).status_code == 404
    assert client.post(url, form_data()).status_code == 404
    assert not Contribution.objects.exists()


def test_unknown_campaign_answers_404(client):
    assert client.get(reverse("funding:contribute", args=["nope"])).status_code == 404


@pytest.mark.parametrize(
    "state", [CampaignState.SUCCEEDED, CampaignState.FAILED, CampaignState.CLOSED]
)
def test_a_closed_campaign_says_so_and_refuses_the_post(client, campaign, state):
    Campaign.objects.filter(pk=campaign.pk).update(state=state)
    url = reverse("funding:contribute", args=[campaign.slug])
    page = client.get(url)
    assert page.status_code == 200
    assert "no longer accepts contributions" in page.content.decode()
    response = client.post(url, form_data())
    assert response.status_code == 400
    assert "no longer accepts contributions" in response.content.decode()
    assert not Contribution.objects.exists()


def test_post_after_the_deadline_is_refused(client, campaign):
    Campaign.objects.filter(pk=campaign.pk).update(ends_at=timezone.now() - timedelta(minutes=1))
    response = client.post(reverse("funding:contribute", args=[campaign.slug]), form_data())
    assert response.status_code == 400
    assert not Contribution.objects.exists()


def test_preselected_reward_sets_its_minimum(client, campaign, reward):
    url = reverse("funding:contribute", args=[campaign.slug]) + f"?contrepartie={reward.pk}"
    form = client.get(url).context["form"]
    assert form.initial["reward"] == str(reward.pk)
    assert form.initial["amount"] == "20"
