"""Benchmark of the communication kit, beside the floor of this machine.

    uv run python bench/kit.py            # about two minutes on 2 cores

Loads the demo on a temporary SQLite database (its ten MEL Makers 2019 laureates, the
Métropole's formats: A4, A3, the 120 × 176 cm street panel and the demo's A5 flyer), then,
for each laureate, makes every item of its kit (``kit.registry``: posters in every format,
the four social visuals, the texts in French and English, the press releases; the teaser
video too once its kind is registered) and times each, interleaved with the floor of the
same kind of item:

* a PDF item against a bare reportlab one-page PDF of the same page size (a filled
  rectangle and a line of text in a standard font);
* a PNG item against a bare Pillow image of the same pixel size (filled, saved as PNG);
* a text against nothing (its floor is 0: the row shows its time only).

Then the whole kit of each laureate, end to end (``generation.request_kit(..., run="now")``:
content read, every item made, files stored, rows written, state changed), against the sum
of its items' floors. Times are medians in seconds; ``ratio`` is floor / ours (higher is
better). Targets: one A3 poster < 2 s; the whole kit of the ten laureates without the
video < 60 s. The last line printed is the result as one JSON object. Not run in CI.
"""

from __future__ import annotations

import argparse
import io
import shutil
import statistics
import sys
import time

import harness

BENCHMARK = "kit"
TARGET_A3_S = 2.0
TARGET_KIT_S = 60.0


def floor_pdf(width_pt: float, height_pt: float) -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width_pt, height_pt))
    canvas.setFillColorCMYK(0.9, 0.4, 0, 0.2)
    canvas.rect(0, height_pt * 0.8, width_pt, height_pt * 0.2, stroke=0, fill=1)
    canvas.setFont("Helvetica-Bold", 30)
    canvas.drawString(40, height_pt * 0.5, "Atelier vélo solidaire")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def floor_png(width: int, height: int) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (11, 95, 165)).save(buffer, "PNG", compress_level=1)
    return buffer.getvalue()


def floor_for(made):
    """The floor of one made item: a function making the bare file of the same size."""
    from pypdf import PdfReader

    if made.media_type == "application/pdf":
        box = PdfReader(io.BytesIO(made.data)).pages[0].mediabox
        size = (float(box.width), float(box.height))
        return lambda: floor_pdf(*size)
    if made.media_type == "image/png":
        width, height = made.details["pixels"]
        return lambda: floor_png(width, height)
    return None


def timed(function) -> tuple[float, object]:
    start = time.perf_counter()
    value = function()
    return time.perf_counter() - start, value


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.99 * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=1, help="times each laureate's kit is made")
    args = parser.parse_args()

    var_dir = harness.setup_django(BENCHMARK)
    try:
        from django.utils import translation

        from tremplin.calls.models import Programme
        from tremplin.campaigns.models import Campaign
        from tremplin.demo import data
        from tremplin.demo.load import load_demo
        from tremplin.kit import generation, registry
        from tremplin.kit.content import content_of
        from tremplin.kit.enums import ItemGroup, KitState

        print("Loading the demo…", flush=True)
        load_demo()
        programme = Programme.objects.get(slug=data.PROGRAMME_2019["slug"])
        campaigns = list(Campaign.objects.filter(programme=programme).order_by("title"))
        per_item: dict[str, dict[str, list[float]]] = {}
        kit_ours: list[float] = []
        kit_floor: list[float] = []
        kit_video: list[float] = []
        translation.activate("fr")
        # Warm-up (fonts registered, modules imported), not measured.
        content = content_of(campaigns[0])
        for unit in registry.plan(content)[:1]:
            registry.kind(unit.kind).make(content, unit)
        for round_number in range(args.rounds):
            for campaign in campaigns:
                content = content_of(campaign)
                floors = []
                video_s = 0.0
                for unit in registry.plan(content):
                    item_kind = registry.kind(unit.kind)
                    seconds, made = timed(lambda k=item_kind, c=content, u=unit: k.make(c, u))
                    name = f"{unit.kind}:{unit.variant}" if unit.kind != "text" else "text:each"
                    row = per_item.setdefault(name, {"ours": [], "floor": []})
                    row["ours"].append(seconds)
                    floor = floor_for(made)
                    floor_s = timed(floor)[0] if floor else 0.0
                    row["floor"].append(floor_s)
                    if item_kind.group == ItemGroup.VIDEO:
                        video_s += seconds
                    else:
                        floors.append(floor_s)
                # The whole kit, end to end, then its floor (the sum of its items' floors).
                seconds, version = timed(
                    lambda c=campaign: generation.request_kit(
                        c, reason="manual", force=True, run="now"
                    )
                )
                if version.state != KitState.PROOF:
                    raise SystemExit(f"{campaign}: the kit ended {version.state}: {version.error}")
                kit_ours.append(seconds - video_s)
                kit_floor.append(sum(floors))
                kit_video.append(video_s)
                print(
                    f"round {round_number + 1} {campaign.slug[:40]:<40} kit {seconds:6.2f} s "
                    f"(floor {sum(floors):5.2f} s, {version.items.count()} items)",
                    flush=True,
                )
        results = []
        for name, row in per_item.items():
            ours = statistics.median(row["ours"])
            floor = statistics.median(row["floor"])
            results.append(
                {
                    "name": name,
                    "unit": "s",
                    "ours": round(ours, 4),
                    "floor": round(floor, 4),
                    "ratio": round(floor / ours, 3) if ours and floor else None,
                    "p99_ms": round(p99(row["ours"]) * 1000, 1),
                }
            )
        total = sum(kit_ours) / args.rounds
        total_floor = sum(kit_floor) / args.rounds
        results.append(
            {
                "name": "whole_kit_10_laureates_without_video",
                "unit": "s",
                "ours": round(total, 2),
                "floor": round(total_floor, 2),
                "ratio": round(total_floor / total, 3),
                "p99_ms": round(p99(kit_ours) * 1000, 1),
            }
        )
        if any(kit_video):
            results.append(
                {
                    "name": "video_10_laureates",
                    "unit": "s",
                    "ours": round(sum(kit_video) / args.rounds, 2),
                    "floor": None,
                    "ratio": None,
                    "p99_ms": round(p99(kit_video) * 1000, 1),
                }
            )
        a3 = next(row for row in results if row["name"] == "poster:a3")
        print(
            f"Target: one A3 poster {a3['ours']:.2f} s < {TARGET_A3_S} s: "
            f"{'met' if a3['ours'] < TARGET_A3_S else 'NOT MET'}"
        )
        print(
            f"Target: whole kit of the ten laureates {total:.1f} s < {TARGET_KIT_S} s: "
            f"{'met' if total < TARGET_KIT_S else 'NOT MET'}"
        )
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
    harness.print_result_line(BENCHMARK, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
