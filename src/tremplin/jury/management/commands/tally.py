"""`tremplin tally <programme-slug> [--json] [--language fr|en]`: print the jury's tally.

By default a table (rank, reference, title, result, explanation) under the programme, the
method, the ballot count against the quorum and the SHA-256 of the canonical ballots. With
``--json``, the canonical JSON of ``jury.tally.tally_to_json``: byte-for-byte the same on
every run for the same ballots. Explanations are written in ``--language`` (default: the
site's language, settings.LANGUAGE_CODE), so that two runs never differ by the reader's
locale. Exits with an error for an unknown programme or a programme without a jury.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext

from tremplin.calls.models import Programme
from tremplin.jury.enums import JuryMethod
from tremplin.jury.models import Jury
from tremplin.jury.tally import compute_tally
from tremplin.jury.tally_data import ApplicationResult, TallyResult
from tremplin.jury.tally_json import tally_to_json

TITLE_WIDTH = 40


class Command(BaseCommand):
    help = "Print the tally of a programme's jury (a table, or canonical JSON with --json)."
    requires_system_checks: list[str] = []  # read-only: an audit must not depend on them

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="the programme's slug")
        parser.add_argument(
            "--json", action="store_true", help="print the canonical JSON of the tally"
        )
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="language of the explanations (default: %(default)s)",
        )

    def handle(self, *args, slug: str, json: bool, language: str, **options) -> None:
        with translation.override(language):
            programme = Programme.objects.filter(slug=slug).first()
            if programme is None:
                raise CommandError(
                    gettext("No programme has the slug “%(slug)s”.") % {"slug": slug}
                )
            jury = Jury.objects.filter(programme=programme).select_related("programme").first()
            if jury is None:
                raise CommandError(
                    gettext("The programme “%(slug)s” has no jury.") % {"slug": slug}
                )
            result = compute_tally(jury)
            if json:
                self.stdout.write(tally_to_json(result))
            else:
                self.stdout.write(render_table(result, jury))


def _result_cell(result: ApplicationResult, method: str, labels: list[str]) -> str:
    if method == JuryMethod.MAJORITY_JUDGMENT:
        if result.majority_grade is None:
            return "—"
        sign = {"+": "+", "-": "−"}.get(result.majority_sign, "")
        return f"{labels[result.majority_grade]}{sign}"
    if method == JuryMethod.GRID:
        return "—" if result.grid_average is None else number_format(result.grid_average, 2)
    return str(result.favourites)


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def render_table(result: TallyResult, jury: Jury) -> str:
    labels = jury.grade_labels()
    quorum = (
        gettext("quorum %(quorum)d met")
        if result.quorum_met
        else gettext("quorum %(quorum)d NOT met")
    ) % {"quorum": result.quorum}
    lines = [
        gettext("Programme: %(slug)s — %(method)s")
        % {"slug": result.programme_slug, "method": JuryMethod(result.method).label},
        gettext("Submitted ballots: %(count)d (%(quorum)s)")
        % {"count": result.ballot_count, "quorum": quorum},
        gettext("Ballots SHA-256: %(sha)s") % {"sha": result.ballots_fingerprint},
        "",
    ]
    rows = [
        (
            str(r.rank) + ("*" if r.tie else ""),
            r.reference,
            _clip(r.title, TITLE_WIDTH),
            _result_cell(r, result.method, labels),
            r.explanation,
        )
        for r in result.results
    ]
    header = (
        gettext("Rank"),
        gettext("Reference"),
        gettext("Title"),
        gettext("Result"),
        gettext("Explanation"),
    )
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(4)]
    for row in [header, *rows]:
        cells = [row[i].ljust(widths[i]) for i in range(4)]
        lines.append("  ".join([*cells, row[4]]).rstrip())
    if not rows:
        lines.append(gettext("No application goes to this jury."))
    if any(r.tie for r in result.results):
        lines.extend(["", gettext("* tie: the explanation names the rule that broke it.")])
    return "\n".join(lines)
