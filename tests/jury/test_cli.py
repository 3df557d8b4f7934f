"""`tremplin tally <slug> [--json]`."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import translation

from tests.factories import PartnerFactory, ProgrammeFactory
from tests.jury.factories import BallotFactory, CandidateFactory, GradeFactory, JuryFactory
from tremplin.jury.enums import JuryMethod
from tremplin.jury.tally import compute_tally
from tremplin.jury.tally_json import tally_to_json

pytestmark = pytest.mark.django_db


@pytest.fixture
def jury(organiser):
    jury = JuryFactory(
        programme__organiser=organiser,
        programme__slug="mel-makers-2019",
        method=JuryMethod.MAJORITY_JUDGMENT,
        quorum=2,
    )
    apps = [CandidateFactory(programme=jury.programme, title=t) for t in ["Vélo", "Four", "Lampe"]]
    for name, grades in [("Atelier", [0, 2, 2]), ("Campus", [1, 2, 3]), ("Fablab", [1, 1, 3])]:
        ballot = BallotFactory(jury=jury, partner=PartnerFactory(organiser=organiser, name=name))
        for app, value in zip(apps, grades, strict=True):
            GradeFactory(ballot=ballot, application=app, value=value)
    return jury


def run(*args: str) -> str:
    out = StringIO()
    call_command("tally", *args, stdout=out)
    return out.getvalue()


def test_json_output_is_tally_to_json(jury):
    output = run("mel-makers-2019", "--json")
    with translation.override(settings.LANGUAGE_CODE):
        expected = tally_to_json(compute_tally(jury))
    assert output == expected + "\n"
    assert json.loads(output) == json.loads(expected)
    assert run("mel-makers-2019", "--json") == output  # byte-for-byte on a second run


def test_json_language_option(jury):
    output = run("mel-makers-2019", "--json", "--language", "en")
    data = json.loads(output)
    first = data["results"][0]["explanation"]
    assert first.startswith("Majority grade Very good+, graded by 3 ballots.")
    assert data["results"][0]["majority_grade"] == 1
    assert data["method"] == "majority_judgment"
    assert data["programme"] == "mel-makers-2019"


def test_table_output(jury):
    with translation.override("en"):
        result = compute_tally(jury)
    output = run("mel-makers-2019", "--language", "en")
    assert result.ballots_fingerprint in output
    assert "Submitted ballots: 3 (quorum 2 met)" in output
    lines = output.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("Rank"))
    assert "Reference" in lines[header] and "Explanation" in lines[header]
    first = lines[header + 1]
    assert first.startswith("1 ") and result.results[0].reference in first
    assert "Vélo" in first and "Very good+" in first


def test_unknown_slug():
    with pytest.raises(CommandError, match="No programme has the slug"):
        run("nope", "--language", "en")


def test_programme_without_jury(organiser):
    ProgrammeFactory(organiser=organiser, slug="sans-jury")
    with pytest.raises(CommandError, match="has no jury"):
        run("sans-jury", "--json", "--language", "en")
