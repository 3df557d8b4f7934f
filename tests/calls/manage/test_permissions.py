"""The permission matrix of every back-office view: anonymous → login, a maker → 404, a
viewer reads but cannot change (403), a manager works, team changes need an administrator,
and a member of another organiser gets 404 — for our organiser's address and for our
objects under their own organiser's address."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

READ, EDIT, ADMIN = "read", "edit", "admin"


@dataclass(frozen=True)
class View:
    name: str
    method: str
    kind: str
    args: Any = lambda w: []  # arguments after the organiser slug
    scoped: bool = False  # names one of our objects (programme, partner, member)

    def url(self, w, organiser_slug: str) -> str:
        return reverse(f"manage:{self.name}", args=[organiser_slug, *self.args(w)])


def _p(w):
    return [w.programme.slug]


VIEWS = [
    View("programmes", "get", READ),
    View("programme_create", "get", EDIT),
    View("programme_create", "post", EDIT),
    View("programme", "get", READ, _p, True),
    View("programme_edit", "get", EDIT, _p, True),
    View("programme_edit", "post", EDIT, _p, True),
    View("programme_transition", "post", EDIT, lambda w: [w.programme.slug, "close"], True),
    View("questions", "get", READ, _p, True),
    View("question_create", "get", EDIT, _p, True),
    View("question_create", "post", EDIT, _p, True),
    View("question_edit", "get", EDIT, lambda w: [w.programme.slug, w.question.pk], True),
    View("question_edit", "post", EDIT, lambda w: [w.programme.slug, w.question.pk], True),
    View("question_delete", "get", EDIT, lambda w: [w.programme.slug, w.question.pk], True),
    View("question_delete", "post", EDIT, lambda w: [w.programme.slug, w.question.pk], True),
    View("question_move", "post", EDIT, lambda w: [w.programme.slug, w.question.pk, "up"], True),
    View("applications", "get", READ, _p, True),
    View("application", "get", READ, lambda w: [w.programme.slug, w.application.pk], True),
    View(
        "application_screen",
        "post",
        EDIT,
        lambda w: [w.programme.slug, w.application.pk],
        True,
    ),
    View("applications_export", "get", READ, lambda w: [w.programme.slug, "csv"], True),
    View("applications_export", "get", READ, lambda w: [w.programme.slug, "xlsx"], True),
    View("partners", "get", READ),
    View("partner_create", "get", EDIT),
    View("partner_create", "post", EDIT),
    View("partner_edit", "get", EDIT, lambda w: [w.partner.pk], True),
    View("partner_edit", "post", EDIT, lambda w: [w.partner.pk], True),
    View("team", "get", READ),
    View("team_add", "post", ADMIN),
    View("team_role", "post", ADMIN, lambda w: [w.viewer_membership.pk], True),
    View("team_remove", "post", ADMIN, lambda w: [w.viewer_membership.pk], True),
]
IDS = [f"{v.method}-{v.name}-{i}" for i, v in enumerate(VIEWS)]

pytestmark = pytest.mark.django_db


def _call(client: Client, view: View, url: str):
    return client.post(url, {}) if view.method == "post" else client.get(url)


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("view", VIEWS, ids=IDS)
def test_anonymous_is_sent_to_login(world, view):
    response = _call(_client(), view, view.url(world, "mel"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("view", VIEWS, ids=IDS)
def test_maker_gets_404(world, view):
    assert _call(_client(world.maker), view, view.url(world, "mel")).status_code == 404


@pytest.mark.parametrize("view", VIEWS, ids=IDS)
def test_applicant_to_our_programme_gets_404(world, view):
    client = _client(world.application.maker)
    assert _call(client, view, view.url(world, "mel")).status_code == 404


@pytest.mark.parametrize("view", VIEWS, ids=IDS)
def test_member_of_another_organiser_gets_404_for_our_organiser(world, view):
    assert _call(_client(world.other_admin), view, view.url(world, "mel")).status_code == 404


@pytest.mark.parametrize("view", [v for v in VIEWS if v.scoped], ids=str)
def test_member_of_another_organiser_gets_404_for_our_objects_under_their_slug(world, view):
    response = _call(_client(world.other_admin), view, view.url(world, "autre"))
    assert response.status_code == 404


def test_application_of_ours_under_their_own_programme_is_404(world):
    client = _client(world.other_admin)
    url = reverse(
        "manage:application", args=["autre", world.other_programme.slug, world.application.pk]
    )
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("view", VIEWS, ids=IDS)
def test_viewer_reads_but_cannot_change(world, view):
    response = _call(_client(world.viewer), view, view.url(world, "mel"))
    if view.kind == READ:
        assert response.status_code == 200
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("view", VIEWS, ids=IDS)
def test_manager_works_but_cannot_change_the_team(world, view):
    response = _call(_client(world.manager), view, view.url(world, "mel"))
    if view.kind == READ:
        assert response.status_code == 200
    elif view.kind == ADMIN:
        assert response.status_code == 403
    else:
        assert response.status_code in (200, 302, 400)


@pytest.mark.parametrize("view", [v for v in VIEWS if v.kind == ADMIN], ids=str)
def test_admin_changes_the_team(world, view):
    response = _call(_client(world.admin), view, view.url(world, "mel"))
    assert response.status_code in (200, 302, 400)


def test_unknown_transition_and_direction_and_format_are_404(world):
    client = _client(world.manager)
    p = world.programme.slug
    assert (
        client.post(reverse("manage:programme_transition", args=["mel", p, "x"])).status_code == 404
    )
    url = reverse("manage:question_move", args=["mel", p, world.question.pk, "sideways"])
    assert client.post(url).status_code == 404
    url = reverse("manage:applications_export", args=["mel", p, "pdf"])
    assert client.get(url).status_code == 404


def test_state_changing_views_refuse_get(world):
    client = _client(world.manager)
    p = world.programme.slug
    assert (
        client.get(reverse("manage:programme_transition", args=["mel", p, "close"])).status_code
        == 405
    )
    url = reverse("manage:application_screen", args=["mel", p, world.application.pk])
    assert client.get(url).status_code == 405
    assert client.get(reverse("manage:team_add", args=["mel"])).status_code == 405


def test_drafts_are_invisible_to_the_organiser(world):
    from tests.factories import ApplicationFactory

    draft = ApplicationFactory(programme=world.programme, title="Brouillon secret")
    client = _client(world.manager)
    url = reverse("manage:application", args=["mel", world.programme.slug, draft.pk])
    assert client.get(url).status_code == 404
    listing = client.get(reverse("manage:applications", args=["mel", world.programme.slug]))
    assert "Brouillon secret" not in listing.content.decode()


@pytest.mark.parametrize("view", [v for v in VIEWS if v.method == "get"], ids=str)
def test_every_page_has_one_h1_and_labelled_inputs(world, view):
    response = _client(world.admin).get(view.url(world, "mel"))
    if response["Content-Type"].startswith("text/html"):
        html = response.content.decode()
        assert html.count("<h1") == 1
        for input_id in re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', html):
            assert f'for="{input_id}"' in html, input_id
