"""K favourites are never exceeded, even when the members of a partner click at the same
moment: the ballot row is locked (SELECT ... FOR UPDATE) for every change.

Runs on PostgreSQL only (on SQLite every write transaction is serialised anyway:
BEGIN IMMEDIATE). The second test removes the lock and shows the over-count it prevents."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections

from tests.jury.juror_world import build_world, on_postgres
from tremplin.jury import errors, voting
from tremplin.jury.models import Ballot, Pick

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres, on_postgres]

THREADS = 4


def race(world, ballot, applications, users) -> list[str]:
    """Every thread picks its own application at the same moment; the outcome of each."""
    barrier = threading.Barrier(len(applications))
    outcomes: list[str] = []

    def pick(application, user):
        try:
            barrier.wait(timeout=10)
            voting.set_pick(ballot, application, True, user=user)
            outcomes.append("picked")
        except errors.VotingError as error:
            outcomes.append(error.code)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=pick, args=(application, users[i % len(users)]))
        for i, application in enumerate(applications)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.fixture
def concurrent_world(organiser, other_organiser):
    world = build_world(organiser, other_organiser, max_picks=2)
    return world


def slow_lock(real):
    """The real lock, held a little longer, so that every thread is waiting on it."""

    def lock(ballot):
        locked = real(ballot)
        time.sleep(0.05)
        return locked

    return lock


def test_k_is_never_exceeded_under_concurrent_picks(concurrent_world, monkeypatch):
    world = concurrent_world
    assert connection.vendor == "postgresql"
    ballot = voting.ballot_for(world.jury, world.alice)
    monkeypatch.setattr(voting, "_lock_ballot", slow_lock(voting._lock_ballot))
    outcomes = race(world, ballot, world.candidates[:THREADS], [world.alice, world.bob])
    assert sorted(outcomes) == ["picked", "picked", "too_many", "too_many"]
    assert Pick.objects.filter(ballot=ballot).count() == 2


def test_without_the_lock_the_race_over_counts(concurrent_world, monkeypatch):
    """The same race with the lock removed: every thread counts the picks before any has
    written, so the ballot ends up with more than K favourites. This is what the lock is
    for."""
    world = concurrent_world
    ballot = voting.ballot_for(world.jury, world.alice)
    barrier = threading.Barrier(THREADS)

    def no_lock(ballot):
        fresh = Ballot.objects.select_related("jury__programme").get(pk=ballot.pk)
        barrier.wait(timeout=10)  # everybody has read, nobody has counted yet
        return fresh

    monkeypatch.setattr(voting, "_lock_ballot", no_lock)
    outcomes = race(world, ballot, world.candidates[:THREADS], [world.alice, world.bob])
    assert outcomes.count("picked") > world.jury.max_picks
    assert Pick.objects.filter(ballot=ballot).count() > world.jury.max_picks


def test_a_vote_in_flight_lands_before_the_close_never_after(concurrent_world, monkeypatch):
    """The close (SELECT ... FOR UPDATE on the jury, as close_jury does) waits for a vote
    that is being written; once it has closed, no vote gets in."""
    from django.db import transaction
    from django.utils import timezone

    from tremplin.jury.models import Jury

    world = concurrent_world
    ballot = voting.ballot_for(world.jury, world.alice)
    in_flight = threading.Event()
    monkeypatch.setattr(voting, "_lock_ballot", slow_lock_signal(voting._lock_ballot, in_flight))
    outcome: list[str] = []

    def vote():
        try:
            voting.set_pick(ballot, world.candidates[0], True, user=world.alice)
            outcome.append("picked")
        except errors.VotingError as error:
            outcome.append(error.code)
        finally:
            connections.close_all()

    thread = threading.Thread(target=vote)
    thread.start()
    assert in_flight.wait(timeout=10)  # the vote holds its locks and is about to write
    with transaction.atomic():
        jury = Jury.objects.select_for_update().get(pk=world.jury.pk)  # waits for the vote
        picks_at_close = Pick.objects.filter(ballot=ballot).count()
        jury.closed_at = timezone.now()
        jury.save(update_fields=["closed_at"])
    thread.join(timeout=30)
    assert outcome == ["picked"]
    assert picks_at_close == 1  # the vote committed before the close read the ballots
    with pytest.raises(errors.VotingError) as info:
        voting.set_pick(ballot, world.candidates[1], True, user=world.alice)
    assert info.value.code == "closed"
    assert Pick.objects.filter(ballot=ballot).count() == 1


def slow_lock_signal(real, event: threading.Event):
    def lock(ballot):
        locked = real(ballot)
        event.set()
        time.sleep(0.3)
        return locked

    return lock
