"""The final report's figures (``tracking.report_figures``) as tables with labels in the
active language and typed cells: the PDF draws them, the CSV and the XLSX write them, so
the three always hold the same numbers."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from tremplin.calls.enums import MakerProfile
from tremplin.calls.exports import neutralise, to_csv
from tremplin.campaigns.enums import FundingRule
from tremplin.jury.enums import BallotScope, JuryMethod
from tremplin.tracking.report_figures import DIRECT, LIVE, NOT_REACHED, NOT_STARTED, REACHED

# Kinds of cells (how the PDF formats them; CSV/XLSX take the typed value).
TEXT, MONEY, COUNT, PERCENT, DATE, YEAR = "text", "money", "count", "percent", "date", "year"


@dataclass
class Table:
    key: str
    title: str
    header: list[str]
    kinds: list[str]
    rows: list[list]


def _d(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _day(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _label(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def outcome_label(code: str) -> str:
    return {
        REACHED: _("Goal reached"),
        NOT_REACHED: _("Goal not reached"),
        LIVE: _("Live"),
        NOT_STARTED: _("Not started"),
    }.get(code, code)


def channel_label(code: str) -> str:
    return _("Direct (no tracked link)") if code == DIRECT else code


def source_label(code: str) -> str:
    return {
        "past": _("Before the platform (imported)"),
        "platform": _("On the platform"),
        "this": _("This edition"),
    }.get(code, code)


def _pairs(key: str, title: str, rows: list[tuple[str, str, object]]) -> Table:
    """A two-column table (figure, value) whose values have different kinds: the kind of
    each value rides in the row (third item) and is read by ``cell_kind``."""
    return Table(
        key,
        title,
        [_("Figure"), _("Value")],
        [TEXT, "mixed"],
        [[label, (kind, value)] for label, kind, value in rows],
    )


def tables(figures: dict) -> list[Table]:
    p, call, jury, totals = (
        figures["programme"],
        figures["call"],
        figures["jury"],
        figures["totals"],
    )
    out = [
        _pairs(
            "summary",
            _("Key figures"),
            [
                (_("Programme"), TEXT, p["name"]),
                (_("Organiser"), TEXT, p["organiser"]),
                (_("Campaigns start"), DATE, _day(p["campaigns_start"])),
                (_("Campaigns end"), DATE, _day(p["campaigns_end"])),
                (_("Funding rule"), TEXT, _label(FundingRule, p["funding_rule"])),
                (_("Campaigns"), COUNT, totals["campaigns"]),
                (_("Campaigns over"), COUNT, totals["ended"]),
                (_("Campaigns that reached their goal"), COUNT, totals["reached"]),
                (_("Success rate"), PERCENT, _d(totals["success_rate"])),
                (_("Sum of the goals"), MONEY, _d(totals["goals"])),
                (_("Raised from contributors"), MONEY, _d(totals["raised"])),
                (_("Matched by the authority"), MONEY, _d(totals["matched"])),
                (_("Raised and matched"), MONEY, _d(totals["raised_and_matched"])),
                (_("Contributions"), COUNT, totals["contributions"]),
                (_("Average contribution"), MONEY, _d(totals["average_gift"])),
                (_("Median contribution"), MONEY, _d(totals["median_gift"])),
                (_("Raised online"), MONEY, _d(totals["online"])),
                (_("Raised offline (cheques, cash, transfers)"), MONEY, _d(totals["offline"])),
                (_("Contributions refunded"), COUNT, totals["refunds_count"]),
                (_("Amount refunded"), MONEY, _d(totals["refunds"])),
            ],
        ),
        _pairs(
            "call",
            _("The call for projects"),
            [
                (_("Applications received"), COUNT, call["applications"]),
                (_("Eligible"), COUNT, call["eligible"]),
                (_("Ineligible"), COUNT, call["ineligible"]),
                (_("Withdrawn"), COUNT, call["withdrawn"]),
            ],
        ),
        Table(
            "call_communes",
            _("Applications by commune"),
            [_("Commune"), _("Applications")],
            [TEXT, COUNT],
            [[name or _("not given"), n] for name, n in call["communes"]],
        ),
        Table(
            "call_categories",
            _("Applications by category"),
            [_("Category"), _("Applications")],
            [TEXT, COUNT],
            [[name or _("not given"), n] for name, n in call["categories"]],
        ),
        Table(
            "call_profiles",
            _("Applications by maker profile"),
            [_("Maker profile"), _("Applications")],
            [TEXT, COUNT],
            [[_label(MakerProfile, v) if v else _("not given"), n] for v, n in call["profiles"]],
        ),
    ]
    if jury:
        out.append(
            _pairs(
                "jury",
                _("The jury"),
                [
                    (_("Voting method"), TEXT, _label(JuryMethod, jury["method"])),
                    (_("Ballots"), TEXT, _label(BallotScope, jury["ballot_scope"])),
                    (_("Partner organisations"), COUNT, jury["partners"]),
                    (_("Ballots expected"), COUNT, jury["ballots_expected"]),
                    (_("Ballots submitted"), COUNT, jury["ballots_submitted"]),
                    (_("Participation"), PERCENT, _d(jury["participation"])),
                    (_("Results published on"), DATE, _day(jury["published"])),
                    (_("Laureates"), COUNT, jury["laureates"]),
                ],
            )
        )
    out += [
        Table(
            "campaigns",
            _("The laureates' campaigns"),
            [
                _("Campaign"),
                _("Maker"),
                _("Commune"),
                _("Goal"),
                _("Raised"),
                _("Matched"),
                _("Contributions"),
                _("% of goal"),
                _("Refunded"),
                _("Outcome"),
            ],
            [TEXT, TEXT, TEXT, MONEY, MONEY, MONEY, COUNT, PERCENT, MONEY, TEXT],
            [
                [
                    c["title"],
                    c["maker"],
                    c["commune"],
                    _d(c["goal"]),
                    _d(c["raised"]),
                    _d(c["matched"]),
                    c["contributions"],
                    _d(c["percent"]),
                    _d(c["refunds"]),
                    outcome_label(c["outcome"]),
                ]
                for c in figures["campaigns"]
            ],
        ),
        Table(
            "days",
            _("Day by day (all campaigns, cumulative)"),
            [_("Day"), _("Raised"), _("Matched"), _("Contributions"), _("% of the goals")],
            [DATE, MONEY, MONEY, COUNT, PERCENT],
            [
                [
                    _day(d["day"]),
                    _d(d["raised"]),
                    _d(d["matched"]),
                    d["contributions"],
                    _d(d["percent_of_goal"]),
                ]
                for d in figures["days"]
            ],
        ),
        Table(
            "channels",
            _("Contributions by channel"),
            [_("Channel"), _("Contributions"), _("Amount"), _("Share of the amount")],
            [TEXT, COUNT, MONEY, PERCENT],
            _channel_rows(figures),
        ),
        Table(
            "communes",
            _("Contributors' communes (where known)"),
            [_("Commune"), _("Contributions"), _("Amount")],
            [TEXT, COUNT, MONEY],
            [[c["commune"], c["contributions"], _d(c["amount"])] for c in figures["communes"]]
            + (
                [[_("Other communes"), figures["communes_other"], None]]
                if figures["communes_other"]
                else []
            )
            + [[_("Not known"), figures["communes_unknown"], None]],
        ),
        Table(
            "comparison",
            _("Comparison with the previous editions"),
            [
                _("Edition"),
                _("Year"),
                _("Source"),
                _("Applications"),
                _("Laureates"),
                _("Campaigns over"),
                _("Reached their goal"),
                _("Success rate"),
                _("Raised"),
                _("Contributions"),
                _("Average contribution"),
            ],
            [TEXT, YEAR, TEXT, COUNT, COUNT, COUNT, COUNT, PERCENT, MONEY, COUNT, MONEY],
            [
                [
                    e["name"],
                    e["year"],
                    source_label(e["source"]),
                    e["applications"],
                    e["laureates"],
                    e["campaigns"],
                    e["reached"],
                    _d(e["success_rate"]),
                    _d(e["raised"]),
                    e["contributions"],
                    _d(e["average_gift"]),
                ]
                for e in figures["comparison"]
            ],
        ),
    ]
    return out


def _channel_rows(figures: dict) -> list[list]:
    total = sum(Decimal(c["amount"]) for c in figures["channels"])
    rows = []
    for c in figures["channels"]:
        amount = Decimal(c["amount"])
        share = (amount * 100 / total).quantize(Decimal("0.1")) if total else None
        rows.append([channel_label(c["channel"]), c["contributions"], amount, share])
    return rows


def cell_kind(table: Table, index: int, value) -> tuple[str, object]:
    """The kind and the value of a cell (a "mixed" column carries (kind, value) pairs)."""
    kind = table.kinds[index]
    if kind == "mixed":
        return value
    return kind, value


def _flat(table: Table) -> Iterator[list]:
    for row in table.rows:
        yield [cell_kind(table, i, v)[1] for i, v in enumerate(row)]


def report_csv(figures: dict) -> bytes:
    """Every table one after the other: a line with the table's title, its header, its
    rows, an empty line (UTF-8 with BOM, ``;``: what a French spreadsheet opens)."""

    def rows() -> Iterator[list]:
        for table in tables(figures):
            yield [table.title]
            yield table.header
            yield from _flat(table)
            yield []

    return to_csv([_("Final report"), figures["programme"]["name"]], rows())


def report_xlsx(figures: dict) -> bytes:
    """One sheet per table, numbers as numbers with their format (formulas neutralised as
    in every export); the workbook's dates are the data's, not the clock's."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    formats = {
        MONEY: '#,##0.00 "€"',
        PERCENT: '0.0" %"',
        DATE: "dd/mm/yyyy",
        COUNT: "#,##0",
        YEAR: "0",
    }
    workbook = Workbook()
    workbook.remove(workbook.active)
    as_of = datetime.datetime.fromisoformat(figures["programme"]["as_of"]).replace(tzinfo=None)
    workbook.properties.created = workbook.properties.modified = as_of
    workbook.properties.title = figures["programme"]["name"]
    bold = Font(bold=True)
    for table in tables(figures):
        sheet = workbook.create_sheet(title=_sheet_title(table.title, workbook.sheetnames))
        sheet.append([neutralise(h) for h in table.header])
        for cell in sheet[1]:
            cell.font = bold
        widths = [len(h) for h in table.header]
        for r, row in enumerate(table.rows, start=2):
            for c, raw in enumerate(row, start=1):
                kind, value = cell_kind(table, c - 1, raw)
                cell = sheet.cell(row=r, column=c, value=_xlsx_cell(value))
                if kind in formats and value is not None:
                    cell.number_format = formats[kind]
                widths[c - 1] = max(widths[c - 1], len(str(value or "")))
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = max(10, min(width + 2, 50))
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _sheet_title(title: str, taken: list[str]) -> str:
    clean = "".join(ch for ch in title if ch not in "[]:*?/\\")[:31]
    name, n = clean, 2
    while name in taken:
        name = f"{clean[:28]} {n}"
        n += 1
    return name


def _xlsx_cell(value):
    return neutralise(value) if isinstance(value, str) else value
