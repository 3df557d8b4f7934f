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
from tremplin.tracking import cockpit, cockpit_cache

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


def test_the_time_of_the_figures_is_that_of_the_request_and_the_hour_computes_again(
    world, manager, monkeypatch
):
    client = browser(manager)
    now = timezone.now().replace(minute=10, second=1, microsecond=0)
    for campaign in (world["mine"], world["other"]):  # no day left turns in the next hour
        campaign.ends_at = now + datetime.timedelta(days=10, hours=12)
        campaign.save(update_fields=["ends_at"])
    with clock(now):
        first = live(client)
    assert f"Figures at {timezone.localtime(now):%H:%M}" in first
    built = []
    real_build = cockpit.build
    monkeypatch.setattr(cockpit, "build", lambda *a, **k: built.append(1) or real_build(*a, **k))
    later = now + datetime.timedelta(minutes=7)
    with clock(later):  # the same data, the same hour: from the cache, with the time of now
        second = live(client)
    assert built == []
    assert f"Figures at {timezone.localtime(later):%H:%M}" in second
    assert second.replace(f"{timezone.localtime(later):%H:%M}", "") == first.replace(
        f"{timezone.localtime(now):%H:%M}", ""
    )
    next_hour = now + datetime.timedelta(hours=1)
    with clock(next_hour):  # the forecast is that of the hour: computed again
        third = live(client)
    assert built and f"Figures at {timezone.localtime(next_hour):%H:%M}" in third


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


def computed(html="<p>v</p>", calls=None):
    def compute():
        if calls is not None:
            calls.append(1)
        return html + str(cockpit_cache.NOW_MARK)

    return compute


def test_a_version_is_computed_once_then_served_from_the_cache():
    now, calls = timezone.now(), []
    first = cockpit_cache.serve("tracking:cockpit-live:k1", "page", computed(calls=calls), now)
    again = cockpit_cache.serve("tracking:cockpit-live:k1", "page", computed(calls=calls), now)
    assert calls == [1] and first == again == f"<p>v</p>{timezone.localtime(now):%H:%M}"


def test_while_another_computes_the_previous_version_is_served_with_its_own_time():
    before = timezone.now() - datetime.timedelta(minutes=3)
    cockpit_cache.serve("tracking:cockpit-live:old", "page", computed("<p>old</p>"), before)
    cache.set("tracking:cockpit-live:new:computing", 1)  # another request computes it
    now, calls = timezone.now(), []
    served = cockpit_cache.serve("tracking:cockpit-live:new", "page", computed(calls=calls), now)
    assert calls == []
    assert served == f"<p>old</p>{timezone.localtime(before):%H:%M}"


def test_without_a_previous_version_a_request_waits_for_the_other():
    import threading

    assert cockpit_cache.wait_for_another("tracking:cockpit-live:k") is None  # nobody computes
    cache.set("tracking:cockpit-live:k:computing", 1)
    now = timezone.now()
    entry = ("<p>done</p>", now)
    timer = threading.Timer(0.1, lambda: cache.set("tracking:cockpit-live:k", entry))
    timer.start()
    try:
        served = cockpit_cache.serve("tracking:cockpit-live:k", "none", computed("<p>x</p>"), now)
    finally:
        timer.join()
    assert served == "<p>done</p>"


def test_many_requests_at_once_compute_a_version_once():
    """Eight threads miss the same version at the same instant: one computes it, the others
    wait for it (no previous version here) — the page is not computed eight times."""
    import threading
    import time

    calls, results = [], []
    barrier = threading.Barrier(8)

    def slow():
        calls.append(1)
        time.sleep(0.2)
        return "<p>slow</p>"

    def request():
        barrier.wait()
        results.append(cockpit_cache.serve("tracking:cockpit-live:s", "p", slow, timezone.now()))

    threads = [threading.Thread(target=request) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert calls == [1] and results == ["<p>slow</p>"] * 8
