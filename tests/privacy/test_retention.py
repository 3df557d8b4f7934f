"""Retention applied: on a clock moved forward, `tremplin retention` deletes exactly what
each rule of the privacy page says, the dry run lists the same, a second run does nothing,
the warning goes a month before (once), a programme's longer period is honoured, and the
privacy page shows the very settings the job reads."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from tests.campaigns.factories import CampaignFactory
from tests.factories import ApplicationFactory, ProgrammeFactory, UserFactory
from tests.privacy.conftest import paid, published_programme
from tremplin.calls.enums import ApplicationState, ProgrammeState
from tremplin.calls.models import Application
from tremplin.campaigns.enums import CampaignState
from tremplin.campaigns.models import Campaign
from tremplin.core.models import User
from tremplin.funding import ledger
from tremplin.funding.models import Contribution
from tremplin.privacy import retention
from tremplin.privacy.erasure import ERASED_TITLE
from tremplin.privacy.models import AccountWarning, ProgrammeRetention

pytestmark = pytest.mark.django_db

YEAR = timedelta(days=366)


def later(years: float, days: int = 0):
    return timezone.now() + timedelta(days=int(365.25 * years) + days)


@pytest.fixture
def world(organiser):
    """A draft of a call closed now, a not-selected application and a laureate's of a
    programme whose results are out now, a contribution to a campaign closed now, an
    account last seen now."""
    now = timezone.now()
    closed = ProgrammeFactory(
        organiser=organiser,
        state=ProgrammeState.RESULTS,
        call_opens_at=now - timedelta(days=60),
        call_closes_at=now - timedelta(days=1),
    )
    draft = ApplicationFactory(programme=closed, state=ApplicationState.DRAFT)
    results = published_programme(organiser, campaigns_end_at=now)
    results.jury.published_at = now
    results.jury.save(update_fields=["published_at"])
    not_selected = ApplicationFactory(
        programme=results, state=ApplicationState.SUBMITTED, submitted_at=now
    )
    campaign = CampaignFactory(
        programme=results, application__programme=results, state=CampaignState.SUCCEEDED
    )
    campaign_closed = CampaignFactory(closed_at=now)
    contribution = paid(campaign_closed, "20", name="Old Donor", email="old@example.org")
    Campaign.objects.filter(pk=campaign_closed.pk).update(state=CampaignState.SUCCEEDED)
    sleeper = UserFactory(last_login=now)
    return {
        "draft": draft,
        "not_selected": not_selected,
        "laureate": campaign.application,
        "contribution": contribution,
        "sleeper": sleeper,
        "closed": closed,
        "results": results,
    }


def counts(report):
    return {k: v for k, v in report.counts().items() if v}


def test_nothing_goes_today(world):
    assert counts(retention.apply()) == {}


def test_each_rule_at_its_period_and_the_dry_run_lists_the_same(world):
    # One year and a day later: the drafts of the closed call go, nothing else.
    at = later(1, 2)
    dry = retention.apply(at, dry_run=True)
    assert counts(dry) == {"drafts": 1}
    assert Application.objects.filter(pk=world["draft"].pk).exists()  # dry: nothing changed
    done = retention.apply(at)
    assert done.items == dry.items
    assert not Application.objects.filter(pk=world["draft"].pk).exists()
    assert counts(retention.apply(at)) == {}  # idempotent

    # Two years after the results: the application not selected is erased.
    at = later(2, 2)
    dry = retention.apply(at, dry_run=True)
    assert counts(dry) == {"not_selected": 1}
    done = retention.apply(at)
    assert done.items == dry.items
    erased = Application.objects.get(pk=world["not_selected"].pk)
    assert erased.title == ERASED_TITLE and erased.maker_name == "" and erased.description == ""
    assert counts(retention.apply(at)) == {}

    # Three years after the last sign-in: every account (the sleeper's and the makers',
    # never signed in since they joined) warned a month before, then erased.
    users = User.objects.count()
    at = later(3, -25)
    dry = retention.apply(at, dry_run=True)
    assert counts(dry) == {"account_warnings": users}
    assert retention.apply(at).items == dry.items
    assert counts(retention.apply(at)) == {}
    at = later(3, 10)
    dry = retention.apply(at, dry_run=True)
    assert counts(dry) == {"accounts": users}
    assert f"account {world['sleeper'].pk}" in dry.items["accounts"]
    assert retention.apply(at).items == dry.items
    assert not User.objects.filter(pk=world["sleeper"].pk).exists()
    assert counts(retention.apply(at)) == {}

    # Ten years: the laureate's application and the contributor's identity.
    at = later(10, 2)
    dry = retention.apply(at, dry_run=True)
    assert dry.counts()["laureates"] == 1 and dry.counts()["contributions"] == 1
    done = retention.apply(at)
    assert done.items == dry.items
    laureate = Application.objects.get(pk=world["laureate"].pk)
    assert laureate.maker_name == "" and laureate.title != ERASED_TITLE
    contribution = Contribution.objects.get(pk=world["contribution"].pk)
    assert contribution.name == "" and contribution.email == "" and contribution.amount == 20
    assert ledger.audit().clean
    again = retention.apply(at)
    assert not again.counts()["laureates"] and not again.counts()["contributions"]


def test_the_account_is_warned_once_a_month_before(world, django_capture_on_commit_callbacks):
    sleeper = world["sleeper"]
    before = later(3, -40)
    assert "account_warnings" not in counts(retention.apply(before))
    at = later(3, -25)  # within the month before the deletion
    with django_capture_on_commit_callbacks(execute=True):
        report = retention.apply(at)
    assert counts(report)["account_warnings"] >= 1
    warned = [m for m in mail.outbox if m.to == [sleeper.email]]
    assert len(warned) == 1
    with django_capture_on_commit_callbacks(execute=True):
        retention.apply(at + timedelta(days=1))
    assert len([m for m in mail.outbox if m.to == [sleeper.email]]) == 1  # once
    # not deleted before the warning's month is over
    retention.apply(at + timedelta(days=20))
    assert User.objects.filter(pk=sleeper.pk).exists()
    retention.apply(at + timedelta(days=31))
    assert not User.objects.filter(pk=sleeper.pk).exists()


def test_signing_in_again_starts_the_clock_again(world):
    sleeper = world["sleeper"]
    retention.apply(later(3, -25))
    assert AccountWarning.objects.filter(user=sleeper).exists()
    User.objects.filter(pk=sleeper.pk).update(last_login=later(3, -20))
    retention.apply(later(3, 10))
    assert User.objects.filter(pk=sleeper.pk).exists()


def test_an_account_whose_erasure_is_refused_is_kept_and_reported(world):
    sleeper = world["sleeper"]
    ApplicationFactory(
        maker=sleeper,
        state=ApplicationState.SUBMITTED,
        programme=ProgrammeFactory(state=ProgrammeState.JURY),
    )
    retention.apply(later(3, -25))
    report = retention.apply(later(3, 10))
    assert any(str(sleeper.pk) in k for k in report.kept)
    assert User.objects.filter(pk=sleeper.pk).exists()


def test_a_programme_may_keep_its_applications_longer(world):
    ProgrammeRetention.objects.create(programme=world["closed"], draft_years=3)
    assert "drafts" not in counts(retention.apply(later(2, 2)))
    assert counts(retention.apply(later(3, 2), dry_run=True)).get("drafts") == 1


def test_the_command_prints_by_rule_and_the_dry_run_changes_nothing(world, monkeypatch):
    at = later(1, 2)
    monkeypatch.setattr(retention.timezone, "now", lambda: at)
    out = StringIO()
    call_command("retention", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "dry run" in text and "- drafts (draft applications never submitted): 1" in text
    assert f"would: application {world['draft'].pk}" in text
    assert Application.objects.filter(pk=world["draft"].pk).exists()
    out = StringIO()
    call_command("retention", stdout=out)
    assert f"did: application {world['draft'].pk}" in out.getvalue()
    assert not Application.objects.filter(pk=world["draft"].pk).exists()


def test_the_privacy_page_states_the_settings_the_job_applies(client, settings):
    settings.RETENTION_NOT_SELECTED_YEARS = 4
    settings.RETENTION_ACCOUNT_YEARS = 5
    page = client.get("/confidentialite/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "kept for 4 years after the results are published" in page
    assert "or 5 years after your last sign-in" in page
    assert "contributors' space" in page
    assert retention.periods()["not_selected_years"] == 4


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (threads)")
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_warn_once():
    from tests.concurrency import run_together

    user = UserFactory(last_login=timezone.now())
    at = later(3, -25)
    outcomes = run_together(2, lambda i: retention.apply(at).counts()["account_warnings"])
    assert sorted(outcomes) == [0, 1]
    assert AccountWarning.objects.filter(user=user).count() == 1
