"""A full disk, a folder that cannot be written, a file in the way: every document
writer, the bilagspakke and the exchange export fail with a Danish message saying what
happened, and the previous output files are byte for byte as they were.

The failures are made at the operating-system call (tests run as root, so a read-only
folder would not stop them): writes into the output folder raise ENOSPC after a few
kilobytes, or the final rename raises, or the folder's parent is a file."""

from __future__ import annotations

import builtins
import errno
import hashlib
import io
import os
import shutil
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pikepdf
import pytest

import main
from agenda.errors import ExchangeError, ExportError, UserFacingError
from agenda.model import Agenda
from exchange.transfer import export_meeting
from export import outputs
from export.atomic import describe
from export.documents.docx_agenda import write_agenda_docx
from export.documents.pdf_agenda import write_agenda_pdf
from export.outputs import OUTPUTS, Output, write_outputs
from export.pack.build import build_pack
from storage.workspace import open_workspace
from tests import hostile
from tests import pack_samples as samples

KEYS = list(OUTPUTS)
#: python-docx leaves its ZipFile open when a write fails; its __del__ then meets the
#: full disk again (as it would on a real one) and Python reports that as unraisable.
pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")


def _hashes(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


class _FillingFile:
    """A real file that runs out of room after ``room`` bytes, as on a full disk."""

    def __init__(self, raw: io.IOBase, name: str, room: int) -> None:
        self._raw, self._name, self._room = raw, name, room

    def write(self, data: bytes) -> int:
        if len(data) > self._room:
            self._raw.write(bytes(data[: self._room]))
            self._room = 0
            raise OSError(errno.ENOSPC, "No space left on device", self._name)
        self._room -= len(data)
        return self._raw.write(data)

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(self._raw, name)

    def __enter__(self) -> _FillingFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self._raw.close()


def fill_disk(monkeypatch: pytest.MonkeyPatch, where: Path, room: int = 4096) -> None:
    """Writes into ``where`` (Python's open, zipfile, reportlab, python-docx, and
    pikepdf's save) fail with ENOSPC after ``room`` bytes per file."""
    real_open = io.open
    real_save = pikepdf.Pdf.save

    def inside(file: object) -> bool:
        return isinstance(file, (str, os.PathLike)) and str(where) in os.fspath(file)

    def limited_open(file, mode="r", *args, **kwargs):  # type: ignore[no-untyped-def]
        raw = real_open(file, mode, *args, **kwargs)
        if inside(file) and ("w" in mode or "a" in mode):
            return _FillingFile(raw, os.fspath(file), room)
        return raw

    def limited_save(self, filename=None, *args, **kwargs):  # type: ignore[no-untyped-def]
        if inside(filename):
            buffer = io.BytesIO()
            real_save(self, buffer, *args, **kwargs)
            with limited_open(filename, "wb") as out:
                out.write(buffer.getvalue())
            return None
        return real_save(self, filename, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", limited_open)
    monkeypatch.setattr(io, "open", limited_open)
    monkeypatch.setattr(pikepdf.Pdf, "save", limited_save)


def fail_rename(monkeypatch: pytest.MonkeyPatch, where: Path, code: int) -> None:
    real = os.replace

    def replace(src, dst, *args, **kwargs):  # type: ignore[no-untyped-def]
        if Path(os.fspath(dst)).parent == where:  # the final move, not into staging
            raise OSError(code, os.strerror(code), os.fspath(dst))
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)


@pytest.fixture(scope="module")
def _earlier_export(tmp_path_factory: pytest.TempPathFactory) -> dict:
    snapshot, _ = samples.snapshot(
        [
            ("Evaluering af klyngekontorer", "Rapport", hostile.good_pdf("Rapport", "Side 2"), {}),
            ("Status på sundhedsaftalen", "Notat", hostile.good_pdf("Notat"), {}),
        ]
    )
    # sent before it had any item, so the supplements can be made too
    sent = replace(snapshot.meeting, agenda=Agenda())
    snapshot = replace(snapshot, sent=sent, sent_at=datetime(2024, 4, 9))
    folder = tmp_path_factory.mktemp("tidligere") / "ud"
    outcome = write_outputs(snapshot, folder, [(OUTPUTS[k], False) for k in KEYS])
    assert len(outcome.written) == len(KEYS) and not outcome.problems
    return {"snapshot": snapshot, "folder": folder, "hashes": _hashes(folder)}


@pytest.fixture
def earlier(tmp_path: Path, _earlier_export: dict) -> dict:
    """A meeting and its outputs from an earlier export, with their hashes: written once
    per module and copied for each test, which may spoil its copy."""
    folder = tmp_path / "ud"
    shutil.copytree(_earlier_export["folder"], folder)
    assert _hashes(folder) == _earlier_export["hashes"]
    return {**_earlier_export, "folder": folder}


@pytest.mark.parametrize("key", KEYS)
def test_a_full_disk_while_writing_lists_the_output_and_keeps_the_old_file(
    key, earlier, monkeypatch
):
    folder = earlier["folder"]
    fill_disk(monkeypatch, folder)
    outcome = write_outputs(earlier["snapshot"], folder, [(OUTPUTS[key], False)])
    monkeypatch.undo()
    assert outcome.written == []
    (problem,) = outcome.failed
    assert problem in outcome.problems and "Ingen af filerne er gemt" in outcome.problems[-1]
    name = OUTPUTS[key].file_name(earlier["snapshot"], public=False)
    assert problem.startswith(f"{name}: Der er ikke plads på disken til {name}")
    assert "Frigør plads" in problem
    assert _hashes(folder) == earlier["hashes"]  # and no temporary file is left behind
    assert sorted(p.name for p in folder.iterdir()) == sorted(earlier["hashes"])


@pytest.mark.parametrize(
    ("code", "says"),
    [
        (errno.ENOSPC, "disken er fuld"),
        (errno.EACCES, "du har ikke adgang til at skrive der"),
        (errno.EROFS, "drevet er skrivebeskyttet"),
        (errno.EBUSY, "filen er i brug af et andet program"),
    ],
)
def test_a_failing_final_move_says_why_in_danish_and_keeps_the_old_files(
    code, says, earlier, monkeypatch
):
    folder = earlier["folder"]
    fail_rename(monkeypatch, folder, code)
    requests = [(OUTPUTS["pack"], False), (OUTPUTS["agenda-docx"], False)]
    with pytest.raises(UserFacingError) as error:
        write_outputs(earlier["snapshot"], folder, requests)
    monkeypatch.undo()
    message = error.value.message
    expected = "Der er ikke plads på disken" if code == errno.ENOSPC else says
    assert expected in message and "Bilagspakke" in message
    assert "No space" not in message and "Permission" not in message
    assert _hashes(folder) == earlier["hashes"]


def fail_writing(monkeypatch: pytest.MonkeyPatch, key: str, *, raw: bool = False) -> None:
    """The writer of one output meets a full disk: it raises the ExportError the writers
    make of it (``atomic_output``), or with ``raw`` the operating system's own error."""
    real = Output.write

    def write(self, snapshot, target, **kwargs):  # type: ignore[no-untyped-def]
        if self.key == key:
            target.write_bytes(b"%PDF-1.7 halv")  # what it managed before the disk filled
            error = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), os.fspath(target))
            if raw:
                raise error
            raise ExportError(describe(error, target), path=str(target))
        return real(self, snapshot, target, **kwargs)

    monkeypatch.setattr(Output, "write", write)


@pytest.mark.parametrize("raw", [False, True], ids=["export-error", "os-error"])
def test_one_output_failing_writes_none_of_the_set(raw, earlier, monkeypatch):
    """The agenda succeeded, the pack did not: the old agenda is not replaced either."""
    folder = earlier["folder"]
    fail_writing(monkeypatch, "pack", raw=raw)
    requests = [(OUTPUTS["agenda-pdf"], False), (OUTPUTS["agenda-pdf"], True)]
    outcome = write_outputs(earlier["snapshot"], folder, [*requests, (OUTPUTS["pack"], False)])
    monkeypatch.undo()
    assert outcome.written == []
    (failure,) = outcome.failed
    pack = OUTPUTS["pack"].file_name(earlier["snapshot"], public=False)
    assert failure.startswith(f"{pack}: Der er ikke plads på disken til {pack}")
    assert "Ingen af filerne er gemt" in failure
    assert _hashes(folder) == earlier["hashes"]
    assert sorted(p.name for p in folder.iterdir()) == sorted(earlier["hashes"])


def test_a_move_failing_midway_puts_back_the_files_already_moved(earlier, monkeypatch):
    """The first two files are in place (one replaced an older file, one is new) when
    the third cannot be moved: both are undone, and the older file is back."""
    folder = earlier["folder"]
    snapshot = earlier["snapshot"]
    last = OUTPUTS["minutes-pdf"].file_name(snapshot, public=False)
    real = os.replace

    def replace(src, dst, *args, **kwargs):  # type: ignore[no-untyped-def]
        if Path(os.fspath(dst)) == folder / last:
            raise OSError(errno.EBUSY, os.strerror(errno.EBUSY), os.fspath(dst))
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    requests = [(OUTPUTS["agenda-pdf"], False), (OUTPUTS["agenda-pdf"], True)]
    with pytest.raises(UserFacingError) as error:
        write_outputs(snapshot, folder, [*requests, (OUTPUTS["minutes-pdf"], False)])
    monkeypatch.undo()
    assert "filen er i brug af et andet program" in error.value.message
    assert last in error.value.message and "Ingen af filerne er gemt" in error.value.message
    assert _hashes(folder) == earlier["hashes"]
    assert sorted(p.name for p in folder.iterdir()) == sorted(earlier["hashes"])


@pytest.mark.slow
@pytest.mark.parametrize("raw", [False, True], ids=["export-error", "os-error"])
def test_the_cli_export_exits_1_and_keeps_the_old_agenda_when_the_pack_fails(
    raw, earlier, tmp_path, monkeypatch, capsys
):
    workspace = tmp_path / "arbejde.kkrdb"
    snapshot = earlier["snapshot"]
    with open_workspace(workspace) as ws:
        for data in snapshot.blobs.values():
            ws.store_blob(data)
        meeting_id = ws.save_meeting(snapshot.meeting).id
    folder = tmp_path / "cli-ud"
    argv = ["export", "--workspace", str(workspace), "--meeting", str(meeting_id)]
    argv += ["--what", "agenda-pdf,pack", "--out", str(folder)]
    assert main.main(argv) == 0
    before = _hashes(folder)
    assert len(before) == 2
    capsys.readouterr()
    fail_writing(monkeypatch, "pack", raw=raw)
    assert main.main(argv) == 1
    monkeypatch.undo()
    out, err = capsys.readouterr()
    assert out == ""  # no file is reported written
    pack = next(name for name in before if name.startswith("Bilagspakke"))
    assert f"Fejl: {pack}: Der er ikke plads på disken til {pack}" in err
    assert "Frigør plads" in err and "Ingen af filerne er gemt" in err
    assert "Advarsel" not in err
    assert "Traceback" not in err and "No space" not in err
    assert _hashes(folder) == before


@pytest.mark.parametrize(
    "write",
    [
        lambda snapshot, target: write_agenda_docx(snapshot, target, minutes=False, public=True),
        lambda snapshot, target: write_agenda_pdf(snapshot, target, minutes=True, public=False),
        lambda snapshot, target: build_pack(snapshot, target, public=True),
    ],
    ids=["agenda-docx", "minutes-pdf", "pack"],
)
def test_each_writer_on_its_own_keeps_the_target_on_a_full_disk(write, earlier, monkeypatch):
    folder = earlier["folder"]
    target = next(p for p in folder.iterdir() if p.suffix in (".docx", ".pdf"))
    before = target.read_bytes()
    fill_disk(monkeypatch, folder, room=1000)
    with pytest.raises(ExportError) as error:
        write(earlier["snapshot"], target)
    monkeypatch.undo()
    assert (
        "Der er ikke plads på disken" in error.value.message and target.name in error.value.message
    )
    assert target.read_bytes() == before
    assert _hashes(folder) == earlier["hashes"]


def test_an_output_folder_whose_parent_is_a_file_is_refused_in_danish(earlier, tmp_path):
    blocker = tmp_path / "rapport.txt"
    blocker.write_text("en fil, ikke en mappe")
    with pytest.raises(UserFacingError) as error:
        write_outputs(earlier["snapshot"], blocker / "ud", [(OUTPUTS["pack"], False)])
    assert "en del af stien er en fil, ikke en mappe" in error.value.message
    assert str(blocker / "ud") in error.value.message
    with pytest.raises(ExportError) as error:
        build_pack(earlier["snapshot"], blocker / "pakke.pdf", public=False)
    assert "der ligger allerede en fil med det navn" in error.value.message
    assert str(blocker) in error.value.message
    assert blocker.read_text() == "en fil, ikke en mappe"


@pytest.fixture
def exchange(tmp_path: Path, earlier) -> dict:
    ws_path = tmp_path / "arbejde.kkrdb"
    snapshot = earlier["snapshot"]
    with open_workspace(ws_path) as ws:
        for data in snapshot.blobs.values():
            ws.store_blob(data)
        meeting_id = ws.save_meeting(snapshot.meeting).id
        out = tmp_path / "udveksling"
        folder = export_meeting(ws, meeting_id, out)
        archive = export_meeting(ws, meeting_id, out, zip=True)
    return {"workspace": ws_path, "id": meeting_id, "out": out, "paths": (folder, archive)}


@pytest.mark.parametrize("as_zip", [False, True], ids=["folder", "zip"])
def test_the_exchange_export_on_a_full_disk_keeps_the_earlier_export(as_zip, exchange, monkeypatch):
    out = exchange["out"]
    before = _hashes(out)
    with open_workspace(exchange["workspace"]) as ws:
        fill_disk(monkeypatch, out, room=2048)
        with pytest.raises(ExchangeError) as error:
            export_meeting(ws, exchange["id"], out, zip=as_zip)
        monkeypatch.undo()
    assert "disken er fuld" in error.value.message and str(out) in error.value.message
    assert "No space" not in error.value.message
    assert _hashes(out) == before
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in exchange["paths"])


def test_the_exchange_export_under_a_file_is_refused_in_danish(exchange, tmp_path):
    blocker = tmp_path / "fil"
    blocker.write_text("x")
    with open_workspace(exchange["workspace"]) as ws, pytest.raises(ExchangeError) as error:
        export_meeting(ws, exchange["id"], blocker / "ud")
    assert "en del af stien er en fil, ikke en mappe" in error.value.message


def test_a_full_disk_for_the_conversions_cache_is_a_warning_after_the_export(
    earlier, tmp_path, monkeypatch, capsys
):
    """The files were saved; that the workspace could not keep the cache of conversions
    for next time is told after them, and does not turn a done export into a failure."""
    import app.snapshots
    from agenda.errors import WorkspaceError

    workspace = tmp_path / "arbejde.kkrdb"
    snapshot = earlier["snapshot"]
    with open_workspace(workspace) as ws:
        for data in snapshot.blobs.values():
            ws.store_blob(data)
        meeting_id = ws.save_meeting(snapshot.meeting).id

    def full(*args: object) -> None:
        raise WorkspaceError(f"Der er ikke plads på disken til arbejdsområdet {workspace}.")

    monkeypatch.setattr(app.snapshots, "store_export_results", full)
    folder = tmp_path / "cli-ud"
    argv = ["export", "--workspace", str(workspace), "--meeting", str(meeting_id)]
    assert main.main([*argv, "--what", "agenda-pdf", "--out", str(folder)]) == 0
    out, err = capsys.readouterr()
    (written,) = [Path(line) for line in out.splitlines()]
    assert written.parent == folder and written.is_file()
    assert f"Advarsel: Der er ikke plads på disken til arbejdsområdet {workspace}." in err


def test_an_earlier_file_that_cannot_be_put_back_is_kept_and_named(earlier, monkeypatch):
    """The third move fails, and so does putting back the agenda the first one replaced
    (a virus scanner holds it): the message says where the earlier agenda is, and no
    later export's cleaning of old staging folders removes it."""
    folder = earlier["folder"]
    snapshot = earlier["snapshot"]
    agenda = OUTPUTS["agenda-pdf"].file_name(snapshot, public=False)
    last = OUTPUTS["minutes-pdf"].file_name(snapshot, public=False)
    before = (folder / agenda).read_bytes()
    real = os.replace

    def replace(src, dst, *args, **kwargs):  # type: ignore[no-untyped-def]
        putting_back = Path(os.fspath(src)).parent.name == outputs.EARLIER
        if Path(os.fspath(dst)) == folder / last or putting_back:
            raise OSError(errno.EBUSY, os.strerror(errno.EBUSY), os.fspath(dst))
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    requests = [(OUTPUTS["agenda-pdf"], False), (OUTPUTS["minutes-pdf"], False)]
    with pytest.raises(UserFacingError) as error:
        write_outputs(snapshot, folder, requests)
    monkeypatch.undo()
    (kept,) = folder.glob(f"{outputs.STAGING_PREFIX}*/{outputs.EARLIER}/{agenda}")
    assert f"kunne ikke lægges tilbage; de ligger i {kept.parent}: {agenda}" in error.value.message
    assert kept.read_bytes() == before
    old = kept.parent.parent.stat().st_mtime - 2 * outputs.STALE_AFTER
    os.utime(kept.parent.parent, (old, old))
    write_outputs(snapshot, folder, [(OUTPUTS["agenda-docx"], False)])
    assert kept.read_bytes() == before
