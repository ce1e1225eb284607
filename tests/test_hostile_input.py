"""Bad input, run through the product's own paths: every hostile thing handed to
``main.py import`` is refused (exit 1, a Danish message naming the file, no traceback)
and leaves the workspace and earlier outputs exactly as they were; every hostile bilag
either goes into the bilagspakke (repaired, decrypted, shrunk, cleaned) or is listed
with a Danish message naming it while the pack is built from the rest.

The corpus is generated (tests/hostile.py), not stored."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pikepdf
import pypdf
import pytest

from agenda.errors import ExchangeError
from agenda.model import Agenda
from exchange.transfer import export_meeting, import_meeting
from export.pack.build import build_pack
from storage.workspace import open_workspace
from tests import hostile
from tests import pack_samples as samples

# slow (the full run only): the CLI in subprocesses, big builds (2,000 pages, 100 MB)
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
BILAG = hostile.bilag()
OFFICE = {b.key for b in hostile.office_bilag()}
SOURCES = hostile.sources()


def workspace_fingerprint(path: Path) -> dict[str, tuple[int, str]]:
    """Per table: the row count and a hash of every row's content."""
    with open_workspace(path, create=False) as ws:
        tables = [
            r[0] for r in ws.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        found = {}
        for table in tables:
            rows = sorted(repr(tuple(r)) for r in ws.conn.execute(f'SELECT * FROM "{table}"'))
            found[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
        found["user_version"] = (ws.conn.execute("PRAGMA user_version").fetchone()[0], "")
    return found


def folder_hashes(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def before(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A workspace holding one meeting, and earlier outputs of it (an exchange export
    and a bilagspakke), with their fingerprints."""
    root = tmp_path_factory.mktemp("hostile")
    folder = hostile._folder(
        root / "kilde", hostile.meeting_doc([{"name": "Rapport", "fileName": "bilag/r.pdf"}])
    )
    (folder / "bilag").mkdir()
    (folder / "bilag" / "r.pdf").write_bytes(hostile.good_pdf("Rapportens første side"))
    ws_path = root / "arbejde.kkrdb"
    out = root / "ud"
    with open_workspace(ws_path) as ws:
        meeting = import_meeting(ws, folder)
        export_meeting(ws, meeting.id, out)
    snapshot, _ = samples.snapshot([("Sag", "Rapport", hostile.good_pdf("Tidligere"), {})])
    build_pack(snapshot, out / "Bilagspakke.pdf", public=False)
    return {
        "root": root,
        "workspace": ws_path,
        "out": out,
        "fingerprint": workspace_fingerprint(ws_path),
        "outputs": folder_hashes(out),
    }


def test_the_corpus_has_every_kind_asked_for():
    keys = {b.key for b in BILAG} | {s.key for s in SOURCES}
    assert len(BILAG) + len(SOURCES) >= 30
    assert {
        "truncated-pdf", "broken-xref", "encrypted-user", "encrypted-owner", "javascript",
        "zero-bytes", "pdf-as-docx", "zip-bomb-docx", "password-docx", "2000-pages",
        "png-bomb", "png-100mb", "long-name", "vanished", "malformed-json", "html-as-docx",
        "exe", "empty-zip", "zero-pages", "page-tree-loop", "utf16-text", "zero-byte-json",
        "json-is-folder", "symlink-loop",
        # values of the wrong type or not JSON at all (tests/hostile_json.py)
        "item-public-string-false", "item-public-zero", "item-public-nej", "item-public-null",
        "item-public-empty-list", "bilag-public-string-false", "bilag-public-null",
        "present-ja", "present-nan", "infinity-meeting", "surrogate-meeting-name",
        "surrogate-unknown-field", "version-true",
        # keys twice, fields that look like a confidentiality mark (fail closed)
        "duplicate-item-public", "duplicate-bilag-public", "mark-item-closed",
        "mark-file-confidential", "mark-file-fortrolig", "mark-paper-public",
        "mark-section-public", "mark-meeting-hemmelig",
    } <= keys  # fmt: skip
    long = next(b for b in BILAG if b.key == "long-name")
    assert len(long.file_name) == 250 and "æ" in long.file_name and "🙂" in long.file_name
    assert len(next(b for b in BILAG if b.key == "zip-bomb-docx").data) < 1 << 20


@pytest.mark.parametrize("source", SOURCES, ids=[s.key for s in SOURCES])
def test_import_refuses_in_danish_naming_the_file_and_changes_nothing(source, before):
    path = source.make(before["root"] / "kilder" / source.key)
    proc = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "import", "--workspace", str(before["workspace"]),
         str(path)],
        capture_output=True, text=True, cwd=ROOT, timeout=60, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert proc.returncode == 1, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("Fejl: "), proc.stderr
    assert source.says in proc.stderr
    assert (source.names or path.name) in proc.stderr
    assert proc.stdout == ""
    assert workspace_fingerprint(before["workspace"]) == before["fingerprint"]
    assert folder_hashes(before["out"]) == before["outputs"]


def test_a_meeting_json_that_vanishes_while_being_read_is_refused(before, monkeypatch):
    """Chosen in the dialog, gone before it was read (the share dropped): the import
    gets a Danish ExchangeError, not an OSError, and the workspace is as before."""
    folder = hostile._folder(before["root"] / "forsvinder", hostile.meeting_doc())
    real = Path.read_bytes

    def vanish(self: Path) -> bytes:
        if self.name == "meeting.json":
            self.unlink()
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", vanish)
    with open_workspace(before["workspace"]) as ws, pytest.raises(ExchangeError) as error:
        import_meeting(ws, folder)
    assert "findes ikke længere" in error.value.message
    assert str(folder) in error.value.message
    monkeypatch.undo()
    assert workspace_fingerprint(before["workspace"]) == before["fingerprint"]


def _pdf_objects_with(pdf: pikepdf.Pdf, key: str) -> int:
    return sum(1 for obj in pdf.objects if isinstance(obj, pikepdf.Dictionary) and key in obj)


@pytest.mark.parametrize("bad", BILAG, ids=[b.key for b in BILAG])
def test_the_pack_lists_a_bad_bilag_or_takes_it_in_and_builds_from_the_rest(bad, before):
    good = hostile.good_pdf("Det gode bilag Solsikke")
    snapshot, _ = samples.snapshot(
        [
            ("Sag med godt bilag", "Godt bilag", good, {"file_name": "godt.pdf"}),
            ("Sag med dårligt bilag", f"Bilag {bad.key}", bad.data, {"file_name": bad.file_name}),
        ]
    )
    target = before["root"] / "pakker" / f"{bad.key}.pdf"
    result = build_pack(snapshot, target, public=False)
    messages = [p.error.message for p in result.problems if p.error]
    if bad.pack == hostile.PROBLEM:
        assert len(messages) == 1, messages
        assert bad.file_name in messages[0] and bad.says in messages[0], messages[0]
    else:
        assert messages == []
    reader = pypdf.PdfReader(target)
    assert len(reader.pages) == result.page_count
    # the rest is there (read page by page: the content bomb's page is not parsed)
    assert any("Solsikke" in (page.extract_text() or "") for page in reader.pages[:8])
    assert folder_hashes(before["out"]) == before["outputs"]
    if bad.key == "javascript":
        with pikepdf.open(target) as pdf:
            assert "/OpenAction" not in pdf.Root and "/Names" not in pdf.Root
            assert _pdf_objects_with(pdf, "/JS") == 0
            assert _pdf_objects_with(pdf, "/AA") == 0
    if bad.key == "2000-pages":
        assert result.page_count >= 2000
    if bad.key == "utf16-text":
        assert "Æble, øl og ål" in reader.pages[-1].extract_text()
    if bad.key in OFFICE:  # its text is there, what it hid or linked is not
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
        assert hostile.SECRET_DELETED not in text
        assert any(word in text for word in ("Notat", "Brev", "Gældende", "Kommenteret"))
        with pikepdf.open(target) as pdf:
            assert sum(len(page.get_images()) for page in pdf.pages) == 0


def test_hostile_bilag_import_preflight_and_export_through_the_cli(tmp_path):
    """A meeting carrying every hostile bilag: the import keeps the bytes as they are,
    preflight names each one that cannot go out, and the export builds the pack and
    warns about exactly those, naming each file."""
    folder = tmp_path / "møde"
    (folder / "bilag").mkdir(parents=True)
    files, names = [], {}
    for bad in BILAG:
        # a 250-character name is more than a Linux disk's 255 bytes; the pack test above
        # uses the full name, here the longest the disk takes
        name = bad.file_name if bad.key != "long-name" else hostile.DISK_NAME[:-5] + ".pdf"
        (folder / "bilag" / name).write_bytes(bad.data)
        files.append({"name": f"Bilag {bad.key}", "fileName": f"bilag/{name}", "public": True})
        names[bad.key] = name
    (folder / "meeting.json").write_text(
        json.dumps(hostile.meeting_doc(files), ensure_ascii=False), "utf-8"
    )
    ws_path = tmp_path / "arbejde.kkrdb"

    def cli(*args: object) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run(
            [sys.executable, str(ROOT / "main.py"), *map(str, args), "--workspace", str(ws_path)],
            capture_output=True, text=True, cwd=ROOT, timeout=120, stdin=subprocess.DEVNULL,
        )  # fmt: skip
        assert "Traceback" not in proc.stderr
        return proc

    assert cli("import", folder).returncode == 0
    with open_workspace(ws_path, create=False) as ws:
        stored = ws.meeting(1).agenda.items()[0].attachments
        assert [ws.blob(a.sha256) for a in stored] == [b.data for b in BILAG]
    problems = [b for b in BILAG if b.pack == hostile.PROBLEM]
    preflight = cli("preflight", "--meeting", 1)
    assert preflight.returncode == 1
    for bad in problems:
        assert f"FEJL: Bilaget »Bilag {bad.key}« ({bad.file_name}) under punktet »1.1 " in (
            preflight.stdout
        ), bad.key
    export = cli("export", "--meeting", 1, "--what", "pack", "--out", tmp_path / "ud")
    assert export.returncode == 0
    # every line for the user is Danish: progress, warnings; no library's English remarks
    assert all(line.startswith(("[", "Advarsel: ")) for line in export.stderr.splitlines())
    warned = [line for line in export.stderr.splitlines() if line.startswith("Advarsel: ")]
    assert sorted(w.split(": ")[1] for w in warned) == sorted(names[b.key] for b in problems)
    pack = next((tmp_path / "ud").glob("Bilagspakke*.pdf"))
    with pikepdf.open(pack) as pdf:
        assert len(pdf.pages) > 2000
        root = pdf.open_outline().root
        assert [str(e.title) for e in root[:2]] == ["Forside", "Indhold"]
        outline = [str(e.title) for e in root[2].children]
    assert outline == [f"Bilag {n}: Bilag {b.key}" for n, b in enumerate(BILAG, start=1)]


def test_the_long_name_is_kept_whole_in_the_workspace_and_the_pack(tmp_path):
    bad = next(b for b in BILAG if b.key == "long-name")
    snapshot, _ = samples.snapshot([("Sag", "Langt navn", bad.data, {"file_name": bad.file_name})])
    result = build_pack(snapshot, tmp_path / "pakke.pdf", public=False)
    assert not result.problems and result.page_count > 1
    # the exchange export writes it under a name every disk takes, with its extension
    ws_path = tmp_path / "arbejde.kkrdb"
    with open_workspace(ws_path) as ws:
        ws.store_blob(bad.data)
        meeting = ws.save_meeting(snapshot.meeting)
        written = export_meeting(ws, meeting.id, tmp_path / "ud")
    (bilag,) = (written / "bilag").iterdir()
    assert bilag.suffix == ".pdf" and len(bilag.name.encode()) <= 255
    assert bilag.read_bytes() == bad.data
    doc = json.loads((written / "meeting.json").read_text("utf-8"))
    assert doc["sections"][1]["items"][0]["files"][0]["fileName"] == f"bilag/{bilag.name}"
    assert io.BytesIO(bad.data).getvalue()[:5] == b"%PDF-"


@pytest.mark.parametrize("key", list(hostile.LONG_TITLES))
def test_every_output_takes_titles_longer_than_a_page(key, tmp_path):
    """An item and a bilag titled with thousands of characters: every document of the
    set is made (the PDF agenda and minutes stopped with reportlab's LayoutError)."""
    from export.outputs import OUTPUTS, write_outputs

    title = hostile.LONG_TITLES[key]
    snapshot, _ = samples.snapshot(
        [(title, title[:3000], hostile.good_pdf("Rapport"), {"file_name": "rapport.pdf"})]
    )
    requests = [(OUTPUTS[k], public) for k in OUTPUTS for public in (False, True)]
    # sent before it had any item: the tillægsdagsorden and its packs hold everything
    sent = replace(snapshot.meeting, agenda=Agenda())
    snapshot = replace(snapshot, sent=sent, sent_at=datetime(2024, 4, 9))
    outcome = write_outputs(snapshot, tmp_path, requests)
    assert not outcome.failed and not outcome.problems, outcome.problems
    assert len(outcome.written) == len(requests)
    words = "".join(title.split())[:500]
    for path in outcome.written:
        if path.suffix == ".pdf":
            text = "".join(p.extract_text() or "" for p in pypdf.PdfReader(path).pages)
            assert words in "".join(text.split()), path.name
