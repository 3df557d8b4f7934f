"""The tally as the organiser's page shows it: a row per application with the suggestion,
the tie rule, and for majority judgment the grade profile drawn from green to red."""

from __future__ import annotations

from typing import Any

from tremplin.jury.enums import JuryMethod
from tremplin.jury.models import Criterion, Jury
from tremplin.jury.publication import suggested_laureates
from tremplin.jury.tally_data import TIE_RULES

# From the best grade (dark green) through yellow to the worst (dark red).
_PALETTE_STOPS = [(0x1E, 0x6B, 0x34), (0xD9, 0xA4, 0x06), (0xB3, 0x26, 0x1E)]


def grade_colours(count: int) -> list[str]:
    """``count`` colours from green to red, best grade first."""
    colours = []
    for index in range(count):
        t = index / (count - 1) if count > 1 else 0.0
        segment = min(int(t * 2), 1)
        local = t * 2 - segment
        start, end = _PALETTE_STOPS[segment], _PALETTE_STOPS[segment + 1]
        rgb = [round(a + (b - a) * local) for a, b in zip(start, end, strict=True)]
        colours.append("#{:02x}{:02x}{:02x}".format(*rgb))
    return colours


def _profile_segments(profile: list[int], labels: list[str], colours: list[str]) -> list[dict]:
    total = sum(profile) or 1
    x = 0.0
    segments = []
    for index, label in enumerate(labels):
        count = profile[index] if index < len(profile) else 0
        width = 100.0 * count / total
        segments.append(
            {
                "label": label,
                "count": count,
                "x": round(x, 3),
                "width": round(width, 3),
                "percent": round(width),
                "colour": colours[index],
            }
        )
        x += width
    return segments


def tally_rows(jury: Jury, result) -> list[dict[str, Any]]:
    labels = jury.grade_labels()
    colours = grade_colours(len(labels))
    criteria = list(Criterion.objects.filter(jury=jury).order_by("position", "id"))
    suggested = set(suggested_laureates(jury, result))
    rows = []
    for r in result.results:
        row: dict[str, Any] = {
            "result": r,
            "suggested": r.application_id in suggested,
            "tie_rule_label": str(TIE_RULES.get(r.tie_rule, r.tie_rule)),
        }
        if jury.method == JuryMethod.MAJORITY_JUDGMENT:
            row["grade"] = labels[r.majority_grade] if r.majority_grade is not None else ""
            row["segments"] = _profile_segments(list(r.profile), labels, colours)
            row["profile_text"] = ", ".join(
                f"{segment['label']}: {segment['count']}" for segment in row["segments"]
            )
        if jury.method == JuryMethod.GRID:
            row["criteria"] = [(c, r.criterion_averages.get(c.pk)) for c in criteria]
        rows.append(row)
    return rows
