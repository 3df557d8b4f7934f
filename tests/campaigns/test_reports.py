"""Reports of public comments (issue #9, "abuse without an account"): anonymous reports
only flag a comment for its moderators; only distinct signed-in reporters hide it; one
report per account, one per address for anonymous visitors; rate limits per address and
per account in the shared cache; the maker and the organiser are told once per comment."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.campaigns.factories import CommentFactory
from tests.factories import UserFactory
from tremplin.campaigns import reporting
from tremplin.campaigns.enums import CommentState
from tremplin.campaigns.models import CommentReport
from tremplin.core.models import AuditLog

pytestmark = pytest.mark.django_db


def visitor(user=None, address: str = "198.51.100.7") -> Client:
    """A fresh cookie jar, from ``address``."""
    browser = Client(HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR=address)
    if user is not None:
        browser.force_login(user)
    return browser


def report_url(comment) -> str:
    return reverse("campaigns:report_comment", args=[comment.campaign.slug, comment.pk])


@pytest.fixture
def comment(world):
    return CommentFactory(campaign=world.campaign, body="Un avis tranché")


def test_anonymous_reports_from_many_jars_and_addresses_only_flag(world, comment):
    """Three (or ten) anonymous reports never hide a comment: it is flagged for review."""
    for n in range(10):
        assert visitor(address=f"203.0.113.{n}").post(report_url(comment)).status_code == 302
    comment.refresh_from_db()
    assert (comment.state, comment.report_count) == (CommentState.VISIBLE, 10)
    assert not CommentReport.objects.filter(user__isnull=False).exists()
    detail = reverse(
        "campaigns_manage:detail", args=[world.campaign.programme.organiser.slug, "atelier-velo"]
    )
    html = visitor(world.manager).get(detail).content.decode()
    moderation = html.split('id="moderation"')[1]
    assert "Un avis tranché" in moderation and "10 reports" in moderation


def test_one_anonymous_report_per_address_whatever_the_cookie_jar(comment):
    for _ in range(3):
        visitor(address="203.0.113.9").post(report_url(comment))
    comment.refresh_from_db()
    assert comment.report_count == 1
    assert CommentReport.objects.count() == 1
    stored = CommentReport.objects.get().address_hash
    assert "203.0.113.9" not in stored and len(stored) == 64


def test_distinct_signed_in_reporters_hide_it_and_twice_counts_once(world, comment):
    first = UserFactory()
    for address in ("203.0.113.1", "203.0.113.2"):
        visitor(first, address).post(report_url(comment))  # one report per account
    visitor(address="203.0.113.3").post(report_url(comment))  # anonymous: a flag only
    visitor(UserFactory(), "203.0.113.4").post(report_url(comment))
    comment.refresh_from_db()
    assert (comment.state, comment.report_count) == (CommentState.VISIBLE, 3)
    visitor(UserFactory(), "203.0.113.5").post(report_url(comment))
    comment.refresh_from_db()
    assert (comment.state, comment.report_count) == (CommentState.HIDDEN, 4)
    assert AuditLog.objects.filter(action="tremplin.campaign.comment_auto_hidden").count() == 1
    assert AuditLog.objects.filter(action="tremplin.campaign.comment_reported").count() == 3


def test_a_comment_a_moderator_showed_again_is_not_hidden_again(world, comment):
    from tremplin.campaigns import community

    for _ in range(3):
        reporting.report_comment(comment, user=UserFactory(), address="203.0.113.1")
    assert comment.state == CommentState.HIDDEN
    community.hide_comment(comment, user=world.maker, hidden=False)
    for _ in range(3):
        reporting.report_comment(comment, user=UserFactory(), address="203.0.113.1")
    assert comment.state == CommentState.VISIBLE


def test_the_maker_and_the_organiser_are_told_once_per_comment(
    world, comment, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        visitor(address="203.0.113.1").post(report_url(comment))
    recipients = sorted(to for m in mail.outbox for to in m.to)
    assert recipients == sorted([world.maker.email, world.manager.email])
    assert all("Un avis tranché" in m.body for m in mail.outbox)
    organiser_mail = next(m for m in mail.outbox if m.to == [world.manager.email])
    assert "#moderation" in organiser_mail.body
    maker_mail = next(m for m in mail.outbox if m.to == [world.maker.email])
    assert reverse("campaigns:backstage", args=[world.campaign.slug]) in maker_mail.body
    assert world.viewer.email not in recipients  # a viewer does not moderate
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            visitor(UserFactory(), f"203.0.113.{n + 10}").post(report_url(comment))
    comment.refresh_from_db()
    assert comment.state == CommentState.HIDDEN
    assert mail.outbox == []  # once per comment


def test_reports_are_rate_limited_per_address(world):
    comments = [CommentFactory(campaign=world.campaign) for _ in range(12)]
    statuses = [visitor(address="203.0.113.77").post(report_url(c)).status_code for c in comments]
    assert statuses[: reporting.REPORTS_PER_ADDRESS] == [302] * reporting.REPORTS_PER_ADDRESS
    assert statuses[reporting.REPORTS_PER_ADDRESS :] == [429, 429]
    assert CommentReport.objects.count() == reporting.REPORTS_PER_ADDRESS
    refused = visitor(address="203.0.113.77").post(report_url(comments[-1]))
    assert "too many reports" in refused.content.decode()
    # another address is not held back
    assert visitor(address="203.0.113.78").post(report_url(comments[-1])).status_code == 302


def test_reports_are_rate_limited_per_account(world):
    user = UserFactory()
    comments = [CommentFactory(campaign=world.campaign) for _ in range(11)]
    statuses = [
        visitor(user, address=f"203.0.113.{n}").post(report_url(c)).status_code
        for n, c in enumerate(comments)
    ]
    assert statuses == [302] * reporting.REPORTS_PER_ACCOUNT + [429]
    assert CommentReport.objects.filter(user=user).count() == reporting.REPORTS_PER_ACCOUNT


def test_the_rate_limit_counts_per_scope_and_identity():
    from tremplin.core.ratelimit import allow

    assert [allow("report-test", "k", limit=2, window=60) for _ in range(3)] == [
        True,
        True,
        False,
    ]
    assert allow("report-test", "another", limit=2, window=60)
