"""Office conversion against its floor: one batched ``soffice --convert-to pdf`` call.

Generates 10 DOCX files of 3-20 pages of Danish text, warms LibreOffice up once (disk
cache), then measures in the same run, each side with a fresh LibreOffice profile:

- floor: ``soffice --headless --convert-to pdf --outdir OUT f1 ... f10`` (one call)
- product: ``export.conversion.convert.convert_all`` of the same files, empty cache

and prints product / floor. Goal: <= 1x (never one office start per file).

    python3 benchmarks/convert.py [--rounds 3]

``measure(docx_paths)`` is importable (the pack benchmark uses it).
"""

from __future__ import annotations

import argparse
import hashlib
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import docx

from agenda.model import Attachment
from export.conversion import convert_office, office_processes
from export.conversion.convert import convert_all, find_office

_VOCABULARY = (
    "kommunekontaktrådet regionen kommunerne sundhedsaftalen økonomi udvikling borgere "
    "erhvervsklynger beskæftigelse uddannelse infrastruktur klima vækst samarbejde "
    "indstilling beslutning sagsfremstilling baggrund evaluering kapacitet nærhed "
    "praksis psykiatri ældre børn unge trafik kollektiv grøn omstilling vand affald "
    "budget rammer aftale forhandling dialog målsætning opfølgning Sjælland Ærø Præstø "
    "Næstved Køge Roskilde Holbæk Slagelse Vordingborg Guldborgsund Lolland Faxe"
)
WORDS = tuple(_VOCABULARY.split())


def make_docx(path: Path, pages: int, seed: int) -> None:
    """About ``pages`` pages: headings, paragraphs of generated Danish, now and then a table."""
    rng = random.Random(seed)
    document = docx.Document()
    document.add_heading(f"Notat {seed}: {' '.join(rng.sample(WORDS, 4)).capitalize()}", 0)
    for section in range(pages * 2):
        document.add_heading(f"{section + 1}. {' '.join(rng.sample(WORDS, 3)).capitalize()}", 1)
        for _ in range(3):
            sentences = [
                " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 18))).capitalize() + "."
                for _ in range(4)
            ]
            document.add_paragraph(" ".join(sentences))
        if section % 4 == 3:
            table = document.add_table(rows=4, cols=3)
            for row in table.rows:
                for cell in row.cells:
                    cell.text = f"{rng.choice(WORDS)} {rng.randint(1, 99_999):,}".replace(",", ".")
    document.save(str(path))


def make_files(folder: Path, count: int = 10) -> list[Path]:
    rng = random.Random(2024)
    paths = []
    for n in range(count):
        path = folder / f"Bilag {n + 1} – notat om økonomi.docx"
        make_docx(path, rng.randint(3, 20), seed=n)
        paths.append(path)
    return paths


def _floor(soffice: Path, paths: list[Path]) -> float:
    """One batched call with a fresh profile."""
    work = Path(tempfile.mkdtemp(prefix="kkr-bench-floor-"))
    try:
        started = time.perf_counter()
        subprocess.run(
            [
                str(soffice),
                "--headless",
                "--norestore",
                f"-env:UserInstallation={(work / 'profile').as_uri()}",
                "--convert-to",
                "pdf",
                "--outdir",
                str(work / "out"),
                *map(str, paths),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        elapsed = time.perf_counter() - started
        made = len(list((work / "out").glob("*.pdf")))
        if made != len(paths):
            raise RuntimeError(f"floor made {made} of {len(paths)} PDFs")
        return elapsed
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _product(paths: list[Path]) -> tuple[float, int, int]:
    """convert_all with fresh profiles and no cache: (seconds, soffice calls, pages)."""
    office_processes.PROFILES.reset()
    attachments, blobs = [], {}
    for path in paths:
        data = path.read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        blobs[sha] = data
        attachments.append(Attachment(path.stem, path.name, "", len(data), sha))
    calls = []
    real_launch = convert_office.launch

    def counting(command, **kwargs):
        calls.append(command)
        return real_launch(command, **kwargs)

    convert_office.launch = counting
    try:
        started = time.perf_counter()
        results = convert_all(attachments, blobs, {})
        elapsed = time.perf_counter() - started
    finally:
        convert_office.launch = real_launch
    failed = [r.error.message for r in results.values() if r.error]
    if failed:
        raise RuntimeError("; ".join(failed))
    return elapsed, len(calls), sum(r.page_count for r in results.values())


def measure(docx_paths: list[Path], rounds: int = 1) -> dict:
    """Time the product against the floor on the same files (median of ``rounds``,
    alternating sides). Returns seconds, the ratio, soffice calls and pages."""
    suite = find_office()
    if suite is None or suite.executable is None:
        raise RuntimeError("LibreOffice (soffice) is needed for this benchmark")
    paths = [Path(p) for p in docx_paths]
    _floor(suite.executable, paths[:1])  # warm up: LibreOffice's files into the disk cache
    floors, products = [], []
    calls = pages = 0
    for _ in range(rounds):
        floors.append(_floor(suite.executable, paths))
        seconds, calls, pages = _product(paths)
        products.append(seconds)
    floor, product = statistics.median(floors), statistics.median(products)
    return {
        "files": len(paths),
        "pages": pages,
        "floor_seconds": floor,
        "product_seconds": product,
        "ratio": product / floor,
        "soffice_calls": calls,
        "libreoffice": suite.version,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kkr-bench-docx-") as folder:
        paths = make_files(Path(folder))
        result = measure(paths, rounds=args.rounds)
    print(
        f"{result['files']} DOCX, {result['pages']} pages, LibreOffice {result['libreoffice']}\n"
        f"floor   one batched soffice call : {result['floor_seconds']:.2f} s\n"
        f"product convert_all              : {result['product_seconds']:.2f} s "
        f"({result['soffice_calls']} soffice calls)\n"
        f"ratio   product / floor          : {result['ratio']:.2f}x   (goal <= 1x)"
    )


if __name__ == "__main__":
    main()
