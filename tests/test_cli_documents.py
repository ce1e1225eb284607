"""main.py export, preflight and self-test, run as a user would: subprocesses on a demo
workspace, then the produced files opened and read."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from tests.test_cli import run

# slow (the full run only): every test runs main.py in a subprocess
pytestmark = pytest.mark.slow

ALL = "agenda-docx,agenda-pdf,pack,minutes-docx,minutes-pdf"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[int]]:
    path = tmp_path_factory.mktemp("demo") / "demo.kkrdb"
    proc = run("demo", "--workspace", path)
    return path, [int(i) for i in re.findall(r"møde (\d+):", proc.stdout)]


def _with_a_cpr_number(path: Path, tmp_path: Path) -> Path:
    """A copy of the demo workspace where an open item's text holds a CPR number: a
    preflight error (fejl) that must hold the public edition back. (The item's own text:
    every item keeps its own copy of its case, schema v4.)"""
    work = tmp_path / "w.kkrdb"
    shutil.copy(path, work)
    with sqlite3.connect(work) as conn:
        for table in ("cases", "item_cases"):
            conn.execute(
                f"UPDATE {table} SET texts = json_set(texts, '$.baggrund', "
                "'Borgeren med cpr 010203-1234 har klaget.') WHERE reference LIKE '%/04521'"
            )
    return work


def _rows(path: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute(sql).fetchall()


def test_minutes_of_a_held_meeting_are_named_referat(demo, tmp_path):
    path, ids = demo
    what = ("--what", "minutes-docx,minutes-pdf")
    proc = run("export", "--workspace", path, "--meeting", ids[0], *what, "--out", tmp_path)
    names = sorted(Path(line).name for line in proc.stdout.splitlines())
    assert [n.split(" 20")[0] for n in names] == ["Referat KKR Sjælland"] * 2, names


def test_export_writes_every_document_and_caches_conversions(demo, tmp_path):
    path, ids = demo
    proc = run("export", "--workspace", path, "--meeting", ids[1], "--what", ALL, "--out", tmp_path)
    written = [Path(line) for line in proc.stdout.splitlines()]
    names = sorted(p.name for p in written)
    assert len(names) == 5 and all(p.parent == tmp_path and p.is_file() for p in written)
    assert sum(n.startswith("Dagsorden") for n in names) == 2
    # the meeting is not held yet: its minutes are a draft, and named so
    assert sum(n.startswith("Udkast til referat KKR Sjælland") for n in names) == 2
    pack = next(p for p in written if p.name.startswith("Bilagspakke"))
    assert "(offentlig)" not in pack.name
    # one progress line per bilag on stderr, by file name
    assert "tilbud-analyse.pdf" in proc.stderr and "kommissorium-analyse.docx" in proc.stderr
    # the pack holds the DOCX bilag converted by LibreOffice and the confidential one
    text = "\n".join(page.extract_text() or "" for page in PdfReader(pack).pages)
    assert "Tilbud fra konsulentfirma" in text and "Fortroligt" in text
    agenda = next(p for p in written if p.name.startswith("Dagsorden") and p.suffix == ".docx")
    headings = [
        p.text for p in docx.Document(str(agenda)).paragraphs if p.style.name == "Heading 2"
    ]
    assert headings[0].startswith("1.1 ")
    # the conversions are kept for the next export, their text for search
    conversions = _rows(path, "SELECT count(*) FROM conversions")[0][0]
    assert conversions >= 6
    again = run(
        "export",
        "--workspace",
        path,
        "--meeting",
        ids[1],
        "--what",
        "pack",
        "--out",
        tmp_path / "igen",
    )
    assert _rows(path, "SELECT count(*) FROM conversions")[0][0] == conversions
    assert Path(again.stdout.strip()).is_file()


def test_public_pack_leaves_out_closed_and_confidential(demo, tmp_path):
    path, ids = demo
    proc = run(
        "export",
        "--workspace",
        path,
        "--meeting",
        ids[1],
        "--what",
        "pack",
        "--public",
        "--out",
        tmp_path,
    )
    pack = Path(proc.stdout.strip())
    assert pack.name.endswith("(offentlig).pdf")
    reader = PdfReader(pack)
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    assert "Tilbud fra konsulentfirma" not in text
    assert "Erhvervshus Sjællands bestyrelse" not in text  # the closed item
    assert "Rammeaftale" in text


def test_preflight_reports_the_scanned_bilag_as_a_warning(demo):
    path, ids = demo
    proc = run("preflight", "--workspace", path, "--meeting", ids[1])
    assert re.search(r"^ADVARSEL: .*Oplæg om kystbeskyttelse.*scannet", proc.stdout, re.M)


def test_public_export_refuses_a_preflight_error_unless_forced(demo, tmp_path):
    path, ids = demo
    work = _with_a_cpr_number(path, tmp_path)
    out = tmp_path / "ud"
    proc = run("preflight", "--workspace", work, "--meeting", ids[1], code=1)
    assert "FEJL" in proc.stdout and "010203-1234" not in proc.stdout
    proc = run(
        "export",
        "--workspace",
        work,
        "--meeting",
        ids[1],
        "--what",
        "agenda-pdf",
        "--public",
        "--out",
        out,
        code=1,
    )
    assert "offentlige udgave er ikke lavet" in proc.stderr
    assert not out.exists() or not any(out.iterdir())
    assert _rows(work, "SELECT count(*) FROM events")[0][0] == 0
    run(
        "export",
        "--workspace",
        work,
        "--meeting",
        ids[1],
        "--what",
        "agenda-pdf",
        "--public",
        "--force",
        "--out",
        out,
    )
    assert len(list(out.glob("*.pdf"))) == 1
    events = _rows(work, "SELECT kind, meeting_id, payload FROM events")
    assert events[0][0] == "public-export-override" and events[0][1] == ids[1]
    assert "cpr" in events[0][2].lower() and "010203-1234" not in events[0][2]


def test_unknown_output_is_wrong_usage(demo, tmp_path):
    path, ids = demo
    proc = run(
        "export",
        "--workspace",
        path,
        "--meeting",
        ids[1],
        "--what",
        "plakat",
        "--out",
        tmp_path,
        code=2,
    )
    assert "plakat" in proc.stderr


def test_self_test_passes_and_names_the_converter():
    proc = run("self-test")
    assert "LibreOffice" in proc.stdout
    assert "Selvtesten er bestået." in proc.stdout


def test_imported_pdf_bilag_are_searchable_at_once(tmp_path):
    import io
    import json

    from reportlab.pdfgen import canvas

    folder = tmp_path / "møde"
    (folder / "bilag").mkdir(parents=True)
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, "Notat om vandloebsrestaurering i Tryggevaelde Aa")
    page.save()
    (folder / "bilag" / "notat.pdf").write_bytes(buffer.getvalue())
    item = {
        "kind": "information",
        "name": "Vandløb",
        "public": True,
        "paper": {"reference": "24/07777", "name": "Vandløb"},
        "files": [{"name": "Notat", "fileName": "bilag/notat.pdf", "public": True}],
    }
    doc = {
        "format": "kkr-dagsorden/meeting",
        "version": 1,
        "body": {"name": "KKR Sjælland", "numbering": "section"},
        "meeting": {"name": "Møde", "start": "2024-04-16T10:00:00+02:00"},
        "sections": [{"name": "Sager", "items": [item]}],
    }
    (folder / "meeting.json").write_text(json.dumps(doc), "utf-8")
    workspace = tmp_path / "w.kkrdb"
    run("import", "--workspace", workspace, folder)
    hits = run("search", "--workspace", workspace, "Tryggevaelde").stdout
    assert "24/07777" in hits and "[Tryggevaelde]" in hits


def test_public_exchange_export_is_held_back_by_a_preflight_error_too(demo, tmp_path):
    path, ids = demo
    work = _with_a_cpr_number(path, tmp_path)
    out = tmp_path / "ud"
    run(
        "export-meeting", "--workspace", work, "--meeting", ids[1], "--public", "--out", out, code=1
    )
    assert not out.exists() or not any(out.iterdir())
    run(
        "export-meeting",
        "--workspace",
        work,
        "--meeting",
        ids[1],
        "--public",
        "--force",
        "--out",
        out,
    )
    assert _rows(work, "SELECT kind FROM events") == [("public-export-override",)]


def test_a_meeting_id_that_is_not_a_number_is_wrong_usage_in_danish(demo):
    path, _ = demo
    proc = run("preflight", "--workspace", path, "--meeting", "to", code=2)
    assert "ikke et møde-id" in proc.stderr


def test_usage_errors_and_an_empty_search_are_explained_in_danish(demo):
    path, _ = demo
    assert "ukendt kommando 'plakat'" in run("plakat", code=2).stderr
    assert "mangler: --meeting, --out" in run("export", "--workspace", path, code=2).stderr
    assert "skriv et eller flere ord" in run("search", "--workspace", path, " ", code=2).stderr
