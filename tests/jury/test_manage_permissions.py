"""The permission matrix of the organiser's jury pages: anonymous → login; a maker, a juror
and a member of another organiser → 404 (for our address and for our programme under
theirs); a viewer reads but cannot change (403); a manager works. Before the close nobody
sees a ballot's content: the tally, its export and the deliberation answer 403 with an
explanation, for managers and viewers alike; after the close they open."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from tests.jury.manage_world import client, close_jury, make_world, open_jury

READ, EDIT = "read", "edit"

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(organiser, other_organiser, manager, viewer, maker):
    return make_world(organiser, other_organiser, manager, viewer, maker)


@dataclass(frozen=True)
class View:
    name: str
    method: str
    kind: str
    args: tuple[Any, ...] = ()
    secret: bool = False  # shows ballot content: only after the close

    def url(self, w, organiser_slug: str = "mel", programme_slug: str | None = None) -> str:
        slug = programme_slug or w.programme.slug
        return reverse(f"jury_manage:{self.name}", args=[organiser_slug, slug, *self.args])

    def __str__(self) -> str:
        return f"{self.method}-{self.name}-{'-'.join(map(str, self.args))}"


VIEWS = [
    View("setup", "get", READ),
    View("setup", "post", EDIT),
    View("members", "get", READ),
    View("members", "post", EDIT),
    View("transition", "post", EDIT, ("open",)),
    View("transition", "post", EDIT, ("close",)),
    View("participation", "get", READ),
    View("export", "get", READ, ("participation", "csv")),
    View("export", "get", READ, ("participation", "json")),
    View("tally", "get", READ, secret=True),
    View("export", "get", READ, ("tally", "csv"), secret=True),
    View("export", "get", READ, ("tally", "json"), secret=True),
    View("deliberation", "get", READ, secret=True),
    View("deliberation", "post", EDIT, secret=True),
    View("publish", "post", EDIT, secret=True),
]


def call(c, view: View, url: str):
    return c.post(url, {}) if view.method == "post" else c.get(url)


@pytest.mark.parametrize("view", VIEWS, ids=str)
def test_anonymous_is_sent_to_login(world, view):
    response = call(client(), view, view.url(world))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("view", VIEWS, ids=str)
@pytest.mark.parametrize("who", ["maker", "juror", "other_admin"])
def test_outsiders_get_404(world, view, who):
    assert call(client(getattr(world, who)), view, view.url(world)).status_code == 404


@pytest.mark.parametrize("view", VIEWS, ids=str)
def test_another_organiser_gets_404_for_our_programme_under_their_address(world, view):
    response = call(client(world.other_admin), view, view.url(world, "autre"))
    assert response.status_code == 404


@pytest.mark.parametrize("view", VIEWS, ids=str)
def test_a_juror_gets_404_even_after_the_close(world, view):
    open_jury(world)
    close_jury(world)
    assert call(client(world.juror), view, view.url(world)).status_code == 404


@pytest.mark.parametrize("view", [v for v in VIEWS if v.kind == EDIT], ids=str)
def test_viewer_cannot_change_anything(world, view):
    open_jury(world)
    assert call(client(world.viewer), view, view.url(world)).status_code == 403
    close_jury(world)
    assert call(client(world.viewer), view, view.url(world)).status_code == 403


@pytest.mark.parametrize("view", [v for v in VIEWS if v.kind == READ and not v.secret], ids=str)
@pytest.mark.parametrize("who", ["viewer", "manager", "admin"])
def test_team_reads_the_open_pages_at_any_time(world, view, who):
    user = getattr(world, who)
    assert call(client(user), view, view.url(world)).status_code == 200
    open_jury(world)
    assert call(client(user), view, view.url(world)).status_code == 200
    close_jury(world)
    assert call(client(user), view, view.url(world)).status_code == 200


@pytest.mark.parametrize("view", [v for v in VIEWS if v.secret], ids=str)
@pytest.mark.parametrize("who", ["viewer", "manager"])
def test_ballot_contents_are_hidden_before_the_close(world, view, who):
    user = getattr(world, who)
    if view.kind == EDIT and who == "viewer":
        pytest.skip("covered by test_viewer_cannot_change_anything")
    for step in (None, open_jury):
        if step:
            step(world)
        response = call(client(user), view, view.url(world))
        assert response.status_code == 403
        if view.method == "get" and "export" not in view.name:
            assert "Ballots are secret until the jury is closed" in response.content.decode()


@pytest.mark.parametrize("view", [v for v in VIEWS if v.secret and v.kind == READ], ids=str)
@pytest.mark.parametrize("who", ["viewer", "manager"])
def test_ballot_contents_show_after_the_close(world, view, who):
    open_jury(world)
    close_jury(world)
    assert call(client(getattr(world, who)), view, view.url(world)).status_code == 200


@pytest.mark.parametrize("view", [v for v in VIEWS if v.kind == EDIT], ids=str)
def test_manager_edits_get_a_considered_answer(world, view):
    """An empty POST by a manager is refused with a message or a form error, never a
    server error nor a permission error."""
    open_jury(world)
    if view.secret:
        close_jury(world)
    response = call(client(world.manager), view, view.url(world))
    assert response.status_code in (200, 302, 400), response.status_code


def test_unknown_action_or_format_is_404(world):
    c = client(world.manager)
    base = ["mel", world.programme.slug]
    assert c.post(reverse("jury_manage:transition", args=[*base, "publish"])).status_code == 404
    assert c.get(reverse("jury_manage:export", args=[*base, "tally", "xlsx"])).status_code == 404
    assert c.get(reverse("jury_manage:export", args=[*base, "ballots", "csv"])).status_code == 404


def test_pages_without_a_jury_send_to_the_set_up(world):
    world.jury.delete()
    c = client(world.manager)
    for name in ("members", "participation", "tally", "deliberation"):
        response = c.get(reverse(f"jury_manage:{name}", args=["mel", world.programme.slug]))
        assert response.status_code == 302
        assert response["Location"] == reverse(
            "jury_manage:setup", args=["mel", world.programme.slug]
        )
    assert (
        c.get(reverse("jury_manage:setup", args=["mel", world.programme.slug])).status_code == 200
    )
