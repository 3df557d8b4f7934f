"""The demo's receipts: the 2019 laureate association issued its receipts when its
campaign succeeded (numbered from 1, dated 2019, with the yearly summary), the live winter
campaign is carried by an association entitled to receipts, and a demo contributor's link
opens their space."""

from __future__ import annotations

import pytest

from tremplin.donors.beneficiary import yearly_summary
from tremplin.donors.models import Receipt, ReceiptSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    from tremplin.demo.load import load_demo

    load_demo()


def test_the_2019_laureate_issued_its_receipts(demo):
    from tremplin.demo.donors import laureate_2019

    campaign = laureate_2019()
    receipts = Receipt.objects.filter(contribution__campaign=campaign).order_by("number")
    numbers = list(receipts.values_list("number", flat=True))
    assert numbers and numbers == list(range(1, len(numbers) + 1))
    assert {r.year for r in receipts} == {2019}
    assert all(r.issued_at == campaign.closed_at for r in receipts)
    lines = yearly_summary(campaign.programme.organiser, 2019)
    assert [line.receipts for line in lines] == [len(numbers)]
    assert lines[0].total == sum(r.amount for r in receipts)


def test_the_winter_campaign_is_carried_by_an_entitled_association(demo):
    from tremplin.demo.donors import WINTER_CAMPAIGN

    rs = ReceiptSettings.objects.get(campaign__slug=WINTER_CAMPAIGN)
    assert rs.entitled and rs.campaign.state == "live"
    assert not Receipt.objects.filter(contribution__campaign=rs.campaign).exists()


def test_the_printed_link_opens_the_demo_contributors_space(demo, client):
    from tremplin.demo.donors import contributor_space_lines, demo_contributor_email

    email = demo_contributor_email()
    lines = contributor_space_lines("http://127.0.0.1:8000/")
    path = lines[-1].strip().removeprefix("http://127.0.0.1:8000")
    response = client.get(path)
    assert response.status_code == 200
    assert email[0] + "•" in response.content.decode()
