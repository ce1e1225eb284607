"""LibreOffice headless opens the Word agenda and minutes we write and makes PDFs of
them: the items come out in order, the TOC lists them, PAGE/NUMPAGES are computed."""

from __future__ import annotations

import re
import subprocess

import pypdf

from agenda.snapshot import MeetingSnapshot
from export.convert_office import find_libreoffice
from export.docx_agenda import write_agenda_docx
from tests.factories import document_meeting
from tests.test_docx_agenda import ITEM_HEADINGS


def test_libreoffice_converts_the_docx_with_items_in_order(tmp_path):
    suite = find_libreoffice()
    assert suite is not None and suite.executable is not None, "LibreOffice is not installed"
    snapshot = MeetingSnapshot(document_meeting(held=True))
    agenda = write_agenda_docx(snapshot, tmp_path / "dagsorden.docx")
    minutes = write_agenda_docx(snapshot, tmp_path / "referat.docx", minutes=True, public=True)
    out = tmp_path / "pdf"
    result = subprocess.run(
        [
            str(suite.executable),
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(agenda),
            str(minutes),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Error" not in result.stderr

    for name, headings in (
        ("dagsorden.pdf", ITEM_HEADINGS),
        ("referat.pdf", [*ITEM_HEADINGS[:4], "2.3 Lukket punkt", ITEM_HEADINGS[5]]),
    ):
        reader = pypdf.PdfReader(out / name)
        texts = [" ".join((p.extract_text() or "").split()) for p in reader.pages]
        total = len(texts)
        assert total >= 4
        for number, text in enumerate(texts, start=1):
            assert re.findall(r"Side \d+ af \d+", text) == [f"Side {number} af {total}"]
        contents = next(i for i, t in enumerate(texts) if "Indhold" in t.split())
        toc = texts[contents]
        assert [toc.index(h) for h in headings] == sorted(toc.index(h) for h in headings)
        body = " ".join(texts[contents + 1 :])
        positions = [body.index(h) for h in headings]
        assert positions == sorted(positions), name
    minutes_text = " ".join(p.extract_text() for p in pypdf.PdfReader(out / "referat.pdf").pages)
    assert "Referat" in minutes_text and "Zanzibarsen" not in minutes_text
    assert "Godkendt som indstillet." in minutes_text
