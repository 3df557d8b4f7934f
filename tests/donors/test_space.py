"""The contributors' space without an account: the signed link, the one-time code (hashed,
few tries, expiring, rate-limited, bound to the browser), the space itself (every
contribution of the address across campaigns, receipts, choices, postal address) and who
may see what."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.campaigns.factories import CampaignFactory
from tests.donors.conftest import close_now, give
from tremplin.core.contributor_links import space_path, space_token
from tremplin.donors.models import Receipt, SpaceCode
from tremplin.funding.models import Contribution

pytestmark = pytest.mark.django_db(transaction=True)

ALICE = "alice@example.org"


def open_space(client: Client, email: str = ALICE) -> None:
    """Follow the e-mail's link, ask for the code, type it."""
    mail.outbox.clear()
    response = client.post(space_path(email))
    assert response.status_code == 302, response.status_code
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].subject).group(1)
    response = client.post(reverse("donors:code"), {"code": code})
    assert response.status_code == 302 and response.url == reverse("donors:space")


@pytest.fixture
def gifts(campaign, entitled):
    mine = give(campaign, "120", email=ALICE, name="Alice Martin")
    other_campaign = CampaignFactory(programme=campaign.programme, goal="5000.00")
    also_mine = give(other_campaign, "15", email="Alice@Example.org", name="Alice M.")
    theirs = give(campaign, "30", email="bob@example.org", name="Bob Leroy")
    close_now(campaign)
    return mine, also_mine, theirs


def test_the_confirmation_email_carries_the_link(campaign):
    mail.outbox.clear()
    give(campaign, "20", email=ALICE)
    confirmation = [m for m in mail.outbox if m.to == [ALICE]][0]
    assert "/contributeurs/lien/" in confirmation.body


def test_the_person_sees_all_their_contributions_and_receipts(client, gifts):
    mine, also_mine, theirs = gifts
    assert client.get(reverse("donors:space")).status_code == 302  # not yet
    open_space(client)
    page = client.get(reverse("donors:space"))
    assert page.status_code == 200
    assert page["Cache-Control"].startswith("max-age=0") or "no-cache" in page["Cache-Control"]
    text = page.content.decode()
    assert mine.campaign.title in text and also_mine.campaign.title in text
    assert "Bob Leroy" not in text
    receipt = Receipt.objects.get(contribution=mine)
    assert receipt.order_number in text
    pdf = client.get(reverse("donors:receipt", args=[receipt.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_someone_else_gets_404(client, gifts):
    mine, also_mine, theirs = gifts
    bob_receipt = Receipt.objects.get(contribution=theirs)
    open_space(client)
    assert client.get(reverse("donors:receipt", args=[bob_receipt.pk])).status_code == 404
    response = client.post(
        reverse("donors:choices", args=[theirs.pk]), {f"c{theirs.pk}-hide_name": "on"}
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert not theirs.hide_name


def test_anonymous_gets_nothing(client, gifts):
    mine, _also, _theirs = gifts
    receipt = Receipt.objects.get(contribution=mine)
    assert client.get(reverse("donors:receipt", args=[receipt.pk])).status_code == 404
    assert client.post(reverse("donors:choices", args=[mine.pk])).status_code == 404
    assert client.post(reverse("donors:address"), {"address": "x"}).status_code == 404
    assert client.get(reverse("donors:space")).status_code == 302


def test_an_organiser_account_does_not_open_a_contributors_space(client_for, manager, gifts):
    mine, _also, _theirs = gifts
    receipt = Receipt.objects.get(contribution=mine)
    browser = client_for(manager)
    assert browser.get(reverse("donors:receipt", args=[receipt.pk])).status_code == 404
    # The organiser reads it in the back-office.
    url = reverse("donors_manage:receipt", args=["mel", mine.campaign.slug, receipt.pk])
    assert browser.get(url).status_code == 200


def test_choices_are_saved(client, gifts):
    mine, _also, _theirs = gifts
    open_space(client)
    response = client.post(
        reverse("donors:choices", args=[mine.pk]),
        {f"c{mine.pk}-hide_name": "on", f"c{mine.pk}-news_consent": "on"},
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.hide_name and mine.news_consent and not mine.hide_amount


def test_the_address_issues_the_waiting_receipt(client, campaign, entitled):
    gift = give(campaign, "120", email=ALICE, address=False)
    close_now(campaign)
    assert not Receipt.objects.exists()
    open_space(client)
    assert "waiting for your postal address" in client.get(reverse("donors:space")).content.decode()
    data = {
        "address": "5 rue Esquermoise",
        "postal_code": "59000",
        "city": "Lille",
        "country": "FR",
    }
    assert client.post(reverse("donors:address"), data).status_code == 302
    receipt = Receipt.objects.get(contribution=gift)
    assert receipt.donor_address == "5 rue Esquermoise, 59000 Lille"


HOSTILE_ADDRESSES = [
    {},
    {"address": "", "postal_code": "", "city": "", "country": ""},
    {"address": "a\x00b", "postal_code": "59000", "city": "Lille", "country": "FR"},
    {"address": "x" * 5000, "postal_code": "59000", "city": "Lille", "country": "FR"},
    {"address": "1 rue", "postal_code": "9" * 40, "city": "Lille", "country": "FR"},
    {"address": "1 rue", "postal_code": "ABCDE", "city": "Lille", "country": "FR"},
    {"address": "1 rue", "postal_code": "59000", "city": "Lille", "country": "ZZ"},
]


@pytest.mark.parametrize("data", HOSTILE_ADDRESSES)
def test_bad_addresses_are_refused(client, campaign, entitled, data):
    gift = give(campaign, "120", email=ALICE, address=False)
    close_now(campaign)
    open_space(client)
    response = client.post(reverse("donors:address"), data)
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    gift.refresh_from_db()
    assert gift.address == "" and not Receipt.objects.exists()


def test_script_in_an_address_is_printed_as_text(client, campaign, entitled):
    give(campaign, "120", email=ALICE, address=False)
    close_now(campaign)
    open_space(client)
    data = {
        "address": "<script>alert(1)</script>",
        "postal_code": "59000",
        "city": "Lille",
        "country": "FR",
    }
    client.post(reverse("donors:address"), data)
    page = client.get(reverse("donors:space")).content.decode()
    assert "<script>alert(1)" not in page


@pytest.mark.parametrize(
    "code", ["", "12345", "1234567", "abcdef", "9" * 40, "12\x0034", "<b>1</b>"]
)
def test_bad_codes_are_refused(client, campaign, code):
    give(campaign, "20", email=ALICE)
    client.post(space_path(ALICE))
    response = client.post(reverse("donors:code"), {"code": code})
    assert response.status_code == 400
    assert client.get(reverse("donors:space")).status_code == 302
    assert SpaceCode.objects.get().attempts == 0  # a malformed code costs no try


def test_wrong_codes_are_counted_then_the_code_dies(client, campaign, settings):
    settings.DONORS_CODE_ATTEMPTS = 3
    give(campaign, "20", email=ALICE)
    mail.outbox.clear()
    client.post(space_path(ALICE))
    real = re.search(r"\b(\d{6})\b", mail.outbox[-1].subject).group(1)
    wrong = "000000" if real != "000000" else "111111"
    assert client.post(reverse("donors:code"), {"code": wrong}).status_code == 400
    assert client.post(reverse("donors:code"), {"code": wrong}).status_code == 400
    assert client.post(reverse("donors:code"), {"code": wrong}).status_code == 302  # dead
    assert client.post(reverse("donors:code"), {"code": real}).status_code == 302
    assert client.get(reverse("donors:space")).status_code == 302  # still closed
    row = SpaceCode.objects.get()
    assert row.attempts == 3 and row.used_at is None
    assert real not in row.code_hash  # only a hash is stored


def test_an_expired_code_does_not_open(client, campaign):
    give(campaign, "20", email=ALICE)
    mail.outbox.clear()
    client.post(space_path(ALICE))
    real = re.search(r"\b(\d{6})\b", mail.outbox[-1].subject).group(1)
    SpaceCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    client.post(reverse("donors:code"), {"code": real})
    assert client.get(reverse("donors:space")).status_code == 302


def test_the_code_only_works_in_the_browser_that_asked(campaign):
    give(campaign, "20", email=ALICE)
    asker, thief = Client(HTTP_ACCEPT_LANGUAGE="en"), Client(HTTP_ACCEPT_LANGUAGE="en")
    mail.outbox.clear()
    asker.post(space_path(ALICE))
    real = re.search(r"\b(\d{6})\b", mail.outbox[-1].subject).group(1)
    assert thief.post(reverse("donors:code"), {"code": real}).status_code == 302
    assert thief.get(reverse("donors:space")).status_code == 302
    assert asker.post(reverse("donors:code"), {"code": real}).status_code == 302
    assert asker.get(reverse("donors:space")).status_code == 200


def test_codes_are_rate_limited(client, campaign, settings):
    settings.DONORS_CODES_PER_EMAIL = 2
    cache.clear()
    give(campaign, "20", email=ALICE)
    assert client.post(space_path(ALICE)).status_code == 302
    assert client.post(space_path(ALICE)).status_code == 302
    response = client.post(space_path(ALICE))
    assert response.status_code == 429
    assert SpaceCode.objects.count() == 2


@pytest.mark.parametrize(
    "token",
    [
        "nonsense",
        "a" * 600,
        "<script>",
        lambda: space_token(ALICE)[:-2] + "xx",
        lambda: signing.dumps(ALICE, salt="another-salt"),  # signed for something else
    ],
)
def test_forged_or_altered_links_are_refused(client, campaign, token):
    give(campaign, "20", email=ALICE)
    token = token() if callable(token) else token
    response = client.get(reverse("donors:open", args=[token]))
    assert response.status_code in (400, 404)
    assert not SpaceCode.objects.exists()


def test_an_expired_link_is_refused(client, campaign, settings):
    give(campaign, "20", email=ALICE)
    token = space_token(ALICE)
    settings.DONORS_LINK_MAX_AGE_DAYS = 1
    from unittest import mock

    later = timezone.now().timestamp() + 2 * 86400
    with mock.patch("time.time", return_value=later):
        response = client.get(reverse("donors:open", args=[token]))
    assert response.status_code == 400


def test_a_new_link_by_email_tells_nothing(client, campaign):
    give(campaign, "20", email=ALICE)
    mail.outbox.clear()
    known = client.post(reverse("donors:request_link"), {"email": ALICE})
    unknown = client.post(reverse("donors:request_link"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 200
    assert [m.to for m in mail.outbox] == [[ALICE]]
    assert "/contributeurs/lien/" in mail.outbox[0].body


@pytest.mark.parametrize(
    "email", ["", "not-an-address", "a\x00b@example.org", "x" * 300 + "@e.org"]
)
def test_bad_link_requests_are_refused(client, email):
    response = client.post(reverse("donors:request_link"), {"email": email})
    assert response.status_code == 400
    assert not mail.outbox


def test_leaving_closes_the_space(client, gifts):
    open_space(client)
    client.post(reverse("donors:leave"))
    assert client.get(reverse("donors:space")).status_code == 302


def test_the_space_expires(client, gifts, settings):
    open_space(client)
    session = client.session
    session["donors_space_until"] = (timezone.now() - timedelta(seconds=1)).isoformat()
    session.save()
    assert client.get(reverse("donors:space")).status_code == 302


def test_unknown_contribution_choices_answer_404(client, gifts):
    open_space(client)
    response = client.post(reverse("donors:choices", args=[987654321]))
    assert response.status_code == 404
    assert Contribution.objects.filter(hide_name=True).count() == 0
