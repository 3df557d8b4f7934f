"""The CSV files of a past edition, read and checked — a pure parser, like the offline
import (``funding.offline_csv``): nothing read from nor written to the database, and a file
with any problem is refused whole (``PastImportError`` lists every problem with its file
and line).

Two files, UTF-8 (with or without BOM), columns separated by semicolons, the first line
naming the columns (see docs/council-report.md):

* the campaigns (required), one line per campaign:
  ``porteur;titre;commune;objectif;collecte;contributeurs;debut;fin``
  (``commune`` may be left out);
* the days (optional), one line per campaign and day, the cumulative figures at the end of
  the day: ``titre;jour;collecte;contributeurs``.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.core.errors import DomainError
from tremplin.core.money import parse_amount, round_money

MAX_BYTES = 2 * 1024 * 1024
MAX_CAMPAIGNS = 500
MAX_DAY_ROWS = 50_000
MAX_ERRORS = 50
MAX_AMOUNT = Decimal("1000000")  # per campaign: more is taken for a typing error
MAX_CONTRIBUTORS = 100_000
MAX_DURATION_DAYS = 366
MIN_YEAR = 1990
MAX_MAKER = 150
MAX_TITLE = 120
MAX_COMMUNE = 100

CAMPAIGN_COLUMNS = (
    "porteur",
    "titre",
    "commune",
    "objectif",
    "collecte",
    "contributeurs",
    "debut",
    "fin",
)
CAMPAIGN_REQUIRED = tuple(c for c in CAMPAIGN_COLUMNS if c != "commune")
DAY_COLUMNS = ("titre", "jour", "collecte", "contributeurs")
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")
_HTML = re.compile(r"<\s*/?\s*[a-zA-Z!]|&#?\w+;")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
_DIGITS = re.compile(r"^[0-9]{1,9}$")


class PastImportError(DomainError):
    """Files refused whole: ``errors`` is a list of (file label, line or None, message)."""

    def __init__(self, errors: list[tuple[str, int | None, str]]):
        self.errors = errors[:MAX_ERRORS]
        super().__init__(self.lines(), code="past_import")

    def lines(self) -> list[str]:
        out = []
        for label, line, message in self.errors:
            if line is None:
                out.append(f"{label} : {message}" if label else message)
            else:
                out.append(
                    _("%(file)s, line %(line)d: %(message)s")
                    % {"file": label, "line": line, "message": message}
                )
        return out


@dataclass
class CampaignRow:
    line: int
    maker: str
    title: str
    commune: str
    goal: Decimal
    raised: Decimal
    contributors: int
    starts_on: datetime.date
    ends_on: datetime.date


@dataclass
class DayRow:
    line: int
    title: str
    day: datetime.date
    raised: Decimal
    contributors: int


@dataclass
class ParsedEdition:
    campaigns: list[CampaignRow]
    days: list[DayRow] = field(default_factory=list)

    @property
    def campaigns_start(self) -> datetime.date:
        return min(c.starts_on for c in self.campaigns)

    @property
    def campaigns_end(self) -> datetime.date:
        return max(c.ends_on for c in self.campaigns)


def _short(value: str, limit: int = 40) -> str:
    value = " ".join(_CONTROL.sub("", value).split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _text(value: str, *, limit: int, required: bool, what: str, problems: list[str]) -> str:
    if _CONTROL.search(value):
        problems.append(_("the %(what)s contains control characters.") % {"what": what})
        return ""
    text = " ".join(value.split())
    if required and not text:
        problems.append(_("the %(what)s is empty.") % {"what": what})
    elif len(text) > limit:
        problems.append(
            _("the %(what)s has more than %(max)d characters.") % {"what": what, "max": limit}
        )
    elif _HTML.search(text):
        problems.append(_("the %(what)s must not contain HTML.") % {"what": what})
    return text


def _amount(value: str, *, what: str, positive: bool, problems: list[str]) -> Decimal | None:
    try:
        amount = parse_amount(value) if len(value) <= 30 else None
    except ValueError:
        amount = None
    if amount is None or not amount.is_finite():
        problems.append(
            _("the %(what)s “%(value)s” is not an amount in euros (write 1500 or 1 250,50).")
            % {"what": what, "value": _short(value)}
        )
        return None
    if amount < 0 or (positive and amount == 0):
        problems.append(_("the %(what)s must be more than zero.") % {"what": what})
        return None
    if amount > MAX_AMOUNT:
        problems.append(
            _("the %(what)s is more than 1,000,000 €: check the figure.") % {"what": what}
        )
        return None
    if round_money(amount) != amount:
        problems.append(_("the %(what)s has more than two decimals.") % {"what": what})
        return None
    return round_money(amount)


def _count(value: str, *, what: str, problems: list[str]) -> int | None:
    text = value.strip().replace(" ", "").replace("\u202f", "").replace("\u00a0", "")
    if not _DIGITS.match(text) or int(text) > MAX_CONTRIBUTORS:
        problems.append(
            _("the %(what)s “%(value)s” is not a whole number from 0 to 100,000.")
            % {"what": what, "value": _short(value)}
        )
        return None
    return int(text)


def _date(value: str, *, what: str, problems: list[str]) -> datetime.date | None:
    text = value.strip()
    for fmt in DATE_FORMATS:
        try:
            day = datetime.datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a day)
        except ValueError:
            continue
        if not MIN_YEAR <= day.year <= timezone.localdate().year:  # the year in Paris
            problems.append(
                _("the %(what)s %(value)s is not a plausible date for a past edition.")
                % {"what": what, "value": _short(value)}
            )
            return None
        return day
    problems.append(
        _("the %(what)s “%(value)s” is not a date (write it as 17/09/2018).")
        % {"what": what, "value": _short(value)}
    )
    return None


def _rows(data: bytes, label: str, columns: tuple, required: tuple, errors: list):
    """Check the file as a whole and its header; yield (line, values) for every non-empty
    line. Problems of the whole file raise at once."""
    if not data:
        raise PastImportError([(label, None, _("the file is empty."))])
    if len(data) > MAX_BYTES:
        raise PastImportError([(label, None, _("the file is too large: 2 MB at most."))])
    if data[:4] == b"%PDF" or data[:2] == b"PK" or data[:4] == b"\xd0\xcf\x11\xe0":
        raise PastImportError(
            [(label, None, _("this is not a CSV file (save the spreadsheet as “CSV UTF-8”)."))]
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PastImportError(
            [(label, None, _("the file is not UTF-8 text: save it as “CSV UTF-8”."))]
        ) from None
    if "\x00" in text:
        raise PastImportError([(label, None, _("the file is not a CSV text file."))])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";", strict=True)
    try:
        header = next(reader, None)
    except csv.Error:
        raise PastImportError([(label, 1, _("the line cannot be read as CSV."))]) from None
    if header is None or not any(cell.strip() for cell in header):
        raise PastImportError([(label, None, _("the file is empty."))])
    names = [cell.strip().lower() for cell in header]
    if len(names) == 1 and ("," in names[0] or "\t" in names[0]):
        raise PastImportError([(label, 1, _("the columns must be separated by semicolons (;)."))])
    problems = []
    unknown = [n for n in names if n not in columns]
    missing = [n for n in required if n not in names]
    if unknown:
        problems.append(
            (
                label,
                1,
                _("unknown column(s): %(columns)s. The columns are: %(expected)s.")
                % {
                    "columns": ", ".join(_short(n, 30) for n in unknown),
                    "expected": ";".join(columns),
                },
            )
        )
    if missing:
        problems.append(
            (label, 1, _("missing column(s): %(columns)s.") % {"columns": ", ".join(missing)})
        )
    if len(set(names)) != len(names):
        problems.append((label, 1, _("a column appears twice.")))
    if problems:
        raise PastImportError(problems)
    line = 1
    try:
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(names):
                errors.append(
                    (
                        label,
                        line,
                        _("%(found)d columns instead of %(expected)d.")
                        % {"found": len(cells), "expected": len(names)},
                    )
                )
                continue
            yield line, dict(zip(names, cells, strict=True))
    except csv.Error:
        errors.append((label, reader.line_num or line + 1, _("the line cannot be read as CSV.")))


def _campaign(line: int, values: dict[str, str]) -> tuple[CampaignRow | None, list[str]]:
    p: list[str] = []
    maker = _text(values["porteur"], limit=MAX_MAKER, required=True, what=_("maker"), problems=p)
    title = _text(values["titre"], limit=MAX_TITLE, required=True, what=_("title"), problems=p)
    commune = _text(
        values.get("commune", ""), limit=MAX_COMMUNE, required=False, what=_("commune"), problems=p
    )
    goal = _amount(values["objectif"], what=_("goal"), positive=True, problems=p)
    raised = _amount(values["collecte"], what=_("amount raised"), positive=False, problems=p)
    contributors = _count(values["contributeurs"], what=_("number of contributors"), problems=p)
    start = _date(values["debut"], what=_("start"), problems=p)
    end = _date(values["fin"], what=_("end"), problems=p)
    if start and end:
        if end < start:
            p.append(_("the end is before the start."))
        elif (end - start).days > MAX_DURATION_DAYS:
            p.append(_("the campaign lasts more than a year: check the dates."))
    if raised is not None and contributors is not None:
        if raised > 0 and contributors == 0:
            p.append(_("money was raised but the number of contributors is 0."))
        if raised == 0 and contributors > 0:
            p.append(_("there are contributors but nothing was raised."))
    if p:
        return None, p
    return (
        CampaignRow(line, maker, title, commune, goal, raised, contributors, start, end),
        [],
    )


def _day(line: int, values: dict[str, str]) -> tuple[DayRow | None, list[str]]:
    p: list[str] = []
    title = _text(values["titre"], limit=MAX_TITLE, required=True, what=_("title"), problems=p)
    day = _date(values["jour"], what=_("day"), problems=p)
    raised = _amount(values["collecte"], what=_("amount raised"), positive=False, problems=p)
    contributors = _count(values["contributeurs"], what=_("number of contributors"), problems=p)
    if p:
        return None, p
    return DayRow(line, title, day, raised, contributors), []


def parse_past_edition(campaigns_data: bytes, days_data: bytes | None = None) -> ParsedEdition:
    """Read and check the campaigns file and, when given, the days file. Raises
    PastImportError listing every problem (file, line, message); returns the rows when
    both files are valid and agree (each day belongs to a campaign of the first file,
    within its dates; cumulative figures never go down nor pass the campaign's final
    figures)."""
    campaigns_label = _("Campaigns file")
    days_label = _("Days file")
    errors: list[tuple[str, int | None, str]] = []
    campaigns: list[CampaignRow] = []
    titles: dict[str, int] = {}
    for line, values in _rows(
        campaigns_data, campaigns_label, CAMPAIGN_COLUMNS, CAMPAIGN_REQUIRED, errors
    ):
        if len(campaigns) + len(errors) >= MAX_CAMPAIGNS:
            errors.append((campaigns_label, None, _("too many lines: 500 campaigns at most.")))
            break
        row, problems = _campaign(line, values)
        errors.extend((campaigns_label, line, problem) for problem in problems)
        if row is None:
            continue
        key = row.title.casefold()
        if key in titles:
            errors.append(
                (
                    campaigns_label,
                    line,
                    _("the title “%(title)s” is already on line %(other)d.")
                    % {"title": _short(row.title), "other": titles[key]},
                )
            )
            continue
        titles[key] = line
        campaigns.append(row)
    if not campaigns and not errors:
        errors.append((campaigns_label, None, _("the file has no campaign: only its header.")))
    days: list[DayRow] = []
    if days_data:
        by_title = {c.title.casefold(): c for c in campaigns}
        seen: dict[tuple[str, datetime.date], int] = {}
        for line, values in _rows(days_data, days_label, DAY_COLUMNS, DAY_COLUMNS, errors):
            if len(days) + len(errors) >= MAX_DAY_ROWS:
                errors.append((days_label, None, _("too many lines: 50,000 at most.")))
                break
            row, problems = _day(line, values)
            errors.extend((days_label, line, problem) for problem in problems)
            if row is None:
                continue
            campaign = by_title.get(row.title.casefold())
            problem = None
            if campaign is None:
                problem = _("no campaign is titled “%(title)s” in the campaigns file.") % {
                    "title": _short(row.title)
                }
            elif not campaign.starts_on <= row.day <= campaign.ends_on:
                problem = _("the day is outside the campaign's dates.")
            elif (campaign.title, row.day) in seen:
                problem = _("this day of this campaign is already on line %(other)d.") % {
                    "other": seen[(campaign.title, row.day)]
                }
            elif row.raised > campaign.raised or row.contributors > campaign.contributors:
                problem = _("the figures pass the campaign's final figures.")
            if problem:
                errors.append((days_label, line, problem))
                continue
            row.title = campaign.title
            seen[(campaign.title, row.day)] = line
            days.append(row)
        previous: dict[str, DayRow] = {}
        for row in sorted(days, key=lambda r: (r.title, r.day)):
            before = previous.get(row.title)
            if before and (row.raised < before.raised or row.contributors < before.contributors):
                errors.append(
                    (
                        days_label,
                        row.line,
                        _("the cumulative figures go down from the day before (line %(other)d).")
                        % {"other": before.line},
                    )
                )
            previous[row.title] = row
    if errors:
        raise PastImportError(errors)
    return ParsedEdition(campaigns, sorted(days, key=lambda r: (r.title, r.day)))
