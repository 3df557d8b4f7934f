"""Past editions imported from CSV: a pure parser that refuses the files whole with line
numbers (bad encodings, NUL bytes, 40-digit numbers, HTML, absurd amounts, wrong file
types), the import stores all or nothing, and the back-office pages with their
permissions (manager, viewer read-only, another organiser → 404)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tremplin.core.models import AuditLog
from tremplin.tracking import actions
from tremplin.tracking.models import PastCampaign, PastDay, PastEdition
from tremplin.tracking.past_csv import PastImportError, parse_past_edition
from tremplin.tracking.past_editions import EditionFacts, PastEditionError, import_past_edition

HEADER = "porteur;titre;commune;objectif;collecte;contributeurs;debut;fin"
GOOD = [
    "Léa Vandamme;Lampes en carton;Roubaix;4000;5 240,50;77;17/09/2018;15/10/2018",
    "Karim Haddad;Fablab mobile;;9000;4500;60;2018-09-17;2018-10-15",
]
DAYS = (
    "titre;jour;collecte;contributeurs\n"
    "Lampes en carton;17/09/2018;400;6\n"
    "Lampes en carton;18/09/2018;900,50;12\n"
)


def csv_bytes(*lines: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode("utf-8")


def facts(**overrides) -> EditionFacts:
    values = {
        "name": "MEL Makers 2018",
        "year": 2018,
        "applications_count": 40,
        "laureates_count": 10,
    }
    return EditionFacts(**{**values, **overrides})


def refused(campaigns: bytes, days: bytes | None = None) -> list[str]:
    with pytest.raises(PastImportError) as caught:
        parse_past_edition(campaigns, days)
    return caught.value.lines()


# --- the parser ---------------------------------------------------------------------------------


def test_a_good_file_is_read():
    parsed = parse_past_edition(csv_bytes(*GOOD), DAYS.encode())
    first, second = parsed.campaigns
    assert (first.maker, first.title, first.commune) == (
        "Léa Vandamme",
        "Lampes en carton",
        "Roubaix",
    )
    assert (first.goal, first.raised, first.contributors) == (
        Decimal("4000.00"),
        Decimal("5240.50"),
        77,
    )
    assert second.commune == ""
    assert parsed.campaigns_start.isoformat() == "2018-09-17"
    assert [d.raised for d in parsed.days] == [Decimal("400.00"), Decimal("900.50")]


def test_a_bom_and_no_commune_column_are_accepted():
    header = "porteur;titre;objectif;collecte;contributeurs;debut;fin"
    data = "\ufeff" + header + "\nA;B;1000;1200;10;01/09/2018;30/09/2018\n"
    assert len(parse_past_edition(data.encode()).campaigns) == 1


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "A;T;Lille;4000;5000;9999999999999999999999999999999999999999;17/09/2018;15/10/2018",
            "whole number",
        ),
        ("A;T;Lille;" + "9" * 40 + ";5000;10;17/09/2018;15/10/2018", "goal"),
        ("A;T;Lille;4000;5000000;10;17/09/2018;15/10/2018", "more than 1,000,000"),
        ("A;T;Lille;-4000;5000;10;17/09/2018;15/10/2018", "more than zero"),
        ("A;T;Lille;4000;1e308;10;17/09/2018;15/10/2018", "not an amount"),
        ("A;T;Lille;4000;NaN;10;17/09/2018;15/10/2018", "not an amount"),
        ("A;T;Lille;4000;12,345;10;17/09/2018;15/10/2018", "two decimals"),
        ("<script>alert(1)</script>;T;Lille;4000;5000;10;17/09/2018;15/10/2018", "HTML"),
        ("A;<b>T</b>;Lille;4000;5000;10;17/09/2018;15/10/2018", "HTML"),
        ("A;T;Lille;4000;5000;10;30/02/2018;15/10/2018", "not a date"),
        ("A;T;Lille;4000;5000;10;15/10/2018;17/09/2018", "before the start"),
        ("A;T;Lille;4000;5000;10;17/09/1850;15/10/1850", "plausible"),
        ("A;T;Lille;4000;5000;0;17/09/2018;15/10/2018", "contributors is 0"),
        (";T;Lille;4000;5000;10;17/09/2018;15/10/2018", "maker is empty"),
        ("A;" + "x" * 121 + ";Lille;4000;5000;10;17/09/2018;15/10/2018", "more than 120"),
        ("A;T;Lille;4000;5000;10;17/09/2018", "7 columns instead of 8"),
        ("A;T\u202e;Lille;4000;5000;10;17/09/2018;15/10/2018", "control characters"),
    ],
)
def test_a_bad_line_refuses_the_file_with_its_line_number(line, expected):
    messages = refused(csv_bytes(GOOD[0], line))
    assert any(m.startswith("Campaigns file, line 3:") and expected in m for m in messages), (
        messages
    )


def test_every_problem_is_listed_not_only_the_first():
    messages = refused(
        csv_bytes(
            "A;T;;abc;5000;10;17/09/2018;15/10/2018",
            GOOD[0],
            "B;U;;4000;xyz;10;17/09/2018;15/10/2018",
        )
    )
    assert any("line 2" in m for m in messages) and any("line 4" in m for m in messages)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "empty"),
        (HEADER.encode() + b"\n", "no campaign"),
        ("porteur;titre\nA;B\n".encode("latin-1"), "missing column"),
        (HEADER.encode("utf-16"), "not UTF-8"),
        ("é".encode("latin-1") + b";" + HEADER.encode(), "not UTF-8"),
        (HEADER.encode() + b"\nA\x00;T;;4000;5000;10;17/09/2018;15/10/2018\n", "not a CSV"),
        (b"%PDF-1.7\n%binary", "not a CSV"),
        (b"PK\x03\x04 a zip or an xlsx", "not a CSV"),
        (HEADER.replace(";", ",").encode(), "semicolons"),
        ((HEADER + ";colonne\n").encode(), "unknown column"),
        ((HEADER + ";titre\n").encode(), "twice"),
        (b"x" * (2 * 1024 * 1024 + 1), "too large"),
    ],
)
def test_a_bad_file_is_refused_with_a_clear_message(data, expected):
    messages = refused(data)
    assert any(expected in m for m in messages), messages


def test_two_campaigns_with_the_same_title_are_refused():
    messages = refused(csv_bytes(GOOD[0], GOOD[0]))
    assert any("line 3" in m and "already on line 2" in m for m in messages)


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        ("Autre;17/09/2018;400;6", "no campaign is titled"),
        ("Lampes en carton;16/09/2018;400;6", "outside the campaign's dates"),
        ("Lampes en carton;17/09/2018;900000;6", "final figures"),
        (
            "Lampes en carton;17/09/2018;400;6\nLampes en carton;17/09/2018;500;7",
            "already on line 2",
        ),
        ("Lampes en carton;17/09/2018;400;6\nLampes en carton;18/09/2018;300;7", "go down"),
    ],
)
def test_a_bad_days_file_refuses_both(days, expected):
    messages = refused(
        csv_bytes(*GOOD), ("titre;jour;collecte;contributeurs\n" + days + "\n").encode()
    )
    assert any(m.startswith("Days file") and expected in m for m in messages), messages


# --- the import ---------------------------------------------------------------------------------


def test_the_import_stores_the_edition_its_campaigns_and_days(organiser, manager):
    edition = import_past_edition(organiser, facts(), csv_bytes(*GOOD), DAYS.encode(), user=manager)
    assert edition.campaigns.count() == 2
    assert PastDay.objects.filter(campaign__edition=edition).count() == 2
    assert (edition.campaigns_start.isoformat(), edition.campaigns_end.isoformat()) == (
        "2018-09-17",
        "2018-10-15",
    )
    assert AuditLog.objects.filter(action=actions.PAST_EDITION_IMPORTED, user=manager).count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"laureates_count": 50}, "laureates_count"),  # more laureates than applications
        ({"laureates_count": 1}, "laureates_count"),  # fewer laureates than campaigns
        ({"year": 2019}, "year"),  # the campaigns start in 2018
    ],
)
def test_facts_that_contradict_the_files_are_refused(organiser, manager, overrides, field):
    with pytest.raises(PastEditionError) as caught:
        import_past_edition(organiser, facts(**overrides), csv_bytes(*GOOD), user=manager)
    assert field in caught.value.message_dict
    assert not PastEdition.objects.exists()


def test_a_name_is_used_once_per_organiser(organiser, other_organiser, manager):
    import_past_edition(organiser, facts(), csv_bytes(*GOOD), user=manager)
    with pytest.raises(PastEditionError):
        import_past_edition(organiser, facts(), csv_bytes(*GOOD), user=manager)
    import_past_edition(other_organiser, facts(), csv_bytes(*GOOD), user=None)
    assert PastEdition.objects.count() == 2


# --- the pages ----------------------------------------------------------------------------------


def _post(client, organiser, campaigns: bytes, days: bytes | None = None, **fields):
    data = {
        "name": "MEL Makers 2018",
        "year": "2018",
        "applications_count": "40",
        "laureates_count": "10",
        "campaigns_file": SimpleUploadedFile("campagnes.csv", campaigns, "text/csv"),
        **fields,
    }
    if days is not None:
        data["days_file"] = SimpleUploadedFile("jours.csv", days, "text/csv")
    return client.post(reverse("tracking_manage:past_edition_import", args=[organiser.slug]), data)


def test_the_manager_imports_then_deletes_an_edition(organiser, manager, client_for):
    client = client_for(manager)
    page = client.get(reverse("tracking_manage:past_editions", args=[organiser.slug]))
    assert page.status_code == 200
    assert (
        reverse("tracking_manage:past_edition_import", args=[organiser.slug])
        in page.content.decode()
    )
    response = _post(client, organiser, csv_bytes(*GOOD), DAYS.encode())
    edition = PastEdition.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "tracking_manage:past_edition", args=[organiser.slug, edition.pk]
    )
    detail = client.get(response["Location"]).content.decode()
    assert "Lampes en carton" in detail and "Léa Vandamme" in detail
    delete = reverse("tracking_manage:past_edition_delete", args=[organiser.slug, edition.pk])
    assert client.get(delete).status_code == 200
    assert client.post(delete).status_code == 302
    assert not PastEdition.objects.exists() and not PastCampaign.objects.exists()
    assert AuditLog.objects.filter(action=actions.PAST_EDITION_DELETED).count() == 1


def test_a_bad_file_shows_the_lines_and_imports_nothing(organiser, manager, client_for):
    response = _post(
        client_for(manager),
        organiser,
        csv_bytes(GOOD[0], "A;T;;4000;1e999;10;17/09/2018;15/10/2018"),
    )
    assert response.status_code == 400
    assert "Campaigns file, line 3" in response.content.decode()
    assert not PastEdition.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"name": ""},
        {"name": "a\x00b"},
        {"name": "<script>alert(1)</script>"},
        {"name": "x" * 100_000},
        {"year": "9" * 40},
        {"year": "1e308"},
        {"year": "2999"},
        {"applications_count": "-1"},
        {"applications_count": "9" * 40},
        {"laureates_count": "NaN"},
    ],
)
def test_bad_form_input_is_refused_with_nothing_saved(organiser, manager, client_for, fields):
    response = _post(client_for(manager), organiser, csv_bytes(*GOOD), **fields)
    assert response.status_code == 400
    assert not PastEdition.objects.exists()


def test_a_missing_or_binary_file_is_refused(organiser, manager, client_for):
    client = client_for(manager)
    url = reverse("tracking_manage:past_edition_import", args=[organiser.slug])
    assert (
        client.post(
            url, {"name": "X", "year": "2018", "applications_count": "1", "laureates_count": "1"}
        ).status_code
        == 400
    )
    response = _post(client, organiser, b"\x89PNG\r\n\x1a\n\x00\x00binary")
    assert response.status_code == 400
    assert not PastEdition.objects.exists()


def test_the_viewer_reads_but_cannot_import_nor_delete(organiser, manager, viewer, client_for):
    edition = import_past_edition(organiser, facts(), csv_bytes(*GOOD), user=manager)
    client = client_for(viewer)
    assert (
        client.get(reverse("tracking_manage:past_editions", args=[organiser.slug])).status_code
        == 200
    )
    assert (
        client.get(
            reverse("tracking_manage:past_edition", args=[organiser.slug, edition.pk])
        ).status_code
        == 200
    )
    assert (
        client.get(
            reverse("tracking_manage:past_edition_import", args=[organiser.slug])
        ).status_code
        == 403
    )
    assert _post(client, organiser, csv_bytes(*GOOD), name="Autre").status_code == 403
    delete = reverse("tracking_manage:past_edition_delete", args=[organiser.slug, edition.pk])
    assert client.post(delete).status_code == 403
    assert PastEdition.objects.count() == 1


def test_another_organiser_gets_404(
    organiser, manager, other_organiser, other_manager, client_for, client
):
    edition = import_past_edition(organiser, facts(), csv_bytes(*GOOD), user=manager)
    other = client_for(other_manager)
    assert (
        other.get(reverse("tracking_manage:past_editions", args=[organiser.slug])).status_code
        == 404
    )
    # through their own organiser's address, the edition of the MEL does not exist
    for name in ("past_edition", "past_edition_delete"):
        url = reverse(f"tracking_manage:{name}", args=[other_organiser.slug, edition.pk])
        assert other.get(url).status_code == 404
    assert other.post(url).status_code == 404  # the deletion
    anonymous = client.get(reverse("tracking_manage:past_editions", args=[organiser.slug]))
    assert anonymous.status_code == 302
    assert PastEdition.objects.count() == 1
