"""The organiser's list of applications stays cheap: a fixed number of queries, only the
columns it shows, one count, rows read in index order, the filter form's selects written
out in Python with the same HTML as Django's."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from tests import factories
from tremplin.calls.enums import Eligibility, MakerProfile
from tremplin.calls.manage_forms import FilterSelect
from tremplin.calls.models import Application
from tremplin.core.money import format_money

pytestmark = pytest.mark.django_db


def _list(programme) -> str:
    return reverse("manage:applications", args=["mel", programme.slug])


def _queries(client, url, data=None) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, data or {}).status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def test_queries_do_not_grow_with_the_rows(world, en):
    client = en(world.viewer)
    url = _list(world.programme)
    factories.SubmittedApplicationFactory(programme=world.programme)  # 2 rows
    few = _queries(client, url)
    factories.SubmittedApplicationFactory.create_batch(18, programme=world.programme)  # 20
    many = _queries(client, url)
    assert len(many) == len(few)
    # and with a search, which counts the matches itself
    assert len(_queries(client, url, {"q": "Projet"})) == len(few) + 1


def test_the_matches_are_counted_once_without_a_search(world, en):
    factories.SubmittedApplicationFactory.create_batch(3, programme=world.programme)
    response = en(world.viewer).get(_list(world.programme))
    assert response.context["page"].paginator.count == 4
    counts = [sql for sql in _queries(en(world.viewer), _list(world.programme)) if "COUNT(" in sql]
    assert len(counts) == 1  # the programme's counts, which also give the number of matches


@pytest.mark.parametrize(
    ("query", "expected"),
    [({}, 3), ({"state": "withdrawn"}, 1), ({"state": "all"}, 4), ({"eligibility": "eligible"}, 1)],
)
def test_the_number_of_matches_is_right_either_way(world, en, query, expected):
    p = world.programme
    factories.SubmittedApplicationFactory(programme=p, eligibility="eligible")
    factories.SubmittedApplicationFactory(programme=p)
    factories.SubmittedApplicationFactory(programme=p, state="withdrawn")
    factories.ApplicationFactory(programme=p)  # a draft: never listed
    response = en(world.viewer).get(_list(p), query)
    assert response.context["page"].paginator.count == expected
    assert len(response.context["rows"]) == expected


def test_only_the_shown_columns_are_read(world, en):
    rows = [
        sql
        for sql in _queries(en(world.viewer), _list(world.programme))
        if "ORDER BY" in sql and "calls_application" in sql
    ]
    assert len(rows) == 1
    for column in ("description", "summary", "eligibility_reason", "budget", "password"):
        assert f'"{column}"' not in rows[0]
    assert '"title"' in rows[0]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plan")
def test_rows_are_read_in_index_order_without_a_sort(world):
    from tremplin.calls.manage_forms import ApplicationFilterForm
    from tremplin.calls.manage_list import LIST_COLUMNS, filter_applications

    filters = ApplicationFilterForm(None, programme=world.programme).filters()
    rows = filter_applications(world.programme, filters).values_list(*LIST_COLUMNS)
    sql, params = rows[:50].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "calls_application_list_idx" in plan
    assert "TEMP B-TREE" not in plan


def test_rows_show_what_the_template_showed(world, en):
    velo = factories.SubmittedApplicationFactory(
        programme=world.programme,
        title="Vélo-cargo",
        maker_name="",
        maker=factories.UserFactory(full_name="Camille Quixotte", email="camille@example.org"),
        maker_profile="student",
        eligibility="ineligible",
        funding_goal=Decimal("9000.50"),
        submitted_at=timezone.now() - timedelta(days=2),
    )
    response = en(world.viewer).get(_list(world.programme), {"sort": "title"})
    html = response.content.decode()
    detail = reverse("manage:application", args=["mel", world.programme.slug, velo.pk])
    assert f'<a href="{detail}?sort=title">Vélo-cargo</a>' in html
    assert velo.reference in html
    assert "Camille Quixotte<br>" in html  # the account's name when none was given
    assert "camille@example.org" in html
    assert "<td>Student</td>" in html
    assert "€9,000.50" in html
    assert '<span class="badge badge-ineligible">Ineligible</span>' in html


@pytest.mark.parametrize("language", ["fr", "en"])
def test_dates_are_shown_as_djangos_date_filter_shows_them(language):
    from tremplin.calls.manage_list import _short_datetime_formatter

    moments = [
        datetime(2026, 1, 5, 8, 7, tzinfo=UTC),  # winter, before 10 o'clock
        datetime(2026, 7, 14, 22, 30, tzinfo=UTC),  # summer time, after midnight in Paris
        datetime(2026, 11, 26, 12, 0, tzinfo=UTC),  # noon
    ]
    with translation.override(language):
        formatted = _short_datetime_formatter()
        for moment in moments:
            expected = date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")
            assert formatted(moment) == expected
        assert formatted(None) == ""


def test_withdrawn_rows_are_marked(world, en):
    factories.SubmittedApplicationFactory(programme=world.programme, state="withdrawn")
    html = en(world.viewer).get(_list(world.programme), {"state": "withdrawn"}).content.decode()
    assert '<span class="badge badge-withdrawn">Withdrawn</span>' in html


def test_rows_are_in_french_for_a_french_reader(world, client_for):
    submitted_at = datetime(2026, 3, 9, 7, 5, tzinfo=UTC)
    factories.SubmittedApplicationFactory(
        programme=world.programme,
        maker_profile="student",
        funding_goal=Decimal("1500"),
        submitted_at=submitted_at,
    )
    html = client_for(world.viewer).get(_list(world.programme)).content.decode()
    assert '<html lang="fr">' in html
    assert "09/03/2026 08:05" in html  # Paris time, French short format
    with translation.override("fr"):
        assert f"<td>{MakerProfile.STUDENT.label}</td>" in html
        assert f"{Eligibility.PENDING.label}</span>" in html
        assert format_money(Decimal("1500")) in html


def test_filter_select_writes_what_django_writes():
    choices = [
        ("", "Any <commune>"),
        ("Lille", "Lille"),
        ("L'Île & co", "L'Île & co"),
        ("safe", mark_safe("<em>already safe</em>")),
        ("lazy", gettext_lazy("Student")),
    ]
    attrs = {"id": "id_commune", "aria-describedby": "id_commune_helptext", "required": True}
    for value in (None, "", "Lille", "L'Île & co", "unknown"):
        ours = FilterSelect(choices=choices).render("commune", value, attrs)
        django = forms.Select(choices=choices).render("commune", value, attrs)
        assert _normalised(ours) == _normalised(django), value


def _normalised(html: str) -> list:
    """The elements and their attributes, whatever the attribute order and blank lines."""
    from html.parser import HTMLParser

    found = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, sorted(attrs)))

        def handle_data(self, data):
            if data.strip():
                found.append(data.strip())

    Collect().feed(html)
    return found


def test_filter_form_keeps_the_choice_and_escapes_labels(world, en):
    world.programme.communes = "Lille\n<b>Roubaix</b>"
    world.programme.save()
    html = en(world.viewer).get(_list(world.programme), {"commune": "Lille"}).content.decode()
    assert '<option value="Lille" selected>Lille</option>' in html
    assert "&lt;b&gt;Roubaix&lt;/b&gt;" in html
    assert "<b>Roubaix</b>" not in html


def test_the_list_index_exists():
    names = {index.name for index in Application._meta.indexes}
    assert "calls_application_list_idx" in names


# --- the body kept in the cache ---------------------------------------------------------------


def _rows_queries(client, url, data=None) -> int:
    return sum(
        1
        for sql in _queries(client, url, data)
        if "ORDER BY" in sql and 'FROM "calls_application"' in sql
    )


def _without_tokens(response) -> str:
    """The page without its CSRF tokens (masked afresh for every request)."""
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", html)


def test_the_second_request_is_served_from_the_cache(world, en):
    client = en(world.viewer)
    url = _list(world.programme)
    first = client.get(url)
    assert _rows_queries(client, url) == 0  # served from the cache: no rows read
    second = client.get(url)
    assert _without_tokens(second) == _without_tokens(first)
    # another filter is another page: rendered, then cached in turn
    assert _rows_queries(client, url, {"sort": "title"}) == 1
    assert _rows_queries(client, url, {"sort": "title"}) == 0


def test_a_screening_shows_at_once(world, en, manager):
    from tremplin.calls import applications
    from tremplin.calls.enums import ProgrammeState

    world.programme.state = ProgrammeState.SCREENING
    world.programme.save()
    client = en(world.viewer)
    url = _list(world.programme)
    assert '<span class="badge badge-pending">' in client.get(url).content.decode()
    applications.screen_application(world.application, user=manager, eligible=True, reason="")
    html = client.get(url).content.decode()
    assert '<span class="badge badge-eligible">Eligible</span>' in html
    assert "1 submitted (0 not screened, 1 eligible" in html


def test_a_new_application_or_an_edit_shows_at_once(world, en):
    client = en(world.viewer)
    url = _list(world.programme)
    client.get(url)
    factories.SubmittedApplicationFactory(programme=world.programme, title="Fablab mobile")
    html = client.get(url).content.decode()
    assert "Fablab mobile" in html
    assert "2 applications match." in html
    world.application.title = "Atelier réparé"
    world.application.save()
    assert "Atelier réparé" in client.get(url).content.decode()


def test_a_programme_change_shows_at_once(world, en):
    client = en(world.viewer)
    url = _list(world.programme)
    assert "Lomme-les-Bains" not in client.get(url).content.decode()
    world.programme.communes += "\nLomme-les-Bains"
    world.programme.save()
    assert '<option value="Lomme-les-Bains">' in client.get(url).content.decode()


def test_each_language_has_its_own_body(world, en, client):
    assert "applications match" not in en(world.viewer).get(_list(world.programme)).content.decode()
    client.force_login(world.viewer)
    html = client.get(_list(world.programme)).content.decode()  # French, the default
    assert "candidature correspond" in html or "candidatures correspondent" in html
    assert "applications match" not in html


def test_a_refused_filter_is_answered_400_and_not_kept(world, en):
    client = en(world.viewer)
    url = _list(world.programme)
    assert client.get(url, {"state": "nonsense"}).status_code == 400
    assert client.get(url, {"state": "nonsense"}).status_code == 400


def test_the_cache_never_opens_the_list_to_others(world, en):
    url = _list(world.programme)
    assert en(world.admin).get(url).status_code == 200  # now in the cache
    assert en(world.other_admin).get(url).status_code == 404
    assert en(world.maker).get(url).status_code == 404
    from django.test import Client

    assert Client().get(url).status_code == 302  # to the login page


def test_the_body_is_shared_but_the_navigation_follows_the_role(world, en):
    url = _list(world.programme)
    settings_link = reverse("manage:programme_edit", args=["mel", world.programme.slug])
    assert settings_link in en(world.admin).get(url).content.decode()
    html = en(world.viewer).get(url).content.decode()  # body from the cache
    assert settings_link not in html
    assert "1 application matches." in html


def test_pages_keep_the_filters(world, en):
    factories.SubmittedApplicationFactory.create_batch(50, programme=world.programme)  # 51
    client = en(world.viewer)
    html = client.get(_list(world.programme), {"sort": "title"}).content.decode()
    assert "Page 1 of 2" in html
    assert '<a href="?sort=title&amp;page=2">Next page</a>' in html
    html = client.get(_list(world.programme), {"sort": "title", "page": 2}).content.decode()
    assert "Page 2 of 2" in html
    assert '<a href="?sort=title&amp;page=1">Previous page</a>' in html
    assert "Next page" not in html
