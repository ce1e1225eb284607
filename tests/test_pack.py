"""The bilagspakke opened and read: order, separators, contents links, bookmarks,
stamps, page sizes and metadata."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pikepdf
import pypdf
import pytest

from export.pack.build import build_pack
from tests import pack_samples as samples

REPORT = [f"Rapportens side {n}" for n in (1, 2, 3)]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    snapshot, _ = samples.snapshot(
        [
            ("Evaluering af klyngekontorer", "Evalueringsrapport",
             samples.pdf_pages(REPORT, link_to_last=True), {}),
            ("Evaluering af klyngekontorer", "Tabel på tværs",
             samples.landscape_a4(["Liggende tabel"]), {}),
            ("Status på sundhedsaftalen", "Tegning i A3", samples.a3(["Stor tegning"]), {}),
            ("Status på sundhedsaftalen", "Drejet side",
             samples.pdf_pages(["Drejet indhold"], rotate=90), {}),
            ("Status på sundhedsaftalen", "Forskudt side",
             samples.pdf_pages(["Forskudt indhold"], offset=(200, -300)), {}),
        ]
    )  # fmt: skip
    target = tmp_path_factory.mktemp("pack") / "Bilagspakke.pdf"
    result = build_pack(snapshot, target, public=False)
    reader = pypdf.PdfReader(target)
    texts = [page.extract_text() for page in reader.pages]
    return result, target, reader, texts


# front, contents, then (separator, own pages) per bilag in agenda order
EXPECTED = [
    ("front", "Bilagspakke"),
    ("contents", "Indhold"),
    ("separator", "Bilag 1: Evalueringsrapport"),
    ("own", "Rapportens side 1"),
    ("own", "Rapportens side 2"),
    ("own", "Rapportens side 3"),
    ("separator", "Bilag 2: Tabel på tværs"),
    ("own", "Liggende tabel"),
    ("separator", "Bilag 1: Tegning i A3"),
    ("own", "Stor tegning"),
    ("separator", "Bilag 2: Drejet side"),
    ("own", "Drejet indhold"),
    ("separator", "Bilag 3: Forskudt side"),
    ("own", "Forskudt indhold"),
]


def test_pages_are_in_agenda_order(built):
    result, target, reader, texts = built
    assert result.path == target
    assert result.page_count == len(reader.pages) == len(EXPECTED)
    assert result.problems == ()
    for text, (_, expected) in zip(texts, EXPECTED, strict=True):
        assert expected in text


def test_front_page_names_the_meeting(built):
    _, _, _, texts = built
    front = texts[0]
    for expected in ("KKR Sjælland", "Bilagspakke", "Tirsdag den 16. april 2024",
                     "kl. 10.00-13.00", "Comwell Køge Strand", "5 bilag · 14 sider"):  # fmt: skip
        assert expected in front
    assert "Offentlig udgave" not in front


def test_each_separator_names_its_item_and_bilag(built):
    _, _, _, texts = built
    heading_1 = "2.1 Beslutningssag: Evaluering af klyngekontorer"
    heading_2 = "2.2 Beslutningssag: Status på sundhedsaftalen"
    assert heading_1 in texts[2] and "Sagsnr. 24/01000" in texts[2] and "3 sider" in texts[2]
    assert heading_1 in texts[6] and "1 side" in texts[6]
    for index in (8, 10, 12):
        assert heading_2 in texts[index] and "Sagsnr. 24/02000" in texts[index]
    # a bilag's own text sits between its separator and the next one, nowhere else
    own_pages = [i for i, (kind, _) in enumerate(EXPECTED) if kind == "own"]
    for index in own_pages:
        expected = EXPECTED[index][1]
        assert [i for i, t in enumerate(texts) if expected in t] == [index]


def test_every_page_carries_its_stamp(built):
    _, _, reader, texts = built
    total = len(reader.pages)
    for number, text in enumerate(texts, start=1):
        stamp = f"KKR Sjælland · 16. april 2024 · Side {number} af {total}"
        assert text.count(stamp) == 1, (number, text)


def test_contents_links_land_on_the_pages_they_print(built):
    _, _, reader, texts = built
    contents = reader.pages[1]
    links = [a.get_object() for a in contents["/Annots"]]
    assert all(link["/Subtype"] == "/Link" for link in links)
    targets = [reader.get_page_number(link["/Dest"][0]) + 1 for link in links]
    # item line, then its bilag lines; an item links to its first separator
    assert targets == [3, 3, 7, 9, 9, 11, 13]
    printed = {
        m[1]: int(m[2]) for m in re.finditer(r"(Bilag \d: [^.\n]+?)\s*\.+\s*(\d+)", texts[1])
    }
    assert printed == {
        "Bilag 1: Evalueringsrapport": 3,
        "Bilag 2: Tabel på tværs": 7,
        "Bilag 1: Tegning i A3": 9,
        "Bilag 2: Drejet side": 11,
        "Bilag 3: Forskudt side": 13,
    }
    for label, page in printed.items():
        assert label in texts[page - 1]
    # the link areas run down the page in the order of the lines
    tops = [float(link["/Rect"][3]) for link in links]
    assert tops == sorted(tops, reverse=True)


def test_outline_is_item_then_bilag_pointing_at_separators(built):
    _, _, reader, _ = built
    outline = reader.outline

    def page(entry) -> int:
        return reader.get_destination_page_number(entry) + 1

    top = [e for e in outline if not isinstance(e, list)]
    assert [e.title for e in top] == [
        "Forside",
        "Indhold",
        "2.1 Beslutningssag: Evaluering af klyngekontorer",
        "2.2 Beslutningssag: Status på sundhedsaftalen",
    ]
    assert [page(e) for e in top] == [1, 2, 3, 9]
    children = [e for e in outline if isinstance(e, list)]
    assert [[c.title for c in kids] for kids in children] == [
        ["Bilag 1: Evalueringsrapport", "Bilag 2: Tabel på tværs"],
        ["Bilag 1: Tegning i A3", "Bilag 2: Drejet side", "Bilag 3: Forskudt side"],
    ]
    assert [[page(c) for c in kids] for kids in children] == [[3, 7], [9, 11, 13]]


def test_bilag_pages_keep_their_size_rotation_and_box(built):
    _, target, _, _ = built
    with pikepdf.open(target) as pdf:
        boxes = [[float(v) for v in p.obj.MediaBox] for p in pdf.pages]
        rotations = [int(p.obj.get("/Rotate", 0)) for p in pdf.pages]
    assert boxes[7] == pytest.approx([0, 0, 841.89, 595.28], abs=0.01)  # A4 landscape
    assert boxes[9] == pytest.approx([0, 0, 841.89, 1190.55], abs=0.01)  # A3
    assert rotations[11] == 90
    assert boxes[13] == pytest.approx([200, -300, 795.28, 541.89], abs=0.01)
    for generated in (0, 1, 2, 6):
        assert boxes[generated] == pytest.approx([0, 0, 595.28, 841.89], abs=0.01)


def test_links_inside_a_bilag_still_work(built):
    _, _, reader, _ = built
    first_report_page = reader.pages[3]
    (link,) = [a.get_object() for a in first_report_page["/Annots"]]
    assert reader.get_page_number(link["/Dest"][0]) == 5  # its last page, now page 6


def test_metadata_title_author_subject_language(built):
    _, target, reader, _ = built
    info = reader.metadata
    assert info.title == "Bilagspakke – KKR Sjælland – 16. april 2024"
    assert info.author == "KKR Sjælland"
    assert "tirsdag den 16. april 2024" in info.subject
    with pikepdf.open(target) as pdf:
        assert str(pdf.Root.Lang) == "da-DK"
        assert pdf.Root.PageMode == pikepdf.Name.UseOutlines
        xmp = pdf.open_metadata()
        assert xmp["dc:title"] == info.title
        assert "da-DK" in str(xmp["dc:language"])
        assert "KKR Sjælland" in str(xmp["dc:creator"])


def test_a_long_contents_spans_pages_and_still_counts_right(tmp_path: Path):
    files = [
        (f"Sag nummer {n} med en ret lang titel om regionale forhold", f"Notat {n}",
         samples.pdf_pages([f"Indhold {n}"]), {})
        for n in range(1, 31)
    ]  # fmt: skip
    snapshot, _ = samples.snapshot(files)
    result = build_pack(snapshot, tmp_path / "lang.pdf", public=False)
    reader = pypdf.PdfReader(result.path)
    texts = [p.extract_text() for p in reader.pages]
    contents = [i for i, t in enumerate(texts) if "Bilag 1: Notat" in t and "Sagsnr." not in t]
    assert len(contents) >= 2 and contents[0] == 1
    assert result.page_count == 1 + len(contents) + 2 * 30
    for index in contents:
        for link in reader.pages[index]["/Annots"]:
            target = reader.get_page_number(link.get_object()["/Dest"][0])
            assert "Bilag 1: Notat" in texts[target] and "Sagsnr." in texts[target]
    # the last item's bilag is where the contents say
    last = re.search(r"Bilag 1: Notat 30\s*\.+\s*(\d+)", "".join(texts[i] for i in contents))
    assert "Indhold 30" in texts[int(last[1])]


def _named_links() -> bytes:
    """Two pages; page 1 links to page 2 by a named destination, once as /Dest and once
    as a GoTo action (how LaTeX and some Word exports make their contents)."""
    data = samples.pdf_pages(["Indholdsfortegnelse", "Kapitel to"])
    with pikepdf.open(io.BytesIO(data)) as pdf:
        tree = pikepdf.NameTree.new(pdf)
        tree["kapitel.2"] = pikepdf.Array([pdf.pages[1].obj, pikepdf.Name.Fit])
        pdf.Root.Names = pikepdf.Dictionary(Dests=tree.obj)
        link = dict(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[50, 50, 90, 90])
        pdf.pages[0].obj.Annots = pikepdf.Array(
            [
                pdf.make_indirect(pikepdf.Dictionary(**link, Dest=pikepdf.String("kapitel.2"))),
                pdf.make_indirect(
                    pikepdf.Dictionary(
                        **link,
                        A=pikepdf.Dictionary(S=pikepdf.Name.GoTo, D=pikepdf.String("kapitel.2")),
                    )
                ),
            ]
        )
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def test_named_destinations_inside_a_bilag_become_working_links(tmp_path: Path):
    snapshot, _ = samples.snapshot(
        [
            ("Punkt", "Forside-notat", samples.pdf_pages(["Et andet bilag"]), {}),
            ("Punkt", "Rapport med links", _named_links(), {}),
        ]
    )
    result = build_pack(snapshot, tmp_path / "pack.pdf", public=False)
    reader = pypdf.PdfReader(result.path)
    # front, contents, separator, page, separator, "Indholdsfortegnelse", "Kapitel to"
    page = reader.pages[5]
    assert "Indholdsfortegnelse" in page.extract_text()
    dest, action = (a.get_object() for a in page["/Annots"])
    assert reader.get_page_number(dest["/Dest"][0]) == 6
    assert reader.get_page_number(action["/A"]["/D"][0]) == 6
    assert "Kapitel to" in reader.pages[6].extract_text()


def test_the_same_bilag_under_two_items_is_there_twice_with_one_stamp_each(tmp_path: Path):
    from agenda.model import ItemKind
    from agenda.snapshot import MeetingSnapshot
    from tests import factories

    data = samples.pdf_pages(["Fælles notat"])
    shared = factories.attachment("Fælles notat", data, "faelles.pdf")
    case = factories.case("Trafikplan", "24/00001", attachments=(shared,))
    meeting = factories.meeting(
        [("Sager", [factories.item("Trafikplan", case_=case),
                    factories.item("Trafikplan, opfølgning", ItemKind.INFORMATION, case_=case)])]
    )  # fmt: skip
    result = build_pack(MeetingSnapshot(meeting, {shared.sha256: data}), tmp_path / "p.pdf",
                        public=False)  # fmt: skip
    texts = [p.extract_text() for p in pypdf.PdfReader(result.path).pages]
    assert result.page_count == len(texts) == 2 + 2 * 2
    for index in (3, 5):
        assert "Fælles notat" in texts[index]
        assert texts[index].count("Side") == 1 and f"Side {index + 1} af 6" in texts[index]
