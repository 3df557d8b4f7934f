"""The organiser's receipt pages: the beneficiary settings (managers edit, viewers read,
another organiser 404, anonymous to the log-in), bad input refused with nothing changed,
issuing the receipts still due, a receipt's PDF, the yearly summary page and CSV."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.campaigns.factories import RewardFactory
from tests.donors.conftest import close_now, give
from tremplin.donors.models import Receipt, ReceiptSettings, RewardValue
from tremplin.funding.models import Contribution

pytestmark = pytest.mark.django_db(transaction=True)

GOOD = {
    "entitled": "on",
    "legal_name": "Association Les Ateliers du Vélo",
    "identifier": "W595012345",
    "address": "12 rue de la Clef",
    "postal_code": "59000",
    "city": "Lille",
    "purpose": "Réparer des vélos.",
    "article_200": "on",
    "gift_form": "manual_gift",
    "signatory": "Marie Dupont, présidente",
}


def url(campaign, name="receipts", *args):
    return reverse(f"donors_manage:{name}", args=["mel", campaign.slug, *args])


def test_the_manager_sets_the_beneficiary_and_the_rewards_value(client_for, manager, campaign):
    reward = RewardFactory(campaign=campaign, title="Affiche")
    browser = client_for(manager)
    assert browser.get(url(campaign)).status_code == 200
    response = browser.post(url(campaign), {**GOOD, f"reward_{reward.pk}": "12,50"})
    assert response.status_code == 302
    rs = ReceiptSettings.objects.get(campaign=campaign)
    assert rs.entitled and rs.beneficiary_key == "W595012345"
    assert RewardValue.objects.get(reward=reward).value == 12.5


def test_viewers_read_only(client_for, viewer, campaign):
    browser = client_for(viewer)
    assert browser.get(url(campaign)).status_code == 200
    assert browser.post(url(campaign), GOOD).status_code == 403
    assert browser.post(url(campaign, "issue")).status_code == 403
    assert not ReceiptSettings.objects.exists()


def test_another_organiser_gets_404(client_for, other_manager, campaign):
    browser = client_for(other_manager)
    assert browser.get(url(campaign)).status_code == 404
    assert browser.post(url(campaign), GOOD).status_code == 404
    assert browser.get(reverse("donors_manage:summary", args=["mel"])).status_code == 404


def test_anonymous_goes_to_the_login(client, campaign):
    response = client.get(url(campaign))
    assert response.status_code == 302 and "/comptes/" in response.url


BAD = [
    {},
    {**GOOD, "legal_name": ""},
    {**GOOD, "legal_name": "x" * 5000},
    {**GOOD, "legal_name": "a\x00b"},
    {**GOOD, "identifier": "9" * 40},
    {**GOOD, "identifier": "12345"},
    {**GOOD, "postal_code": "<script>"},
    {**GOOD, "gift_form": "gift_of_a_horse"},
    {**GOOD, "article_200": "", "article_238_bis": ""},
    {**GOOD, "signatory": ""},
    {**GOOD, "purpose": "y" * 5000},
]


@pytest.mark.parametrize("data", BAD)
def test_bad_settings_are_refused(client_for, manager, campaign, data):
    response = client_for(manager).post(url(campaign), data)
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    assert not ReceiptSettings.objects.exists()


@pytest.mark.parametrize("value", ["abc", "-5", "1e308", "NaN", "9" * 40, "2000000", "12\x00"])
def test_bad_reward_values_are_refused(client_for, manager, campaign, value):
    reward = RewardFactory(campaign=campaign)
    response = client_for(manager).post(url(campaign), {**GOOD, f"reward_{reward.pk}": value})
    assert response.status_code == 400
    assert not RewardValue.objects.exists() and not ReceiptSettings.objects.exists()


def test_issue_the_receipts_still_due_and_read_one(client_for, manager, campaign, entitled):
    waiting = give(campaign, "120", email="alice@example.org", address=False)
    close_now(campaign)
    assert not Receipt.objects.exists()
    Contribution.objects.filter(pk=waiting.pk).update(
        address="1 rue A", postal_code="59000", city="Lille"
    )
    browser = client_for(manager)
    assert browser.post(url(campaign, "issue")).status_code == 302
    receipt = Receipt.objects.get()
    assert browser.get(url(campaign, "receipt", receipt.pk)).status_code == 200
    assert browser.get(url(campaign, "receipt", 987654321)).status_code == 404
    page = browser.get(url(campaign)).content.decode()
    assert receipt.order_number in page


def test_issue_refused_while_live(client_for, manager, campaign, entitled):
    give(campaign, "20", email="alice@example.org")
    assert client_for(manager).post(url(campaign, "issue")).status_code == 302
    assert not Receipt.objects.exists()


def test_yearly_summary_page_and_csv(client_for, viewer, campaign, entitled):
    give(campaign, "80", email="alice@example.org")
    give(campaign, "40.50", email="bob@example.org")
    close_now(campaign)
    year = Receipt.objects.first().year
    browser = client_for(viewer)
    page = browser.get(reverse("donors_manage:summary", args=["mel"]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Association Les Ateliers du Vélo" in text and "120,50" in text
    csv = browser.get(reverse("donors_manage:summary_export", args=["mel", year]))
    assert csv.status_code == 200
    body = csv.content.decode("utf-8-sig")
    assert "Association Les Ateliers du Vélo;W595012345;" in body
    assert ";2;120,50;0;" in body
    assert (
        browser.get(reverse("donors_manage:summary_export", args=["mel", 1999])).status_code == 404
    )
