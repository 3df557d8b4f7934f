"""A workshop of 10 places and 50 people registering at the same instant, on PostgreSQL
with real threads: exactly 10 registered, 40 on the waiting list; the same race without the
workshop's row lock overbooks. Cancellations promote from the waiting list without ever
exceeding the capacity."""

from __future__ import annotations

import time

import pytest
from django.db import connection

from tests.coaching.conftest import make_workshop
from tests.concurrency import run_together
from tremplin.coaching import workshops
from tremplin.coaching.enums import RegistrationState
from tremplin.coaching.models import WorkshopRegistration

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (row locks)"),
]

PEOPLE = 50
CAPACITY = 10


def _slow_count(monkeypatch):
    """Widen the window between counting the places and taking one (as a slow request
    would), so that the race, when there is one, shows every time."""
    count = workshops._confirmed_count

    def slow(workshop_id):
        value = count(workshop_id)
        time.sleep(0.05)
        return value

    monkeypatch.setattr(workshops, "_confirmed_count", slow)


def _register(workshop):
    def work(i: int):
        registration = workshops.register(workshop, name=f"Personne {i}", email=f"p{i}@example.org")
        return registration.state

    return work


def _confirmed(workshop) -> int:
    return WorkshopRegistration.objects.filter(
        workshop=workshop, state=RegistrationState.CONFIRMED
    ).count()


def test_without_the_lock_50_registrations_overbook(public_programme, monkeypatch):
    workshop = make_workshop(public_programme, capacity=CAPACITY)
    _slow_count(monkeypatch)
    monkeypatch.setattr(workshops, "LOCK_WORKSHOP", False)
    outcomes = run_together(PEOPLE, _register(workshop))
    assert outcomes.count(RegistrationState.CONFIRMED) > CAPACITY, outcomes
    assert _confirmed(workshop) > CAPACITY


def test_50_registrations_fill_10_places_and_a_waiting_list_of_40(
    public_programme, monkeypatch, mailoutbox
):
    workshop = make_workshop(public_programme, capacity=CAPACITY)
    _slow_count(monkeypatch)
    outcomes = run_together(PEOPLE, _register(workshop))
    assert outcomes.count(RegistrationState.CONFIRMED) == CAPACITY, outcomes
    assert outcomes.count(RegistrationState.WAITING) == PEOPLE - CAPACITY, outcomes
    assert _confirmed(workshop) == CAPACITY
    assert len(mailoutbox) == PEOPLE

    # 10 cancellations at once (5 registered, 5 waiting) and 10 new registrations at once:
    # the places freed go to the first people waiting, never more than the capacity.
    confirmed = list(WorkshopRegistration.objects.filter(workshop=workshop, state="confirmed")[:5])
    waiting = list(
        WorkshopRegistration.objects.filter(workshop=workshop, state="waiting").order_by(
            "-created_at"
        )[:5]
    )
    leaving = confirmed + waiting
    first_waiting = list(
        WorkshopRegistration.objects.filter(workshop=workshop, state="waiting")
        .exclude(pk__in=[r.pk for r in waiting])
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:5]
    )

    def churn(i: int):
        if i < len(leaving):
            workshops.cancel_registration(leaving[i])
            return "cancelled"
        return workshops.register(workshop, name=f"Nouveau {i}", email=f"new{i}@example.org").state

    outcomes = run_together(20, churn)
    assert outcomes.count("cancelled") == 10, outcomes
    assert _confirmed(workshop) == CAPACITY
    promoted = set(
        WorkshopRegistration.objects.filter(promoted_at__isnull=False).values_list("pk", flat=True)
    )
    # The places go to people who were waiting, the oldest first.
    assert promoted == set(first_waiting)
    # Nobody new jumps the queue: the newcomers wait.
    assert outcomes.count(RegistrationState.WAITING) == 10, outcomes
