"""The CSV file of offline contributions, read and checked — a pure parser: no database
access (the caller passes the references already recorded), nothing stored. A file with
any problem is refused whole (``CSVImportError`` lists every problem with its line)."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Collection

from django.utils.translation import gettext as _

from tremplin.campaigns.models import Campaign
from tremplin.funding.enums import ContributionSource
from tremplin.funding.errors import FundingError
from tremplin.funding.helpers import (
    MAX_REFERENCE,
    OfflineRow,
    check_received_on,
    clean_amount,
    clean_email,
    clean_name,
)

CSV_COLUMNS = ("date", "montant", "nom", "email", "mode", "reference", "anonyme")
CSV_REQUIRED_COLUMNS = ("date", "montant", "nom", "mode")
CSV_MAX_BYTES = 2 * 1024 * 1024
CSV_MAX_ROWS = 5000
CSV_MAX_ERRORS = 50
SOURCE_WORDS = {
    "cheque": ContributionSource.CHEQUE,
    "chèque": ContributionSource.CHEQUE,
    "especes": ContributionSource.CASH,
    "espèces": ContributionSource.CASH,
    "espece": ContributionSource.CASH,
    "espèce": ContributionSource.CASH,
    "cash": ContributionSource.CASH,
    "virement": ContributionSource.TRANSFER,
    "transfer": ContributionSource.TRANSFER,
}
YES_WORDS = {"oui", "o", "yes", "y", "1", "vrai", "true", "x"}
NO_WORDS = {"non", "n", "no", "0", "faux", "false", ""}
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y")


class CSVImportError(Exception):
    """A CSV file refused whole: ``errors`` is a list of (line number or None, message)."""

    def __init__(self, errors: list[tuple[int | None, str]]):
        super().__init__(errors)
        self.errors = errors

    def messages(self) -> list[str]:
        out = []
        for line, message in self.errors:
            if line is None:
                out.append(message)
            else:
                out.append(_("Line %(line)d: %(message)s") % {"line": line, "message": message})
        return out


def _short(value: str, limit: int = 40) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _parse_date(text: str) -> datetime.date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    return None


def _parse_row(
    campaign: Campaign, values: dict[str, str], line: int, errors: list
) -> OfflineRow | None:
    problems: list[str] = []
    day = _parse_date(values.get("date", ""))
    if day is None:
        problems.append(
            _("the date “%(value)s” is not a date (write it as 31/12/2025).")
            % {"value": _short(values.get("date", ""))}
        )
    else:
        reason = check_received_on(campaign, day)
        if reason:
            problems.append(reason)
    amount = None
    try:
        amount = clean_amount(values.get("montant", ""))
    except FundingError as error:
        problems.append(
            _("the amount “%(value)s” is refused: %(reason)s")
            % {
                "value": _short(values.get("montant", "")),
                "reason": error.error_dict["amount"][0].messages[0],
            }
        )
    field_errors: dict[str, list] = {}
    name = clean_name(values.get("nom", ""), field_errors)
    email = clean_email(values.get("email", ""), field_errors, required=False)
    for messages in field_errors.values():
        problems.extend(m.messages[0] for m in messages)
    mode = values.get("mode", "").strip().lower()
    source = SOURCE_WORDS.get(mode)
    if source is None:
        problems.append(
            _("the mode “%(value)s” is unknown (write chèque, espèces or virement).")
            % {"value": _short(values.get("mode", ""))}
        )
    reference = " ".join(values.get("reference", "").split())
    if len(reference) > MAX_REFERENCE:
        problems.append(
            _("the reference has more than %(max)d characters.") % {"max": MAX_REFERENCE}
        )
    anonymous_text = values.get("anonyme", "").strip().lower()
    if anonymous_text not in YES_WORDS | NO_WORDS:
        problems.append(
            _("the column anonyme must be oui or non, not “%(value)s”.")
            % {"value": _short(values.get("anonyme", ""))}
        )
    if problems:
        errors.extend((line, problem) for problem in problems)
        return None
    return OfflineRow(
        amount=amount,
        name=name,
        source=source,
        received_on=day,
        email=email,
        reference=reference,
        hide_name=anonymous_text in YES_WORDS,
    )


def parse_offline_csv(
    campaign: Campaign,
    data: bytes,
    *,
    existing_references: Collection[tuple[str, str]] = (),
) -> list[tuple[int, OfflineRow]]:
    """Read and check every line of an offline contributions file (see
    docs/offline-contributions.md). Raises CSVImportError listing every problem with its line
    number; returns (line number, row) pairs when the whole file is valid.

    Pure: nothing is read from nor written to the database. ``campaign`` is only read for
    its start date; ``existing_references``: the (source, reference) pairs already recorded
    for the campaign, refused again."""
    if len(data) > CSV_MAX_BYTES:
        raise CSVImportError([(None, _("The file is too large: 2 MB at most."))])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CSVImportError(
            [(None, _("The file is not UTF-8 text: save it as “CSV UTF-8” and try again."))]
        ) from None
    if "\x00" in text:
        raise CSVImportError([(None, _("The file is not a CSV text file."))])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";", strict=True)
    errors: list[tuple[int | None, str]] = []
    try:
        header = next(reader, None)
    except csv.Error:
        raise CSVImportError([(1, _("the line cannot be read as CSV."))]) from None
    if header is None or not any(cell.strip() for cell in header):
        raise CSVImportError([(None, _("The file is empty."))])
    names = [cell.strip().lower() for cell in header]
    if len(names) == 1 and ("," in names[0] or "\t" in names[0]):
        raise CSVImportError(
            [(1, _("the columns must be separated by semicolons (;), not commas or tabs."))]
        )
    unknown = [name for name in names if name not in CSV_COLUMNS]
    missing = [name for name in CSV_REQUIRED_COLUMNS if name not in names]
    if unknown:
        errors.append(
            (
                1,
                _("unknown column(s): %(columns)s. The columns are: %(expected)s.")
                % {
                    "columns": ", ".join(_short(n, 30) for n in unknown),
                    "expected": ";".join(CSV_COLUMNS),
                },
            )
        )
    if missing:
        errors.append((1, _("missing column(s): %(columns)s.") % {"columns": ", ".join(missing)}))
    if len(set(names)) != len(names):
        errors.append((1, _("a column appears twice.")))
    if errors:
        raise CSVImportError(errors)
    rows: list[tuple[int, OfflineRow]] = []
    seen_references: dict[tuple[str, str], int] = {}
    line = 1
    try:
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) + len({e[0] for e in errors}) >= CSV_MAX_ROWS:
                errors.append((None, _("The file has too many lines: 5,000 at most.")))
                break
            if len(cells) != len(names):
                errors.append(
                    (
                        line,
                        _("%(found)d columns instead of %(expected)d.")
                        % {"found": len(cells), "expected": len(names)},
                    )
                )
                continue
            values = dict(zip(names, cells, strict=True))
            row = _parse_row(campaign, values, line, errors)
            if row is None:
                continue
            if row.reference:
                ref_key = (row.source, row.reference)
                if ref_key in existing_references:
                    errors.append(
                        (
                            line,
                            _("the reference “%(ref)s” is already recorded for this campaign.")
                            % {"ref": _short(row.reference)},
                        )
                    )
                    continue
                if ref_key in seen_references:
                    errors.append(
                        (
                            line,
                            _("the reference “%(ref)s” is already on line %(other)d.")
                            % {"ref": _short(row.reference), "other": seen_references[ref_key]},
                        )
                    )
                    continue
                seen_references[ref_key] = line
            rows.append((line, row))
    except csv.Error:
        errors.append((reader.line_num or line + 1, _("the line cannot be read as CSV.")))
    if not rows and not errors:
        errors.append((None, _("The file has no contribution: only its header line.")))
    if errors:
        raise CSVImportError(errors[:CSV_MAX_ERRORS])
    return rows
