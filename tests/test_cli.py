"""The command line, run as the user runs it: ``python main.py …`` in a subprocess,
against workspaces in a temporary folder."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

import main
from agenda import __version__

# slow (the full run only): runs main.py in subprocesses
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent


def run(*args: object, code: int = 0) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == code, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    return proc


def refused(*args: object) -> str:
    """A bad-input run: exit 1, a Danish message on stderr, no traceback."""
    proc = run(*args, code=1)
    assert proc.stderr.startswith("Fejl: "), proc.stderr
    return proc.stderr


def _open(path: Path):  # type: ignore[no-untyped-def]
    from storage.workspace import open_workspace

    return open_workspace(path, create=False)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[int]]:
    """One demo workspace for the module (read-only for the tests that use it)."""
    path = tmp_path_factory.mktemp("demo") / "demo.kkrdb"
    proc = run("demo", "--workspace", path)
    ids = [int(i) for i in re.findall(r"møde (\d+):", proc.stdout)]
    return path, ids


@pytest.fixture
def exchange_folder(tmp_path: Path) -> Path:
    """A small meeting in the exchange format, with one real PDF bilag."""
    from reportlab.pdfgen import canvas

    folder = tmp_path / "mode"
    (folder / "bilag").mkdir(parents=True)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawString(72, 720, "Notat om skolestruktur i Sorø")
    pdf.save()
    (folder / "bilag" / "notat-skolestruktur.pdf").write_bytes(buffer.getvalue())
    meeting = {
        "format": "kkr-dagsorden/meeting",
        "version": 1,
        "body": {"name": "KKR Sjælland", "numbering": "section"},
        "meeting": {
            "name": "Ekstraordinært møde i KKR Sjælland",
            "start": "2024-06-04T10:00:00+02:00",
            "end": "2024-06-04T12:00:00+02:00",
            "location": "Sorø Rådhus",
            "state": "draft",
            "participants": [{"name": "Karen Lykke Jessen", "role": "Formand", "present": None}],
        },
        "sections": [
            {
                "name": "Indledning",
                "items": [{"kind": "approval", "name": "Godkendelse af dagsorden", "public": True}],
            },
            {
                "name": "Sager",
                "items": [
                    {
                        "kind": "decision",
                        "name": "Fælles skolestrukturanalyse",
                        "public": True,
                        "paper": {
                            "reference": "24/09911",
                            "name": "Fælles skolestrukturanalyse",
                            "officer": "Else Prøve",
                            "texts": {"indstilling": "Det indstilles, at KKR Sjælland godkender."},
                        },
                        "resolution": None,
                        "files": [
                            {
                                "name": "Notat om skolestruktur",
                                "fileName": "bilag/notat-skolestruktur.pdf",
                                "public": True,
                            }
                        ],
                    }
                ],
            },
        ],
    }
    (folder / "meeting.json").write_text(json.dumps(meeting, ensure_ascii=False), "utf-8")
    return folder


def test_demo_makes_three_meetings_with_real_bilag(demo):
    path, ids = demo
    assert len(ids) == 3
    ws = _open(path)
    try:
        assert [s.id for s in ws.meetings()] == ids
        meetings = [ws.meeting(i) for i in ids]
        items = [item for m in meetings for item in m.agenda.items()]
        cases = [item.case for item in items if item.case]
        attachments = [a for item in items for a in item.attachments]
        assert len(cases) == 21 and len(attachments) == 31  # one added after sending
        assert sum(item.closed for item in items) == 1
        assert sum(a.confidential for a in attachments) == 1
        held = meetings[0]
        assert held.status.value == "held" and len(held.absentees) == 2
        assert all(item.decision for item in held.agenda.items())
        for attachment in attachments:
            data = ws.blob(attachment.sha256)
            assert len(data) == attachment.size
            if attachment.extension == "pdf":
                assert len(PdfReader(io.BytesIO(data)).pages) >= 2
            else:
                assert attachment.title in [
                    p.text for p in docx.Document(io.BytesIO(data)).paragraphs
                ]
    finally:
        ws.close()


def test_the_demo_meeting_is_sent_with_one_change_and_its_tillaeg_exports(demo, tmp_path):
    """Issue 14 in the demo: the upcoming meeting was sent (its files frozen), then a case
    was added; ``changes`` lists it and the tillægsdagsorden and tillægsbilag are made."""
    path, ids = demo
    upcoming = ids[1]
    listed = run("versions", "--meeting", upcoming, "--workspace", path).stdout.splitlines()
    assert len(listed) == 2 and listed[1].split()[:2] == ["1", "Dagsorden"]
    assert listed[1].endswith("Udsendt til medlemmer og suppleanter")
    changes = run("changes", "--meeting", upcoming, "--workspace", path).stdout.splitlines()
    assert changes[0].startswith("1 ændring siden udsendelsen ")
    assert changes[1:] == ["  Punkt 2.5: Nyt punkt"]
    assert "ikke udsendt" in run("changes", "--meeting", ids[2], "--workspace", path).stdout
    refused("send", "--meeting", ids[0], "--note", "x", "--workspace", path)  # held: a record

    out = tmp_path / "tillaeg"
    what = "supplement-agenda-pdf,supplement-pack"
    proc = run("export", "--meeting", upcoming, "--what", what, "--public", "--out", out,
               "--workspace", path)  # fmt: skip
    agenda, pack = (Path(p) for p in proc.stdout.splitlines())
    agenda_text = "".join(page.extract_text() for page in PdfReader(agenda).pages)
    assert "Tillægsdagsorden" in agenda_text and "Nyt punkt" in agenda_text
    assert "trafikbestilling" in agenda_text
    pack_text = "".join(page.extract_text() for page in PdfReader(pack).pages)
    assert "Nyt bilag" in pack_text and "Høringssvar fra KKR Sjælland" in pack_text


def test_demo_refuses_a_workspace_with_meetings_unless_forced(tmp_path, exchange_folder):
    path = tmp_path / "ws.kkrdb"
    run("import", "--workspace", path, exchange_folder)
    message = refused("demo", "--workspace", path)
    assert str(path) in message and "--force" in message
    assert [m.title for m in _meetings(path)] == ["Ekstraordinært møde i KKR Sjælland"]
    run("demo", "--workspace", path, "--force")
    titles = [m.title for m in _meetings(path)]
    assert titles == ["Møde i KKR Sjælland"] * 3  # replaced, not added to


def _meetings(path: Path) -> list:
    ws = _open(path)
    try:
        return ws.meetings()
    finally:
        ws.close()


def test_meetings_lists_id_date_body_title_status_items(demo):
    path, ids = demo
    lines = run("meetings", "--workspace", path).stdout.splitlines()
    assert lines[0].split() == ["Id", "Dato", "Udvalg", "Titel", "Status", "Punkter"]
    rows = lines[1:]
    assert [int(r.split()[0]) for r in rows] == ids
    for row, status, count in zip(rows, ("Afholdt", "Udsendt", "Kladde"), (10, 12, 8), strict=True):
        assert re.search(r"\d\d\.\d\d\.\d{4} kl\. \d\d\.\d\d", row)
        assert "KKR Sjælland" in row and "Møde i KKR Sjælland" in row
        assert row.split()[-2:] == [status, str(count)]


def test_search_finds_a_case_by_word_and_by_case_number(demo):
    path, _ = demo
    out = run("search", "--workspace", path, "praktikpladser").stdout
    first = out.splitlines()[0]
    assert "Fordeling af praktikpladser" in first
    reference = first.split()[0]
    assert re.fullmatch(r"\d\d/03187", reference)
    by_number = run("search", "--workspace", path, reference.replace("03187", "04521")).stdout
    assert "Rammeaftale" in by_number.splitlines()[0]
    # a partial number, written with another separator, finds the case with that number first
    partial = run("search", "--workspace", path, reference[:2] + "-0318").stdout
    assert partial.splitlines()[0].startswith(f"{reference}  Fordeling af praktikpladser")
    none = run("search", "--workspace", path, "xyzzyquux").stdout
    assert none.startswith("Ingen sager matcher")
    # a word that begins words in the cases: the command line says how to find them
    assert "findes med en stjerne: kommun*" in run("search", "--workspace", path, "kommun").stdout
    assert "Kommunernes" in run("search", "--workspace", path, "kommun*").stdout


def test_search_finds_words_from_the_bilag_text(demo):
    path, _ = demo
    out = run("search", "--workspace", path, "Rødbyhavn").stdout  # only in a bilag
    assert "Femern" in out.splitlines()[0]


def test_import_prints_the_new_id_and_the_meeting_is_there(tmp_path, exchange_folder):
    path = tmp_path / "ws.kkrdb"
    out = run("import", "--workspace", path, exchange_folder).stdout
    new_id = int(re.search(r"id (\d+)", out).group(1))
    ws = _open(path)
    try:
        meeting = ws.meeting(new_id)
        assert meeting.title == "Ekstraordinært møde i KKR Sjælland"
        (attachment,) = meeting.agenda.items()[1].attachments
        assert ws.blob(attachment.sha256).startswith(b"%PDF")
    finally:
        ws.close()
    # its meeting.json directly, too, as a new meeting beside it; the case is matched on
    # its number, not duplicated
    run("import", "--workspace", path, exchange_folder / "meeting.json", "--as-new")
    assert len(_meetings(path)) == 2
    hits = run("search", "--workspace", path, "skolestrukturanalyse").stdout.splitlines()
    assert len([h for h in hits if h.startswith("24/09911")]) == 1


def test_importing_a_meeting_again_is_refused_naming_it_unless_as_new(tmp_path, exchange_folder):
    path = tmp_path / "ws.kkrdb"
    out = run("import", "--workspace", path, exchange_folder).stdout
    first = int(re.search(r"id (\d+)", out).group(1))
    before = path.read_bytes()
    message = refused("import", "--workspace", path, exchange_folder)
    assert "Mødet findes allerede i arbejdsområdet: »Ekstraordinært møde i KKR Sjælland«" in (
        message
    )
    assert f"KKR Sjælland, tirsdag den 4. juni 2024 kl. 10.00 (møde {first})" in message
    assert "Intet er importeret" in message and "--as-new" in message
    assert path.read_bytes() == before
    assert len(_meetings(path)) == 1
    out = run("import", "--workspace", path, exchange_folder, "--as-new").stdout
    assert out.startswith("Mødet er importeret med id ")
    assert "tekster og bilag er ikke hentet fra filen" in out  # the user is told what was kept
    assert sorted(m.id for m in _meetings(path))[0] == first
    assert len(_meetings(path)) == 2
    assert "--as-new" in run("import", "--help").stdout


def test_export_meeting_writes_meeting_json_and_bilag(demo, tmp_path):
    path, ids = demo
    out = tmp_path / "ud"
    proc = run("export-meeting", "--workspace", path, "--meeting", ids[1], "--out", out)
    written = Path(proc.stdout.split(" til ", 1)[1].strip())
    folder = written if written.is_dir() else written.parent
    data = json.loads((folder / "meeting.json").read_text("utf-8"))
    assert data["format"] == "kkr-dagsorden/meeting" and data["version"] == 2
    files = [f for s in data["sections"] for i in s["items"] for f in i.get("files", [])]
    assert len(files) == 13  # 12 sent and the one added since
    for f in files:
        assert (folder / f["fileName"]).is_file()
    assert any(i["public"] is False for s in data["sections"] for i in s["items"])


def test_export_meeting_zip_and_public(demo, tmp_path):
    path, ids = demo
    proc = run(
        "export-meeting",
        "--workspace",
        path,
        "--meeting",
        ids[1],
        "--out",
        tmp_path,
        "--zip",
        "--public",
    )
    written = Path(proc.stdout.split(" til ", 1)[1].strip())
    with zipfile.ZipFile(written) as archive:
        names = archive.namelist()
        meeting_json = next(n for n in names if n.endswith("meeting.json"))
        data = json.loads(archive.read(meeting_json))
    items = [i for s in data["sections"] for i in s["items"]]
    assert all(i["public"] is not False for i in items)
    assert not any("tilbud-analyse" in n or "kandidater" in n for n in names)


def test_a_workspace_that_is_not_sqlite_is_refused_and_left_alone(tmp_path, exchange_folder):
    path = tmp_path / "noter.kkrdb"
    path.write_bytes(b"Dette er ikke en database, men et notat.\n" * 50)
    before = path.read_bytes()
    for args in (("meetings",), ("search", "x"), ("import", exchange_folder), ("demo",)):
        message = refused(*args, "--workspace", path)
        assert str(path) in message or path.name in message
    assert path.read_bytes() == before


def test_missing_import_path_is_refused(tmp_path):
    path = tmp_path / "ws.kkrdb"
    missing = tmp_path / "findes-ikke" / "meeting.json"
    message = refused("import", "--workspace", path, missing)
    assert str(missing) in message and "findes ikke" in message


def test_a_failed_import_into_a_new_workspace_leaves_no_file_behind(tmp_path):
    path = tmp_path / "ny.kkrdb"
    (tmp_path / "ikke-et-møde").mkdir()
    message = refused("import", "--workspace", path, tmp_path / "ikke-et-møde")
    assert "ingen meeting.json" in message and "Angiv mappen" in message
    assert not any(tmp_path.glob("ny.kkrdb*"))


def test_malformed_json_is_refused_and_nothing_is_imported(tmp_path, exchange_folder):
    path = tmp_path / "ws.kkrdb"
    run("import", "--workspace", path, exchange_folder)
    (exchange_folder / "meeting.json").write_text('{"format": "kkr-dagsorden/meeting", ', "utf-8")
    message = refused("import", "--workspace", path, exchange_folder)
    assert "meeting.json" in message
    assert len(_meetings(path)) == 1


def test_unknown_meeting_id_is_refused(demo, tmp_path):
    path, _ = demo
    message = refused("export-meeting", "--workspace", path, "--meeting", 9999, "--out", tmp_path)
    assert "9999" in message
    assert not list(tmp_path.rglob("meeting.json"))


def test_a_missing_workspace_is_not_created_by_reading_commands(tmp_path):
    path = tmp_path / "stavefejl.kkrdb"
    message = refused("meetings", "--workspace", path)
    assert str(path) in message and "findes ikke" in message
    assert not path.exists()


@pytest.mark.parametrize(
    "args",
    [
        ("frobnicate",),
        ("export-meeting", "--out", "x"),
        ("export-meeting", "--meeting", "to", "--out", "x"),
        ("search",),
        ("import",),
        ("--no-such-option",),
    ],
)
def test_wrong_usage_exits_2(args):
    proc = run(*args, code=2)
    assert proc.stderr.startswith("brug: ") and "fejl:" in proc.stderr


def test_version():
    # the documents themselves: tests/test_cli_documents.py
    assert run("--version").stdout.strip() == f"kkr-dagsorden {__version__}"


def test_demo_flag_makes_the_demo_workspace_and_starts_the_window_on_it(tmp_path, monkeypatch):
    import gui.app

    started = []
    monkeypatch.setattr(
        gui.app,
        "run_gui",
        lambda path, *, demo=False, fill_demo=None: started.append((path, demo)) or 0,
    )
    path = tmp_path / "demo.kkrdb"
    assert main.main(["--demo", "--workspace", str(path)]) == 0
    assert started == [(path, True)]
    assert len(_meetings(path)) == 3
    assert main.main(["--demo", "--workspace", str(path)]) == 0  # kept, not remade
    assert len(_meetings(path)) == 3
    assert main.main(["--workspace", str(path)]) == 0
    assert started[-1] == (path, False)


def test_a_workspace_from_a_newer_version_is_refused_and_left_alone(demo, tmp_path):
    import sqlite3

    path = tmp_path / "nyere.kkrdb"
    path.write_bytes(demo[0].read_bytes())
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = path.read_bytes()
    message = refused("meetings", "--workspace", path)
    assert "nyere version" in message
    assert path.read_bytes() == before


def test_a_zip_export_imports_into_another_workspace(demo, tmp_path):
    path, ids = demo
    proc = run(
        "export-meeting", "--workspace", path, "--meeting", ids[0], "--out", tmp_path, "--zip"
    )
    archive = Path(proc.stdout.split(" til ", 1)[1].strip())
    other = tmp_path / "andet.kkrdb"
    out = run("import", "--workspace", other, archive).stdout
    new_id = int(re.search(r"id (\d+)", out).group(1))
    ws = _open(other)
    try:
        imported = ws.meeting(new_id)
        assert imported.status.value == "held"
        assert len([a for i in imported.agenda.items() for a in i.attachments]) == 12
    finally:
        ws.close()


def test_an_output_folder_under_a_file_is_refused_in_danish(demo, tmp_path):
    path, ids = demo
    (tmp_path / "fil").write_text("x")
    message = refused(
        "export-meeting", "--workspace", path, "--meeting", ids[0], "--out", tmp_path / "fil" / "ud"
    )
    assert str(tmp_path / "fil") in message


def test_no_window_yet_or_no_qt_gives_a_message_not_a_traceback(tmp_path, monkeypatch, capsys):
    path = tmp_path / "ws.kkrdb"
    monkeypatch.setitem(sys.modules, "gui.app", None)  # as before the GUI existed
    assert main.main(["--workspace", str(path)]) == 1
    assert "Vinduet er ikke klar endnu" in capsys.readouterr().out
    monkeypatch.delitem(sys.modules, "gui.app")
    monkeypatch.setitem(sys.modules, "PySide6.QtWidgets", None)  # Qt cannot load
    assert main.main(["--workspace", str(path)]) == 1
    assert "./scripts/setup.sh" in capsys.readouterr().err
