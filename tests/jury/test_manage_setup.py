"""The jury set-up: the form (bad input re-renders with 400 and changes nothing) and the
rules of ``save_jury`` and ``open_jury``."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.jury.factories import BallotFactory, DraftBallotFactory
from tests.jury.manage_world import client, close_jury, make_world, open_jury
from tremplin.calls.enums import Eligibility, ProgrammeState
from tremplin.core.models import AuditLog
from tremplin.jury import administration, errors
from tremplin.jury.enums import BallotScope, JuryMethod
from tremplin.jury.models import Criterion, Jury

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(organiser, other_organiser, manager, viewer, maker):
    return make_world(organiser, other_organiser, manager, viewer, maker)


def paris(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def valid_data(w, **changes) -> dict:
    now = timezone.now()
    data = {
        "method": JuryMethod.MAJORITY_JUDGMENT,
        "ballot_scope": BallotScope.MEMBER,
        "max_picks": "10",
        "grades_text": "Très bien | Very good\nBien | Good\nPassable | Passable",
        "criteria_text": "",
        "grid_max_score": "10",
        "opens_at": paris(now + timedelta(days=1)),
        "closes_at": paris(now + timedelta(days=15)),
        "quorum": "3",
        "laureate_count": "5",
        "partners": [p.pk for p in w.partners],
    }
    data.update(changes)
    return data


def setup_url(w) -> str:
    return reverse("jury_manage:setup", args=["mel", w.programme.slug])


def snapshot(jury: Jury) -> tuple:
    jury.refresh_from_db()
    return (
        jury.method,
        jury.ballot_scope,
        jury.max_picks,
        jury.grades,
        jury.opens_at,
        jury.closes_at,
        jury.quorum,
        jury.laureate_count,
        sorted(jury.partners.values_list("pk", flat=True)),
        list(Criterion.objects.filter(jury=jury).values_list("label_fr", "weight")),
    )


# --- the form -------------------------------------------------------------------------------


def test_a_valid_form_saves_and_logs(world):
    response = client(world.manager).post(setup_url(world), valid_data(world))
    assert response.status_code == 302
    jury = Jury.objects.get(pk=world.jury.pk)
    assert jury.method == JuryMethod.MAJORITY_JUDGMENT
    assert jury.grades == [["Très bien", "Very good"], ["Bien", "Good"], ["Passable", "Passable"]]
    assert jury.quorum == 3
    entry = AuditLog.objects.get(action="tremplin.jury.changed")
    assert {"method", "grades", "quorum"} <= set(entry.data["changed"])


def test_the_window_is_entered_in_paris_time(world):
    data = valid_data(world, opens_at="2030-07-01T09:00", closes_at="2030-07-10T18:00")
    assert client(world.manager).post(setup_url(world), data).status_code == 302
    jury = Jury.objects.get(pk=world.jury.pk)
    assert jury.opens_at.isoformat() == "2030-07-01T07:00:00+00:00"  # summer time: UTC+2


def test_a_grid_with_weighted_criteria(world):
    data = valid_data(
        world,
        method=JuryMethod.GRID,
        criteria_text="Innovation | Innovation | 2\nImpact sur le territoire | Impact | 1,5\n"
        "Faisabilité",
    )
    assert client(world.manager).post(setup_url(world), data).status_code == 302
    rows = list(Criterion.objects.filter(jury=world.jury).values_list("label_fr", "weight"))
    assert rows == [
        ("Innovation", Decimal("2.00")),
        ("Impact sur le territoire", Decimal("1.50")),
        ("Faisabilité", Decimal("1.00")),
    ]


BAD_INPUT = {
    "empty": ({}, ["method", "opens_at", "closes_at"]),
    "window out of order": (
        {"opens_at": "2030-07-10T09:00", "closes_at": "2030-07-01T09:00"},
        ["closes_at"],
    ),
    "window equal": (
        {"opens_at": "2030-07-10T09:00", "closes_at": "2030-07-10T09:00"},
        ["closes_at"],
    ),
    "opens before the deadline": ({"opens_at": "2000-01-01T09:00"}, ["opens_at"]),
    "not a date": ({"opens_at": "demain"}, ["opens_at"]),
    "one grade": ({"grades_text": "Bien | Good"}, ["grades_text"]),
    "no grade": ({"grades_text": "  \n "}, ["grades_text"]),
    "too many grades": ({"grades_text": "\n".join(f"G{i}" for i in range(13))}, ["grades_text"]),
    "grade too long": ({"grades_text": "A" * 61 + "\nBien"}, ["grades_text"]),
    "grade twice": ({"grades_text": "Bien\nbien"}, ["grades_text"]),
    "grades text too long": ({"grades_text": "x" * 2001}, ["grades_text"]),
    "grid without criteria": ({"method": JuryMethod.GRID, "criteria_text": ""}, ["criteria_text"]),
    "weight zero": ({"criteria_text": "Impact | Impact | 0"}, ["criteria_text"]),
    "weight negative": ({"criteria_text": "Impact | Impact | -2"}, ["criteria_text"]),
    "weight absurd": ({"criteria_text": "Impact | Impact | 1e9"}, ["criteria_text"]),
    "weight not a number": ({"criteria_text": "Impact | Impact | beaucoup"}, ["criteria_text"]),
    "weight NaN": ({"criteria_text": "Impact | Impact | NaN"}, ["criteria_text"]),
    "weight with three decimals": ({"criteria_text": "Impact | Impact | 1,255"}, ["criteria_text"]),
    "too many parts": ({"criteria_text": "a | b | 1 | 2"}, ["criteria_text"]),
    "criterion too long": ({"criteria_text": "C" * 151}, ["criteria_text"]),
    "too many criteria": (
        {"criteria_text": "\n".join(f"C{i}" for i in range(21))},
        ["criteria_text"],
    ),
    "K zero": ({"max_picks": "0"}, ["max_picks"]),
    "K too high": ({"max_picks": "101"}, ["max_picks"]),
    "K not a number": ({"max_picks": "dix"}, ["max_picks"]),
    "quorum negative": ({"quorum": "-1"}, ["quorum"]),
    "quorum absurd": ({"quorum": "100000"}, ["quorum"]),
    "no laureate": ({"laureate_count": "0"}, ["laureate_count"]),
    "unknown method": ({"method": "lottery"}, ["method"]),
    "unknown scope": ({"ballot_scope": "everyone"}, ["ballot_scope"]),
    "forged partner id": ({"partners": ["999999"]}, ["partners"]),
    "partner id not a number": ({"partners": ["abc"]}, ["partners"]),
    # Issue #9: a number wider than 64 bits was a 500 on SQLite (OverflowError).
    "partner id too big": ({"partners": ["9" * 40]}, ["partners"]),
    "partner id with a NUL byte": ({"partners": ["1\x00"]}, ["partners"]),
    "partner id negative": ({"partners": ["-1"]}, ["partners"]),
    "partner id in other digits": ({"partners": ["١"]}, ["partners"]),
}


@pytest.mark.parametrize("case", BAD_INPUT, ids=str)
def test_bad_input_is_refused_on_the_field_and_changes_nothing(world, case):
    changes, fields = BAD_INPUT[case]
    data = {} if case == "empty" else valid_data(world, **changes)
    before = snapshot(world.jury)
    count = AuditLog.objects.count()
    response = client(world.manager).post(setup_url(world), data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    for field in fields:
        assert field in errors, (field, errors)
    assert snapshot(world.jury) == before
    assert AuditLog.objects.count() == count


def test_a_partner_of_another_organiser_is_refused(world):
    before = snapshot(world.jury)
    data = valid_data(world, partners=[world.partners[0].pk, world.other_partner.pk])
    response = client(world.manager).post(setup_url(world), data)
    assert response.status_code == 400
    assert "partners" in response.context["form"].errors
    assert snapshot(world.jury) == before


def test_html_is_shown_escaped(world):
    payload = "<script>alert('x')</script>"
    data = valid_data(world, criteria_text=f"{payload} | {payload} | -1")
    response = client(world.manager).post(setup_url(world), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert payload not in body
    assert "&lt;script&gt;" in body


def test_a_new_jury_is_created_with_the_programme_partners_offered(organiser, manager):
    from tests.jury.manage_world import closed_programme

    programme = closed_programme(organiser, slug="sans-jury")
    partner = factories.PartnerFactory(organiser=organiser)
    programme.partners.add(partner)
    url = reverse("jury_manage:setup", args=["mel", programme.slug])
    response = client(manager).get(url)
    assert response.status_code == 200
    assert response.context["form"]["partners"].value() == [partner.pk]
    data = {
        "method": JuryMethod.FAVOURITES,
        "ballot_scope": BallotScope.PARTNER,
        "max_picks": "10",
        "grades_text": "",
        "criteria_text": "",
        "grid_max_score": "10",
        "opens_at": paris(timezone.now() + timedelta(days=1)),
        "closes_at": paris(timezone.now()),
        "quorum": "0",
        "laureate_count": "10",
    }
    assert client(manager).post(url, data).status_code == 400
    assert not Jury.objects.filter(programme=programme).exists()
    data["closes_at"] = paris(timezone.now() + timedelta(days=10))
    assert client(manager).post(url, data).status_code == 302
    jury = Jury.objects.get(programme=programme)
    assert jury.grades[0] == ["Excellent", "Excellent"]  # the default scale is kept


# --- the rules ------------------------------------------------------------------------------


def test_voting_rules_are_locked_once_a_ballot_exists(world):
    DraftBallotFactory(jury=world.jury, partner=world.partners[0])
    # The form disables the rule fields: a forged change is ignored.
    data = valid_data(world, method=JuryMethod.GRID, quorum="7")
    data["method"] = JuryMethod.GRID
    response = client(world.manager).post(setup_url(world), data)
    assert response.status_code == 302
    world.jury.refresh_from_db()
    assert world.jury.method == JuryMethod.FAVOURITES
    assert world.jury.quorum == 7
    # The domain refuses it too.
    world.jury.method = JuryMethod.GRID
    with pytest.raises(errors.JuryError):
        administration.save_jury(world.jury, user=world.manager)
    world.jury.refresh_from_db()
    with pytest.raises(errors.JuryError):
        administration.save_jury(
            world.jury,
            user=world.manager,
            criteria=[administration.CriterionData("Impact", "", Decimal("1"))],
        )


def test_after_the_close_only_the_laureate_count_changes(world):
    open_jury(world)
    close_jury(world)
    data = valid_data(world, laureate_count="1", quorum="9")
    response = client(world.manager).post(setup_url(world), data)
    assert response.status_code == 302
    world.jury.refresh_from_db()
    assert world.jury.laureate_count == 1
    assert world.jury.quorum == 0  # disabled field: unchanged
    world.jury.quorum = 9
    with pytest.raises(errors.JuryError):
        administration.save_jury(world.jury, user=world.manager)


def test_the_window_of_an_open_jury_cannot_end_in_the_past(world):
    open_jury(world)
    world.jury.closes_at = timezone.now() - timedelta(minutes=1)
    world.jury.opens_at = timezone.now() - timedelta(days=2)
    with pytest.raises(errors.JuryError):
        administration.save_jury(world.jury, user=world.manager)


def test_a_partner_with_members_stays_on_the_jury(world):
    with pytest.raises(errors.JuryError, match="Université de Lille"):
        administration.save_jury(world.jury, user=world.manager, partners=[world.partners[1]])


def test_nothing_changes_after_publication(world):
    world.jury.published_at = timezone.now()
    world.jury.save()
    response = client(world.manager).get(setup_url(world))
    assert response.status_code == 200
    assert all(field.disabled for field in response.context["form"].fields.values())
    with pytest.raises(errors.JuryError):
        administration.save_jury(world.jury, user=world.manager)


# --- opening --------------------------------------------------------------------------------


def transition(w, action: str):
    url = reverse("jury_manage:transition", args=["mel", w.programme.slug, action])
    return client(w.manager).post(url)


def test_opening_without_eligible_applications_is_refused(world):
    for application in world.candidates:
        application.eligibility = Eligibility.INELIGIBLE
        application.eligibility_reason = "Non."
        application.save()
    response = transition(world, "open")
    assert response.status_code == 400
    assert "No application is eligible" in response.content.decode()
    world.programme.refresh_from_db()
    assert world.programme.state == ProgrammeState.SCREENING


def test_opening_with_applications_not_screened_is_refused(world):
    factories.SubmittedApplicationFactory(programme=world.programme)  # pending
    with pytest.raises(errors.JuryError, match="not screened"):
        administration.open_jury(world.jury, user=world.manager)
    assert transition(world, "open").status_code == 400


def test_opening_needs_a_partner_and_criteria_for_a_grid(world):
    world.jury.partners.clear()
    world.jury.method = JuryMethod.GRID
    world.jury.save()
    problems = administration.opening_problems(world.jury)
    assert any("partner" in p for p in problems)
    assert any("criterion" in p for p in problems)
    with pytest.raises(errors.JuryError):
        administration.open_jury(world.jury, user=world.manager)


def test_opening_before_screening_is_refused(world):
    world.programme.state = ProgrammeState.CALL_CLOSED
    world.programme.save()
    assert transition(world, "open").status_code == 400
    world.programme.refresh_from_db()
    assert world.programme.state == ProgrammeState.CALL_CLOSED


def test_opening_and_closing_are_logged(world):
    assert transition(world, "open").status_code == 302
    world.programme.refresh_from_db()
    assert world.programme.state == ProgrammeState.JURY
    opened = AuditLog.objects.get(action="tremplin.jury.opened")
    assert opened.data["candidates"] == 3
    BallotFactory(jury=world.jury, partner=world.partners[0])
    DraftBallotFactory(jury=world.jury, partner=world.partners[1])
    assert transition(world, "close").status_code == 302
    world.programme.refresh_from_db()
    world.jury.refresh_from_db()
    assert world.programme.state == ProgrammeState.DELIBERATION
    assert world.jury.closed_at is not None
    closed = AuditLog.objects.get(action="tremplin.jury.closed")
    assert closed.data["ballots"] == 1  # the draft is not counted
    assert closed.data["drafts_not_counted"] == 1
    assert len(closed.data["fingerprint"]) == 64
    assert transition(world, "close").status_code == 400  # only once
