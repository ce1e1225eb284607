"""One timeout per office file, as the message says, and a bound on the whole export:
a file that hangs is not tried again after its time ran out, an office that hangs from
its very start costs the first file one timeout (not the warm start's wait, the batch's
and a retry's: 360 s for a message saying 120 s), and after two files in a row time
out the rest of the batch is given up at once. Driven by fake soffice scripts."""

from __future__ import annotations

import os
import sys
import textwrap
import time
from pathlib import Path

import pytest

from export.conversion import convert, convert_office
from export.conversion.convert_office import OfficeSuite
from tests.test_convert import run
from tests.test_convert_office import _alive, fake_docx, fake_soffice

# slow (the full run only): waits out office timeouts and runs the CLI in a subprocess
pytestmark = pytest.mark.slow

__all__ = ["fake_soffice"]  # a fixture, used below

#: Hangs whatever it is asked (the kept-running office's start as well as a conversion),
#: after noting its arguments and pid.
HANGING_SOFFICE = textwrap.dedent(
    """\
    #!{python}
    import os, sys, time
    with open(os.environ["HANGING_SOFFICE_LOG"], "a") as log:
        log.write(f"{{os.getpid()}} {{'--convert-to' in sys.argv}}\\n")
    time.sleep(600)
    """
)


@pytest.fixture
def hanging_soffice(tmp_path, monkeypatch):
    script = tmp_path / "bin" / "soffice"
    script.parent.mkdir()
    script.write_text(HANGING_SOFFICE.format(python=sys.executable))
    script.chmod(0o755)
    log = tmp_path / "starts"
    monkeypatch.setenv("HANGING_SOFFICE_LOG", str(log))
    suite = OfficeSuite("LibreOffice", "libreoffice", "hænger 1.0", script)
    monkeypatch.setattr(convert_office, "find_libreoffice", lambda: suite)

    def starts() -> list[tuple[int, bool]]:
        lines = log.read_text().split("\n") if log.exists() else []
        return [(int(pid), flag == "True") for pid, flag in (x.split() for x in lines if x)]

    return starts


def test_an_office_hanging_from_its_start_costs_the_file_one_timeout(hanging_soffice, launches):
    timeout = 3.0
    started = time.monotonic()
    results = run({"Budget 2025 æøå.docx": fake_docx("a")}, timeout=timeout)
    elapsed = time.monotonic() - started
    error = results["Budget 2025 æøå.docx"].error
    assert error.message.startswith(
        "LibreOffice brugte mere end 3 sekunder på Budget 2025 æøå.docx og blev stoppet."
    )
    # the warm start's wait counted towards the file's time; the file was not retried
    assert len(launches) == 1
    assert elapsed < 2 * timeout  # before: a warm start's, the batch's and a retry's wait
    starts = hanging_soffice()
    assert [conversion for _, conversion in starts] == [False, True]
    assert not any(_alive(pid) for pid, _ in starts)  # everything it started is gone


def test_after_two_files_in_a_row_hang_the_rest_is_given_up_without_a_wait(
    fake_soffice, launches, monkeypatch
):
    monkeypatch.setattr(convert_office, "MAX_INSTANCES", 1)
    files = {f"{n}.docx": fake_docx(f"HANG {n}") for n in range(4)}
    results = run(files, timeout=1.0)
    for name in ("0.docx", "1.docx"):  # the batch's first file, then the next alone
        assert results[name].error.message.startswith(
            f"LibreOffice brugte mere end 1 sekunder på {name}"
        )
    for name in ("2.docx", "3.docx"):
        message = results[name].error.message
        assert message.startswith(f"{name} blev ikke lavet om til PDF, fordi LibreOffice")
        assert "holdt op med at svare (2 filer i træk gik i stå)" in message
    assert len(launches) == 2  # before: the batch and one call for each of the four
    assert not any(_alive(pid) for pid in fake_soffice.children())


def test_a_file_that_converts_between_two_hangs_resets_the_count(
    fake_soffice, launches, monkeypatch
):
    monkeypatch.setattr(convert_office, "MAX_INSTANCES", 1)
    files = {
        "a.docx": fake_docx("HANG a"),
        "b.docx": fake_docx("b"),
        "c.docx": fake_docx("HANG c"),
        "d.docx": fake_docx("d"),
    }
    results = run(files, timeout=1.0)
    assert "brugte mere end 1 sekunder på a.docx" in results["a.docx"].error.message
    assert "brugte mere end 1 sekunder på c.docx" in results["c.docx"].error.message
    assert results["b.docx"].error is None and results["d.docx"].error is None
    assert len(launches) == 4  # the batch, then b, c and d alone


def test_the_timeout_is_a_setting(monkeypatch):
    monkeypatch.delenv("KKR_OFFICE_TIMEOUT", raising=False)
    assert convert.office_timeout() == convert.OFFICE_TIMEOUT == 120.0
    monkeypatch.setenv("KKR_OFFICE_TIMEOUT", "7,5")  # not a number: ignored
    assert convert.office_timeout() == 120.0
    monkeypatch.setenv("KKR_OFFICE_TIMEOUT", "-1")
    assert convert.office_timeout() == 120.0
    monkeypatch.setenv("KKR_OFFICE_TIMEOUT", "2.5")
    assert convert.office_timeout() == 2.5


def test_the_cli_export_names_the_file_and_the_stated_timeout(hanging_soffice, tmp_path):
    """The whole product: main.py export with the fake office as KKR_SOFFICE and a short
    timeout; the pack is built without the file and the warning names both."""
    import json
    import subprocess

    from tests import hostile

    root = Path(__file__).resolve().parent.parent
    folder = tmp_path / "møde"
    (folder / "bilag").mkdir(parents=True)
    (folder / "bilag" / "notat.docx").write_bytes(fake_docx("notat"))
    (folder / "bilag" / "godt.pdf").write_bytes(hostile.good_pdf("Et godt bilag"))
    files = [
        {"name": "Notat", "fileName": "bilag/notat.docx"},
        {"name": "Godt", "fileName": "bilag/godt.pdf"},
    ]
    (folder / "meeting.json").write_text(json.dumps(hostile.meeting_doc(files)), "utf-8")
    script = convert_office.find_libreoffice().executable
    env = dict(os.environ, KKR_SOFFICE=str(script), KKR_OFFICE_TIMEOUT="2", PATH="/usr/bin:/bin")

    def cli(*args: object) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, str(root / "main.py"), *map(str, args),
             "--workspace", str(tmp_path / "arbejde.kkrdb")],
            capture_output=True, text=True, cwd=root, timeout=120, env=env,
            stdin=subprocess.DEVNULL,
        )  # fmt: skip

    assert cli("import", folder).returncode == 0
    started = time.monotonic()
    export = cli("export", "--meeting", 1, "--what", "pack", "--out", tmp_path / "ud")
    elapsed = time.monotonic() - started
    assert export.returncode == 0, export.stderr
    assert "Traceback" not in export.stderr
    warned = [line for line in export.stderr.splitlines() if line.startswith("Advarsel: ")]
    assert len(warned) == 1
    assert "notat.docx" in warned[0] and "mere end 2 sekunder" in warned[0]
    assert next((tmp_path / "ud").glob("Bilagspakke*.pdf")).stat().st_size > 0
    assert elapsed < 30  # one 2-second timeout and the app's own start, not 3 x 120 s


def test_an_office_stuck_where_nothing_can_kill_it_holds_the_export_up_only_so_long(
    monkeypatch,
):
    """Word's start blocking for ever (a licence dialog nobody sees) is out of the
    watchdog's reach; the export stops waiting a timeout (and a margin) after the last
    file settled, and the file fails naming the timeout."""
    import threading

    from export.conversion import convert_com, office_background
    from tests.test_convert_com import SUITE, FakeBackend

    release = threading.Event()

    class StuckBackend(FakeBackend):
        def start(self, prog_id):
            release.wait(60)
            raise OSError("(-2147023170, 'The remote procedure call failed.', None, None)")

    monkeypatch.setattr(convert_com, "BACKEND", StuckBackend())
    monkeypatch.setattr(convert_com, "find_msoffice", lambda: SUITE)
    monkeypatch.setattr(convert_office, "find_libreoffice", lambda: None)
    monkeypatch.setattr(convert, "STALL_MARGIN", 0.5)
    monkeypatch.setattr(office_background, "JOIN_LIMIT", 0.5)
    try:
        started = time.monotonic()
        results = run({"brev.docx": fake_docx("brev")}, timeout=1.0)
        assert time.monotonic() - started < 20  # before: until Word's start returned
        assert results["brev.docx"].error.message.startswith(
            "Microsoft Office brugte mere end 1 sekunder på brev.docx"
        )
    finally:
        release.set()
