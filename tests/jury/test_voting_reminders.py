"""Reminders 3 days and 1 day before a jury closes, to the members whose ballot is not
submitted, in their language; claimed once per jury, whatever runs them and how often."""

from __future__ import annotations

import threading
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connections
from django.template.defaultfilters import date as date_filter
from django.utils import timezone, translation

from tests.jury.juror_world import build_world, on_postgres
from tremplin.calls.enums import ProgrammeState
from tremplin.core.models import AuditLog
from tremplin.jury import voting
from tremplin.jury.enums import BallotScope
from tremplin.jury.models import Jury
from tremplin.jury.tasks import remind_jurors, send_jury_reminders

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(organiser, other_organiser):
    return build_world(organiser, other_organiser)


def closes_in(world, delta: timedelta) -> None:
    Jury.objects.filter(pk=world.jury.pk).update(closes_at=timezone.now() + delta)
    world.jury.refresh_from_db()


def submit_for(world, user) -> None:
    ballot = voting.ballot_for(world.jury, user)
    voting.set_pick(ballot, world.candidates[0], True, user=user)
    voting.submit_ballot(ballot, user=user)


def run(capture, now=None) -> int:
    with capture(execute=True):
        return remind_jurors(now)


def recipients() -> list[str]:
    return sorted(message.to[0] for message in mail.outbox)


def test_three_days_before_only_those_who_have_not_submitted_once(
    world, django_capture_on_commit_callbacks
):
    submit_for(world, world.carol)
    closes_in(world, timedelta(days=2, hours=12))
    assert run(django_capture_on_commit_callbacks) == 2
    assert recipients() == sorted([world.alice.email, world.bob.email])
    world.jury.refresh_from_db()
    assert world.jury.reminder_3d_sent_at is not None and world.jury.reminder_1d_sent_at is None
    assert run(django_capture_on_commit_callbacks) == 0  # twice: nothing more
    assert len(mail.outbox) == 2
    entry = AuditLog.objects.get(action="tremplin.jury.reminder_sent")
    assert entry.data == {"days": 3, "count": 2}


def test_the_reminder_is_in_the_members_language(world, django_capture_on_commit_callbacks):
    closes_in(world, timedelta(days=2))
    run(django_capture_on_commit_callbacks)
    by_recipient = {message.to[0]: message for message in mail.outbox}
    alice = by_recipient[world.alice.email]  # language "en"
    bob = by_recipient[world.bob.email]  # language "fr"
    moment = timezone.localtime(world.jury.closes_at)
    with translation.override("en"):
        english_date = date_filter(moment, "j F Y")
    with translation.override("fr"):
        french_date = date_filter(moment, "j F Y")
    assert english_date in alice.body and english_date in alice.alternatives[0][0]
    assert french_date in bob.body
    assert alice.subject == "3 days left to submit your ballot: jury of MEL Makers 2019"
    assert "/jury/mel-makers-2019/" in alice.body
    assert "The ballot of Lille Makers for the jury of MEL Makers 2019" in alice.body
    assert "(Paris time)" in alice.body


def test_one_day_before_a_second_reminder(world, django_capture_on_commit_callbacks):
    closes_in(world, timedelta(days=2))
    run(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 3
    submit_for(world, world.alice)  # partner A submits in between: alice and bob are done
    mail.outbox.clear()
    later = timezone.now() + timedelta(days=1, hours=6)
    assert run(django_capture_on_commit_callbacks, later) == 1
    assert recipients() == [world.carol.email]
    # carol reads French
    assert mail.outbox[0].subject == (
        "Dernier jour pour soumettre votre bulletin : jury de MEL Makers 2019"
    )
    assert run(django_capture_on_commit_callbacks, later) == 0
    assert len(mail.outbox) == 1


def test_a_jury_already_within_a_day_gets_one_reminder_not_two(
    world, django_capture_on_commit_callbacks
):
    closes_in(world, timedelta(hours=20))
    assert run(django_capture_on_commit_callbacks) == 3
    assert all(message.subject.startswith(("Last day", "Dernier jour")) for message in mail.outbox)
    world.jury.refresh_from_db()
    assert world.jury.reminder_1d_sent_at and world.jury.reminder_3d_sent_at
    assert run(django_capture_on_commit_callbacks) == 0


@pytest.mark.parametrize("case", ["too_early", "not_open", "closed", "past", "screening"])
def test_no_reminder_when_not_due(world, case, django_capture_on_commit_callbacks):
    closes_in(world, timedelta(days=2))
    if case == "too_early":
        closes_in(world, timedelta(days=4))
    elif case == "not_open":
        Jury.objects.filter(pk=world.jury.pk).update(opens_at=timezone.now() + timedelta(days=1))
    elif case == "closed":
        Jury.objects.filter(pk=world.jury.pk).update(closed_at=timezone.now())
    elif case == "past":
        closes_in(world, -timedelta(hours=1))
    else:
        world.programme.state = ProgrammeState.SCREENING
        world.programme.save()
    assert run(django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []
    world.jury.refresh_from_db()
    assert world.jury.reminder_3d_sent_at is None


def test_member_scope_reminds_each_member_without_a_submitted_ballot(
    world, django_capture_on_commit_callbacks
):
    Jury.objects.filter(pk=world.jury.pk).update(ballot_scope=BallotScope.MEMBER)
    world.jury.refresh_from_db()
    submit_for(world, world.bob)
    closes_in(world, timedelta(days=2))
    run(django_capture_on_commit_callbacks)
    assert recipients() == sorted([world.alice.email, world.carol.email])
    assert "Your ballot for the jury of MEL Makers 2019" in mail.outbox[0].body


def test_the_command_runs_it_and_says_how_many(world, django_capture_on_commit_callbacks):
    closes_in(world, timedelta(days=2))
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("jury-reminders", stdout=out)
    assert "3 jury reminder(s) queued" in out.getvalue()
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("jury-reminders", stdout=out)
    assert "0 jury reminder(s) queued" in out.getvalue()
    assert len(mail.outbox) == 3


def test_the_command_can_enqueue_the_task(world, django_capture_on_commit_callbacks):
    closes_in(world, timedelta(days=2))
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("jury-reminders", "--enqueue", stdout=out)
    assert "Queued the jury reminders task" in out.getvalue()
    assert len(mail.outbox) == 3  # the test settings run tasks immediately


def test_the_task_is_a_django_task(world):
    assert send_jury_reminders.call() == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
@on_postgres
def test_two_workers_at_once_send_each_reminder_once(organiser, other_organiser):
    jury_world = build_world(organiser, other_organiser)
    closes_in(jury_world, timedelta(days=2))
    barrier = threading.Barrier(2)
    counts: list[int] = []

    def worker():
        try:
            barrier.wait(timeout=10)
            counts.append(remind_jurors())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(counts) == [0, 3]
    assert len(mail.outbox) == 3
