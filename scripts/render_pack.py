"""Render the pages of a sample bilagspakke to PNG, to look at them.

Builds the complete and the public edition of a realistic meeting (long headings, a
closed item, a confidential bilag, a file that cannot be read, portrait, landscape,
A3, rotated and offset pages with a footer of their own) and renders the front page,
the contents, a separator, a failed separator, and stamped portrait, landscape,
rotated and A3 bilag pages with pdftoppm (as a viewer shows them: CropBox).

    python3 scripts/render_pack.py [OUT_DIR] [--dpi 60]
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pypdf
from reportlab.lib.pagesizes import A3, A4, landscape
from reportlab.pdfgen.canvas import Canvas

from export.pack.build import build_pack
from tests import pack_samples as samples

LOREM = (
    "Kommunerne og regionen har i fællesskab udarbejdet en plan for det nære "
    "sundhedsvæsen, som skal sikre borgerne sammenhængende forløb på tværs af sektorer."
)


def document(title: str, pages: int, size=A4, rotate: int = 0) -> bytes:
    """A page like an office document's: heading, body down to 2 cm, footer at 1.2 cm."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=size)
    width, height = size
    for page in range(1, pages + 1):
        canvas.setFont("Helvetica-Bold", 16)
        canvas.drawString(57, height - 70, title)
        canvas.setFont("Helvetica", 10.5)
        y = height - 100
        while y > 60:
            canvas.drawString(57, y, LOREM[: int((width - 114) / 5.2)])
            y -= 14
        canvas.setFont("Helvetica", 8)
        canvas.drawRightString(width - 57, 34, f"{title} · side {page} af {pages}")
        canvas.showPage()
    canvas.save()
    data = buffer.getvalue()
    if rotate:
        import pikepdf

        with pikepdf.open(io.BytesIO(data)) as pdf:
            for p in pdf.pages:
                p.obj.Rotate = rotate
            out = io.BytesIO()
            pdf.save(out)
            data = out.getvalue()
    return data


def meeting():
    return samples.snapshot(
        [
            ("Evaluering af regionale viden- og erhvervsklyngekontorer i Region Sjælland",
             "Evalueringsrapport fra Rambøll", document("Evalueringsrapport", 3), {}),
            ("Evaluering af regionale viden- og erhvervsklyngekontorer i Region Sjælland",
             "Økonomisk overblik 2023-2025", document("Økonomi", 1, landscape(A4)), {}),
            ("Status på sundhedsaftalen", "Oversigtskort over akutklinikker",
             document("Kort", 1, A3), {}),
            ("Status på sundhedsaftalen", "Skanning af underskrevet aftale",
             document("Skannet aftale", 1, rotate=90), {}),
            ("Status på sundhedsaftalen", "Notat om forhandlingsmandat",
             document("Mandat", 1), {"confidential": True}),
            ("Status på sundhedsaftalen", "Regneark fra regionen", b"PK\x03\x04 ikke et regneark",
             {"file_name": "regneark.xlsx"}),
            ("Ansættelse af direktør for KKR-sekretariatet", "Indstilling fra ansættelsesudvalget",
             document("Indstilling", 1), {"closed": True}),
        ]
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", nargs="?", default=str(Path(tempfile.gettempdir()) / "bilagspakke"))
    parser.add_argument("--dpi", type=int, default=60)
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    snapshot, _ = meeting()
    complete = build_pack(snapshot, out / "fuld.pdf", public=False)
    public = build_pack(snapshot, out / "offentlig.pdf", public=True)
    print(f"fuld: {complete.page_count} sider, offentlig: {public.page_count} sider")
    for problem in complete.problems:
        print(f"problem: {problem.error}")

    reader = pypdf.PdfReader(complete.path)
    # whitespace folded: a long bilag title wraps on its separator
    texts = [" ".join((p.extract_text() or "").split()) for p in reader.pages]

    def first(words: str, after: int = 0) -> int:
        return next(i for i, t in enumerate(texts) if i >= after and words in t) + 1

    wanted = {
        "1-forside": (complete.path, 1),
        "2-indhold": (complete.path, 2),
        "3-skillearket": (complete.path, first("Bilag 1: Evalueringsrapport", 2)),
        "4-portraet": (complete.path, first("Evalueringsrapport · side 3")),
        "5-liggende": (complete.path, first("Økonomi · side 1")),
        "6-a3": (complete.path, first("Kort · side 1")),
        "7-drejet": (complete.path, first("Skannet aftale · side 1")),
        "8-fortroligt": (complete.path, first("Bilag 3: Notat om forhandlingsmandat", 2)),
        "9-fejlet": (complete.path, first("Bilaget kunne ikke medtages")),
        "10-lukket": (complete.path, first("Bilag 1: Indstilling fra ansættelsesudvalget", 2)),
        "11-offentlig-forside": (public.path, 1),
        "12-offentlig-indhold": (public.path, 2),
    }
    for name, (path, page) in wanted.items():
        subprocess.run(
            ["pdftoppm", "-cropbox", "-r", str(args.dpi), "-png", "-singlefile",
             "-f", str(page), "-l", str(page), str(path), str(out / name)],
            check=True,
        )  # fmt: skip
        print(out / f"{name}.png")


if __name__ == "__main__":
    main()
