"""The accessible public edition against its floors, measured in the same run.

1. The public bilagspakke with tags (its own pages marked, every bilag's tree merged
   under its Part) against the same public build with tagging switched off (bilag
   cleaned of their trees, no tree built: the pack as it was before), on the
   benchmark corpus of benchmarks/pack.py (~40 PDFs, ~500 pages) with every bilag
   tagged (one P per page, as a simple tagged export has). Goal: <= 1.5x.
2. The 30-item agenda (benchmarks/documents.py) as tagged PDF/UA through a warm
   LibreOffice (``write_tagged_agenda_pdf``) against the floor: the same docx through
   the same warm office with a plain ``--convert-to pdf``. Goal: <= 1 s.

    python3 benchmarks/pack_tagged.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pikepdf  # noqa: E402

from benchmarks import documents as documents_bench  # noqa: E402
from benchmarks import pack as pack_bench  # noqa: E402
from export import tagged_agenda  # noqa: E402
from export.conversion import convert_office  # noqa: E402
from export.conversion.convert import find_office  # noqa: E402
from export.conversion.convert_office import OfficeJob  # noqa: E402
from export.documents.docx_agenda import write_agenda_docx  # noqa: E402
from export.pack import build, pack_import  # noqa: E402


def tag(path: Path) -> None:
    """Give a PDF one P element per page around all its content."""
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        root = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot))
        document = pdf.make_indirect(
            pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.Document, P=root,
                               K=pikepdf.Array())
        )  # fmt: skip
        nums = pikepdf.Array()
        for n, page in enumerate(pdf.pages):
            page.contents_add(pdf.make_stream(b"/P <</MCID 0>> BDC\n"), prepend=True)
            page.contents_add(pdf.make_stream(b"\nEMC\n"))
            element = pdf.make_indirect(
                pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.P, P=document,
                                   Pg=page.obj, K=0)
            )  # fmt: skip
            document.K.append(element)
            page.obj.StructParents = n
            nums.extend([n, pikepdf.Array([element])])
        root.K = pikepdf.Array([document])
        root.ParentTree = pdf.make_indirect(pikepdf.Dictionary(Nums=nums))
        pdf.Root.StructTreeRoot = root
        pdf.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
        pdf.save(path)


def untagged_build(snapshot, target):
    """The public pack without tags: what the build did before (bilag cleaned of their
    trees, no tree made)."""
    real_tag, real_clean = build._tag, pack_import.clean_document
    build._tag = lambda *args: None
    pack_import.clean_document = lambda pdf, *, public, keep_structure=False: real_clean(
        pdf, public=public
    )
    try:
        return build.build_pack(snapshot, target, public=True)
    finally:
        build._tag, pack_import.clean_document = real_tag, real_clean


def pack_ratio(rounds: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        files = pack_bench.make_pdfs(folder)
        for path in files:
            tag(path)
        snapshot = pack_bench.meeting(files)
        tagged, plain = [], []
        for n in range(rounds):
            started = time.perf_counter()
            result = build.build_pack(snapshot, folder / f"tagged{n}.pdf", public=True)
            tagged.append(time.perf_counter() - started)
            assert result.tagged, "the corpus should give a pack claimed as PDF/UA"
            started = time.perf_counter()
            untagged_build(snapshot, folder / f"plain{n}.pdf")
            plain.append(time.perf_counter() - started)
        t, p = statistics.median(tagged), statistics.median(plain)
        print(f"public pack, {result.page_count} pages, {len(files)} tagged bilag:")
        print(f"  with tags {t:.2f} s, without {p:.2f} s: {t / p:.2f}x (goal <= 1.5x)")


def agenda_time(rounds: int) -> None:
    suite = find_office()
    if suite is None or suite.converter != "libreoffice":
        print("agenda: LibreOffice is not installed; not measured")
        return
    snapshot = documents_bench.thirty_items()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        docx = write_agenda_docx(snapshot, folder / "a.docx", public=True).read_bytes()
        tagged_agenda.write_tagged_agenda_pdf(snapshot, folder / "warm.pdf")  # warms
        ours, floor = [], []
        for n in range(rounds):
            started = time.perf_counter()
            made = tagged_agenda.write_tagged_agenda_pdf(snapshot, folder / f"a{n}.pdf")
            ours.append(time.perf_counter() - started)
            assert made.tagged
            started = time.perf_counter()
            done: list = []
            convert_office.convert_with_libreoffice(
                [OfficeJob("a", "a.docx", "docx", docx)], suite,
                lambda _, r, done=done: done.append(r), threading.Event(), timeout=120,
                instances=1,
            )  # fmt: skip
            floor.append(time.perf_counter() - started)
            assert isinstance(done[0], bytes)
        o, f = statistics.median(ours), statistics.median(floor)
        with pikepdf.open(io.BytesIO((folder / "a0.pdf").read_bytes())) as pdf:
            pages = len(pdf.pages)
        print(f"agenda, 30 items ({pages} pages), warm LibreOffice:")
        print(f"  tagged PDF/UA {o:.2f} s (goal <= 1 s); plain conversion {f:.2f} s: {o / f:.2f}x")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", choices=("pack", "agenda"))
    args = parser.parse_args()
    if args.only != "agenda":
        pack_ratio(args.rounds)
    if args.only != "pack":
        agenda_time(args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
