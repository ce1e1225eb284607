"""The demo meetings as domain objects (agenda.demo) and their bilag as real files
(export.samples.demo_files), without a workspace."""

from __future__ import annotations

import hashlib
import io
from datetime import date

import docx
import pytest
from pypdf import PdfReader

from agenda.demo import (
    DemoDocument,
    Heading,
    PageBreak,
    Paragraph,
    Table,
    build_demo,
    parse_case,
    upcoming_meeting_day,
)
from agenda.model import Attachment, ItemKind, MeetingStatus, TextSection
from agenda.numbering import meeting_items
from export.samples.demo_files import demo_file, media_type

# slow (the full run only): builds the demo's thirty real PDF and DOCX bilag
pytestmark = pytest.mark.slow

TODAY = date(2025, 3, 5)  # a Wednesday, winter time


@pytest.fixture(scope="module")
def demo() -> tuple[list, dict[str, tuple[DemoDocument, bytes]]]:
    files: dict[str, tuple[DemoDocument, bytes]] = {}

    def make(document: DemoDocument) -> Attachment:
        data = demo_file(document)
        files[document.file_name] = (document, data)
        return Attachment(
            document.title,
            document.file_name,
            media_type(document),
            len(data),
            hashlib.sha256(data).hexdigest(),
            document.confidential,
        )

    return build_demo(TODAY, make), files


def _cases(meetings):  # type: ignore[no-untyped-def]
    return [item.case for m in meetings for item in m.agenda.items() if item.case]


def test_three_meetings_held_upcoming_later(demo):
    meetings, _ = demo
    assert [m.status for m in meetings] == [
        MeetingStatus.HELD,
        MeetingStatus.DRAFT,
        MeetingStatus.DRAFT,
    ]
    held, upcoming, later = (m.start.date() for m in meetings)
    assert held < TODAY < upcoming < later
    assert upcoming == upcoming_meeting_day(TODAY) == date(2025, 3, 18)
    assert upcoming.weekday() == 1  # a Tuesday
    assert meetings[1].start.utcoffset().total_seconds() == 3600  # CET in March
    assert all(m.body.name == "KKR Sjælland" for m in meetings)
    assert all(m.location and m.end > m.start for m in meetings)


def test_body_has_mayors_of_region_sjaelland(demo):
    body = demo[0][0].body
    assert len(body.members) == 18
    roles = " ".join(p.role for p in body.members)
    for municipality in ("Næstved", "Roskilde", "Lolland", "Kalundborg", "Stevns", "Solrød"):
        assert f"{municipality} Kommune" in roles
    assert body.members[0].role.startswith("Formand")


def test_cases_of_every_kind_with_danish_sections(demo):
    cases = _cases(demo[0])
    assert len(cases) == 20
    assert {c.kind for c in cases} == {
        ItemKind.DECISION,
        ItemKind.INFORMATION,
        ItemKind.DISCUSSION,
        ItemKind.THEME,
    }
    assert len({c.reference for c in cases}) == 20
    for case in cases:
        assert [s for s, _ in case.filled_sections()] == list(TextSection), case.title
        assert case.text(TextSection.INDSTILLING).startswith("Det indstilles, at KKR Sjælland")
        assert case.reference.startswith("25/")
        assert case.officer
        text = " ".join([case.title, *case.texts.values()])
        assert "{" not in text and "}" not in text, case.title


def test_fixed_items_frame_every_agenda(demo):
    for meeting in demo[0]:
        headings = [n.heading for n in meeting_items(meeting)]
        assert headings[:2] == ["1.1 Godkendelse af dagsorden", "1.2 Meddelelser"]
        assert headings[-1].endswith(" Eventuelt")
        assert any(h.startswith("2.1 Beslutningssag: ") for h in headings)


def test_exactly_one_closed_item_and_one_confidential_bilag(demo):
    items = [i for m in demo[0] for i in m.agenda.items()]
    closed = [i for i in items if i.closed]
    assert [i.title for i in closed] == [
        "Indstilling af kommunale medlemmer til Erhvervshus Sjællands bestyrelse"
    ]
    confidential = [a for i in items for a in i.attachments if a.confidential]
    assert [a.file_name for a in confidential] == ["tilbud-analyse.pdf"]
    # the confidential bilag sits on an open item, so the public edition must drop just it
    owner = next(i for i in items if confidential[0] in i.attachments)
    assert not owner.closed and len(owner.attachments) == 2


def test_held_meeting_has_decisions_and_attendance(demo):
    held, upcoming, later = demo[0]
    assert all(item.decision for item in held.agenda.items())
    assert [p.name for p in held.absentees] == ["Lars Kjærgaard Friis", "Pia Lund Andersen"]
    assert len(held.present) == len(held.participants) - 2
    for meeting in (upcoming, later):
        assert not any(item.decision for item in meeting.agenda.items())
        assert all(p.present is None for p in meeting.participants)


def test_thirty_bilag_as_real_pdf_and_docx(demo):
    meetings, files = demo
    attachments = [a for m in meetings for i in m.agenda.items() for a in i.attachments]
    assert len(attachments) == 30 == len(files)
    kinds = {a.extension for a in attachments}
    assert kinds == {"pdf", "docx"}
    for attachment in attachments:
        document, data = files[attachment.file_name]
        assert attachment.size == len(data)
        assert attachment.title == document.title
        if attachment.extension == "pdf":
            assert attachment.media_type == "application/pdf"
            reader = PdfReader(io.BytesIO(data))
            assert len(reader.pages) >= 2  # front page and content
            first = reader.pages[0].extract_text()
            if document.scanned:  # page images only: preflight's scanned bilag
                assert first.strip() == ""
            else:
                assert document.title.split()[0] in first
            assert reader.metadata.title == document.title
            assert reader.metadata.author == "KKR Sjælland"
        else:
            opened = docx.Document(io.BytesIO(data))
            texts = [p.text for p in opened.paragraphs]
            assert document.title in texts
            assert opened.core_properties.author == "KKR Sjælland"


def test_every_bilag_is_a4(demo):
    """Danish documents are A4: the Word bilag too (python-docx's default is US Letter),
    so the demo's bilagspakke has no page of another size."""
    _, files = demo
    a4 = sorted((595, 842))  # points, either orientation
    for name, (_, data) in files.items():
        if name.endswith(".pdf"):
            sizes = [
                (float(p.mediabox.width), float(p.mediabox.height))
                for p in PdfReader(io.BytesIO(data)).pages
            ]
        else:
            sizes = [
                (s.page_width.pt, s.page_height.pt)
                for s in docx.Document(io.BytesIO(data)).sections
            ]
        for size in sizes:
            assert sorted(round(v) for v in size) == a4, (name, size)
        if name.endswith(".docx"):
            section = docx.Document(io.BytesIO(data)).sections[0]
            assert section.left_margin.cm == pytest.approx(2.2, abs=0.01)
            assert section.top_margin.cm == pytest.approx(2.5, abs=0.01)


def test_one_landscape_pdf_with_the_distribution_table(demo):
    _, files = demo
    landscape = [d for d, _ in files.values() if d.landscape]
    assert [d.file_name for d in landscape] == ["fordeling-praktikpladser.pdf"]
    reader = PdfReader(io.BytesIO(files["fordeling-praktikpladser.pdf"][1]))
    box = reader.pages[1].mediabox
    assert box.width > box.height
    text = reader.pages[1].extract_text()
    assert "Kommune" in text and "Vordingborg" in text and "1.575" in text


def test_docx_tables_and_page_breaks_survive(demo):
    _, files = demo
    data = files["notat-frafald-sosu.docx"][1]
    opened = docx.Document(io.BytesIO(data))
    assert len(opened.tables) == 1
    assert opened.tables[0].cell(0, 0).text == "Uddannelse"
    assert opened.tables[0].cell(2, 3).text == "21 %"
    headings = [p.text for p in opened.paragraphs if p.style.name.startswith("Heading")]
    assert headings == ["Formål", "Frafaldets omfang", "Aftalte indsatser", "Opfølgning"]
    assert 'w:type="page"' in opened.element.xml


def test_multi_page_pdf_keeps_its_page_breaks(demo):
    _, files = demo
    reader = PdfReader(io.BytesIO(files["rammeaftale.pdf"][1]))
    pages = [p.extract_text() for p in reader.pages]
    assert len(pages) == 4
    assert "Udviklingsstrategi" in pages[2] and "Underskrifter" in pages[3]
    assert all(f"Side {n}" in text for n, text in enumerate(pages, start=1))


def test_the_same_document_gives_the_same_bytes(demo):
    _, files = demo
    for name in ("rammeaftale.pdf", "moedeplan.docx"):
        document, data = files[name]
        assert demo_file(document) == data


def test_parse_case_reads_headers_sections_and_bilag_blocks():
    text = """Sagsnummer: 25/00001
Titel: Prøvesag
Type: drøftelse
Sagsbehandler: Else Prøve
Lukket: ja
Beslutning: Drøftet.

## Resumé
Første linje
fortsætter her.

Andet afsnit.
## Indstilling
Det indstilles, at KKR Sjælland drøfter sagen.
## Bilag: Notat | notat.docx | fortroligt
### Overskrift
Tekst før tabellen.
| A | B |
| 1 | 2 |
---
#### Underoverskrift
Sidste afsnit.
"""
    demo = parse_case(text, "proeve", body_name="KKR Sjælland")
    assert demo.closed and demo.decision == "Drøftet."
    assert demo.case.kind is ItemKind.DISCUSSION
    assert demo.case.text(TextSection.RESUME) == "Første linje fortsætter her.\n\nAndet afsnit."
    (document,) = demo.documents
    assert document.confidential and not document.landscape and document.format == "docx"
    assert document.blocks == (
        Heading("Overskrift", 1),
        Paragraph("Tekst før tabellen."),
        Table((("A", "B"), ("1", "2"))),
        PageBreak(),
        Heading("Underoverskrift", 2),
        Paragraph("Sidste afsnit."),
    )
    assert "Tekst før tabellen." in document.plain_text() and "1 2" in document.plain_text()
