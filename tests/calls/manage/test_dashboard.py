"""The programme dashboard and its state changes (open, close, start screening)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tremplin.calls.enums import ProgrammeState
from tremplin.core.models import AuditLog

pytestmark = pytest.mark.django_db


def _dashboard(programme) -> str:
    return reverse("manage:programme", args=["mel", programme.slug])


def _transition(programme, action: str) -> str:
    return reverse("manage:programme_transition", args=["mel", programme.slug, action])


def test_dashboard_shows_counts_timeline_and_links(world, en):
    programme = world.programme
    factories.ApplicationFactory(programme=programme)  # draft
    factories.SubmittedApplicationFactory(programme=programme, eligibility="eligible")
    factories.SubmittedApplicationFactory(
        programme=programme, eligibility="ineligible", eligibility_reason="Hors territoire"
    )
    factories.SubmittedApplicationFactory(programme=programme, state="withdrawn")
    response = en(world.viewer).get(_dashboard(programme))
    assert response.status_code == 200
    assert response.context["counts"] == {
        "drafts": 1,
        "submitted": 3,
        "eligible": 1,
        "ineligible": 1,
        "pending": 1,
        "withdrawn": 1,
    }
    html = response.content.decode()
    for name in ("questions", "applications"):
        assert reverse(f"manage:{name}", args=["mel", programme.slug]) in html
    assert reverse("manage:applications_export", args=["mel", programme.slug, "csv"]) in html
    # a viewer sees no transition button
    assert _transition(programme, "close") not in html


def test_dashboard_offers_the_transitions_allowed_now(world, en):
    programme = world.programme
    html = en(world.manager).get(_dashboard(programme)).content.decode()
    assert _transition(programme, "close") in html
    assert _transition(programme, "open") not in html
    assert _transition(programme, "screening") not in html
    programme.state = ProgrammeState.CALL_CLOSED
    programme.save()
    html = en(world.manager).get(_dashboard(programme)).content.decode()
    assert _transition(programme, "open") in html
    assert _transition(programme, "screening") in html


def test_dashboard_shows_the_audit_log(world, en):
    client = en(world.manager)
    client.post(_transition(world.programme, "close"))
    response = client.get(_dashboard(world.programme))
    assert [e.action for e in response.context["entries"]] == ["tremplin.programme.call_closed"]
    assert "Call for projects closed" in response.content.decode()


def test_open_a_draft_programme(world, en):
    programme = world.programme
    programme.state = ProgrammeState.DRAFT
    programme.save()
    response = en(world.manager).post(_transition(programme, "open"))
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.state == ProgrammeState.CALL_OPEN
    entry = AuditLog.objects.get(action="tremplin.programme.call_opened")
    assert entry.user == world.manager
    assert entry.data["from"] == "draft"


def test_opening_with_a_past_deadline_is_refused(world, en):
    programme = world.programme
    programme.state = ProgrammeState.DRAFT
    programme.call_opens_at = timezone.now() - datetime.timedelta(days=10)
    programme.call_closes_at = timezone.now() - datetime.timedelta(days=1)
    programme.save()
    response = en(world.manager).post(_transition(programme, "open"))
    assert response.status_code == 400
    assert "deadline is in the past" in response.content.decode()
    programme.refresh_from_db()
    assert programme.state == ProgrammeState.DRAFT
    assert not AuditLog.objects.filter(action="tremplin.programme.call_opened").exists()


def test_close_then_start_screening(world, en):
    programme = world.programme
    client = en(world.manager)
    assert client.post(_transition(programme, "close")).status_code == 302
    programme.refresh_from_db()
    assert programme.state == ProgrammeState.CALL_CLOSED
    assert client.post(_transition(programme, "screening")).status_code == 302
    programme.refresh_from_db()
    assert programme.state == ProgrammeState.SCREENING
    assert AuditLog.objects.filter(action="tremplin.programme.screening_started").exists()


def test_screening_cannot_start_while_the_call_is_open(world, en):
    response = en(world.manager).post(_transition(world.programme, "screening"))
    assert response.status_code == 400
    world.programme.refresh_from_db()
    assert world.programme.state == ProgrammeState.CALL_OPEN


def test_viewer_cannot_close_the_call(world, en):
    assert en(world.viewer).post(_transition(world.programme, "close")).status_code == 403
    world.programme.refresh_from_db()
    assert world.programme.state == ProgrammeState.CALL_OPEN
