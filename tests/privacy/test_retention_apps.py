"""Retention of the newer apps' data, on a clock moved forward: the donor's identity on a
tax receipt goes once its accounting period is over (ten years from the end of the year of
the gift), the contributors' space's codes a day after they expired, the registrations of
people without an account a year after their workshop; the dry run lists the same, a
second run does nothing."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from tests.campaigns.factories import CampaignFactory
from tests.factories import UserFactory
from tests.privacy.builders import donors, registrations
from tests.privacy.conftest import MARK, paid
from tremplin.coaching.models import WorkshopRegistration
from tremplin.donors.models import Receipt, SpaceCode
from tremplin.funding import ledger
from tremplin.privacy import retention

pytestmark = pytest.mark.django_db


def counts(report):
    return {k: v for k, v in report.counts().items() if v}


@pytest.fixture
def world(organiser):
    user = UserFactory(email=f"{MARK}@example.org")
    built = donors(user, user.email, MARK, paid)
    built.update(registrations(user, user.email, MARK, organiser, CampaignFactory()))
    return built


def test_nothing_goes_today(world):
    # the code of today is still alive, the registrations are recent, the receipt new
    assert counts(retention.apply()) == {}


def test_a_code_goes_a_day_after_it_expired(world):
    at = timezone.now() + timedelta(days=2)
    dry = retention.apply(at, dry_run=True)
    assert counts(dry) == {"space_codes": 1}
    assert SpaceCode.objects.count() == 1
    assert counts(retention.apply(at)) == {"space_codes": 1}
    assert not SpaceCode.objects.exists()
    assert counts(retention.apply(at)) == {}


def test_registrations_without_an_account_go_a_year_after_the_workshop(world):
    # the past workshop (30 days ago) has the account's registration; the one to come
    # (in a week) the place held signed out and the person waiting
    at = timezone.now() + timedelta(days=400)
    dry = retention.apply(at, dry_run=True)
    assert dry.counts()["workshop_registrations"] == 2
    report = retention.apply(at)
    assert report.counts()["workshop_registrations"] == 2
    left = WorkshopRegistration.objects.get()
    assert left.pk == world["registration"].pk and left.user_id  # goes with the account
    assert retention.apply(at).counts()["workshop_registrations"] == 0


def test_the_donor_identity_on_a_receipt_goes_after_the_accounting_period(world):
    receipt = world["receipt"]
    year = receipt.year
    # still in its tenth year after the end of the year of the gift: kept
    end = datetime(year + 10, 12, 31, 12, tzinfo=timezone.get_current_timezone())
    assert retention.apply(end, dry_run=True).counts()["receipts"] == 0
    after = datetime(year + 11, 1, 2, 12, tzinfo=timezone.get_current_timezone())
    assert retention.apply(after, dry_run=True).counts()["receipts"] == 1
    assert retention.apply(after).counts()["receipts"] == 1
    kept = Receipt.objects.get(pk=receipt.pk)
    assert (kept.donor_name, kept.donor_address, kept.donor_email) == ("", "", "")
    assert (kept.number, kept.amount) == (receipt.number, receipt.amount)  # the record stays
    assert retention.apply(after).counts()["receipts"] == 0
    assert ledger.audit().clean


def test_past_editions_makers_names_go_when_a_laureates_would(organiser, settings):
    from datetime import date

    from tests.privacy.builders import past_edition
    from tremplin.tracking.models import PastCampaign

    settings.RETENTION_LAUREATE_YEARS = 10
    _edition, past = past_edition(organiser, end=date(2019, 6, 30))
    tz = timezone.get_current_timezone()
    assert retention.apply(datetime(2029, 6, 29, 12, tzinfo=tz)).counts()["past_makers"] == 0
    at = datetime(2029, 7, 2, 12, tzinfo=tz)
    assert retention.apply(at, dry_run=True).counts()["past_makers"] == 1
    assert retention.apply(at).counts()["past_makers"] == 1
    kept = PastCampaign.objects.get(pk=past.pk)
    assert kept.maker == "" and (kept.title, str(kept.raised)) == ("La recyclerie", "3400.00")
    assert retention.apply(at).counts()["past_makers"] == 0
