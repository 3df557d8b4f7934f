"""Signed-in visitors reporting one comment at the same moment: the comment's row is locked
first, so that the reporter who makes the count reach the threshold always sees it and
the comment is hidden. PostgreSQL only (on SQLite every write transaction is serialised
anyway)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from tests.campaigns.factories import CommentFactory
from tests.factories import UserFactory
from tremplin.campaigns import reporting
from tremplin.campaigns.enums import CommentState
from tremplin.campaigns.models import CommentReport

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


def test_simultaneous_signed_in_reports_hide_the_comment(live_programme):
    comment = CommentFactory(campaign__programme=live_programme)
    users = [UserFactory() for _ in range(reporting.AUTO_HIDE_REPORTERS)]
    barrier = threading.Barrier(len(users))
    errors: list[BaseException] = []

    def report(user):
        try:
            barrier.wait(timeout=10)
            reporting.report_comment(comment, user=user, address="203.0.113.1")
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=report, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    comment.refresh_from_db()
    assert CommentReport.objects.filter(comment=comment).count() == len(users)
    assert (comment.report_count, comment.state) == (len(users), CommentState.HIDDEN)
