"""The tillægsdagsorden, the tillægsbilag and the revised bilagspakke, opened and read:
headings, "Ændret:" lines, separators' words, which bilag and in which order, the change
page, bookmarks, and the refusals when the meeting was not sent or nothing changed."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import docx
import pikepdf
import pypdf
import pytest

from agenda.errors import ExportError
from export.documents.supplement_agenda import write_supplement_docx, write_supplement_pdf
from export.outputs import OUTPUTS, write_outputs
from export.pack.supplement_pack import build_revised_pack, build_supplement_pack
from export.supplement_content import NO_ITEM_CHANGES, NO_PUBLIC_CHANGES, NOT_SENT
from tests.supplement_samples import SECRET, changed_meeting, never_sent, unchanged

REPLACES = "Erstatter bilag udsendt 9. april 2024"
REMOVED = "Udgår: punktet er taget af dagsordenen"

COMPLETE_ITEMS = [
    ("2.1 Beslutningssag: Evaluering af klyngekontorer", "Ændret: Indstilling, Bilag 3 erstattet"),
    (
        "2.2 Orienteringssag: Status på sundhedsaftalen",
        "Ændret: Bilag 1 gjort fortroligt, Bilag 2 tilføjet",
    ),
    (
        f"2.3 Beslutningssag: Trafikplan {SECRET}titel (lukket punkt)",
        "Ændret: Gjort til lukket punkt, Titel, Bilag 2 tilføjet",
    ),
    ("2.4 Beslutningssag: Praktikpladser", "Nyt punkt"),
    (f"2.5 Beslutningssag: Personalesag {SECRET}personale (lukket punkt)", "Nyt punkt"),
    ("2.4 Beslutningssag: Budget 2025", REMOVED),
]
PUBLIC_ITEMS = [
    ("2.1 Beslutningssag: Evaluering af klyngekontorer", "Ændret: Indstilling, Bilag 2 erstattet"),
    ("2.2 Orienteringssag: Status på sundhedsaftalen", "Ændret: Bilag 1 fjernet, Bilag 1 tilføjet"),
    ("2.4 Beslutningssag: Praktikpladser", "Nyt punkt"),
    ("2.4 Beslutningssag: Budget 2025", REMOVED),
]


def _docx_rows(path: Path) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in docx.Document(str(path)).paragraphs]


def _headed_lines(rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(item heading, the line after it) for every item heading."""
    return [(text, rows[n + 1][1]) for n, (style, text) in enumerate(rows) if style == "Heading 2"]


@pytest.mark.parametrize("public", [False, True])
def test_the_supplement_docx_lists_new_changed_and_removed_items(tmp_path, public):
    path = write_supplement_docx(changed_meeting(), tmp_path / "t.docx", public=public)
    rows = _docx_rows(path)
    assert ("Title", "Tillægsdagsorden") in rows
    assert ("Mødetitel", "til mødet tirsdag den 16. april 2024 kl. 10.00-13.00") in rows
    assert any("udsendt 9. april 2024" in text for _, text in rows[:12])
    expected = PUBLIC_ITEMS if public else COMPLETE_ITEMS
    assert _headed_lines(rows) == expected
    # the content as in the agenda: the new recommendation, the bilag list of the edition
    at = rows.index(("Heading 2", "2.1 Beslutningssag: Evaluering af klyngekontorer"))
    part = [text for _, text in rows[at : at + 20]]
    assert "Det indstilles, at KKR godkender den nye plan." in part
    assert ("Bilag 2: Tidsplan" if public else "Bilag 3: Tidsplan") in part
    assert [t for s, t in rows if s == "Heading 1"] == ["Sager", "Udgåede punkter"]
    # the removed item: its heading and line only
    assert rows[-1] == ("Ændring", REMOVED)
    text = "\n".join(t for _, t in rows)
    assert (SECRET.lower() in text.lower()) is not public
    if public:  # closed after sending: not even as gone
        assert "Trafikplan" not in text and "2.3" not in text and "2.5" not in text


@pytest.mark.parametrize("public", [False, True])
def test_the_supplement_pdf_says_the_same(tmp_path, public):
    path = write_supplement_pdf(changed_meeting(), tmp_path / "t.pdf", public=public)
    reader = pypdf.PdfReader(str(path))
    expected = PUBLIC_ITEMS if public else COMPLETE_ITEMS
    outline = [e.title for e in reader.outline if not isinstance(e, list)]
    assert outline == ["Sager", "Udgåede punkter"]
    children = [e.title for group in reader.outline if isinstance(group, list) for e in group]
    assert children == [h for h, _ in expected]
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert text.startswith("KKR Sjælland\nTillægsdagsorden")
    lines = text.splitlines()
    for heading, line in expected:
        plain = heading.replace(" (lukket punkt)", "")
        at = max(n for n, t in enumerate(lines) if t.startswith(plain))
        assert line in lines[at + 1 : at + 3], (heading, lines[at : at + 3])
    assert reader.metadata.title == "Tillægsdagsorden – KKR Sjælland 16. april 2024"
    assert (SECRET.lower() in text.lower()) is not public


def _separators(path: Path) -> list[list[str]]:
    """The text lines of each separator page (the page after which a bilag's own
    pages follow), found as the pages that name "Bilag N:" in large type first."""
    reader = pypdf.PdfReader(str(path))
    found = []
    for page in reader.pages:
        lines = (page.extract_text() or "").splitlines()
        if any(line.startswith("Bilag ") and ":" in line for line in lines[:4]) and not any(
            line.startswith("Indhold") for line in lines[:2]
        ):
            found.append(lines)
    return found


def _bilag_of(separator: list[str]) -> str:
    return next(line for line in separator if line.startswith("Bilag "))


@pytest.mark.parametrize("public", [False, True])
def test_the_supplement_pack_holds_only_new_and_replaced_bilag(tmp_path, public):
    result = build_supplement_pack(changed_meeting(), tmp_path / "t.pdf", public=public)
    assert result.path is not None and not result.problems
    separators = _separators(result.path)
    got = [(s[0], _bilag_of(s), s[s.index(_bilag_of(s)) + 1]) for s in separators]
    evaluation = "2.1 Beslutningssag: Evaluering af klyngekontorer"
    health = "2.2 Orienteringssag: Status på sundhedsaftalen"
    if public:
        assert got == [
            (evaluation, "Bilag 2: Tidsplan", REPLACES),
            (health, "Bilag 1: Økonominotat", "Nyt bilag"),
            ("2.4 Beslutningssag: Praktikpladser", "Bilag 1: Oversigt", "Nyt bilag"),
        ]
    else:
        assert got == [
            (evaluation, "Bilag 3: Tidsplan", REPLACES),
            (health, "Bilag 2: Økonominotat", "Nyt bilag"),
            (
                f"2.3 Beslutningssag: Trafikplan {SECRET}titel",
                f"Bilag 2: Notat {SECRET}notat",
                "Nyt bilag",
            ),
            ("2.4 Beslutningssag: Praktikpladser", "Bilag 1: Oversigt", "Nyt bilag"),
            (
                f"2.5 Beslutningssag: Personalesag {SECRET}personale",
                f"Bilag 1: Profil {SECRET}profil",
                "Nyt bilag",
            ),
        ]
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(str(result.path)).pages)
    assert "Tidsplan revideret side 1" in text and "Tidsplan udsendt" not in text
    assert "Rapportens tekst" not in text  # not changed: not in the supplement
    first = text.splitlines()[:6]
    assert first[:2] == ["KKR Sjælland", "Tillægsbilag"]
    assert "Nye og erstattede bilag siden udsendelsen 9. april 2024" in first


@pytest.mark.parametrize("public", [False, True])
def test_the_revised_pack_is_marked_and_starts_with_the_changes(tmp_path, public):
    result = build_revised_pack(changed_meeting(), tmp_path / "r.pdf", public=public)
    assert result.path is not None
    reader = pypdf.PdfReader(str(result.path))
    front = reader.pages[0].extract_text().splitlines()
    assert front[:2] == ["KKR Sjælland", "Bilagspakke"]
    assert "Revideret udgave" in front
    assert "Erstatter bilagspakken udsendt 9. april 2024" in front
    changes = [line.strip() for line in reader.pages[1].extract_text().splitlines()]
    assert changes[:2] == ["Ændringer", "Siden bilagspakken blev udsendt 9. april 2024"]
    expected = PUBLIC_ITEMS if public else COMPLETE_ITEMS
    assert [tuple(changes[n : n + 2]) for n in range(2, len(changes) - 1, 2)] == expected
    assert reader.pages[2].extract_text().startswith("Indhold")
    titles = [e.title for e in reader.outline if not isinstance(e, list)]
    assert titles[:3] == ["Forside", "Ændringer", "Indhold"]
    assert reader.get_destination_page_number(reader.outline[1]) == 1
    assert reader.get_destination_page_number(reader.outline[2]) == 2
    # every bilag of the edition, in agenda order; the new and replaced ones say so
    labels = [(_bilag_of(s), s[s.index(_bilag_of(s)) + 1]) for s in _separators(result.path)]
    if public:
        assert labels == [
            ("Bilag 1: Rapport", "2 sider"),
            ("Bilag 2: Tidsplan", REPLACES),
            ("Bilag 1: Økonominotat", "Nyt bilag"),
            ("Bilag 1: Oversigt", "Nyt bilag"),
        ]
    else:
        assert [label for label, _ in labels] == [
            "Bilag 1: Rapport",
            f"Bilag 2: Tilbud {SECRET}tilbud",
            "Bilag 3: Tidsplan",
            "Bilag 1: Statusnotat",
            "Bilag 2: Økonominotat",
            "Bilag 1: Kort over ruten",
            f"Bilag 2: Notat {SECRET}notat",
            "Bilag 1: Oversigt",
            f"Bilag 1: Profil {SECRET}profil",
        ]
    # the contents' links still land on the separators: the change page moved them by one
    with pikepdf.open(result.path) as pdf:
        contents = pdf.pages[2]
        targets = [
            next(n for n, p in enumerate(pdf.pages) if p.obj.objgen == a.Dest[0].objgen)
            for a in contents.Annots
        ]
    for target in targets:
        assert reader.pages[target].extract_text().splitlines()[0].startswith("2.")
    assert len(targets) == len(labels) + len({s[0] for s in _separators(result.path)})


def test_outputs_are_registered_and_named(tmp_path):
    snapshot = changed_meeting()
    keys = ["supplement-agenda-docx", "supplement-agenda-pdf", "supplement-pack", "revised-pack"]
    requests = [(OUTPUTS[k], public) for k in keys for public in (False, True)]
    outcome = write_outputs(snapshot, tmp_path, requests)
    assert outcome.problems == []
    assert sorted(p.name for p in outcome.written) == sorted(
        [
            "Tillægsdagsorden KKR Sjælland 2024-04-16.docx",
            "Tillægsdagsorden KKR Sjælland 2024-04-16 (offentlig).docx",
            "Tillægsdagsorden KKR Sjælland 2024-04-16.pdf",
            "Tillægsdagsorden KKR Sjælland 2024-04-16 (offentlig).pdf",
            "Tillægsbilag KKR Sjælland 2024-04-16.pdf",
            "Tillægsbilag KKR Sjælland 2024-04-16 (offentlig).pdf",
            "Revideret bilagspakke KKR Sjælland 2024-04-16.pdf",
            "Revideret bilagspakke KKR Sjælland 2024-04-16 (offentlig).pdf",
        ]
    )


@pytest.mark.parametrize(
    "key", ["supplement-agenda-docx", "supplement-agenda-pdf", "supplement-pack", "revised-pack"]
)
def test_a_meeting_not_sent_has_no_supplement(tmp_path, key):
    snapshot = never_sent(changed_meeting())
    assert OUTPUTS[key].refusal(snapshot) == NOT_SENT
    assert OUTPUTS["agenda-pdf"].refusal(snapshot) is None
    (tmp_path / "tidligere.pdf").write_bytes(b"%PDF-1.4 tidligere")
    outcome = write_outputs(snapshot, tmp_path, [(OUTPUTS[key], True), (OUTPUTS["pack"], True)])
    assert outcome.written == [] and len(outcome.failed) == 1
    assert NOT_SENT in outcome.failed[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tidligere.pdf"]


def test_nothing_changed_is_refused_naming_the_day_it_was_sent(tmp_path):
    with pytest.raises(
        ExportError, match=r"Intet er ændret, siden dagsordenen blev udsendt 9\. april"
    ):
        write_supplement_pdf(unchanged(changed_meeting()), tmp_path / "t.pdf")
    with pytest.raises(ExportError, match="ingen tillægsdagsorden"):
        build_revised_pack(unchanged(changed_meeting()), tmp_path / "r.pdf", public=True)
    assert list(tmp_path.iterdir()) == []


def test_a_public_edition_with_nothing_public_changed_says_so(tmp_path):
    """Only a closed item changed: the public tillægsdagsorden lists no item and says
    that none changed; the public tillægsbilag is not made (no bilag)."""
    snapshot = changed_meeting()
    sent = snapshot.sent
    only_closed = [
        i for i in snapshot.meeting.agenda.items() if i.closed and i.title.endswith("personale")
    ]
    sections = list(sent.agenda.sections)
    sections[1] = replace(sections[1], items=(*sections[1].items, *only_closed))
    snapshot = replace(
        snapshot, meeting=replace(sent, agenda=replace(sent.agenda, sections=tuple(sections)))
    )
    rows = _docx_rows(write_supplement_docx(snapshot, tmp_path / "t.docx", public=True))
    assert ("Forsidetekst", NO_PUBLIC_CHANGES) in rows
    assert _headed_lines(rows) == []
    assert not any(SECRET.lower() in text.lower() for _, text in rows)
    outcome = write_outputs(snapshot, tmp_path / "ud", [(OUTPUTS["supplement-pack"], True)])
    assert outcome.written == [] and "udgaven har ingen bilag" in outcome.problems[0]
    complete = _docx_rows(write_supplement_docx(snapshot, tmp_path / "f.docx", public=False))
    assert _headed_lines(complete) == [
        (f"2.5 Beslutningssag: Personalesag {SECRET}personale (lukket punkt)", "Nyt punkt")
    ]


def test_the_supplement_pdf_of_a_pack_reads_back_as_pdf_with_metadata(tmp_path):
    result = build_supplement_pack(changed_meeting(), tmp_path / "t.pdf", public=True)
    with pikepdf.open(io.BytesIO(result.path.read_bytes())) as pdf, pdf.open_metadata() as xmp:
        assert xmp["dc:title"] == "Tillægsbilag – KKR Sjælland – 16. april 2024 (offentlig udgave)"
    revised = build_revised_pack(changed_meeting(), tmp_path / "r.pdf", public=False)
    with pikepdf.open(revised.path) as pdf, pdf.open_metadata() as xmp:
        assert xmp["dc:title"].startswith("Revideret bilagspakke – KKR Sjælland")


def test_the_meeting_and_its_sections_changed_without_any_item(tmp_path):
    """A new place and a renamed section: the front page and the change page say so, and
    that no item changed."""
    snapshot = unchanged(changed_meeting())
    sent = snapshot.meeting
    sections = (
        sent.agenda.sections[0],
        replace(sent.agenda.sections[1], name="Sager til beslutning"),
    )
    now = replace(sent, location="Roskilde Rådhus", agenda=replace(sent.agenda, sections=sections))
    snapshot = replace(snapshot, meeting=now)
    for public in (False, True):
        rows = _docx_rows(
            write_supplement_docx(snapshot, tmp_path / f"{public}.docx", public=public)
        )
        front = [text for style, text in rows if style == "Forsidetekst"]
        assert front[-3:] == [
            "Ændret: Mødested",
            "Afsnit omdøbt til: Sager til beslutning",
            NO_PUBLIC_CHANGES if public else "Ingen punkter er ændret.",
        ]
        assert "Roskilde Rådhus" in front
    revised = build_revised_pack(snapshot, tmp_path / "r.pdf", public=False)
    page = [
        line.strip() for line in pypdf.PdfReader(revised.path).pages[1].extract_text().splitlines()
    ]
    assert page[2:5] == [
        "Ændret: Mødested",
        "Afsnit omdøbt til: Sager til beslutning",
        NO_ITEM_CHANGES,
    ]


@pytest.mark.parametrize("build", [build_supplement_pack, build_revised_pack])
def test_the_public_supplement_and_revised_packs_are_tagged_throughout(tmp_path, build):
    """The public tillægsbilag and the revised pack are published like the pack: their
    change page, front page and separators are in the structure tree (issue 15)."""
    from tests.pdf_structure import check

    result = build(changed_meeting(), tmp_path / "p.pdf", public=True)
    report = check(result.path, fully_tagged=False)
    assert not {0, 1} & set(report.unmarked_pages)  # front page, change page or contents
