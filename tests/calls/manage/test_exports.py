"""Export of the applications to CSV and XLSX, read back with csv and openpyxl."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests import factories
from tremplin.calls.enums import QuestionKind
from tremplin.calls.exports import neutralise
from tremplin.core.models import AuditLog

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def _url(programme, fmt: str) -> str:
    return reverse("manage:applications_export", args=["mel", programme.slug, fmt])


@pytest.fixture
def data(world):
    programme = world.programme
    choice = factories.QuestionFactory(
        programme=programme,
        kind=QuestionKind.MULTIPLE_CHOICE,
        label_fr="Outils",
        label_en="Tools",
        choices="Scie | Saw\nPerceuse | Drill",
    )
    yes_no = factories.QuestionFactory(
        programme=programme, kind=QuestionKind.YES_NO, label_fr="Local ?", label_en="Premises?"
    )
    document = factories.QuestionFactory(
        programme=programme, kind=QuestionKind.FILE, label_fr="Devis", label_en="Quote"
    )
    evil = factories.SubmittedApplicationFactory(
        programme=programme,
        title='=HYPERLINK("http://evil.example","clic")',
        summary="+33 6 12 34 56 78",
        maker_name="@SUM(A1:A9)",
        maker_phone="-1+1",
        description="Ligne 1\nLigne 2; avec point-virgule",
        funding_goal=Decimal("1250.50"),
        submitted_at=datetime.datetime(2031, 4, 1, 10, 30, tzinfo=PARIS),
    )
    factories.AnswerFactory(application=evil, question=world.question, value="=1+2")
    factories.AnswerFactory(application=evil, question=choice, value=["Scie", "Perceuse"])
    factories.AnswerFactory(application=evil, question=yes_no, value=True)
    answer = factories.AnswerFactory(application=evil, question=document, value=None)
    answer.file.save("devis-atelier.pdf", ContentFile(b"%PDF-1.4"), save=True)
    factories.ApplicationFactory(programme=programme, title="Brouillon")
    factories.SubmittedApplicationFactory(programme=programme, title="Retiré", state="withdrawn")
    return {"evil": evil, "file_name": answer.file.name.rsplit("/", 1)[-1]}


def _read_csv(response) -> list[list[str]]:
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM, for Excel
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def test_csv_export(world, data, en):
    response = en(world.viewer).get(_url(world.programme, "csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'attachment; filename="mel-makers-2020-candidatures-' in response["Content-Disposition"]
    rows = _read_csv(response)
    header, body = rows[0], rows[1:]
    assert header[:3] == ["Reference", "Project title", "Summary"]
    assert header[-4:] == [world.question.label_en, "Tools", "Premises?", "Quote"]
    titles = [row[1] for row in body]
    assert len(body) == 2  # submitted only: no draft, no withdrawn application
    assert "Brouillon" not in titles and "Retiré" not in titles
    row = dict(zip(header, next(r for r in body if "HYPERLINK" in r[1]), strict=True))
    # formula injection neutralised
    assert row["Project title"] == '\'=HYPERLINK("http://evil.example","clic")'
    assert row["Summary"] == "'+33 6 12 34 56 78"
    assert row["Maker's name"] == "'@SUM(A1:A9)"
    assert row["Phone"] == "'-1+1"
    assert row[world.question.label_en] == "'=1+2"
    # values
    assert row["Description"] == "Ligne 1\nLigne 2; avec point-virgule"
    assert row["Funding goal (€)"] == "1250,50"
    assert row["Submitted at"] == "01/04/2031 10:30"  # Paris time
    assert row["E-mail address"] == data["evil"].maker.email
    assert row["Maker profile"] == "Entrepreneur"
    assert row["Eligibility"] == "Not screened yet"
    assert row["Tools"] == "Scie, Perceuse"
    assert row["Premises?"] == "Yes"
    assert row["Quote"] == data["file_name"]
    entry = AuditLog.objects.get(action="tremplin.applications.exported")
    assert entry.user == world.viewer
    assert entry.data == {"format": "csv", "count": 2}


def test_xlsx_export(world, data, en):
    response = en(world.manager).get(_url(world.programme, "xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    assert header[0] == "Reference"
    assert header[-3:] == ["Tools", "Premises?", "Quote"]
    assert sheet.freeze_panes == "C2"
    assert sheet["A1"].font.bold
    assert sheet.column_dimensions["B"].width >= 10
    assert len(rows) == 3
    row = dict(zip(header, next(r for r in rows[1:] if "HYPERLINK" in r[1]), strict=True))
    assert row["Project title"] == '\'=HYPERLINK("http://evil.example","clic")'
    assert row["Maker's name"] == "'@SUM(A1:A9)"
    assert row[world.question.label_en] == "'=1+2"
    # no cell of the sheet is a formula
    assert all(cell.data_type != "f" for line in sheet.iter_rows() for cell in line)
    assert row["Funding goal (€)"] == Decimal("1250.50")
    assert row["Submitted at"] == datetime.datetime(2031, 4, 1, 10, 30)
    assert row["Quote"] == data["file_name"]
    assert AuditLog.objects.get(action="tremplin.applications.exported").data["format"] == "xlsx"


def test_french_headers_when_reading_in_french(world, data, client_for):
    response = client_for(world.manager).get(_url(world.programme, "csv"))
    header = _read_csv(response)[0]
    assert "Outils" in header  # the French question label


def test_empty_export_has_the_header(world, en):
    world.application.delete()
    rows = _read_csv(en(world.manager).get(_url(world.programme, "csv")))
    assert len(rows) == 1


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_has_no_n_plus_one(world, en, django_assert_max_num_queries, fmt):
    client = en(world.manager)
    programme = world.programme
    questions = [world.question, factories.QuestionFactory(programme=programme)]

    def add(count):
        for application in factories.SubmittedApplicationFactory.create_batch(
            count, programme=programme
        ):
            for question in questions:
                factories.AnswerFactory(application=application, question=question)

    add(1)  # with the application of the world: 2 rows
    with CaptureQueriesContext(connection) as few:
        assert client.get(_url(programme, fmt)).status_code == 200
    add(28)  # 30 rows
    with django_assert_max_num_queries(len(few)):
        response = client.get(_url(programme, fmt))
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("ok = fine", "ok = fine"),
        (Decimal("-5"), Decimal("-5")),
        (None, None),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_xlsx_sheet_title_is_cleaned(world, en):
    world.programme.name = "MEL: Makers [2031]? / édition très longue au-delà de 31"
    world.programme.save()
    response = en(world.manager).get(_url(world.programme, "xlsx"))
    title = load_workbook(io.BytesIO(response.content)).active.title
    assert len(title) <= 31
    assert not set(title) & set("[]:*?/\\")
