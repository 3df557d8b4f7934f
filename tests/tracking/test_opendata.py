"""Open data: the programme's public results as CSV with its Table Schema, public (no
account) once the campaigns are over, 404 before; the CSV validates against its schema
(a strict checker of the Table Schema subset we use, written here)."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.tracking import scenario
from tremplin.tracking.opendata import LICENCE

pytestmark = pytest.mark.django_db

SPEC_KEYS = {"name", "title", "type", "description", "example", "constraints", "format"}
NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
INTEGER = re.compile(r"^-?[0-9]+$")


def validate(schema: dict, body: bytes) -> list[dict]:
    """Check a CSV against a Table Schema: UTF-8 text, header = the fields' names in order,
    every cell of its field's type, the constraints (required, minimum, maxLength, enum)
    held. Returns the rows as dicts; raises AssertionError naming the first problem."""
    text = body.decode("utf-8")
    assert not text.startswith("\ufeff"), "a BOM before the header"
    fields = schema["fields"]
    for field in fields:
        assert set(field) <= SPEC_KEYS, f"unknown keys in {field['name']}"
        assert field["type"] in ("string", "number", "integer"), field
        assert field["name"] and field["title"] and field["description"]
    rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    assert rows[0] == [f["name"] for f in fields], "the header is not the fields' names"
    missing = set(schema.get("missingValues", [""]))
    out = []
    for number, row in enumerate(rows[1:], start=2):
        assert len(row) == len(fields), f"line {number}: {len(row)} cells"
        record = {}
        for field, cell in zip(fields, row, strict=True):
            where = f"line {number}, {field['name']}"
            constraints = field.get("constraints", {})
            if cell in missing:
                assert not constraints.get("required"), f"{where}: required"
                record[field["name"]] = None
                continue
            if field["type"] == "number":
                assert NUMBER.match(cell), f"{where}: {cell!r} is not a number"
                value = Decimal(cell)
            elif field["type"] == "integer":
                assert INTEGER.match(cell), f"{where}: {cell!r} is not an integer"
                value = int(cell)
            else:
                value = cell
            if "minimum" in constraints:
                assert value >= constraints["minimum"], f"{where}: below the minimum"
            if "maxLength" in constraints:
                assert len(value) <= constraints["maxLength"], f"{where}: too long"
            if "enum" in constraints:
                assert value in constraints["enum"], f"{where}: {value!r} not allowed"
            record[field["name"]] = value
        out.append(record)
    return out


@pytest.fixture
def programme(organiser, manager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        programme = scenario.build(organiser, manager)
        scenario.finish(programme)
    return programme


def test_the_results_validate_against_their_schema(programme, client):
    response = client.get(reverse("tracking:results", args=[programme.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    schema_response = client.get(reverse("tracking:results_schema", args=[programme.slug]))
    schema = json.loads(schema_response.content)
    assert schema["licenses"] == [LICENCE]
    assert LICENCE["path"].startswith("https://www.etalab.gouv.fr/")
    assert schema["resources"][0]["path"].endswith(f"/p/{programme.slug}/resultats.csv")
    rows = validate(schema, response.content)
    by_title = {row["titre"]: row for row in rows}
    assert len(rows) == 3
    campaigns = {c.title: c for c in programme.campaigns.all()}
    for title, row in by_title.items():
        campaign = campaigns[title]
        assert row["collecte_eur"] == campaign.raised_amount
        assert row["abondement_eur"] == campaign.matched_amount
        assert row["contributeurs"] == campaign.contributor_count
        assert row["objectif_eur"] == campaign.goal
        assert row["commune"] == (campaign.application.commune or None)
    outcomes = sorted(row["resultat"] for row in rows)
    assert outcomes == ["objectif_atteint", "objectif_non_atteint", "objectif_non_atteint"]


def test_the_checker_catches_a_bad_file(programme, client):
    schema = json.loads(
        client.get(reverse("tracking:results_schema", args=[programme.slug])).content
    )
    good = client.get(reverse("tracking:results", args=[programme.slug])).content.decode()
    header, *rows = list(csv.reader(io.StringIO(good)))
    validate(schema, good.encode())
    for column, value in (
        ("resultat", "peut-etre"),
        ("contributeurs", "douze"),
        ("collecte_eur", "12,50"),
        ("objectif_eur", "-5"),
        ("titre", ""),
    ):
        changed = [list(row) for row in rows]
        changed[0][header.index(column)] = value
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerows([header, *changed])
        with pytest.raises(AssertionError):
            validate(schema, out.getvalue().encode())


def test_the_results_are_public_only_once_the_campaigns_are_over(
    organiser, manager, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        programme = scenario.build(organiser, manager, slug="mel-makers-2022")
    for name in ("results", "results_schema"):
        assert client.get(reverse(f"tracking:{name}", args=[programme.slug])).status_code == 404
    page = client.get(reverse("calls:programme", args=[programme.slug])).content.decode()
    assert "resultats.csv" not in page
    scenario.finish(programme)
    page = client.get(reverse("calls:programme", args=[programme.slug])).content.decode()
    assert reverse("tracking:results", args=[programme.slug]) in page
    assert reverse("tracking:results_schema", args=[programme.slug]) in page
    assert client.get(reverse("tracking:results", args=[programme.slug])).status_code == 200


@pytest.mark.parametrize("slug", ["inconnu", "9" * 40, "a" * 80])
def test_an_unknown_programme_is_404(db, client, slug):
    assert client.get(reverse("tracking:results", args=[slug])).status_code == 404
    assert client.get(reverse("tracking:results_schema", args=[slug])).status_code == 404


def test_a_draft_programme_is_404(programme, client):
    from tremplin.calls.models import Programme

    Programme.objects.filter(pk=programme.pk).update(state="draft")
    assert client.get(reverse("tracking:results", args=[programme.slug])).status_code == 404


def test_nothing_but_get_and_head(programme, client):
    path = reverse("tracking:results", args=[programme.slug])
    assert client.head(path).status_code == 200
    assert client.post(path).status_code == 405
