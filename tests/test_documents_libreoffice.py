"""LibreOffice headless opens the Word agenda and minutes we write and makes PDFs of
them: the items come out in order, the TOC lists them, PAGE/NUMPAGES are computed, no
heading is left at the foot of a page, and draft minutes say so on every page."""

from __future__ import annotations

import re
import subprocess

import pypdf
import pytest

from agenda.snapshot import MeetingSnapshot
from export.conversion.convert_office import find_libreoffice
from export.documents.docx_agenda import write_agenda_docx
from tests.factories import document_meeting
from tests.test_docx_agenda import ITEM_HEADINGS
from tests.test_pdf_agenda import cramped_meeting, parted_from_their_text

# slow (the full run only): runs LibreOffice
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """The text of each page of each document as LibreOffice lays it out, by file name;
    one soffice run for all of them (its start is most of the time)."""
    suite = find_libreoffice()
    assert suite is not None and suite.executable is not None, "LibreOffice is not installed"
    tmp_path = tmp_path_factory.mktemp("libreoffice")
    held = MeetingSnapshot(document_meeting(held=True))
    documents = [
        write_agenda_docx(held, tmp_path / "dagsorden.docx"),
        write_agenda_docx(held, tmp_path / "referat.docx", minutes=True, public=True),
        write_agenda_docx(
            MeetingSnapshot(document_meeting()), tmp_path / "udkast.docx", minutes=True
        ),
        write_agenda_docx(MeetingSnapshot(cramped_meeting()), tmp_path / "tæt.docx", minutes=True),
    ]
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
            *map(str, documents),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    assert "Error" not in result.stderr
    return {
        path.stem: [
            " ".join((page.extract_text() or "").split())
            for page in pypdf.PdfReader(out / f"{path.stem}.pdf").pages
        ]
        for path in documents
    }


def test_libreoffice_converts_the_docx_with_items_in_order(rendered):
    for name, headings in (
        ("dagsorden", ITEM_HEADINGS),
        ("referat", [*ITEM_HEADINGS[:4], "2.3 Lukket punkt", ITEM_HEADINGS[5]]),
    ):
        texts = rendered[name]
        total = len(texts)
        assert total >= 4
        for number, text in enumerate(texts, start=1):
            assert re.findall(r"Side \d+ af \d+", text) == [f"Side {number} af {total}"]
        # LibreOffice does not update the TOC field: this is the cached result we wrote
        contents = next(i for i, t in enumerate(texts) if "Indhold" in t.split())
        toc = texts[contents]
        assert [toc.index(h) for h in headings] == sorted(toc.index(h) for h in headings)
        body = " ".join(texts[contents + 1 :])
        positions = [body.index(h) for h in headings]
        assert positions == sorted(positions), name
    minutes_text = " ".join(rendered["referat"])
    assert "Referat" in minutes_text and "Zanzibarsen" not in minutes_text
    assert "Godkendt som indstillet." in minutes_text
    assert "Udkast" not in minutes_text


def test_no_heading_is_parted_from_its_text_by_a_page_break(rendered):
    texts = rendered["tæt"]
    assert len(texts) > 12
    assert parted_from_their_text(texts) == []


def test_draft_minutes_say_so_on_every_page(rendered):
    texts = rendered["udkast"]
    assert len(texts) >= 4
    assert "Udkast til referat Møde i KKR Sjælland tirsdag den 16. april 2024" in texts[0]
    for number, text in enumerate(texts, start=1):
        assert f"Udkast til referat Side {number} af {len(texts)}" in text, text[-60:]
    for text in texts[1:]:
        assert "KKR Sjælland · Udkast til referat · 16. april 2024" in text
