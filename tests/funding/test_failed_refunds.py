"""A refund the provider refused for good is no dead end: the organiser retries it (the
same idempotency key: the provider refunds at most once) or records it as given back
outside the platform (reason, reference, who, when: logged), and the campaign can then be
settled. The ledger counts money given back outside as refunded."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.funding.helpers import contribute
from tremplin.campaigns import clock
from tremplin.campaigns.enums import CampaignState
from tremplin.campaigns.models import Campaign
from tremplin.core.models import AuditLog
from tremplin.funding import settlement
from tremplin.funding.enums import ContributionState
from tremplin.funding.ledger import audit
from tremplin.payments.enums import RefundState
from tremplin.payments.models import Refund
from tremplin.payments.providers.base import refund_idempotency_key
from tremplin.payments.refund_recovery import record_refund_outside, retry_refund
from tremplin.payments.services import PaymentError
from tremplin.sandbox.models import ChargeState, SandboxCharge

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def failed(campaign, django_capture_on_commit_callbacks):
    """A failed campaign: Alice's refund done, Bob's refused for good (the sandbox does not
    know his charge: "no_such_charge")."""
    contribute(campaign, "40", name="Alice", email="alice@example.org")
    bob = contribute(campaign, "25", name="Bob", email="bob@example.org")
    charge = SandboxCharge.objects.get(public_id=bob.payments.get().provider_reference)
    saved = {f.name: getattr(charge, f.name) for f in SandboxCharge._meta.concrete_fields}
    charge.delete()
    Campaign.objects.filter(pk=campaign.pk).update(ends_at=timezone.now() - timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert clock.close(campaign.pk)
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.FAILED
    refund = Refund.objects.get(payment__contribution=bob)
    assert refund.state == RefundState.FAILED
    assert "no_such_charge" in refund.last_error
    return campaign, refund, saved


def _urls(organiser, campaign, refund):
    args = [organiser.slug, campaign.slug, refund.pk]
    return (
        reverse("funding_manage:refund_retry", args=args),
        reverse("funding_manage:refund_outside", args=args),
        reverse("funding_manage:statement", args=[organiser.slug, campaign.slug]),
    )


def test_a_failed_refund_blocks_the_settlement_and_is_shown_with_its_actions(
    failed, client_for, manager, viewer, organiser
):
    campaign, refund, _saved = failed
    statement = settlement.statement(campaign)
    assert not statement.can_settle
    assert statement.failed_refunds == [refund]
    retry_url, outside_url, statement_url = _urls(organiser, campaign, refund)
    page = client_for(manager).get(statement_url).content.decode()
    assert retry_url in page and outside_url in page
    assert "Retry the refund of Bob" in page
    seen_by_viewer = client_for(viewer).get(statement_url).content.decode()
    assert "Bob" in seen_by_viewer and retry_url not in seen_by_viewer


def test_retry_sends_the_same_idempotency_key_and_settles(
    failed, client_for, manager, organiser, django_capture_on_commit_callbacks
):
    campaign, refund, saved = failed
    SandboxCharge.objects.create(**saved)  # the payment service knows the charge again
    retry_url, _outside, _statement = _urls(organiser, campaign, refund)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(manager).post(retry_url)
    assert response.status_code == 302
    refund.refresh_from_db()
    assert refund.state == RefundState.DONE
    charge = SandboxCharge.objects.get(public_id=saved["public_id"])
    assert charge.state == ChargeState.REFUNDED
    assert list(charge.refund_keys) == [refund_idempotency_key(refund)]
    assert AuditLog.objects.filter(action="tremplin.refund.retried").count() == 1
    assert (
        refund.payment.contribution.__class__.objects.get(pk=refund.payment.contribution_id).state
        == ContributionState.REFUNDED
    )
    assert settlement.statement(campaign).can_settle
    assert audit().clean


def test_retry_of_a_refund_that_fails_again_is_failed_again(
    failed, manager, django_capture_on_commit_callbacks
):
    _campaign, refund, _saved = failed
    with django_capture_on_commit_callbacks(execute=True):
        retry_refund(refund.pk, user=manager)
    refund.refresh_from_db()
    assert refund.state == RefundState.FAILED
    assert refund.attempts == 1


def test_only_a_failed_refund_is_retried_or_recorded(failed, manager):
    campaign, _refund, _saved = failed
    done = Refund.objects.get(payment__contribution__campaign=campaign, state=RefundState.DONE)
    with pytest.raises(PaymentError):
        retry_refund(done.pk, user=manager)
    with pytest.raises(PaymentError):
        record_refund_outside(done.pk, user=manager, reason="x", reference="y")
    done.refresh_from_db()
    assert done.state == RefundState.DONE


def test_record_outside_counts_as_refunded_and_settles(failed, client_for, manager, organiser):
    campaign, refund, _saved = failed
    _retry, outside_url, statement_url = _urls(organiser, campaign, refund)
    client = client_for(manager)
    assert client.get(outside_url).status_code == 200
    response = client.post(
        outside_url, {"reason": "Card expired: paid back by transfer", "reference": "VIR-2026-17"}
    )
    assert response.status_code == 302
    refund.refresh_from_db()
    assert refund.state == RefundState.OUTSIDE
    assert refund.recorded_by == manager
    assert refund.outside_reference == "VIR-2026-17"
    assert refund.done_at is not None
    contribution = refund.payment.contribution
    contribution.refresh_from_db()
    assert contribution.state == ContributionState.REFUNDED
    campaign.refresh_from_db()
    assert campaign.raised_amount == D("0.00")
    entry = AuditLog.objects.get(action="tremplin.refund.recorded_outside")
    assert entry.user == manager
    assert entry.data["reference"] == "VIR-2026-17"
    statement = settlement.statement(campaign)
    assert statement.refunds_outside_count == 1
    assert statement.refunds_outside_amount == D("25.00")
    assert statement.can_settle
    report = audit()
    assert report.clean, [str(p) for p in report.problems]
    page = client.get(statement_url).content.decode()
    assert "Refunds made outside the platform" in page
    assert client.post(reverse("funding_manage:settle", args=[organiser.slug, campaign.slug]))
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.SETTLED
    # Recorded once: a second record is refused and changes nothing.
    assert client.post(outside_url, {"reason": "again", "reference": "X"}).status_code == 400
    assert AuditLog.objects.filter(action="tremplin.refund.recorded_outside").count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"reason": "", "reference": ""},
        {"reason": "   ", "reference": "VIR-1"},
        {"reason": "Transfer", "reference": ""},
        {"reason": "x" * 501, "reference": "VIR-1"},
        {"reason": "Transfer", "reference": "r" * 101},
        {"reason": "Trans\x00fer", "reference": "VIR-1"},
        {"reason": "Transfer", "reference": "VIR\x00-1"},
        {"reason": "x" * 200_000, "reference": "y" * 200_000},
    ],
)
def test_bad_input_is_refused_and_changes_nothing(failed, client_for, manager, organiser, data):
    campaign, refund, _saved = failed
    _retry, outside_url, _statement = _urls(organiser, campaign, refund)
    response = client_for(manager).post(outside_url, data)
    assert response.status_code == 400
    refund.refresh_from_db()
    assert refund.state == RefundState.FAILED
    assert not AuditLog.objects.filter(action="tremplin.refund.recorded_outside").exists()


def test_markup_is_kept_as_text(failed, client_for, manager, organiser):
    campaign, refund, _saved = failed
    _retry, outside_url, statement_url = _urls(organiser, campaign, refund)
    client = client_for(manager)
    markup = '<script>alert("x")</script><b>virement</b>'
    assert client.post(outside_url, {"reason": markup, "reference": "<i>R</i>"}).status_code == 302
    refund.refresh_from_db()
    assert refund.outside_reason == markup
    page = client.get(statement_url).content.decode()
    assert "<script>alert" not in page and "<i>R</i>" not in page


def test_permissions(failed, client_for, viewer, other_manager, organiser):
    campaign, refund, _saved = failed
    retry_url, outside_url, _statement = _urls(organiser, campaign, refund)
    as_viewer = client_for(viewer)
    assert as_viewer.post(retry_url).status_code == 403
    assert as_viewer.get(outside_url).status_code == 403
    assert as_viewer.post(outside_url, {"reason": "a", "reference": "b"}).status_code == 403
    stranger = client_for(other_manager)
    assert stranger.post(retry_url).status_code == 404
    assert stranger.post(outside_url, {"reason": "a", "reference": "b"}).status_code == 404
    refund.refresh_from_db()
    assert refund.state == RefundState.FAILED


def test_a_refund_of_another_campaign_is_not_found(failed, client_for, manager, organiser):
    from tests.campaigns.factories import CampaignFactory

    campaign, refund, _saved = failed
    other = CampaignFactory(programme=campaign.programme, slug="autre")
    url = reverse("funding_manage:refund_retry", args=[organiser.slug, other.slug, refund.pk])
    assert client_for(manager).post(url).status_code == 404


def test_the_audit_actions_have_french_labels():
    from django.utils import translation

    from tremplin.core.audit import action_label

    with translation.override("fr"):
        assert action_label("tremplin.refund.retried") != "Failed refund retried by the organiser"
        assert (
            action_label("tremplin.refund.recorded_outside")
            != "Refund recorded as made outside the platform"
        )
