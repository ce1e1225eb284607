"""The Word agenda and minutes, read back with python-docx (and as raw XML for fields)."""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from dataclasses import replace
from pathlib import Path

import docx
import pypdf
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Pt, RGBColor
from PIL import Image

from agenda.errors import ExportError
from agenda.model import MeetingStatus, NumberingStyle
from agenda.snapshot import MeetingSnapshot
from export.documents.docx_agenda import write_agenda_docx
from export.documents.docx_styles import FRONT_HEADING
from tests.factories import body, document_meeting

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ITEM_HEADINGS = [
    "1.1 Godkendelse af dagsorden",
    "1.2 Meddelelser",
    "2.1 Beslutningssag: Evaluering af klyngekontorer",
    "2.2 Orienteringssag: Status på sundhedsaftalen",
    # the complete edition marks the closed item in its heading, so in every contents
    "2.3 Beslutningssag: Ansættelse af direktør Zanzibarsen (lukket punkt)",
    "3.1 Eventuelt",
]


#: The documents made so far, by what was asked: the tests only read them, so each kind
#: is made once and copied into the next test's folder.
_MADE: dict[tuple, bytes] = {}


def write(tmp_path: Path, *, held: bool = False, name: str = "out.docx", **kw) -> Path:
    key = (held, tuple(sorted(kw.items())))
    if "template" not in kw and key in _MADE:  # a template test may break its template
        (tmp_path / name).write_bytes(_MADE[key])
        return tmp_path / name
    snapshot = MeetingSnapshot(document_meeting(held=held))
    path = write_agenda_docx(snapshot, tmp_path / name, **kw)
    if "template" not in kw:
        _MADE[key] = path.read_bytes()
    return path


def paragraphs(path: Path) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in docx.Document(str(path)).paragraphs]


def item_part(path: Path, heading: str) -> list[tuple[str, str]]:
    """The paragraphs from an item's heading up to the next heading 1 or 2."""
    rows = paragraphs(path)
    start = rows.index(("Heading 2", heading))
    end = next(
        (i for i in range(start + 1, len(rows)) if rows[i][0] in ("Heading 1", "Heading 2")),
        len(rows),
    )
    return rows[start + 1 : end]


def xml_parts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml")}


def closed_words() -> set[str]:
    """Words of the closed item that no open part of the meeting uses (so the public
    edition has no reason to contain any of them)."""
    meeting = document_meeting(held=True)
    closed = [i for i in meeting.agenda.items() if i.closed]
    open_ = [i for i in meeting.agenda.items() if not i.closed]

    def words(items) -> set[str]:
        text = []
        for i in items:
            text += [i.title, i.decision]
            if i.case:
                text += [i.case.title, i.case.reference, *i.case.texts.values()]
                text += [a.title for a in i.case.attachments]
        return {w.lower() for w in re.findall(r"[\wæøå/]{4,}", " ".join(text))}

    return words(closed) - words(open_)


def test_item_headings_in_order_with_heading_styles(tmp_path):
    rows = paragraphs(write(tmp_path))
    assert [t for s, t in rows if s == "Heading 2"] == ITEM_HEADINGS
    assert [t for s, t in rows if s == "Heading 1"] == ["Indledning", "Sager", "Afslutning"]


def test_flat_numbering_is_used_when_the_body_chooses_it(tmp_path):
    meeting = document_meeting()
    meeting = replace(meeting, body=replace(meeting.body, numbering=NumberingStyle.FLAT))
    path = write_agenda_docx(MeetingSnapshot(meeting), tmp_path / "flat.docx")
    headings = [t for s, t in paragraphs(path) if s == "Heading 2"]
    assert [h.split(" ")[0] for h in headings] == ["1", "2", "3", "4", "5", "6"]


def test_front_page(tmp_path):
    rows = paragraphs(write(tmp_path))
    front = rows[: rows.index(("TOC Heading", "Indhold"))]
    assert front[0] == ("Logo", "")  # the blank logo slot, no placeholder text
    texts = [t for _, t in front]
    assert ("Title", "Dagsorden") in front and ("Subtitle", "KKR Sjælland") in front
    # the meeting's title under "Dagsorden", as the pack's front page has it
    assert front[front.index(("Title", "Dagsorden")) + 1] == ("Mødetitel", "Møde i KKR Sjælland")
    for line in ("tirsdag den 16. april 2024", "kl. 10.00-13.00", "Comwell Køge Strand"):
        assert any(line in t for t in texts)
    assert "Mette Hansen, Formand\nOle Pedersen, Næstformand" in texts
    # the pack's wording for the same edition
    assert ("Forside udgave", "Fuld udgave") in front
    assert (
        "Forside udgavetekst",
        "Indeholder lukkede punkter eller fortrolige bilag og må ikke offentliggøres.",
    ) in front


def test_item_sections_in_fixed_order_with_text_as_written(tmp_path):
    part = item_part(write(tmp_path), ITEM_HEADINGS[2])
    assert part[0] == ("Sagsnummer", "Sagsnr. 24/04521")
    labels = [t for s, t in part if s == "Heading 3"]
    assert labels == [
        "Resumé",
        "Baggrund",
        "Sagsfremstilling",
        "Indstilling",
        "Økonomi",
        "Beslutning",
        "Bilag",
    ]
    texts = [t for _, t in part]
    recommendation = texts[texts.index("Indstilling") + 1]
    assert recommendation == (
        "Det indstilles, at KKR Sjælland\n- godkender evalueringen, og\n"
        "- beder sekretariatet følge op."
    )
    # a blank line starts a new paragraph
    background = texts[texts.index("Baggrund") + 1 : texts.index("Sagsfremstilling")]
    assert background == ["KKR Sjælland bad i 2023 om en evaluering.", "Den foreligger nu."]
    # the agenda leaves the decision empty
    assert texts[texts.index("Beslutning") + 1] == ""
    bilag = [t for s, t in part if s == "Bilagsliste"]
    assert bilag == [
        "Bilag 1: Evalueringsrapport",
        "Bilag 2: Tilbud fra konsulent (fortroligt)",
        "Bilag 3: Tidsplan",
    ]


def test_complete_edition_marks_the_closed_item(tmp_path):
    part = item_part(write(tmp_path), ITEM_HEADINGS[4])
    assert part[0] == ("Lukket punkt", "Lukket punkt")
    assert ("Bilagsliste", "Bilag 1: Kandidatprofil Quokkavej") in part


def test_editions_mark_closed_and_confidential_matter_as_the_pack_does(tmp_path):
    """The complete edition's contents say "(lukket punkt)" and its bilag lists
    "(fortroligt)", as the pack's contents do; the public edition says neither."""
    for minutes in (False, True):
        path = write(tmp_path, held=True, minutes=minutes, name=f"c{minutes}.docx")
        rows = paragraphs(path)
        toc = [t for s, t in rows if s == "toc 2"]
        assert toc[4] == "2.3 Beslutningssag: Ansættelse af direktør Zanzibarsen (lukket punkt)"
        assert [t for t in toc if "(lukket punkt)" in t] == [toc[4]]
        bilag = [t for s, t in rows if s == "Bilagsliste"]
        assert [t for t in bilag if "(fortroligt)" in t] == [
            "Bilag 2: Tilbud fra konsulent (fortroligt)"
        ]
        public = write(tmp_path, held=True, minutes=minutes, public=True, name=f"p{minutes}.docx")
        everything = " ".join(xml_parts(public).values())
        for word in ("lukket punkt)", "fortroligt", "Fortroligt", "Fuld udgave"):
            assert word not in everything


def test_public_edition_has_no_word_of_the_closed_item(tmp_path):
    words = closed_words()
    assert {"zanzibarsen", "quokkavej", "marmeladekomiteen", "pelikanudvalget"} <= words
    for minutes in (False, True):
        path = write(tmp_path, held=True, minutes=minutes, public=True, name=f"p{minutes}.docx")
        rows = paragraphs(path)
        assert [t for s, t in rows if s == "Heading 2"][4] == "2.3 Lukket punkt"
        assert item_part(path, "2.3 Lukket punkt") == []
        # every part of the package: body, headers, footers, core and app properties
        everything = " ".join(xml_parts(path).values()).lower()
        leaked = {w for w in words if w in everything}
        assert not leaked
        bilag = [t for s, t in rows if s == "Bilagsliste"]
        assert bilag == ["Bilag 1: Evalueringsrapport", "Bilag 2: Tidsplan", "Bilag 1: Statusnotat"]
        assert "Offentlig udgave" in [t for _, t in rows]


def test_minutes_have_decisions_attendance_and_flag_missing_decisions(tmp_path):
    path = write(tmp_path, held=True, minutes=True)
    rows = paragraphs(path)
    assert ("Title", "Referat") in rows
    texts = [t for _, t in rows]
    assert texts[texts.index("Til stede") + 1] == "Mette Hansen, Formand"
    assert texts[texts.index("Afbud") + 1] == "Ole Pedersen, Næstformand"
    decision = item_part(path, ITEM_HEADINGS[2])
    after = [t for _, t in decision]
    assert decision[after.index("Beslutning") + 1] == (
        "Beslutningstekst",
        "Godkendt som indstillet.\nSekretariatet følger op.",
    )
    for heading in (ITEM_HEADINGS[1], ITEM_HEADINGS[5]):  # no decision written
        assert ("Manglende beslutning", "Der er ikke skrevet en beslutning.") in item_part(
            path, heading
        )
    assert ("Manglende beslutning", "Der er ikke skrevet en beslutning.") not in item_part(
        path, ITEM_HEADINGS[0]
    )


def test_toc_page_fields_and_links_are_real(tmp_path):
    path = write(tmp_path)
    parts = xml_parts(path)
    body = parts["word/document.xml"]
    assert re.search(r"<w:instrText[^>]*> TOC \\o \"1-2\" \\h \\z \\u </w:instrText>", body)
    # the TOC's cached result already lists every heading, each linked to its bookmark
    rows = paragraphs(path)
    toc = [t.split("\t")[0] for s, t in rows if s in ("toc 1", "toc 2")]
    assert toc == [
        "Indledning",
        *ITEM_HEADINGS[:2],
        "Sager",
        *ITEM_HEADINGS[2:5],
        "Afslutning",
        ITEM_HEADINGS[5],
    ]
    anchors = re.findall(r'<w:hyperlink w:anchor="([^"]+)"', body)
    bookmarks = re.findall(r'<w:bookmarkStart w:id="\d+" w:name="([^"]+)"', body)
    assert len(anchors) == 9 and set(anchors) == set(bookmarks)
    footers = [v for k, v in parts.items() if k.startswith("word/footer")]
    assert footers and all(" PAGE " in f and " NUMPAGES " in f and "Side " in f for f in footers)
    headers = " ".join(v for k, v in parts.items() if k.startswith("word/header"))
    assert "KKR Sjælland · Dagsorden · 16. april 2024" in headers
    assert '<w:updateFields w:val="true"/>' in parts["word/settings.xml"]


def test_headings_keep_with_their_text_even_where_the_template_style_does_not(tmp_path):
    """``keep with next`` on the paragraphs themselves: a body's template may define the
    heading styles without it (LibreOffice's rendering is checked in
    test_documents_libreoffice)."""
    template = tmp_path / "loes.docx"
    document = docx.Document()
    for name in ("Heading 1", "Heading 2", "Heading 3"):
        document.styles[name].paragraph_format.keep_with_next = False
    document.save(str(template))
    meeting = replace(document_meeting(), body=replace(body(), template=str(template)))
    path = write_agenda_docx(MeetingSnapshot(meeting), tmp_path / "ud.docx")
    written = docx.Document(str(path))
    assert written.styles["Heading 2"].paragraph_format.keep_with_next is False
    leads = ("Heading 1", "Heading 2", "Heading 3", "Sagsnummer", "Lukket punkt")
    kept = [p for p in written.paragraphs if p.style.name in leads]
    assert {p.style.name for p in kept} == set(leads)
    for paragraph in kept:
        assert paragraph.paragraph_format.keep_with_next is True, paragraph.text
        assert paragraph.paragraph_format.keep_together is True, paragraph.text
    # what follows a lead is its text, which need not stay with the next paragraph
    texts = [p for p in written.paragraphs if p.style.name in ("Normal", "Bilagsliste")]
    assert any(p.paragraph_format.keep_with_next is not True for p in texts)


def test_minutes_of_a_meeting_not_held_are_a_draft_everywhere(tmp_path):
    path = write(tmp_path, minutes=True, name="udkast.docx")
    rows = paragraphs(path)
    assert ("Title", "Udkast til referat") in rows and ("Title", "Referat") not in rows
    document = docx.Document(str(path))
    section = document.sections[-1]
    assert section.different_first_page_header_footer
    assert "KKR Sjælland · Udkast til referat · 16. april 2024" in section.header.paragraphs[0].text
    for footer in (section.footer, section.first_page_footer):  # every page, the front too
        line = footer.paragraphs[0]
        assert line.text.startswith("Udkast til referat\tSide ")
        mark = line.runs[0]
        assert mark.bold and mark.font.color.rgb == RGBColor(0xA3, 0x1F, 0x1F)
    core = document.core_properties
    assert core.title == "Udkast til referat – KKR Sjælland 16. april 2024"
    assert core.subject.startswith("Udkast til referat: ")
    assert core.content_status.startswith("Udkast")

    for held in (write(tmp_path, held=True, minutes=True), write(tmp_path, name="a.docx")):
        everything = " ".join(xml_parts(held).values())
        assert "Udkast" not in everything
    assert ("Title", "Referat") in paragraphs(write(tmp_path, held=True, minutes=True))


def front_page(path: Path) -> list[tuple[str, str]]:
    rows = paragraphs(path)
    return rows[: rows.index(("TOC Heading", "Indhold"))]


def test_a_title_that_repeats_the_body_is_not_said_twice(tmp_path):
    meeting = replace(document_meeting(), title="KKR Sjælland")
    path = write_agenda_docx(MeetingSnapshot(meeting), tmp_path / "same.docx")
    assert "Mødetitel" not in [s for s, _ in front_page(path)]


def test_draft_minutes_list_the_invited_not_attendance(tmp_path):
    """Before the meeting nobody's attendance is recorded: the members are "Indbudte",
    never "Deltagere" or "Til stede" as if they had come."""
    front = front_page(write(tmp_path, minutes=True, name="udkast.docx"))
    labels = [t for s, t in front if s == FRONT_HEADING]
    assert labels == ["Indbudte"]
    texts = [t for _, t in front]
    assert texts[texts.index("Indbudte") + 1] == "Mette Hansen, Formand\nOle Pedersen, Næstformand"
    # held minutes: who came and who sent apologies; a member left unrecorded says so
    meeting = document_meeting(held=True)
    mette, ole = meeting.participants
    for held in (True, False):
        status = meeting.status if held else MeetingStatus.SENT
        partly = replace(meeting, participants=(mette, replace(ole, present=None)), status=status)
        path = write_agenda_docx(MeetingSnapshot(partly), tmp_path / f"{held}.docx", minutes=True)
        labels = [t for s, t in front_page(path) if s == FRONT_HEADING]
        assert labels == ["Til stede", "Fremmøde ikke registreret"]


def test_the_outline_starts_at_level_1_and_skips_none(tmp_path):
    """The front page's labels look as Heading 3 (based on it) but are body text in the
    outline: a Heading 3 before any Heading 1 skipped two levels for a screen reader and
    would be a stray line in an updated table of contents."""
    for minutes in (False, True):
        path = write(tmp_path, held=True, minutes=minutes, name=f"outline{minutes}.docx")
        document = docx.Document(str(path))
        levels = [_outline_level(p.style) for p in document.paragraphs]
        levels = [level for level in levels if level is not None]
        assert levels[0] == 0
        assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels
        assert document.styles[FRONT_HEADING].base_style.name == "Heading 3"
        assert FRONT_HEADING in [s for s, _ in front_page(path)]


def _outline_level(style) -> int | None:
    """The 0-based outline level a paragraph style gives (its own or inherited)."""
    while style is not None:
        found = style.element.find(f"{W}pPr/{W}outlineLvl")
        if found is not None:
            level = int(found.get(f"{W}val"))
            return None if level == 9 else level
        style = style.base_style
    return None


def test_agenda_and_minutes_are_a4(tmp_path):
    for minutes in (False, True):
        path = write(tmp_path, held=True, minutes=minutes, name=f"a4{minutes}.docx")
        for section in docx.Document(str(path)).sections:
            assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


def test_core_properties_and_danish_language(tmp_path):
    path = write(tmp_path, held=True, minutes=True)
    core = docx.Document(str(path)).core_properties
    assert core.title == "Referat – KKR Sjælland 16. april 2024"
    assert core.author == core.last_modified_by == "KKR Sjælland"
    assert core.language == "da-DK"
    assert "tirsdag den 16. april 2024" in core.subject
    styles = xml_parts(path)["word/styles.xml"]
    assert 'w:lang w:val="da-DK"' in styles.split("</w:docDefaults>")[0]
    heading = re.search(r'<w:style [^>]*w:styleId="Heading2".*?</w:style>', styles, re.S)
    assert heading and 'w:lang w:val="da-DK"' in heading.group(0)


def _custom_template(path: Path, *, dotx: bool) -> Path:
    """A body's template: its own Heading 2 and Normal, a logo picture, old properties,
    text that must not survive, and none of our custom styles."""
    document = docx.Document()
    document.styles["Heading 2"].font.name = "Georgia"
    document.styles["Heading 2"].font.color.rgb = RGBColor(0x00, 0x80, 0x00)
    document.styles["Normal"].font.size = Pt(12)
    logo = io.BytesIO()
    Image.new("RGB", (120, 40), (200, 30, 30)).save(logo, "PNG")
    slot = document.add_paragraph()
    slot.add_run().add_picture(logo)
    slot.add_run(" Indsæt logo her")
    document.add_paragraph("Skabelonens eksempeltekst")
    document.core_properties.title = "Gammel skabelontitel"
    document.core_properties.comments = "Kommentar fra skabelonen"
    document.save(str(path))
    if dotx:
        data = path.read_bytes()
        source = zipfile.ZipFile(io.BytesIO(data))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as target:
            for info in source.infolist():
                content = source.read(info)
                if info.filename == "[Content_Types].xml":
                    content = content.replace(b"document.main+xml", b"template.main+xml")
                target.writestr(info, content)
        path.write_bytes(out.getvalue())
    return path


@pytest.mark.parametrize("dotx", [False, True])
def test_a_body_template_is_used_by_style_name(tmp_path, dotx):
    template = _custom_template(tmp_path / ("eget.dotx" if dotx else "eget.docx"), dotx=dotx)
    meeting = document_meeting()
    meeting = replace(meeting, body=replace(body(), template=str(template)))
    path = write_agenda_docx(MeetingSnapshot(meeting), tmp_path / "ud.docx")
    document = docx.Document(str(path))
    heading = document.styles["Heading 2"]
    assert heading.font.name == "Georgia" and heading.font.color.rgb == RGBColor(0, 0x80, 0)
    assert document.styles["Normal"].font.size == Pt(12)
    items = [p for p in document.paragraphs if p.style.name == "Heading 2"]
    assert [p.text for p in items] == ITEM_HEADINGS
    # styles the template lacked were added, as paragraph styles
    assert document.styles["Lukket punkt"].type == WD_STYLE_TYPE.PARAGRAPH
    # the logo stays, first on the front page; the template's text and properties do not
    assert len(document.inline_shapes) == 1
    assert document.paragraphs[0]._p.xpath(".//w:drawing")
    # with alt text, which the tagged PDF's Figure carries (a template's own is kept)
    (described,) = document.paragraphs[0]._p.xpath(".//wp:docPr")
    assert described.get("descr") == "Logo: KKR Sjælland"
    texts = [p.text for p in document.paragraphs]
    assert "Skabelonens eksempeltekst" not in texts and "logo her" not in texts[0]
    assert document.core_properties.title == "Dagsorden – KKR Sjælland 16. april 2024"
    assert document.core_properties.comments == ""


def test_an_explicit_template_argument_wins(tmp_path):
    template = _custom_template(tmp_path / "arg.docx", dotx=False)
    path = write(tmp_path, template=template)
    assert docx.Document(str(path)).styles["Heading 2"].font.name == "Georgia"


def test_a_broken_template_is_a_clear_error_and_writes_nothing(tmp_path):
    broken = tmp_path / "broken.dotx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(ExportError, match=r"broken\.dotx.*\.docx- eller \.dotx-fil"):
        write(tmp_path, template=broken)
    with pytest.raises(ExportError, match="kunne ikke læses"):
        write(tmp_path, template=tmp_path / "missing.docx")
    macros = tmp_path / "makro.dotm"
    _custom_template(macros, dotx=False)
    with zipfile.ZipFile(macros) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        b"application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
    )
    with zipfile.ZipFile(macros, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    with pytest.raises(ExportError, match=r"makro\.dotm indeholder makroer"):
        write(tmp_path, template=macros)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.dotx", "makro.dotm"]


def test_control_characters_become_breaks_or_go_and_an_empty_agenda_works(tmp_path):
    from agenda.model import Agenda, AgendaItem, ItemKind, Section
    from tests.factories import case

    title = "Budget & regnskab <2025> \x0bfor \x01kommunerne"
    odd = AgendaItem(
        ItemKind.DECISION, title, case=case(title, "24/1", resume="Linje et\x0bLinje to\x02")
    )
    meeting = replace(document_meeting(), agenda=Agenda((Section("Sager", (odd,)),)))
    path = write_agenda_docx(MeetingSnapshot(meeting), tmp_path / "odd.docx")
    rows = paragraphs(path)
    heading = "1.1 Beslutningssag: Budget & regnskab <2025> for kommunerne"
    assert [t for s, t in rows if s == "Heading 2"] == [heading]
    assert item_part(path, heading)[2] == ("Normal", "Linje et\nLinje to")

    empty = replace(document_meeting(), agenda=Agenda(()))
    rows = paragraphs(write_agenda_docx(MeetingSnapshot(empty), tmp_path / "empty.docx"))
    assert not [t for s, t in rows if s.startswith("Heading 2")]
    assert ("Title", "Dagsorden") in rows


def test_names_longer_than_a_core_property_are_cut_at_a_word(tmp_path):
    """Word's core properties hold 255 characters (python-docx raised ValueError, a
    traceback in the CLI): a 600-character meeting and body name still give agenda and
    minutes, the document shows them whole, the properties cut with "…"."""
    from export.documents.pdf_agenda import write_agenda_pdf

    long_body = ("Kommunekontaktrådet for Region Sjælland og omegn " * 13)[:600]
    meeting = document_meeting(held=True)
    meeting = replace(
        meeting,
        title=("Ekstraordinært møde " * 30)[:600],
        body=replace(meeting.body, name=long_body),
    )
    for minutes in (False, True):
        path = write_agenda_docx(
            MeetingSnapshot(meeting), tmp_path / f"m{minutes}.docx", minutes=minutes
        )
        core = docx.Document(str(path)).core_properties
        for value in (core.title, core.subject, core.author, core.last_modified_by):
            assert len(value) <= 255 and value.endswith("…")
            assert not value[:-1].endswith(" ")  # cut at a word
        assert core.author == long_body[: len(core.author) - 1] + "…"
        text = " ".join(p.text for p in docx.Document(str(path)).paragraphs)
        assert " ".join(long_body.split()) in " ".join(text.split())
        pdf = write_agenda_pdf(
            MeetingSnapshot(meeting), tmp_path / f"m{minutes}.pdf", minutes=minutes
        )

        assert pypdf.PdfReader(pdf).metadata.author == long_body
