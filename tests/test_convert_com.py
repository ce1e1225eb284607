"""Microsoft Office through COM, driven by a fake backend (CI has no Windows): one
application instance per kind for the whole batch, the right export call per kind, a
failing file alone, a hung one killed by the watchdog and the application restarted."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from agenda.tasks import Cancelled
from export.conversion import convert_com, convert_office
from export.conversion.convert_office import OfficeSuite
from tests.test_convert import Recorder, make_pdf, pdf_texts, run
from tests.test_convert_office import fake_docx, fake_soffice, minimal_xlsx

__all__ = ["fake_soffice"]  # a fixture, used below

SUITE = OfficeSuite("Microsoft Office", "msoffice", "Word.Application.16", None)


class FakeRevisions:
    def __init__(self, app: FakeApp) -> None:
        self.app = app

    def AcceptAll(self):
        self.app.calls.append(("AcceptAll", ()))


class FakeComments:
    Count = 1


class FakeOptions:
    """Word's options as the user has them (they persist across Word sessions)."""

    def __init__(self) -> None:
        self.UpdateLinksAtOpen = True
        self.UpdateLinksAtPrint = True
        self.UpdateFieldsAtPrint = True
        self.seen_at_export: dict[str, bool] = {}


class FakeDocument:
    def __init__(self, app: FakeApp, source: str) -> None:
        self.app, self.source = app, source
        self.text = Path(source).read_bytes()
        self.Revisions = FakeRevisions(app)
        self.Comments = FakeComments()
        self.TrackRevisions = True

    def DeleteAllComments(self):
        self.app.calls.append(("DeleteAllComments", ()))

    def _write(self, target: str) -> None:
        if b"HANG" in self.text:
            self.app.killed.wait(30)  # blocks like a stuck Word until the process dies
            raise OSError("(-2147023170, 'The remote procedure call failed.', None, None)")
        if b"FAIL" in self.text:
            raise OSError(
                "(-2147352567, 'Exception occurred.', (0, 'Microsoft Word', "
                "'Filen er beskadiget.', None, 0, -2146822494), None)"
            )
        label = (
            self.text.split(b"TEXT[")[1].split(b"]")[0].decode() if b"TEXT[" in self.text else "x"
        )
        Path(target).write_bytes(make_pdf(f"{self.app.prog_id}: {label}"))

    # Word and Excel
    def ExportAsFixedFormat(self, *args, **options):
        self.app.calls.append(("ExportAsFixedFormat", args))
        self.app.export_options.append(options)
        self.app.Options.seen_at_export = dict(vars(self.app.Options))
        target = args[0] if isinstance(args[0], str) else args[1]
        self._write(target)

    # PowerPoint
    def SaveAs(self, target, file_format):
        self.app.calls.append(("SaveAs", (target, file_format)))
        self._write(target)

    def Close(self, *args):
        self.app.closed += 1


class FakeCollection:
    def __init__(self, app: FakeApp) -> None:
        self.app = app

    def Open(self, source, *args):
        self.app.calls.append(("Open", (source, *args)))
        return FakeDocument(self.app, source)


class FakeApp:
    def __init__(self, prog_id: str) -> None:
        self.prog_id = prog_id
        self.calls: list = []
        self.export_options: list[dict] = []
        self.closed = 0
        self.quit = False
        self.killed = threading.Event()
        self.Documents = self.Workbooks = self.Presentations = FakeCollection(self)
        self.Options = FakeOptions()

    def Quit(self):
        self.quit = True


class FakeBackend:
    def __init__(self) -> None:
        self.apps: list[FakeApp] = []
        self.killed: list[int] = []
        self.initialized = 0
        self.broken: set[str] = set()

    def initialize(self):
        self.initialized += 1

    def uninitialize(self):
        self.initialized -= 1

    def start(self, prog_id):
        if prog_id in self.broken:
            raise OSError("(-2147221005, 'Invalid class string', None, None)")
        app = FakeApp(prog_id)
        self.apps.append(app)
        return app, 1000 + len(self.apps)

    def kill(self, pid):
        self.killed.append(pid)
        self.apps[pid - 1001].killed.set()


@pytest.fixture
def backend(monkeypatch):
    fake = FakeBackend()
    monkeypatch.setattr(convert_com, "BACKEND", fake)
    monkeypatch.setattr(convert_com, "find_msoffice", lambda: SUITE)
    monkeypatch.setattr(convert_office, "find_libreoffice", lambda: None)
    return fake


def test_each_office_application_starts_once_and_converts_its_files(backend):
    files = {
        "a.docx": fake_docx("brev a"),
        "b.docx": fake_docx("brev b"),
        "budget.xlsx": minimal_xlsx([["Løn", "1"]]),
        "oplæg.pptx": _pptx("dias"),
    }
    results = run(files)
    assert [app.prog_id for app in backend.apps] == [
        "Word.Application",
        "Excel.Application",
        "PowerPoint.Application",
    ]
    assert "Word.Application: brev a" in pdf_texts(results["a.docx"].pdf)[0]
    assert "Word.Application: brev b" in pdf_texts(results["b.docx"].pdf)[0]
    assert "Excel.Application" in pdf_texts(results["budget.xlsx"].pdf)[0]
    assert "PowerPoint.Application: dias" in pdf_texts(results["oplæg.pptx"].pdf)[0]
    assert all(r.key.converter == "msoffice" for r in results.values())
    word, excel, powerpoint = backend.apps
    exports = [c for c in word.calls if c[0] == "ExportAsFixedFormat"]
    assert len(exports) == 2 and all(c[1][1] == 17 for c in exports)  # wdExportFormatPDF
    # tagged: the structure a public bilag keeps in the pack, and our agenda's
    assert all(o.get("DocStructureTags") is True for o in word.export_options)
    assert [c[1][0] for c in excel.calls if c[0] == "ExportAsFixedFormat"] == [0]  # xlTypePDF
    assert [c[1][1] for c in powerpoint.calls if c[0] == "SaveAs"] == [32]  # ppSaveAsPDF
    opened = [Path(c[1][0]).name for c in word.calls if c[0] == "Open"]
    assert all(name.isascii() for name in opened)
    assert all(app.quit for app in backend.apps) and word.closed == 2
    assert all(app.AutomationSecurity == 3 for app in backend.apps)  # no macros run
    assert word.Visible is False and word.DisplayAlerts == 0
    assert backend.initialized == 0  # COM left on the worker thread


def test_a_broken_file_fails_alone_with_words_message(backend):
    results = run({"god.docx": fake_docx("god"), "itu.docx": fake_docx("FAIL")})
    assert results["god.docx"].error is None
    message = results["itu.docx"].error.message
    assert message.startswith("itu.docx kunne ikke laves om til PDF af Microsoft Office")
    assert "Filen er beskadiget." in message
    assert len(backend.apps) == 1


@pytest.mark.slow
def test_a_hung_file_gets_word_killed_and_restarted_for_the_next(backend):
    files = {"hænger.docx": fake_docx("HANG"), "efter.docx": fake_docx("efter")}
    results = run(files, timeout=0.5)
    assert "Microsoft Office brugte mere end" in results["hænger.docx"].error.message
    assert "hænger.docx" in results["hænger.docx"].error.message
    assert "efter" in pdf_texts(results["efter.docx"].pdf)[0]
    assert backend.killed == [1001] and len(backend.apps) == 2
    assert not backend.apps[0].quit  # a killed instance is not asked to quit


class CancelWhenBusy(Recorder):
    def __init__(self, backend: FakeBackend) -> None:
        super().__init__()
        self.backend = backend

    def cancelled(self) -> bool:
        apps = self.backend.apps
        return bool(apps) and any(c[0] == "ExportAsFixedFormat" for c in apps[0].calls)


def test_cancel_kills_the_busy_application(backend):
    with pytest.raises(Cancelled):
        run({"hænger.docx": fake_docx("HANG")}, task=CancelWhenBusy(backend), timeout=60)
    assert backend.killed == [1001]


@pytest.mark.slow
def test_when_word_will_not_start_libreoffice_takes_its_files(fake_soffice, monkeypatch):
    fake = FakeBackend()
    fake.broken.add("Word.Application")
    monkeypatch.setattr(convert_com, "BACKEND", fake)
    monkeypatch.setattr(convert_com, "find_msoffice", lambda: SUITE)
    results = run({"brev.docx": fake_docx("brev"), "budget.xlsx": minimal_xlsx([["a"]])})
    letter = results["brev.docx"]
    assert letter.error is None and letter.key.converter == "libreoffice"
    assert pdf_texts(letter.pdf)[0].strip() == "brev"  # the fake soffice made it
    assert results["budget.xlsx"].key.converter == "msoffice"  # Excel still worked
    assert [c["files"] for c in fake_soffice.calls()] and len(fake_soffice.calls()) == 1


def test_without_libreoffice_a_broken_word_gives_a_clear_error(backend):
    backend.broken.add("Word.Application")
    results = run({"a.docx": fake_docx("a"), "b.docx": fake_docx("b")})
    for name in ("a.docx", "b.docx"):
        message = results[name].error.message
        assert message.startswith(f"{name} kunne ikke laves om til PDF, fordi Microsoft Office")
        assert "Invalid class string" in message and "installér LibreOffice" in message


@pytest.mark.slow
def test_word_hanging_twice_in_a_row_is_given_up_for_the_rest(backend):
    files = {f"{n}.docx": fake_docx(f"HANG {n}") for n in range(2)}
    files["sidst.docx"] = fake_docx("sidst")
    results = run(files, timeout=0.3)
    assert "brugte mere end" in results["0.docx"].error.message
    assert "brugte mere end" in results["1.docx"].error.message
    assert "Microsoft Office ikke kunne bruges" in results["sidst.docx"].error.message
    assert len(backend.apps) == 2  # no third start


def test_microsoft_office_is_only_looked_for_on_windows():
    convert_com.find_msoffice.cache_clear()
    assert convert_com.find_msoffice() is None  # CI runs on Linux


def _pptx(text: str) -> bytes:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("ppt/presentation.xml", f"<p>TEXT[{text}]</p>")
    return out.getvalue()


def test_word_gets_a_cleaned_file_accepts_revisions_and_updates_no_links(backend, monkeypatch):
    """Word is told not to update links (and its options are put back for the user),
    accepts tracked changes and drops comments; the file it opens is already cleaned."""
    from tests import office_samples as samples

    tracked = samples.docx_with_tracked_changes("Beholdt", "SLETTET-HEMMELIGHED", "Indsat")
    picture = samples.docx_with_external_picture("http://127.0.0.1:9/x.png")
    opened: list[bytes] = []
    real_init = FakeDocument.__init__

    def remember(self, app, source):
        real_init(self, app, source)
        opened.append(self.text)

    monkeypatch.setattr(FakeDocument, "__init__", remember)
    results = run({"ændret.docx": tracked, "billede.docx": picture})
    assert all(r.error is None for r in results.values())
    assert len(opened) == 2
    assert not any(b"SLETTET-HEMMELIGHED" in _inflated(data) for data in opened)
    assert not any(b"127.0.0.1:9" in _inflated(data) for data in opened)
    (word,) = backend.apps
    names = [c[0] for c in word.calls]
    assert names.count("AcceptAll") == 2 and names.count("DeleteAllComments") == 2
    assert names.index("AcceptAll") < names.index("ExportAsFixedFormat")
    during = word.Options.seen_at_export
    assert during["UpdateLinksAtOpen"] is False and during["UpdateFieldsAtPrint"] is False
    assert during["UpdateLinksAtPrint"] is False
    # the user's own settings are back before Word quits
    assert word.Options.UpdateLinksAtOpen is True and word.Options.UpdateFieldsAtPrint is True
    assert word.quit


def _inflated(data: bytes) -> bytes:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return b"".join(package.read(name) for name in package.namelist())
