"""The cockpit's live part is kept in the shared cache (``tracking.cockpit_cache``): served
from it while nothing changes, and never stale or from another scope — a new contribution,
a refund, a sort, a language, another user's scope each get their own exact page, the same
as a fresh render."""

# ruff: noqa: F811  (the fixtures of test_views, imported)
from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from tests.factories import UserFactory
from tests.tracking.helpers import clock, contribute_at, refund_at
from tests.tracking.test_views import COCKPIT, browser, coach, world  # noqa: F401
from tremplin.tracking import cockpit

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


def a_minute() -> datetime.datetime:
    """Now, at the start of its minute plus a second (two requests fall in one minute)."""
    return timezone.now().replace(second=1, microsecond=0)


def live(client, path=COCKPIT) -> str:
    response = client.get(path, **HX)
    assert response.status_code == 200
    return response.content.decode()


def fresh(client, path=COCKPIT) -> str:
    cache.clear()
    return live(client, path)


def test_unchanged_data_is_served_from_the_cache(
    world, manager, monkeypatch, django_assert_max_num_queries
):
    client = browser(manager)
    with clock(a_minute()):
        first = live(client)
        page = client.get(COCKPIT).content.decode()
        assert first in page  # the full page holds the same live part

        def rebuilt(*args, **kwargs):
            raise AssertionError("the cockpit was computed again")

        monkeypatch.setattr(cockpit, "build", rebuilt)
        with django_assert_max_num_queries(7):
            assert live(client) == first


def test_a_new_contribution_shows_at_once(world, manager):
    client = browser(manager)
    with clock(a_minute()) as now:
        before = live(client)
        assert "(1 new contribution)" not in before
        contribute_at(world["mine"], now, "37")
        after = live(client)
        assert after != before
        assert "(1 new contribution)" in after
        assert after == fresh(client)


def test_a_refund_shows_at_once(world, manager, django_capture_on_commit_callbacks):
    client = browser(manager)
    gift = world["mine"].contributions.filter(state="confirmed").first()
    with clock(a_minute()) as now:
        before = live(client)
        refund_at(gift, now, django_capture_on_commit_callbacks)
        after = live(client)
        assert after != before
        assert after == fresh(client)


def test_each_sort_and_language_has_its_own_page(world, manager):
    client = browser(manager)
    by_title = f"{COCKPIT}?tri=titre&ordre=asc"
    by_title_desc = f"{COCKPIT}?tri=titre&ordre=desc"
    with clock(a_minute()):
        default = live(client)
        ascending = live(client, by_title)
        descending = live(client, by_title_desc)
        assert ascending.index("Atelier vélo") < ascending.index("Four à pain")
        assert descending.index("Four à pain") < descending.index("Atelier vélo")
        assert 'aria-sort="ascending"' in ascending and 'aria-sort="descending"' in descending
        assert default != ascending
        french = browser(manager)
        french.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
        page = live(french)
        assert "The campaigns side by side" in default
        assert "The campaigns side by side" not in page
        assert page == fresh(french)
        assert live(client, by_title) == fresh(client, by_title)


def test_no_user_sees_the_cached_page_of_another_scope(world, manager, coach, other_manager):
    with clock(a_minute()):
        organiser_page = live(browser(manager))
        assert "Four à pain" in organiser_page
        coach_page = live(browser(coach), "/suivi/coaching/")
        assert "Atelier vélo" in coach_page and "Four à pain" not in coach_page
        assert "/suivi/coaching/atelier-velo/" in coach_page
        assert "/gestion/" not in coach_page  # the coach's links, not the organiser's
        # another coach, with no campaign, at the same address
        other_coach = UserFactory(is_coach=True)
        other_page = live(browser(other_coach), "/suivi/coaching/")
        assert "Atelier vélo" not in other_page
        # another organiser's manager: the page is still not theirs
        assert browser(other_manager).get(COCKPIT, **HX).status_code == 404
        # and the organiser's page is untouched by the coach's
        assert live(browser(manager)) == organiser_page


def test_the_next_minute_is_computed_again(world, manager):
    client = browser(manager)
    now = a_minute()
    with clock(now):
        first = live(client)
    with clock(now + datetime.timedelta(minutes=1)):
        later = live(client)
    local = timezone.localtime(now + datetime.timedelta(minutes=1))
    assert f"Figures at {local:%H:%M}" in later and later != first


def test_the_days_left_turn_within_the_minute(world, manager):
    client = browser(manager)
    now = a_minute()
    mine = world["mine"]
    mine.ends_at = now + datetime.timedelta(days=1, seconds=20)
    mine.save(update_fields=["ends_at"])
    with clock(now):
        before = live(client, f"{COCKPIT}?tri=jours&ordre=asc")
    with clock(now + datetime.timedelta(seconds=30)):  # the same minute, one day left now
        after = live(client, f"{COCKPIT}?tri=jours&ordre=asc")
        assert after != before
        assert after == fresh(client, f"{COCKPIT}?tri=jours&ordre=asc")


def test_a_request_waits_for_another_computing_the_same_page():
    import threading

    from tremplin.tracking import views_common

    assert views_common._wait_for_another("tracking:cockpit-live:k") is None  # nobody computes
    cache.set("tracking:cockpit-live:k:computing", 1)
    timer = threading.Timer(0.1, lambda: cache.set("tracking:cockpit-live:k", "<p>done</p>"))
    timer.start()
    try:
        assert views_common._wait_for_another("tracking:cockpit-live:k") == "<p>done</p>"
    finally:
        timer.join()
