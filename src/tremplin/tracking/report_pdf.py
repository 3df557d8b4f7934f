"""The final report as a PDF (A4, in the programme's colours and logo), drawn from the
tables of ``tracking.report_tables`` — so it says exactly what the CSV and the XLSX say —
with a chart before the data table it draws (day by day, campaigns, channels, editions).

Reproducible: the PDF's dates (creation, modification) are the data's last change
(``figures["programme"]["as_of"]``), and reportlab's invariant mode fixes its document id,
so the same figures give the same bytes."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from reportlab.graphics.shapes import Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import (
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from tremplin.core.colours import DEFAULT_PRIMARY, DEFAULT_SECONDARY, safe_colour
from tremplin.core.money import format_money
from tremplin.tracking import report_tables
from tremplin.tracking.report_tables import COUNT, DATE, MONEY, PERCENT, YEAR

WIDTH = A4[0] - 3.6 * cm
GREY = colors.HexColor("#5A5A5A")
LIGHT = colors.HexColor("#F2F2F2")


def _text(value: str) -> str:
    """Characters the PDF's standard fonts have (no narrow no-break space), escaped for
    reportlab's paragraph markup."""
    value = str(value).replace("\u202f", "\u00a0")
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def cell_text(kind: str, value) -> str:
    if value is None or value == "":
        return "–"
    if kind == MONEY:
        return format_money(Decimal(value), cents=False)
    if kind == COUNT:
        return number_format(int(value), force_grouping=True)
    if kind == PERCENT:
        return f"{number_format(Decimal(value), decimal_pos=1)}\u00a0%"
    if kind == DATE:
        return date_format(value, "SHORT_DATE_FORMAT")
    if kind == YEAR:
        return str(value)
    return str(value)


class _Styles:
    def __init__(self, primary: str) -> None:
        base = getSampleStyleSheet()
        self.colour = colors.HexColor(primary)
        self.title = ParagraphStyle(
            "T", parent=base["Title"], textColor=self.colour, fontSize=22, leading=26
        )
        self.h2 = ParagraphStyle(
            "H2", parent=base["Heading2"], textColor=self.colour, spaceBefore=12
        )
        self.body = ParagraphStyle("B", parent=base["BodyText"], fontSize=9, leading=12)
        self.small = ParagraphStyle(
            "S", parent=self.body, fontSize=7, leading=8.5, splitLongWords=0
        )
        self.right = ParagraphStyle("R", parent=self.small, alignment=TA_RIGHT)
        self.head = ParagraphStyle(
            "H",
            parent=self.small,
            fontSize=6.5,
            leading=8,
            textColor=colors.white,
            fontName="Helvetica-Bold",
            splitLongWords=0,  # a narrow column's title wraps between words only
        )


# Column weights of the widest tables (their titles on one or two lines, amounts on one).
WEIGHTS = {"campaigns": [2.0, 1.3, 1.45, 1.2, 1.2, 1.3, 1.4, 1.2, 1.3, 1.2]}


def _cells(table: report_tables.Table) -> tuple[list[str], list[list[tuple[str, object]]]]:
    """The header and the (kind, value) cells of a table; the comparison of the editions
    is turned a quarter (one column per edition) to stay readable on a portrait page."""
    rows = [
        [report_tables.cell_kind(table, i, raw) for i, raw in enumerate(row)] for row in table.rows
    ]
    if table.key != "comparison" or not rows:
        return table.header, rows
    header = [table.header[0], *[str(row[0][1]) for row in rows]]
    turned = [[("text", label), *[row[i] for row in rows]] for i, label in enumerate(table.header)]
    return header, turned[1:]


def _table(table: report_tables.Table, styles: _Styles) -> Table:
    header, rows = _cells(table)
    if len(header) == 2:
        widths = [WIDTH * 0.6, WIDTH * 0.4]
    elif table.key in WEIGHTS:
        widths = [WIDTH * w / sum(WEIGHTS[table.key]) for w in WEIGHTS[table.key]]
    else:  # the first column (a name) widest, other text next, numbers narrow
        kinds = [kind for kind, _value in rows[0]] if rows else table.kinds
        weights = [
            2.6 if i == 0 else 1.5 if kind in ("text", DATE) else 1.1
            for i, kind in enumerate(kinds)
        ]
        widths = [WIDTH * w / sum(weights) for w in weights]
    head = [Paragraph(_text(h), styles.head) for h in header]
    body = []
    for row in rows:
        cells = []
        for kind, value in row:
            style = styles.right if kind in (MONEY, COUNT, PERCENT, YEAR) else styles.small
            cells.append(Paragraph(_text(cell_text(kind, value)), style))
        body.append(cells)
    if not body:
        body = [[Paragraph(_text(_("None")), styles.small)] + [""] * (len(head) - 1)]
    grid = Table([head, *body], colWidths=widths, repeatRows=1, hAlign="LEFT")
    grid.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), styles.colour),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, LIGHT]),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#CCCCCC")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return grid


# --- charts (drawn, each followed by the table of its data) --------------------------------------


def _line_chart(days: list[dict], primary: str, secondary: str) -> Drawing:
    """Cumulative % of the goals by day, with the straight pace that reaches 100 % on the
    last day."""
    w, h, left, bottom = WIDTH, 6 * cm, 1.2 * cm, 0.8 * cm
    drawing = Drawing(w, h)
    values = [float(d["percent_of_goal"] or 0) for d in days]
    top = max([100.0, *values]) * 1.1
    plot_w, plot_h = w - left - 0.3 * cm, h - bottom - 0.3 * cm
    n = max(len(values) - 1, 1)

    def point(i: int, v: float) -> tuple[float, float]:
        return left + plot_w * i / n, bottom + plot_h * v / top

    for mark in (0, 50, 100, 150, 200, 300):
        if mark > top:
            break
        y = point(0, mark)[1]
        drawing.add(Line(left, y, left + plot_w, y, strokeColor=LIGHT, strokeWidth=0.5))
        drawing.add(String(left - 4, y - 3, f"{mark} %", fontSize=7, textAnchor="end"))
    drawing.add(
        Line(
            *point(0, 0),
            *point(n, 100),
            strokeColor=colors.HexColor(secondary),
            strokeDashArray=[3, 2],
            strokeWidth=1,
        )
    )
    points = [c for i, v in enumerate(values) for c in point(i, v)]
    if len(points) >= 4:
        drawing.add(PolyLine(points, strokeColor=colors.HexColor(primary), strokeWidth=1.8))
    if days:
        for i in (0, len(days) - 1):
            label = date_format(datetime.date.fromisoformat(days[i]["day"]), "SHORT_DATE_FORMAT")
            anchor = "start" if i == 0 else "end"
            drawing.add(String(point(i, 0)[0], 2, label, fontSize=7, textAnchor=anchor))
    return drawing


def _bar_chart(
    labels: list[str], values: list[float], primary: str, *, suffix: str = ""
) -> Drawing:
    """Horizontal bars, one per label, the value written at the end of each."""
    bar, gap, label_w = 10, 4, 6 * cm
    h = max(len(values), 1) * (bar + gap) + 4
    drawing = Drawing(WIDTH, h)
    top = max([*values, 1.0])
    plot_w = WIDTH - label_w - 2.2 * cm
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = h - (i + 1) * (bar + gap)
        short = label if len(label) <= 38 else label[:37] + "…"
        drawing.add(String(label_w - 4, y + 2, _plain(short), fontSize=7, textAnchor="end"))
        width = max(plot_w * value / top, 0.5)
        drawing.add(
            Rect(label_w, y, width, bar, fillColor=colors.HexColor(primary), strokeColor=None)
        )
        text = number_format(
            round(value, 1), decimal_pos=0 if suffix != " %" else 1, force_grouping=True
        )
        drawing.add(String(label_w + width + 3, y + 2, _plain(text + suffix), fontSize=7))
    return drawing


def _plain(value: str) -> str:
    return str(value).replace("\u202f", "\u00a0")


def _chart_for(key: str, figures: dict, primary: str, secondary: str) -> Drawing | None:
    if key == "days" and figures["days"]:
        return _line_chart(figures["days"], primary, secondary)
    if key == "campaigns" and figures["campaigns"]:
        rows = figures["campaigns"]
        return _bar_chart(
            [c["title"] for c in rows],
            [float(c["percent"] or 0) for c in rows],
            primary,
            suffix=" %",
        )
    if key == "channels" and figures["channels"]:
        rows = figures["channels"]
        return _bar_chart(
            [report_tables.channel_label(c["channel"]) for c in rows],
            [float(c["amount"]) for c in rows],
            primary,
            suffix=" €",
        )
    if key == "comparison" and figures["comparison"]:
        rows = figures["comparison"]
        return _bar_chart(
            [e["name"] for e in rows], [float(e["raised"]) for e in rows], primary, suffix=" €"
        )
    return None


def render_pdf(
    figures: dict,
    *,
    fingerprint: str = "",
    primary: str = "",
    secondary: str = "",
    logo: bytes = b"",
) -> bytes:
    """The report's PDF from its figures (call it with the language active: French for the
    council)."""
    primary = safe_colour(primary, DEFAULT_PRIMARY)
    secondary = safe_colour(secondary, DEFAULT_SECONDARY)
    styles = _Styles(primary)
    programme = figures["programme"]
    as_of = datetime.datetime.fromisoformat(programme["as_of"])
    stamp = as_of.astimezone(datetime.UTC)
    title = _("Final report") + " — " + programme["name"]
    out = io.BytesIO()

    def on_page(canvas, doc) -> None:
        canvas.setDateFormatter(lambda *_args: stamp.strftime("D:%Y%m%d%H%M%S+00'00'"))
        canvas.saveState()
        canvas.setFillColor(colors.HexColor(primary))
        canvas.rect(0, A4[1] - 0.6 * cm, A4[0], 0.6 * cm, stroke=0, fill=1)
        canvas.setFillColor(colors.HexColor(secondary))
        canvas.rect(0, A4[1] - 0.75 * cm, A4[0], 0.15 * cm, stroke=0, fill=1)
        canvas.setFillColor(GREY)
        canvas.setFont("Helvetica", 7.5)
        canvas.drawString(1.8 * cm, 1 * cm, _plain(title))
        canvas.drawRightString(A4[0] - 1.8 * cm, 1 * cm, _("Page %(page)d") % {"page": doc.page})
        canvas.restoreState()

    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=1.8 * cm,
        rightMargin=1.8 * cm,
        topMargin=1.6 * cm,
        bottomMargin=1.6 * cm,
        title=title,
        author=programme["organiser"],
        subject=_("Final report of the programme for the council"),
        creator="Tremplin",
        producer="Tremplin",
        lang="fr",
        invariant=1,
    )
    story: list = []
    if logo:
        try:
            image = Image(io.BytesIO(logo))
            ratio = min(4 * cm / image.imageWidth, 2 * cm / image.imageHeight)
            image.drawWidth, image.drawHeight = image.imageWidth * ratio, image.imageHeight * ratio
            image.hAlign = "LEFT"
            story.append(image)
        except Exception:  # noqa: BLE001 (an unreadable logo: the report goes without it)
            story.clear()
    story.append(Paragraph(_text(programme["name"]), styles.title))
    story.append(Paragraph(_text(_("Final report for the council")), styles.h2))
    period = ""
    if programme["campaigns_start"] and programme["campaigns_end"]:
        period = _("Campaigns from %(start)s to %(end)s.") % {
            "start": date_format(datetime.date.fromisoformat(programme["campaigns_start"])),
            "end": date_format(datetime.date.fromisoformat(programme["campaigns_end"])),
        }
    story.append(
        Paragraph(
            _text(
                " ".join(
                    [
                        programme["organiser"] + ".",
                        period,
                        _(
                            "Figures computed from the contribution, matchfunding and refund "
                            "records as of %(date)s (Paris time)."
                        )
                        % {"date": date_format(as_of, "DATETIME_FORMAT")},
                    ]
                )
            ),
            styles.body,
        )
    )
    story.append(Spacer(1, 0.3 * cm))
    for table in report_tables.tables(figures):
        heading = Paragraph(_text(table.title), styles.h2)
        chart = _chart_for(table.key, figures, primary, secondary)
        if chart is not None:
            caption = _("Chart: %(title)s. The table below gives its figures.") % {
                "title": table.title
            }
            story.append(KeepTogether([heading, chart, Paragraph(_text(caption), styles.small)]))
            story.append(Spacer(1, 0.2 * cm))
            story.append(_table(table, styles))
        else:
            story.append(KeepTogether([heading, _table(table, styles)]))
    story.append(Spacer(1, 0.4 * cm))
    story.append(
        Paragraph(
            _text(
                _(
                    "Reproducible: the same records give the same figures. Fingerprint of the "
                    "figures (SHA-256): %(fingerprint)s"
                )
                % {"fingerprint": fingerprint}
            ),
            styles.small,
        )
    )
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return out.getvalue()
