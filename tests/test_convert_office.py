"""Office files through LibreOffice: real conversions (DOCX, XLSX) in one batched call,
two calls side by side with their own profiles, and, through a fake ``soffice`` that
hangs, fails or sleeps on request, the timeout, the retry of the rest, cancel and the
cache."""

from __future__ import annotations

import io
import json
import os
import sys
import textwrap
import threading
import time
import zipfile
from pathlib import Path

import docx
import pypdf
import pytest

from agenda.tasks import Cancelled
from export.conversion import convert_office
from export.conversion.convert import convert_all
from export.conversion.convert_office import OfficeSuite
from export.conversion.office_clean import CLEAN_VERSION
from tests.test_convert import Recorder, pdf_texts, run

# -- a fake soffice -----------------------------------------------------------------------

FAKE_SOFFICE = textwrap.dedent(
    """\
    #!{python}
    # Writes OUT/<stem>.pdf holding the text between TEXT[ and ] of each input; an input
    # holding HANG starts a child and sleeps, one holding FAIL is skipped (as LibreOffice
    # does: exit 0, no output).
    import json, os, re, subprocess, sys, time
    from reportlab.pdfgen import canvas
    args = sys.argv[1:]
    at = args.index("--outdir")
    outdir, files = args[at + 1], args[at + 2:]
    profile = next(a for a in args if a.startswith("-env:UserInstallation="))
    log = os.environ["FAKE_SOFFICE_LOG"]
    start = time.time()
    time.sleep(float(os.environ.get("FAKE_SOFFICE_DELAY", "0")))
    for name in files:
        data = open(name, "rb").read()
        if b"HANG" in data:
            child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
            with open(os.environ["FAKE_SOFFICE_CHILD"], "a") as f:
                f.write(f"{{child.pid}}\\n")
            time.sleep(600)
        if b"FAIL" in data:
            continue
        text = re.search(rb"TEXT\\[(.*?)\\]", data).group(1).decode()
        stem = os.path.splitext(os.path.basename(name))[0]
        pdf = canvas.Canvas(os.path.join(outdir, stem + ".pdf"))
        pdf.drawString(72, 700, text)
        pdf.showPage()
        pdf.save()
    with open(log, "a") as f:
        f.write(json.dumps({{"profile": profile, "files": files, "start": start,
                            "end": time.time()}}) + "\\n")
    """
)


@pytest.fixture
def fake_soffice(tmp_path, monkeypatch):
    script = tmp_path / "bin" / "soffice"
    script.parent.mkdir()
    script.write_text(FAKE_SOFFICE.format(python=sys.executable))
    script.chmod(0o755)
    log = tmp_path / "calls.jsonl"
    monkeypatch.setenv("FAKE_SOFFICE_LOG", str(log))
    monkeypatch.setenv("FAKE_SOFFICE_CHILD", str(tmp_path / "children"))
    suite = OfficeSuite("LibreOffice", "libreoffice", "fake 1.0", script)
    monkeypatch.setattr(convert_office, "find_libreoffice", lambda: suite)
    monkeypatch.setattr(convert_office.os, "cpu_count", lambda: 4)

    class Fake:
        def calls(self) -> list[dict]:
            if not log.exists():
                return []
            return [json.loads(line) for line in log.read_text().splitlines()]

        def children(self) -> list[int]:
            path = tmp_path / "children"
            return [int(pid) for pid in path.read_text().split()] if path.exists() else []

    return Fake()


def fake_docx(text: str) -> bytes:
    """A zip that sniffs as DOCX and carries a marker the fake reads (stored, not deflated)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", f"<w:document>TEXT[{text}]</w:document>")
    return out.getvalue()


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "State:\tZ" not in state  # a zombie is dead, just not reaped


# -- with the fake ------------------------------------------------------------------------


@pytest.mark.slow
def test_one_call_converts_a_whole_batch_and_each_output_goes_to_its_file(
    fake_soffice, launches, monkeypatch
):
    monkeypatch.setattr(convert_office, "MAX_INSTANCES", 1)
    files = {f"Bilag {n} æøå 🙂 {'x' * 200}.docx": fake_docx(f"indhold {n}") for n in range(5)}
    results = run(files)
    assert len(launches) == 1
    for n, name in enumerate(files):
        assert results[name].error is None
        assert pdf_texts(results[name].pdf)[0].strip() == f"indhold {n}"
        assert results[name].key.converter == "libreoffice"
        assert results[name].key.converter_version == f"fake 1.0 {CLEAN_VERSION} tagged"
    (call,) = fake_soffice.calls()
    assert all(Path(f).name.isascii() and len(Path(f).name) < 20 for f in call["files"])


@pytest.mark.slow
def test_the_office_starts_before_the_cached_files_are_checked_and_a_damaged_one_is_redone(
    fake_soffice, launches, monkeypatch
):
    """A second export overlaps its one conversion with the rest; a cache entry that is
    no PDF is converted again, by the office, in a second round."""
    from agenda.repository import ConversionKey
    from export.conversion import convert as convert_module
    from tests.test_convert import make_attachment

    monkeypatch.setattr(convert_office, "MAX_INSTANCES", 1)
    files = {"ny.docx": fake_docx("ny"), "gammel.docx": fake_docx("gammel")}
    attachments = [make_attachment(name, data) for name, data in files.items()]
    blobs = {a.sha256: files[a.file_name] for a in attachments}
    old = attachments[1]
    cached = {
        ConversionKey(
            old.sha256, "libreoffice", f"fake 1.0 {CLEAN_VERSION} tagged"
        ): b"%PDF-1.4 itu"
    }
    # the cache check waits (up to 5 s) for the office to be launched: it only can be
    # if the office was started first
    launched = threading.Event()
    overlapped: list[bool] = []
    real_page_count, real_launch = convert_module.page_count, convert_office.launch

    def page_count(pdf: bytes) -> int:
        overlapped.append(launched.wait(5))
        return real_page_count(pdf)

    def launch(command, **kwargs):
        launched.set()
        return real_launch(command, **kwargs)

    monkeypatch.setattr(convert_module, "page_count", page_count)
    monkeypatch.setattr(convert_office, "launch", launch)
    settled: list[str] = []
    results = convert_all(
        attachments, blobs, cached, settled=lambda r: settled.append(r.attachment.file_name)
    )
    assert overlapped and overlapped[0]
    assert len(launches) == 2  # the new file, then the damaged cache entry
    assert [pdf_texts(results[a.id].pdf)[0].strip() for a in attachments] == ["ny", "gammel"]
    assert not results[old.id].from_cache
    assert sorted(settled) == ["gammel.docx", "ny.docx"]  # each result once, as it settled


@pytest.mark.slow
def test_two_batches_run_side_by_side_each_with_its_own_profile(fake_soffice, monkeypatch):
    monkeypatch.setenv("FAKE_SOFFICE_DELAY", "1.0")
    files = {f"{n}.docx": fake_docx(f"tekst {n}") for n in range(6)}
    results = run(files)
    assert all(r.error is None for r in results.values())
    first, second = fake_soffice.calls()
    assert first["profile"] != second["profile"]
    assert len(first["files"]) + len(second["files"]) == 6
    assert first["start"] < second["end"] and second["start"] < first["end"]  # overlapping


@pytest.mark.slow
def test_a_hung_conversion_is_killed_and_the_rest_of_its_batch_retried(
    fake_soffice, launches, monkeypatch
):
    monkeypatch.setattr(convert_office, "MAX_INSTANCES", 1)
    files = {
        "før.docx": fake_docx("før"),
        "hænger.docx": fake_docx("HANG"),
        "efter.docx": fake_docx("efter"),
    }
    started = time.monotonic()
    results = run(files, timeout=1.0)
    assert time.monotonic() - started < 10
    assert pdf_texts(results["før.docx"].pdf)[0].strip() == "før"
    assert pdf_texts(results["efter.docx"].pdf)[0].strip() == "efter"
    hung = results["hænger.docx"]
    assert hung.pdf is None
    assert "hænger.docx" in hung.error.message and "mere end 1 sekunder" in hung.error.message
    # the batch, then one call for the file after the hung one; the hung file had its
    # time and is not tried again
    assert len(launches) == 2
    assert len(launches[1]) == len(launches[0]) - 2
    assert launches[1][-1].endswith(".docx") and "efter" not in launches[1][-1]
    children = fake_soffice.children()
    assert len(children) == 1 and not any(_alive(pid) for pid in children)  # group killed


def test_a_file_libreoffice_skips_fails_alone_without_a_retry(fake_soffice, launches, monkeypatch):
    monkeypatch.setattr(convert_office, "MAX_INSTANCES", 1)
    files = {"god.docx": fake_docx("god"), "dårlig.docx": fake_docx("FAIL")}
    results = run(files)
    assert len(launches) == 1
    assert results["god.docx"].error is None
    assert results["dårlig.docx"].error.message.startswith(
        "dårlig.docx kunne ikke laves om til PDF af LibreOffice"
    )


def test_cancel_during_a_conversion_kills_it_at_once(fake_soffice):
    files = {"a.docx": fake_docx("HANG")}
    started = time.monotonic()
    with pytest.raises(Cancelled):
        run(files, task=Recorder(cancel_after=0), timeout=60)
    assert time.monotonic() - started < 5
    assert not any(_alive(pid) for pid in fake_soffice.children())


@pytest.mark.slow
def test_the_second_run_with_the_cache_starts_no_office(fake_soffice, launches):
    files = {"a.docx": fake_docx("a"), "b.docx": fake_docx("b"), "kopi af a.docx": fake_docx("a")}
    first = run(files)
    store = {r.key: r.pdf for r in first.values()}
    assert len(store) == 2  # the same bytes twice convert once
    count = len(launches)
    assert sum(len(c["files"]) for c in fake_soffice.calls()) == 2
    second = run(files, cached=store)
    assert len(launches) == count
    assert all(r.from_cache and r.pdf == first[n].pdf for n, r in second.items())


# -- with the real LibreOffice ---------------------------------------------------------------


def real_docx(*paragraphs: str) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def minimal_xlsx(rows: list[list[str]]) -> bytes:
    cells = "".join(
        f'<row r="{r + 1}">'
        + "".join(
            f'<c r="{chr(65 + c)}{r + 1}" t="inlineStr"><is><t>{value}</t></is></c>'
            for c, value in enumerate(row)
        )
        + "</row>"
        for r, row in enumerate(rows)
    )
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
            'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
            '<sheet name="Budget" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": (
            f'<worksheet xmlns="{main}"><sheetData>{cells}</sheetData></worksheet>'
        ),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, xml in parts.items():
            archive.writestr(name, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' + xml)
    return out.getvalue()


@pytest.mark.slow
def test_libreoffice_converts_docx_and_xlsx_in_one_call(launches, monkeypatch):
    assert convert_office.find_libreoffice() is not None, "CI installs LibreOffice"
    monkeypatch.setattr(convert_office, "MAX_INSTANCES", 1)
    long_text = " ".join(["Kommunekontaktrådet drøfter sundhedsøkonomi."] * 400)
    files = {
        "Indstilling om klyngekontorer 🙂 æøå.docx": real_docx(
            "Evaluering af regionale viden- og erhvervsklyngekontorer", long_text
        ),
        "notat.docx": real_docx("Notat om Ærø og Præstø"),
        "Budget 2025.xlsx": minimal_xlsx([["Post", "Beløb"], ["Løn", "1.250.000"]]),
        "ødelagt.docx": real_docx("afskåret")[:3000],  # LibreOffice skips it, exit code 0
    }
    results = run(files)
    assert len(launches) == 1
    assert results["ødelagt.docx"].pdf is None
    assert results["ødelagt.docx"].error.message.startswith(
        "ødelagt.docx kunne ikke laves om til PDF af LibreOffice"
    )
    first = results["Indstilling om klyngekontorer 🙂 æøå.docx"]
    assert first.error is None and first.page_count >= 2
    assert len(pypdf.PdfReader(io.BytesIO(first.pdf)).pages) == first.page_count
    assert "klyngekontorer" in pdf_texts(first.pdf)[0]
    assert "Ærø og Præstø" in pdf_texts(results["notat.docx"].pdf)[0]
    sheet = pdf_texts(results["Budget 2025.xlsx"].pdf)[0]
    assert "Løn" in sheet and "1.250.000" in sheet

    store = {r.key: r.pdf for r in results.values() if r.pdf}
    del files["ødelagt.docx"]
    again = run(files, cached=store)
    assert len(launches) == 1 and all(r.from_cache for r in again.values())


@pytest.mark.slow
def test_two_real_instances_with_their_own_profiles_lose_no_file(launches, monkeypatch):
    monkeypatch.setattr(convert_office.os, "cpu_count", lambda: 2)
    files = {f"sag {n}.docx": real_docx(f"Sag nummer {n} om æøå") for n in range(4)}
    results = run(files)
    assert len(launches) == 2
    profiles = {next(a for a in cmd if a.startswith("-env:")) for cmd in launches}
    assert len(profiles) == 2
    for n in range(4):
        assert f"Sag nummer {n} om æøå" in pdf_texts(results[f"sag {n}.docx"].pdf)[0]


def test_libreoffice_is_found_and_versioned_without_starting_it(launches):
    convert_office.find_libreoffice.cache_clear()
    suite = convert_office.find_libreoffice()
    assert suite is not None and suite.executable.is_file()
    assert suite.version[0].isdigit() and suite.version.count(".") >= 2  # e.g. 7.4.7.2
    assert launches == []
    assert os.access(suite.executable, os.X_OK)


def test_soffice_is_found_through_kkr_soffice_and_versioned_from_its_registry(
    tmp_path, monkeypatch
):
    install = tmp_path / "LibreOffice"
    program = install / "program"
    program.mkdir(parents=True)
    (program / "soffice").write_text("#!/bin/sh\nexit 0\n")
    (program / "soffice").chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setenv("KKR_SOFFICE", str(program / "soffice"))
    convert_office.find_libreoffice.cache_clear()
    try:
        suite = convert_office.find_libreoffice()
        assert suite.executable == program / "soffice"
        assert suite.version.startswith("ukendt ")  # no registry file: a fingerprint

        registry = install / "share" / "registry"
        registry.mkdir(parents=True)
        (registry / "main.xcd").write_text(
            '<prop oor:name="ooSetupVersionAboutBox">\n  <value>24.2.3.2</value>\n</prop>'
        )
        convert_office.find_libreoffice.cache_clear()
        assert convert_office.find_libreoffice().version == "24.2.3.2"
    finally:
        convert_office.find_libreoffice.cache_clear()
