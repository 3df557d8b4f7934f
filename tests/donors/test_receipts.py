"""Tax receipts: issued when a campaign keeps its gifts, never for a refunded gift, a
refund after issue cancels the receipt (kept, marked), the PDF carries every field of
Cerfa n° 11580*05, a reward beyond the tolerance is deducted, numbers follow each other
per beneficiary and year."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core import mail
from pypdf import PdfReader

from tests.campaigns.factories import CampaignFactory, RewardFactory
from tests.donors.conftest import ADDRESS, close_now, give, make_settings
from tremplin.campaigns.enums import CampaignState, FundingRule
from tremplin.donors.enums import ReceiptState
from tremplin.donors.models import Receipt, RewardValue
from tremplin.donors.receipt_pdf import render_receipt
from tremplin.donors.receipts import issue_campaign_receipts, reward_deduction
from tremplin.funding.enums import ContributionSource, ContributionState
from tremplin.funding.helpers import OfflineRow
from tremplin.funding.models import Contribution
from tremplin.funding.offline import record_offline, record_offline_refund
from tremplin.payments import services as payments

pytestmark = pytest.mark.django_db(transaction=True)
D = Decimal


def pdf_text(receipt) -> str:
    reader = PdfReader(io.BytesIO(render_receipt(receipt)))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_receipts_are_issued_when_the_campaign_succeeds(campaign, entitled):
    a = give(campaign, "80", email="alice@example.org", name="Alice Martin")
    b = give(campaign, "40", email="bob@example.org", name="Bob Leroy")
    assert not Receipt.objects.exists()  # not while the campaign is live
    mail.outbox.clear()
    close_now(campaign)
    assert campaign.state == CampaignState.SUCCEEDED
    receipts = list(Receipt.objects.order_by("number"))
    assert [(r.contribution_id, r.number, r.amount) for r in receipts] == [
        (a.pk, 1, D("80.00")),
        (b.pk, 2, D("40.00")),
    ]
    assert all(r.state == ReceiptState.ISSUED for r in receipts)
    sent = [m for m in mail.outbox if m.attachments]
    assert sorted(m.to[0] for m in sent) == ["alice@example.org", "bob@example.org"]
    name, content, mimetype = sent[0].attachments[0]
    assert mimetype == "application/pdf" and name.startswith("recu-fiscal-")
    assert "Cerfa n° 11580*05" in "\n".join(
        p.extract_text() for p in PdfReader(io.BytesIO(content)).pages
    )


def test_no_receipt_when_the_campaign_fails(campaign, entitled):
    give(campaign, "20", email="alice@example.org")
    close_now(campaign)
    assert campaign.state == CampaignState.FAILED
    assert not Receipt.objects.exists()
    assert issue_campaign_receipts(campaign).issued == 0


def test_keep_it_all_campaign_issues_its_receipts(organiser):
    from tests.factories import ProgrammeFactory
    from tremplin.calls.enums import ProgrammeState

    programme = ProgrammeFactory(organiser=organiser, state=ProgrammeState.CAMPAIGNS_LIVE)
    campaign = CampaignFactory(
        programme=programme, goal="5000.00", settings__funding_rule=FundingRule.KEEP_IT_ALL
    )
    make_settings(campaign)
    give(campaign, "30", email="alice@example.org")
    close_now(campaign)
    assert campaign.state == CampaignState.CLOSED
    assert Receipt.objects.count() == 1


def test_no_receipt_when_the_beneficiary_is_not_entitled(campaign):
    make_settings(campaign, entitled=False)
    give(campaign, "120", email="alice@example.org")
    close_now(campaign)
    assert campaign.state == CampaignState.SUCCEEDED
    assert not Receipt.objects.exists()


def test_never_for_a_refunded_gift(campaign, entitled):
    kept = give(campaign, "120", email="alice@example.org")
    refunded = give(campaign, "30", email="bob@example.org")
    payments.request_refund(refunded.payments.get())
    refunded.refresh_from_db()
    assert refunded.state == ContributionState.REFUNDED
    close_now(campaign)
    assert list(Receipt.objects.values_list("contribution_id", flat=True)) == [kept.pk]
    # Asking again issues nothing more.
    assert issue_campaign_receipts(campaign).issued == 0


def test_a_refund_after_issue_cancels_the_receipt_which_is_kept(campaign, entitled):
    gift = give(campaign, "120", email="alice@example.org", name="Alice Martin")
    close_now(campaign)
    receipt = Receipt.objects.get(contribution=gift)
    mail.outbox.clear()
    payments.request_refund(gift.payments.get())
    receipt.refresh_from_db()
    assert receipt.state == ReceiptState.CANCELLED and receipt.cancelled_at is not None
    assert receipt.number == 1  # kept, its number used
    assert [
        m.to for m in mail.outbox if "cancel" in m.subject.lower() or "annul" in m.subject.lower()
    ]
    text = pdf_text(receipt)
    assert "REÇU ANNULÉ" in text
    # The next receipt of the year does not reuse the number.
    other = CampaignFactory(programme=campaign.programme, goal="10.00")
    make_settings(other)  # same beneficiary (same RNA number)
    give(other, "15", email="bob@example.org")
    close_now(other)
    assert sorted(Receipt.objects.values_list("number", flat=True)) == [1, 2]


def test_an_offline_refund_cancels_the_receipt_too(campaign, entitled, manager):
    from django.utils import timezone

    give(campaign, "120", email="carla@example.org")
    row = OfflineRow(
        amount=D("50"),
        source=ContributionSource.CHEQUE,
        received_on=timezone.localdate(),
        name="Denis Roche",
        email="denis@example.org",
        reference="chq 1",
    )
    offline = record_offline(campaign, row, user=manager)
    Contribution.objects.filter(pk=offline.pk).update(**ADDRESS)
    close_now(campaign)
    receipt = Receipt.objects.get(contribution=offline)
    assert receipt.payment_method == "cheque"
    offline.refresh_from_db()
    record_offline_refund(offline, user=manager)
    receipt.refresh_from_db()
    assert receipt.state == ReceiptState.CANCELLED


def test_a_late_payment_after_success_gets_its_receipt(campaign, entitled):
    """A checkout opened while live, paid after the close: counted (the money was taken),
    and its receipt issued right after the confirmation commits."""
    from tests.funding.helpers import checkout, pay

    give(campaign, "120", email="alice@example.org")
    pending = checkout(campaign, "20", email="late@example.org")
    Contribution.objects.filter(pk=pending.pk).update(**ADDRESS)
    close_now(campaign)
    assert campaign.state == CampaignState.SUCCEEDED
    assert Receipt.objects.count() == 1
    pay(pending)
    pending.refresh_from_db()
    assert pending.state == ContributionState.CONFIRMED
    receipt = Receipt.objects.get(contribution=pending)
    assert receipt.number == 2


def test_donor_without_address_is_asked_then_issued_when_they_give_it(campaign, entitled):
    from tremplin.donors.space import save_address

    give(campaign, "120", email="alice@example.org", name="Alice Martin", address=False)
    mail.outbox.clear()
    close_now(campaign)
    assert not Receipt.objects.exists()
    asked = [m for m in mail.outbox if m.to == ["alice@example.org"] and "postal" in m.body]
    assert asked and "/contributeurs/lien/" in asked[0].body
    assert save_address("ALICE@example.org", country="FR", **ADDRESS) == 1
    receipt = Receipt.objects.get()
    assert receipt.donor_address == "3 place du Théâtre, 59800 Lille"


def test_the_pdf_carries_every_field(campaign, entitled):
    gift = give(campaign, "1234.56", email="alice@example.org", name="Alice Martin")
    close_now(campaign)
    receipt = Receipt.objects.get(contribution=gift)
    text = pdf_text(receipt)
    year = receipt.issued_at.year
    for expected in [
        "Cerfa n° 11580*05",
        f"Numéro d'ordre du reçu : {year}-00001",
        "Association Les Ateliers du Vélo",
        "W595012345",
        "12 rue de la Clef, 59000 Lille",
        "Promouvoir la réparation des vélos",
        "Alice Martin",
        "3 place du Théâtre, 59800 Lille",
        "1 234,56 €",
        "mille deux cent trente-quatre euros et cinquante-six centimes",
        f"Date du versement ou du don : {gift.confirmed_at.astimezone().strftime('%d/%m')}",
        "200, 238 bis",
        "Forme du don : Déclaration de don manuel",
        "Nature du don : Numéraire",
        "Mode de versement : Virement, prélèvement, carte bancaire",
        "Marie Dupont, présidente",
        "Date d'émission",
    ]:
        assert expected in text, expected


@pytest.mark.parametrize(
    ("gift", "value", "earlier", "amount", "deducted"),
    [
        ("100", "0", "0", "100", False),
        ("100", "25", "0", "100", False),  # a quarter: tolerated
        ("100", "25.01", "0", "74.99", True),  # above a quarter
        ("400", "80", "0", "320", True),  # a fifth, but above the 73 € ceiling
        ("400", "40", "40", "360", True),  # the donor's year goes above the ceiling
        ("400", "40", "33", "400", False),  # exactly at the ceiling
        ("20", "30", "0", "0", True),  # the reward is worth more than the gift
    ],
)
def test_reward_tolerance(gift, value, earlier, amount, deducted):
    assert reward_deduction(D(gift), D(value), D(earlier)) == (D(amount), deducted)


def test_a_reward_above_the_tolerance_is_deducted_on_the_receipt(campaign, entitled):
    reward = RewardFactory(campaign=campaign, min_amount="100.00", title="Vélo remis à neuf")
    RewardValue.objects.create(reward=reward, value=D("60"))
    gift = give(campaign, "150", reward=reward.pk, email="alice@example.org")
    close_now(campaign)
    receipt = Receipt.objects.get(contribution=gift)
    assert (receipt.gift_amount, receipt.reward_value, receipt.amount) == (
        D("150"),
        D("60"),
        D("90"),
    )
    assert receipt.reward_deducted
    text = pdf_text(receipt)
    assert "quatre-vingt-dix euros" in text and "60,00 €" in text


def test_receipt_email_is_sent_once(campaign, entitled):
    from tremplin.donors.tasks import deliver_receipt

    give(campaign, "120", email="alice@example.org")
    close_now(campaign)
    receipt = Receipt.objects.get()
    assert receipt.emailed_at is not None
    assert deliver_receipt(receipt.pk) is False
