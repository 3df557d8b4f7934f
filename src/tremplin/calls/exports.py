"""Export of a programme's submitted applications, with every standard field and one column
per custom question, to CSV (UTF-8 with BOM, ``;``-separated: what a French Excel opens
directly) and XLSX.

Cells that a spreadsheet would run as a formula (text starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) are prefixed with a single quote: an applicant cannot
plant a formula in the organiser's spreadsheet (CSV/formula injection)."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext

from tremplin.calls.enums import ApplicationState, Eligibility, MakerProfile
from tremplin.calls.models import Answer, Application, Programme, Question
from tremplin.core.dates import naive_paris

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CSV_DELIMITER = ";"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = '#,##0.00 "€"'
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"

Cell = str | Decimal | datetime.datetime | int | None


def neutralise(value: Any) -> Any:
    """Prefix text a spreadsheet would take for a formula with a single quote."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _label(choices, value: str) -> str:
    try:
        return str(choices(value).label) if value else ""
    except ValueError:
        return value


def standard_columns() -> list[tuple[str, Callable[[Application], Cell]]]:
    """(header, getter) for the standard fields, headers in the current language."""
    return [
        (gettext("Reference"), lambda a: a.reference),
        (gettext("Project title"), lambda a: a.title),
        (gettext("Summary"), lambda a: a.summary),
        (gettext("Description"), lambda a: a.description),
        (gettext("Category"), lambda a: a.category),
        (gettext("Commune"), lambda a: a.commune),
        (gettext("Maker profile"), lambda a: _label(MakerProfile, a.maker_profile)),
        (gettext("Maker's name"), lambda a: a.maker_name or a.maker.full_name),
        (gettext("E-mail address"), lambda a: a.maker.email),
        (gettext("Phone"), lambda a: a.maker_phone),
        (gettext("Funding goal (€)"), lambda a: a.funding_goal),
        (gettext("Total budget (€)"), lambda a: a.budget),
        (gettext("Video link"), lambda a: a.video_url),
        (gettext("Submitted at"), lambda a: naive_paris(a.submitted_at)),
        (gettext("Eligibility"), lambda a: _label(Eligibility, a.eligibility)),
        (gettext("Reason"), lambda a: a.eligibility_reason),
        (gettext("Screened at"), lambda a: naive_paris(a.screened_at)),
    ]


def export_applications(programme: Programme) -> tuple[list[str], Iterator[list[Cell]], int]:
    """Header, rows and row count of every submitted application of ``programme``.
    Three queries whatever the number of applications (applications with their maker,
    questions, answers)."""
    questions = list(Question.objects.filter(programme=programme).order_by("position", "id"))
    by_pk = {q.pk: q for q in questions}
    applications = list(
        Application.objects.filter(programme=programme, state=ApplicationState.SUBMITTED)
        .select_related("maker")
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=Answer.objects.only(
                    "id", "application_id", "question_id", "value", "file"
                ),
            )
        )
        .order_by("submitted_at", "id")
    )
    columns = standard_columns()
    header = [name for name, _getter in columns] + [q.label for q in questions]

    def rows() -> Iterator[list[Cell]]:
        for application in applications:
            answers: dict[int, str] = {}
            for answer in application.answers.all():
                answer.question = by_pk[answer.question_id]  # no query per answer
                answers[answer.question_id] = answer.display()
            yield [getter(application) for _name, getter in columns] + [
                answers.get(q.pk, "") for q in questions
            ]

    return header, rows(), len(applications)


def _csv_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")  # what a French spreadsheet reads as a number
    if isinstance(value, datetime.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    return neutralise(str(value))


def to_csv(header: list[str], rows: Iterator[list[Cell]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([_csv_text(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(header: list[str], rows: Iterator[list[Cell]], *, title: str) -> bytes:
    """A workbook in write-only mode (fast for thousands of rows): a bold header row, frozen
    with the reference and title columns, an auto-filter, widths fitted to the content."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    values = [[neutralise(v) for v in row] for row in rows]
    widths = [len(h) for h in header]
    for row in values:
        for index, value in enumerate(row):
            if isinstance(value, str):
                length = max((len(line) for line in value.splitlines()), default=0)
            else:
                length = 16 if isinstance(value, datetime.datetime) else len(str(value or ""))
            widths[index] = max(widths[index], length)

    workbook = Workbook(write_only=True)
    # Sheet titles: at most 31 characters, none of []:*?/\
    clean_title = "".join(c for c in title if c not in "[]:*?/\\")[:31].strip()
    sheet = workbook.create_sheet(title=clean_title or "Applications")
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(10, min(width + 2, 60))
    sheet.freeze_panes = "C2"  # the header row, the reference and the title stay in view
    sheet.auto_filter.ref = f"A1:{get_column_letter(max(len(header), 1))}{len(values) + 1}"

    bold, top = Font(bold=True), Alignment(vertical="top", wrap_text=True)
    header_cells = []
    for name in header:
        cell = WriteOnlyCell(sheet, value=neutralise(name))
        cell.font, cell.alignment = bold, top
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in values:
        cells: list = []
        for value in row:
            if isinstance(value, Decimal):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = MONEY_FORMAT
                cells.append(cell)
            elif isinstance(value, datetime.datetime):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = DATETIME_FORMAT
                cells.append(cell)
            else:
                cells.append(value)  # text is neutralised: never read as a formula
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
