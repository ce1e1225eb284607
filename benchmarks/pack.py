"""The bilagspakke against its floors, measured in the same run.

Generates ~40 PDF attachments of ~500 pages in all (text, some with photos, a few
landscape) and 10 DOCX files of 3-20 pages, then prints:

1. the full pack build from the PDFs (separators, contents with links, bookmarks,
   stamps, metadata; in a subprocess, so its peak RSS is its own) against the floor
   ``qpdf --empty --pages <files> -- out.pdf``. Goal: <= 2x, peak RSS <= 150 MB.
2. the DOCX batch: ``benchmarks/convert.py``'s ``measure()`` (product / one batched
   soffice call). Goal: <= 1x.
3. the cold export of the whole meeting (PDFs + DOCX, empty cache) and a second
   export after one item's bilag changed (a DOCX replaced), given the first export's
   ``new_conversions``: it converts only that bilag (printed), and takes <= 1.3x the
   pack build alone (the same meeting with every conversion cached).

    python3 benchmarks/pack.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402
from reportlab.lib.pagesizes import A4, landscape  # noqa: E402
from reportlab.pdfgen.canvas import Canvas  # noqa: E402

from agenda.model import (  # noqa: E402
    Agenda,
    AgendaItem,
    Attachment,
    Body,
    Case,
    ItemKind,
    Meeting,
    Section,
)
from agenda.snapshot import MeetingSnapshot  # noqa: E402
from benchmarks import convert as convert_bench  # noqa: E402

PDF_COUNT = 40
PAGES = 500


# -- inputs -----------------------------------------------------------------------------


def make_pdfs(folder: Path) -> list[Path]:
    rng = random.Random(16)
    counts = [rng.randint(4, 21) for _ in range(PDF_COUNT)]
    scale = PAGES / sum(counts)
    counts = [max(1, round(c * scale)) for c in counts]
    photo = _photo(rng)
    paths = []
    for n, count in enumerate(counts):
        size = landscape(A4) if n % 10 == 3 else A4  # a few landscape files
        with_photos = n % 7 == 2
        path = folder / f"bilag-{n + 1:02d}.pdf"
        canvas = Canvas(str(path), pagesize=size)
        for page in range(count):
            canvas.setFont("Helvetica-Bold", 14)
            canvas.drawString(60, size[1] - 70, f"Bilag {n + 1}, side {page + 1}")
            canvas.setFont("Helvetica", 9.5)
            y = size[1] - 100
            while y > 70:
                words = rng.choices(convert_bench.WORDS, k=14)
                canvas.drawString(60, y, " ".join(words))
                y -= 13
            if with_photos and page % 2 == 0:
                canvas.drawImage(photo, 60, 120, width=360, height=240)
            canvas.showPage()
        canvas.save()
        paths.append(path)
    return paths


def _photo(rng: random.Random):
    from reportlab.lib.utils import ImageReader

    image = Image.effect_noise((900, 600), 60).convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    out.seek(0)
    return ImageReader(out)


def meeting(files: list[Path]) -> MeetingSnapshot:
    """Cases of 3-4 bilag each, in one section; the bytes in memory as the GUI hands them."""
    blobs: dict[str, bytes] = {}
    attachments = []
    for path in files:
        data = path.read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        blobs[sha] = data
        attachments.append(Attachment(path.stem, path.name, "", len(data), sha))
    items = []
    for n in range(0, len(attachments), 4):
        case = Case(f"Sag {n // 4 + 1} om regional udvikling", f"24/{n:05d}",
                    attachments=tuple(attachments[n : n + 4]))  # fmt: skip
        items.append(AgendaItem(ItemKind.DECISION, case.title, case))
    cet = timezone(timedelta(hours=2))
    body = Body("KKR Sjælland")
    return MeetingSnapshot(
        Meeting(
            body,
            "Møde i KKR Sjælland",
            datetime(2024, 4, 16, 10, tzinfo=cet),
            datetime(2024, 4, 16, 13, tzinfo=cet),
            "Comwell Køge Strand",
            agenda=Agenda((Section("Sager", tuple(items)),)),
        ),
        blobs=blobs,
    )


# -- the child process ------------------------------------------------------------------


def child_build(files: list[Path], out: Path) -> dict:
    from export.pack.build import build_pack

    snapshot = meeting(files)
    started = time.perf_counter()
    result = build_pack(snapshot, out, public=False)
    elapsed = time.perf_counter() - started
    return {"seconds": elapsed, "pages": result.page_count, "rss_mb": _peak_rss_mb()}


def child_meeting(pdfs: list[Path], docx: list[Path], folder: Path, rounds: int) -> dict:
    """Cold export, then per round a second export after one DOCX changed (a new one
    each round, so the office converts every time) and the build alone; medians."""
    from export.pack.build import build_pack

    files = pdfs + docx
    started = time.perf_counter()
    cold = build_pack(meeting(files), folder / "cold.pdf", public=False)
    cold_seconds = time.perf_counter() - started

    seconds, converted, alone, alone_converted = [], [], [], []
    for n in range(rounds):
        changed = folder / f"changed-{n}.docx"
        convert_bench.make_docx(changed, 8, seed=99 + n)
        again = meeting([changed if f == docx[0] else f for f in files])
        snapshot = MeetingSnapshot(again.meeting, again.blobs, converted=dict(cold.new_conversions))
        started = time.perf_counter()
        second = build_pack(snapshot, folder / "second.pdf", public=False)
        seconds.append(time.perf_counter() - started)
        converted.append(second.converted_count)

        cached = {**cold.new_conversions, **second.new_conversions}
        snapshot = MeetingSnapshot(again.meeting, again.blobs, converted=cached)
        started = time.perf_counter()
        third = build_pack(snapshot, folder / "alone.pdf", public=False)
        alone.append(time.perf_counter() - started)
        alone_converted.append(third.converted_count)
    return {
        "cold_seconds": cold_seconds,
        "cold_converted": cold.converted_count,
        "second_seconds": statistics.median(seconds),
        "second_converted": max(converted),
        "alone_seconds": statistics.median(alone),
        "alone_converted": max(alone_converted),
        "pages": third.page_count,
        "rss_mb": _peak_rss_mb(),
    }


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _run_child(*args: str) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--child", *args], check=True, capture_output=True, text=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- the parent -------------------------------------------------------------------------


def floor(files: list[Path], out: Path) -> float:
    started = time.perf_counter()
    subprocess.run(["qpdf", "--empty", "--pages", *map(str, files), "--", str(out)], check=True)
    return time.perf_counter() - started


def library_merge(files: list[Path], out: Path) -> tuple[float, float]:
    """Plain concatenation with each candidate library (how the library was picked)."""
    import pikepdf
    import pypdf

    started = time.perf_counter()
    with pikepdf.new() as pdf:
        sources = [pikepdf.open(f) for f in files]
        for source in sources:
            pdf.pages.extend(source.pages)
        pdf.save(out)
        for source in sources:
            source.close()
    with_pikepdf = time.perf_counter() - started
    started = time.perf_counter()
    writer = pypdf.PdfWriter()
    for f in files:
        writer.append(str(f))
    writer.write(out)
    with_pypdf = time.perf_counter() - started
    return with_pikepdf, with_pypdf


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, folder = args.child[0], Path(args.child[1])
        pdfs = sorted((folder / "pdf").glob("*.pdf"))
        if kind == "build":
            print(json.dumps(child_build(pdfs, folder / "pack.pdf")))
        else:
            docx = sorted((folder / "docx").glob("*.docx"))
            print(json.dumps(child_meeting(pdfs, docx, folder, int(args.child[2]))))
        return

    if shutil.which("qpdf") is None:
        raise SystemExit("qpdf is needed for the floor")
    with tempfile.TemporaryDirectory(prefix="kkr-bench-pack-") as name:
        folder = Path(name)
        (folder / "pdf").mkdir()
        (folder / "docx").mkdir()
        pdfs = make_pdfs(folder / "pdf")
        docx = convert_bench.make_files(folder / "docx")
        convert_bench.make_docx(folder / "changed.docx", 8, seed=99)
        size = sum(p.stat().st_size for p in pdfs) / 1e6
        print(f"inputs: {len(pdfs)} PDFs, {size:.1f} MB; {len(docx)} DOCX")

        floor(pdfs, folder / "floor.pdf")  # warm the disk cache
        floors, builds = [], []
        for _ in range(args.rounds):
            floors.append(floor(pdfs, folder / "floor.pdf"))
            builds.append(_run_child("build", str(folder)))
        qpdf = statistics.median(floors)
        build = statistics.median(b["seconds"] for b in builds)
        rss = max(b["rss_mb"] for b in builds)
        print(f"1. floor qpdf --empty --pages: {qpdf:.3f} s")
        print(f"   pack build ({builds[0]['pages']} pages): {build:.3f} s, peak RSS {rss:.0f} MB")
        print(f"   ratio build / floor: {build / qpdf:.2f}x (goal <= 2x; RSS goal <= 150 MB)")

        pike, pure = library_merge(pdfs, folder / "lib.pdf")
        print(f"   library pick, plain merge in-process: pikepdf {pike:.3f} s, "
              f"pypdf {pure:.3f} s ({pure / pike:.1f}x slower)")  # fmt: skip

        try:
            docx_result = convert_bench.measure(docx, rounds=1)
            print(f"2. DOCX batch: product {docx_result['product_seconds']:.2f} s, one soffice "
                  f"call {docx_result['floor_seconds']:.2f} s, ratio {docx_result['ratio']:.2f}x "
                  f"({docx_result['soffice_calls']} soffice calls; goal <= 1x)")  # fmt: skip
        except RuntimeError as error:
            print(f"2. DOCX batch: not measured ({error})")

        m = _run_child("meeting", str(folder), str(args.rounds))
        soffice = shutil.which("soffice")
        one_call = convert_bench._floor(Path(soffice), [folder / "changed.docx"]) if soffice else 0
        print(f"3. cold export (whole meeting, {m['pages']} pages): {m['cold_seconds']:.2f} s, "
              f"{m['cold_converted']} converted")  # fmt: skip
        print(f"   second export after one bilag changed (median of {args.rounds}): "
              f"{m['second_seconds']:.3f} s, {m['second_converted']} converted "
              "(goal: 1)")  # fmt: skip
        print(f"   pack build alone (all cached, median): {m['alone_seconds']:.3f} s, "
              f"{m['alone_converted']} converted")  # fmt: skip
        print(f"   ratio second / build alone: {m['second_seconds'] / m['alone_seconds']:.2f}x "
              f"(goal <= 1.3x); peak RSS {m['rss_mb']:.0f} MB")  # fmt: skip
        if one_call:
            extra = m["second_seconds"] - m["alone_seconds"]
            print(f"   what the second export adds, {extra:.2f} s, against one soffice call "
                  f"for that file alone ({one_call:.2f} s): {extra / one_call:.2f}x")  # fmt: skip


if __name__ == "__main__":
    main()
