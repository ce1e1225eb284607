"""The PDF agenda and minutes, read back with pypdf: ToC pages, bookmarks, links,
page numbers, metadata, fonts and the public edition."""

from __future__ import annotations

import re
import zipfile
from dataclasses import replace
from pathlib import Path

import pypdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agenda.model import Agenda, AgendaItem, ItemKind, Section
from agenda.snapshot import MeetingSnapshot
from export.document_content import document_content
from export.documents.docx_agenda import write_agenda_docx
from export.documents.pdf_agenda import write_agenda_pdf
from tests import hostile
from tests.factories import attachment, case, document_meeting
from tests.hypothesis_budget import examples
from tests.test_docx_agenda import ITEM_HEADINGS, closed_words


def write(tmp_path: Path, meeting=None, *, name: str = "out.pdf", **kw) -> Path:
    snapshot = MeetingSnapshot(meeting or document_meeting(held=True))
    return write_agenda_pdf(snapshot, tmp_path / name, **kw)


def page_texts(reader: pypdf.PdfReader) -> list[str]:
    return [" ".join((page.extract_text() or "").split()) for page in reader.pages]


def between(text: str, heading: str, following: str | None) -> str:
    """An item's text: from its heading in the body (the last time the heading occurs,
    after the ToC) to the next heading."""
    start = text.rindex(heading)
    return text[start : text.index(following, start) if following else None]


def long_meeting():
    """Thirty items with long texts: the ToC runs over two pages and items over several."""
    text = "Kommunerne og regionen samarbejder om det nære sundhedsvæsen. " * 40
    items = tuple(
        AgendaItem(
            ItemKind.DECISION,
            f"Sag nummer {n}",
            case=case(f"Sag nummer {n}", f"24/{n:05d}", resume=text, baggrund=text),
        )
        for n in range(1, 31)
    )
    base = document_meeting()
    return replace(base, agenda=Agenda((Section("Sager", items),)))


SENTENCE = "Kommunerne og regionen samarbejder om det nære sundhedsvæsen. "


def cramped_meeting():
    """A held meeting of thirty items whose texts grow and shrink by a line or two from
    item to item, so that across the pages some heading, case number or label lands in
    the last lines of a page: there it must take the start of its text along or move.
    Each text starts with a marker (R07, B07, D07) that names its item and part."""
    items = tuple(
        AgendaItem(
            ItemKind.DECISION,
            f"Sag {n:02d}",
            case=case(
                f"Sag {n:02d}",
                f"24/{n:05d}",
                resume=f"R{n:02d} " + SENTENCE * (2 + n * 5 % 13),
                baggrund=f"B{n:02d} " + SENTENCE * (1 + n * 3 % 7),
            ),
            decision=f"D{n:02d} Godkendt.",
        )
        for n in range(1, 31)
    )
    return replace(document_meeting(held=True), agenda=Agenda((Section("Sager", items),)))


def parted_from_their_text(texts: list[str]) -> list[str]:
    """Each heading run of ``cramped_meeting``'s minutes (item heading, case number,
    label) followed by the marker its text starts with; those not found together on
    one page (a heading at the foot of one page, its text on the next)."""
    parted = []
    for n in range(1, 31):
        for lead in (
            f"1.{n} Beslutningssag: Sag {n:02d} Sagsnr. 24/{n:05d} Resumé R{n:02d}",
            f"Baggrund B{n:02d}",
            f"Beslutning D{n:02d}",
        ):
            if not any(lead in text for text in texts):
                parted.append(lead)
    return parted


def toc_claims(reader: pypdf.PdfReader, headings: list[str]) -> dict[str, int]:
    """For each heading, the page number (1-based) the ToC prints on its line."""
    claims = {}
    for page in reader.pages[1:4]:
        for line in page.extract_text(extraction_mode="layout").splitlines():
            match = re.match(r"\s*(.+?)\s*(?:\.\s*)+(\d+)\s*$", line)
            if match and match.group(1) in headings:
                claims[match.group(1)] = int(match.group(2))
    assert sorted(claims) == sorted(headings)
    return claims


def page_index(reader: pypdf.PdfReader, dest) -> int:
    """The 0-based page of an explicit destination ``[page /XYZ x y zoom]``."""
    refs = [page.indirect_reference for page in reader.pages]
    return refs.index(
        dest[0].indirect_reference if hasattr(dest[0], "indirect_reference") else dest[0]
    )


@pytest.mark.slow
@pytest.mark.parametrize("which", ["sample", "long"])
def test_every_heading_is_on_the_page_the_toc_and_its_bookmark_claim(tmp_path, which):
    meeting = document_meeting(held=True) if which == "sample" else long_meeting()
    reader = pypdf.PdfReader(write(tmp_path, meeting))
    texts = page_texts(reader)
    # as the contents list them: a closed item marked "(lukket punkt)"
    headings = [i.marked_heading for i in document_content(MeetingSnapshot(meeting)).items]
    if which == "long":
        assert len(reader.pages) > 20
    for heading, page in toc_claims(reader, headings).items():
        assert heading in texts[page - 1], (heading, page)
    # bookmarks: sections, each with its items, pointing at the page the heading is on
    outline = reader.outline
    titles = []
    for entry in outline:
        if isinstance(entry, list):
            for child in entry:
                titles.append(child.title)
                page = reader.get_destination_page_number(child)
                assert child.title in texts[page], (child.title, page)
        else:
            titles.append(entry.title)
    assert [t for t in titles if t in headings] == headings


def test_no_heading_is_parted_from_its_text_by_a_page_break(tmp_path):
    path = write(tmp_path, cramped_meeting(), minutes=True)
    texts = page_texts(pypdf.PdfReader(path))
    assert len(texts) > 12
    assert parted_from_their_text(texts) == []


def test_toc_entries_link_to_their_headings(tmp_path):
    reader = pypdf.PdfReader(write(tmp_path))
    texts = page_texts(reader)
    targets = []
    for annotation in reader.pages[1].get("/Annots", []):
        annotation = annotation.get_object()
        if annotation.get("/Subtype") == "/Link":
            targets.append(page_index(reader, annotation["/Dest"]))
    # 3 sections + 6 items, each a link (the text and the page number may both be)
    assert len(set(targets)) >= 3
    linked_pages = {texts[p].split(" Side ")[0] for p in targets}
    for heading in ITEM_HEADINGS:
        assert any(heading in t for t in linked_pages), heading


@pytest.mark.slow
def test_side_x_af_y_on_every_page_and_header(tmp_path):
    reader = pypdf.PdfReader(write(tmp_path, long_meeting()))
    texts = page_texts(reader)
    total = len(texts)
    for number, text in enumerate(texts, start=1):
        assert re.findall(r"Side \d+ af \d+", text) == [f"Side {number} af {total}"]
        if number > 1:
            assert "KKR Sjælland · Referat · 16. april 2024" not in text
            assert "KKR Sjælland · Dagsorden · 16. april 2024" in text


def test_metadata_language_and_embedded_fonts(tmp_path):
    reader = pypdf.PdfReader(write(tmp_path, minutes=True))
    meta = reader.metadata
    assert meta.title == "Referat – KKR Sjælland 16. april 2024"
    assert meta.author == "KKR Sjælland"
    assert meta.subject == "Referat: Møde i KKR Sjælland, tirsdag den 16. april 2024"
    assert reader.trailer["/Root"]["/Lang"] == "da-DK"
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[font["/BaseFont"]] = font
    assert fonts
    for name, font in fonts.items():
        descendant = (
            font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        )
        descriptor = descendant["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor, name  # an embedded TrueType font
        assert "DejaVu" in name or "KkrSans" in name, name
    assert "æ" in page_texts(reader)[0] or "Sjælland" in page_texts(reader)[0]


@pytest.mark.slow
def test_minutes_of_a_meeting_not_held_are_a_draft_on_every_page(tmp_path):
    draft = write(tmp_path, long_meeting(), minutes=True, name="udkast.pdf")
    reader = pypdf.PdfReader(draft)
    texts = page_texts(reader)
    assert len(texts) > 20
    assert texts[0].startswith(
        "KKR Sjælland Udkast til referat Møde i KKR Sjælland tirsdag den 16. april"
    )
    for number, text in enumerate(texts, start=1):  # every footer, the front page's too
        assert text.endswith(f"Side {number} af {len(texts)} Udkast til referat")
    for text in texts[1:]:
        assert "KKR Sjælland · Udkast til referat · 16. april 2024" in text
    assert reader.metadata.title == "Udkast til referat – KKR Sjælland 16. april 2024"
    assert reader.metadata.subject.startswith("Udkast til referat: ")

    for path in (write(tmp_path, minutes=True), write(tmp_path, long_meeting())):
        reader = pypdf.PdfReader(path)
        assert "Udkast" not in " ".join([*page_texts(reader), reader.metadata.title])
    assert "Referat" in page_texts(pypdf.PdfReader(write(tmp_path, minutes=True)))[0]


def test_item_content_in_order(tmp_path):
    reader = pypdf.PdfReader(write(tmp_path, document_meeting()))
    text = " ".join(page_texts(reader))
    item = between(text, ITEM_HEADINGS[2], ITEM_HEADINGS[3])
    order = [
        "Sagsnr. 24/04521",
        "Resumé",
        "Baggrund",
        "Sagsfremstilling",
        "Indstilling",
        "Det indstilles, at KKR Sjælland - godkender evalueringen, og - beder sekretariatet",
        "Økonomi",
        "Beslutning Bilag",
        "Bilag",
        "Bilag 1: Evalueringsrapport",
        "Bilag 2: Tilbud fra konsulent",
        "Bilag 3: Tidsplan",
    ]
    positions = [item.index(part) for part in order]
    assert positions == sorted(positions)
    assert "Der er ikke skrevet en beslutning" not in text  # an agenda, not minutes
    closed = between(text, ITEM_HEADINGS[4], None)
    assert closed[len(ITEM_HEADINGS[4]) :].split()[:3] == ["Lukket", "punkt", "Sagsnr."]


def test_minutes_have_decisions_attendance_and_flags(tmp_path):
    reader = pypdf.PdfReader(write(tmp_path, minutes=True))
    texts = page_texts(reader)
    assert "Referat" in texts[0]
    assert "Til stede Mette Hansen, Formand Afbud Ole Pedersen, Næstformand" in texts[0]
    text = " ".join(texts)
    item = between(text, ITEM_HEADINGS[2], ITEM_HEADINGS[3])
    assert "Beslutning Godkendt som indstillet. Sekretariatet følger op." in item
    for heading, following in ((ITEM_HEADINGS[1], ITEM_HEADINGS[2]), (ITEM_HEADINGS[5], None)):
        part = between(text, heading, following)
        assert "Der er ikke skrevet en beslutning." in part
    assert text.count("Der er ikke skrevet en beslutning.") == 2


def test_editions_mark_closed_and_confidential_matter_as_the_pack_does(tmp_path):
    """The complete edition: "Fuld udgave" and the pack's warning on the front page,
    "(lukket punkt)" in the contents, "(fortroligt)" in the bilag list. The public one
    says none of it."""
    closed = "2.3 Beslutningssag: Ansættelse af direktør Zanzibarsen (lukket punkt)"
    for minutes in (False, True):
        texts = page_texts(
            pypdf.PdfReader(write(tmp_path, minutes=minutes, name=f"c{minutes}.pdf"))
        )
        assert (
            "Fuld udgave Indeholder lukkede punkter eller fortrolige bilag og må ikke "
            "offentliggøres." in texts[0]
        )
        assert closed in texts[1]  # the contents
        assert "Bilag 2: Tilbud fra konsulent (fortroligt)" in " ".join(texts[2:])
        public = write(tmp_path, minutes=minutes, public=True, name=f"p{minutes}.pdf")
        text = " ".join(page_texts(pypdf.PdfReader(public)))
        for word in ("lukket punkt)", "fortroligt", "Fortroligt", "Fuld udgave"):
            assert word not in text


def test_front_page_shows_the_meeting_title_as_the_pack_does(tmp_path):
    for minutes in (False, True):
        front = page_texts(
            pypdf.PdfReader(write(tmp_path, minutes=minutes, name=f"{minutes}.pdf"))
        )[0]
        kind = "Referat" if minutes else "Dagsorden"
        assert front.startswith(f"KKR Sjælland {kind} Møde i KKR Sjælland tirsdag den 16. april")
    # a title that only repeats the body's name is not said twice
    meeting = replace(document_meeting(), title="KKR Sjælland")
    front = page_texts(pypdf.PdfReader(write(tmp_path, meeting, name="same.pdf")))[0]
    assert front.startswith("KKR Sjælland Dagsorden tirsdag den 16. april")


def test_draft_minutes_list_the_invited_not_attendance(tmp_path):
    draft = write(tmp_path, document_meeting(), minutes=True, name="udkast.pdf")
    front = page_texts(pypdf.PdfReader(draft))[0]
    assert "Indbudte Mette Hansen, Formand Ole Pedersen, Næstformand" in front
    assert "Deltagere" not in front and "Til stede" not in front


def test_public_edition_has_no_word_of_the_closed_item(tmp_path):
    words = closed_words()
    for minutes in (False, True):
        path = write(tmp_path, minutes=minutes, public=True, name=f"p{minutes}.pdf")
        reader = pypdf.PdfReader(path)
        texts = page_texts(reader)
        outline = [
            e.title
            for entry in reader.outline
            for e in (entry if isinstance(entry, list) else [entry])
        ]
        assert "2.3 Lukket punkt" in outline
        everything = " ".join(
            [*texts, *outline, *(str(v) for v in reader.metadata.values())]
        ).lower()
        assert not {w for w in words if w in everything}
        # nor in the file's bytes (uncompressed strings, XMP)
        raw = path.read_bytes().lower()
        assert not {w for w in words if w.encode() in raw}
        assert "Offentlig udgave" in texts[0]
        assert "Bilag 2: Tidsplan" in " ".join(texts)
        assert "Tilbud fra konsulent" not in " ".join(texts)


def test_markup_characters_control_characters_and_an_empty_agenda(tmp_path):
    title = "Budget & regnskab <2025> \x0bfor \x01kommunerne"
    odd = AgendaItem(
        ItemKind.DECISION,
        title,
        case=case(title, "24/1", resume="Linje et\x0bLinje to & <tre>"),
    )
    meeting = replace(document_meeting(), agenda=Agenda((Section("Sager", (odd,)),)))
    reader = pypdf.PdfReader(write(tmp_path, meeting))
    text = " ".join(page_texts(reader))
    heading = "1.1 Beslutningssag: Budget & regnskab <2025> for kommunerne"
    assert text.count(heading) == 2  # ToC and body
    assert "Linje et Linje to & <tre>" in text
    assert [e.title for e in reader.outline[1]] == [heading]

    empty = replace(document_meeting(), agenda=Agenda(()))
    reader = pypdf.PdfReader(write(tmp_path, empty, name="empty.pdf"))
    texts = page_texts(reader)
    assert len(texts) == 1 and "Placeholder" not in texts[0] and "Side 1 af 1" in texts[0]


SECRETS = ("Abrikos", "Bjørnebær", "Citronmåne", "Dadelpalme", "Elefantgræs")


@pytest.mark.slow
@settings(
    max_examples=examples(12),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(closed=st.lists(st.booleans(), min_size=5, max_size=5), minutes=st.booleans())
def test_property_no_closed_word_in_either_public_document(tmp_path, closed, minutes):
    """Whichever items are closed: their words are in neither public document, and the
    open items' words are (so the check itself can fail)."""
    items = []
    for n, (secret, is_closed) in enumerate(zip(SECRETS, closed, strict=True), start=1):
        word = f"{secret}{n}"
        bilag = (attachment(f"Notat {word}x", word.encode(), "n.pdf"),)
        items.append(
            AgendaItem(
                ItemKind.DECISION,
                f"Sag {word}t",
                case=case(f"Sag {word}t", f"24/{n}", bilag, resume=f"Om {word}r.", oekonomi=word),
                closed=is_closed,
                decision=f"Besluttet {word}d",
            )
        )
    meeting = replace(document_meeting(), agenda=Agenda((Section("Sager", tuple(items)),)))
    snapshot = MeetingSnapshot(meeting)
    pdf = write_agenda_pdf(snapshot, tmp_path / "p.pdf", minutes=minutes, public=True)
    reader = pypdf.PdfReader(pdf)
    outline = [
        e.title for entry in reader.outline for e in (entry if isinstance(entry, list) else [entry])
    ]
    pdf_text = " ".join([*page_texts(reader), *outline, *map(str, reader.metadata.values())])
    docx_path = write_agenda_docx(snapshot, tmp_path / "p.docx", minutes=minutes, public=True)
    with zipfile.ZipFile(docx_path) as z:
        docx_text = " ".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xml"))
    for n, (secret, is_closed) in enumerate(zip(SECRETS, closed, strict=True), start=1):
        for text in (pdf_text, docx_text):
            assert (f"{secret}{n}" in text) is not is_closed, (secret, is_closed)


@pytest.mark.slow
@pytest.mark.parametrize("minutes", [False, True], ids=["agenda", "minutes"])
@pytest.mark.parametrize("key", list(hostile.LONG_TITLES))
def test_a_title_longer_than_a_page_is_set_whole_across_pages(tmp_path, key, minutes):
    """A heading moves whole to the next page, but one taller than a page is split
    (reportlab raised LayoutError); the contents cut it with "…", the body has it all."""
    title = hostile.LONG_TITLES[key]
    long_item = AgendaItem(ItemKind.DECISION, title, case=case(title, "24/1", resume="Kort."))
    after = AgendaItem(ItemKind.DECISION, "Næste sag", case=case("Næste sag", "24/2"))
    sections = (Section(title, (long_item,)), Section("Sager", (after,)))
    meeting = replace(document_meeting(held=True), agenda=Agenda(sections))
    reader = pypdf.PdfReader(write(tmp_path, meeting, minutes=minutes))
    header = document_content(MeetingSnapshot(meeting), minutes=minutes).header
    # the pages' text without their running header and footer, which a title across
    # pages is read around
    bodies = [re.sub(r"Side \d+ af \d+", "", t.replace(header, "")) for t in page_texts(reader)]
    squeezed = "".join("".join(bodies).split())
    whole = "".join(title.split())
    assert squeezed.count(whole) == 2  # the section's heading and the item's, whole
    assert "Kort." in squeezed and "Næste" in squeezed
    contents = "".join(page_texts(reader)[1].split())
    assert "…" in contents and whole not in contents
    # one bookmark per heading, each pointing at the page its heading begins on
    sections_outline = [e for e in reader.outline if not isinstance(e, list)]
    items_outline = [c for e in reader.outline if isinstance(e, list) for c in e]
    assert len(sections_outline) == 2 and len(items_outline) == 2
    first_item = items_outline[0]
    page = "".join(page_texts(reader)[reader.get_destination_page_number(first_item)].split())
    assert "".join(title.split())[:200] in page
