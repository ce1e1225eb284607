"""The agenda as Word and PDF against bare documents of the same text, in the same run.

A 30-item agenda (every case with five text sections of a few paragraphs and 2-3 bilag)
is written as docx (``write_agenda_docx``: template, styles, TOC field, bookmarks,
header/footer fields, properties) and as PDF (``write_agenda_pdf``: embedded font, ToC
with right page numbers and links, outline, Side X af Y: several layout passes). Floors:
a bare python-docx document and a bare one-pass reportlab document (same font) holding
the same headings and paragraphs. Goal: each product build <= 1 s.

    python3 benchmarks/documents.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import docx  # noqa: E402
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.lib.styles import ParagraphStyle  # noqa: E402
from reportlab.platypus import Paragraph, SimpleDocTemplate  # noqa: E402

from agenda.model import Agenda, AgendaItem, ItemKind, Section  # noqa: E402
from agenda.snapshot import MeetingSnapshot  # noqa: E402
from export.document_content import document_content  # noqa: E402
from export.documents.docx_agenda import write_agenda_docx  # noqa: E402
from export.documents.pdf_agenda import write_agenda_pdf  # noqa: E402
from export.fonts import document_fonts  # noqa: E402
from tests.factories import attachment, case, document_meeting  # noqa: E402

SENTENCE = (
    "Kommunerne i Region Sjælland samarbejder om det nære sundhedsvæsen, og KKR Sjælland "
    "følger arbejdet tæt gennem de fælleskommunale styregrupper. "
)


def thirty_items() -> MeetingSnapshot:
    text = "\n\n".join([SENTENCE * 4] * 3)
    items = []
    for n in range(1, 31):
        bilag = tuple(
            attachment(f"Bilag {b} til sag {n}", f"{n}-{b}".encode(), f"b{n}-{b}.pdf")
            for b in range(1, 2 + n % 3)
        )
        title = f"Sag nummer {n} om det regionale samarbejde"
        texts = {
            "resume": SENTENCE * 2,
            "baggrund": text,
            "sagsfremstilling": text,
            "indstilling": "Det indstilles, at KKR Sjælland godkender oplægget.",
            "oekonomi": SENTENCE,
        }
        items.append(
            AgendaItem(ItemKind.DECISION, title, case=case(title, f"24/{n:05d}", bilag, **texts))
        )
    sections = tuple(
        Section(f"Afsnit {s + 1}", tuple(items[s * 10 : s * 10 + 10])) for s in range(3)
    )
    return MeetingSnapshot(replace(document_meeting(), agenda=Agenda(sections)))


def floor_docx(snapshot: MeetingSnapshot) -> None:
    content = document_content(snapshot)
    document = docx.Document()
    for item in content.items:
        document.add_heading(item.heading, 2)
        for block in item.sections:
            document.add_heading(block.label, 3)
            for text in block.paragraphs:
                document.add_paragraph(text)
        for line in item.attachments:
            document.add_paragraph(line)
    document.save(io.BytesIO())


def floor_pdf(snapshot: MeetingSnapshot) -> None:
    content = document_content(snapshot)
    font = document_fonts().regular
    normal = ParagraphStyle("n", fontName=font, fontSize=10.5, leading=14)
    story = []
    for item in content.items:
        story.append(Paragraph(escape(item.heading), normal))
        for block in item.sections:
            story.append(Paragraph(escape(block.label), normal))
            story += [Paragraph(escape(p), normal) for p in block.paragraphs]
        story += [Paragraph(escape(line), normal) for line in item.attachments]
    SimpleDocTemplate(io.BytesIO(), pagesize=A4).build(story)


def timed(function, rounds: int) -> tuple[float, float]:
    """(first call, median of the rest)."""
    times = []
    for _ in range(rounds + 1):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times[0], statistics.median(times[1:])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    snapshot = thirty_items()
    folder = Path(tempfile.mkdtemp(prefix="kkr-bench-docs-"))
    print(f"agenda: {len(snapshot.items())} items")
    rows = [
        (
            "docx",
            lambda: write_agenda_docx(snapshot, folder / "a.docx"),
            lambda: floor_docx(snapshot),
        ),
        ("pdf", lambda: write_agenda_pdf(snapshot, folder / "a.pdf"), lambda: floor_pdf(snapshot)),
    ]
    for name, product, floor in rows:
        first, warm = timed(product, args.rounds)
        _, bare = timed(floor, args.rounds)
        verdict = "ok" if first <= 1.0 else "OVER the 1 s goal"
        print(
            f"{name}: first {first:.3f} s, warm {warm:.3f} s; floor (bare) {bare:.3f} s; "
            f"ratio warm/floor {warm / bare:.2f}x; goal <= 1 s: {verdict}"
        )
    import pypdf

    pages = len(pypdf.PdfReader(folder / "a.pdf").pages)
    print(f"pdf pages: {pages}; docx size {(folder / 'a.docx').stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
