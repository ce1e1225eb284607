"""A section holding only closed items: its name can tell what they are about, so the
public agenda and minutes (Word and PDF) head it "Lukkede punkter" instead, in the
contents, the body, the bookmarks and the properties; the complete edition keeps the
name, and every number is the same in both editions."""

from __future__ import annotations

import re
import subprocess
import zipfile
from dataclasses import replace
from pathlib import Path

import docx
import pikepdf
import pytest

from agenda.model import ItemKind, Section
from agenda.snapshot import MeetingSnapshot
from export.document_content import CLOSED_SECTION_LABEL
from export.documents.docx_agenda import write_agenda_docx
from export.documents.pdf_agenda import write_agenda_pdf
from tests import factories as f
from tests.factories import document_meeting

SECRET = "Afskedigelse Flamingovej"


def meeting_with_a_closed_section():
    meeting = document_meeting(held=True)
    closed = f.item(
        "Personalesag",
        ItemKind.DECISION,
        case_=f.case("Personalesag", "24/07777", indstilling="Det indstilles, at sagen lukkes."),
        closed=True,
    )
    sections = list(meeting.agenda.sections)
    sections.insert(len(sections) - 1, Section(SECRET, (closed,)))
    return replace(meeting, agenda=replace(meeting.agenda, sections=tuple(sections)))


def docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return " ".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())


def pdf_text(path: Path) -> str:
    text = subprocess.run(["pdftotext", "-q", str(path), "-"], capture_output=True).stdout
    with pikepdf.open(path) as pdf:
        outline = []
        with pdf.open_outline() as o:
            stack = list(o.root)
            while stack:
                entry = stack.pop()
                outline.append(str(entry.title))
                stack += list(entry.children)
        meta = " ".join(str(v) for v in pdf.docinfo.values())
        with pdf.open_metadata() as xmp:
            meta += " " + " ".join(str(v) for v in xmp.values())
    return " ".join([text.decode("utf-8"), *outline, meta])


@pytest.mark.parametrize("minutes", [False, True])
def test_the_public_edition_heads_a_closed_section_neutrally(tmp_path, minutes):
    snapshot = MeetingSnapshot(meeting_with_a_closed_section())
    for public in (False, True):
        name = f"{'p' if public else 'c'}{minutes}"
        word = write_agenda_docx(
            snapshot, tmp_path / f"{name}.docx", minutes=minutes, public=public
        )
        pdf = write_agenda_pdf(snapshot, tmp_path / f"{name}.pdf", minutes=minutes, public=public)
        headings = [
            p.text for p in docx.Document(str(word)).paragraphs if p.style.name == "Heading 1"
        ]
        texts = {"docx": docx_text(word), "pdf": pdf_text(pdf)}
        if public:
            assert CLOSED_SECTION_LABEL in headings and SECRET not in headings
            for kind, text in texts.items():
                assert "Flamingovej" not in text, kind
                # the number of the closed item is the one the complete edition gives it
                assert re.search(r"3\.1\s+Lukket punkt", text), kind
                assert CLOSED_SECTION_LABEL in text, kind
        else:
            assert SECRET in headings
            assert all(SECRET in text for text in texts.values())
