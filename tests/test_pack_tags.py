"""The public bilagspakke is tagged: its own pages' structure, each bilag's own tree under
a Part titled with its label, keys renumbered into one consistent ParentTree, stamps as
artifacts, PDF/UA claimed only when every bilag was tagged (tests/pdf_structure.py)."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pikepdf
import pytest

from export.pack.build import build_pack
from export.pack.stamp import MARK
from tests import pack_samples
from tests.pdf_structure import check

NOTE = "Husk at fjerne CPR"


def _pack(tmp_path: Path, files, *, public: bool = True):
    snap, made = pack_samples.snapshot(files)
    target = tmp_path / ("offentlig.pdf" if public else "fuld.pdf")
    return build_pack(snap, target, public=public), target, made


def _parts(report) -> list:
    return report.roles("Part")


def test_tagged_bilag_keep_their_trees_under_their_parts(tmp_path):
    tagged = pack_samples.tagged_pdf(["Side et", "Side to"], alt="Søjlediagram", note=NOTE)
    result, target, _ = _pack(
        tmp_path,
        [
            ("Budget", "Notat", tagged, {}),
            ("Budget", "Skema", pack_samples.tagged_pdf(["Skemaside"], alt="Skema"), {}),
            ("Plan", "Kort", tagged, {}),  # the same file under a second item
        ],
    )
    assert result.tagged and result.notices == ()
    report = check(target)  # consistent, reachable, every page fully marked
    assert report.pdfua
    parts = _parts(report)
    assert [p.title for p in parts] == ["Bilag 1: Notat", "Bilag 2: Skema", "Bilag 1: Kort"]
    # each Part: the separator's headings, then the bilag's own tree with its text
    first = parts[0]
    assert [n.all_text() for n in first.walk() if n.role == "H2"] == ["Bilag 1: Notat"]
    own = [n.all_text() for n in first.walk() if n.role == "H1"]
    assert own == ["2.1 Beslutningssag: Budget", "Side et", "Side to"]
    assert "I en formular" in first.all_text()  # the form XObject's own P
    assert [n.all_text() for n in parts[1].walk() if n.role == "H1"][1:] == ["Skemaside"]
    assert "Side et" in parts[2].all_text()  # the second copy has its tree too
    # the RoleMap came along: the bilag's /Dokument is a Document
    assert sum(1 for n in report.tree.walk() if n.role == "Document") == 4
    # the alt text is kept; the reviewer's note (an Annot element) is not
    assert report.strings.count("Søjlediagram") == 4 and "Skema" in report.strings
    assert not any(NOTE in s for s in report.strings)
    assert NOTE not in report.tree.all_text()


def test_keys_are_renumbered_into_one_parent_tree(tmp_path):
    tagged = pack_samples.tagged_pdf(["En"], alt="Figur")
    _, target, _ = _pack(tmp_path, [("Budget", "A", tagged, {}), ("Plan", "B", tagged, {})])
    with pikepdf.open(target) as pdf:
        tree = pikepdf.NumberTree(pdf.Root.StructTreeRoot.ParentTree)
        keys = []
        for page in pdf.pages:
            keys.append(int(page.obj.StructParents))
            for annot in page.obj.get("/Annots") or ():
                keys.append(int(annot.StructParent))
            for xobject in (page.obj.Resources.get("/XObject") or {}).values():
                if "/StructParents" in xobject:
                    keys.append(int(xobject.StructParents))
                    # the form's key leads to the P that holds its content
                    (element,) = tree[int(xobject.StructParents)]
                    assert element.S == "/P" and element.K.Stm.objgen == xobject.objgen
        assert len(keys) == len(set(keys))  # no two things share a key
        assert max(keys) < int(pdf.Root.StructTreeRoot.ParentTreeNextKey)
        assert all(k in tree for k in keys)
        assert pdf.pdf_version == "1.7"


def test_an_untagged_bilag_sits_in_its_part_and_the_pack_claims_nothing(tmp_path):
    result, target, _ = _pack(
        tmp_path,
        [
            ("Budget", "Notat", pack_samples.tagged_pdf(["Tagget"]), {}),
            ("Plan", "Scanning", pack_samples.pdf_pages(["Uden tags"]), {}),
        ],
    )
    assert not result.tagged
    (notice,) = result.notices
    assert "Bilag 1: Scanning" in notice and "Dokumentstrukturkoder" in notice
    report = check(target, fully_tagged=False)
    assert not report.pdfua
    parts = _parts(report)
    assert [p.title for p in parts] == ["Bilag 1: Notat", "Bilag 1: Scanning"]
    # the untagged bilag's Part holds only its separator; its page is left unmarked
    assert [n.role for n in parts[1].kids] == ["H1", "P", "H2", "P"]
    with pikepdf.open(target) as pdf:
        untagged_page = pdf.pages[len(pdf.pages) - 1].obj
        assert "/StructParents" not in untagged_page
    assert report.unmarked_pages == [5]  # front, contents, separator, page, separator, page


def test_a_scanned_bilag_is_told_to_get_text_not_tags(tmp_path):
    """A scan (images only) cannot be saved "with tags" from Word: the notice asks for text
    recognition (OCR) for it, and the usual advice for the untagged PDF with text."""
    from tests.test_inspect import scanned_pdf

    result, _, _ = _pack(
        tmp_path,
        [
            ("Plan", "Tekst", pack_samples.pdf_pages(["Uden tags"]), {}),
            ("Brev", "Scanning", scanned_pdf(), {}),
            ("Brev", "OCR", scanned_pdf(ocr_text="Genkendt tekst"), {}),
        ],
    )
    (notice,) = result.notices
    tags, scans = notice.split("Dokumentstrukturkoder")
    assert "2 bilag har ingen tilgængelighedsmærker" in tags
    assert "Bilag 1: Tekst" in tags and "OCR" in tags  # an OCR'd scan has text: tags it needs
    assert "1 bilag har ingen tekst" in scans and "Bilag 1: Scanning" in scans
    assert "tekstgenkendelse (OCR)" in scans


def test_stamps_are_artifacts_on_every_page(tmp_path):
    _, target, _ = _pack(tmp_path, [("Budget", "A", pack_samples.tagged_pdf(["En", "To"]), {})])
    with pikepdf.open(target) as pdf:
        for page in pdf.pages:
            contents = page.obj.Contents
            streams = contents if isinstance(contents, pikepdf.Array) else [contents]
            stamped = [s for s in streams if MARK in s.stream_dict]
            assert stamped, "a page without its stamp"
            in_stamp = []
            for stream in stamped:
                tags: list[bool] = []  # open marked content: is it our stamp artifact?
                for operands, op in pikepdf.parse_content_stream(stream, "BDC BMC EMC Tj TJ"):
                    if str(op) == "BDC":
                        props = operands[1]
                        tags.append(operands[0] == "/Artifact" and MARK in props)
                    elif str(op) == "BMC":
                        tags.append(False)
                    elif str(op) == "EMC":
                        tags.pop()
                    else:
                        assert tags, "text outside marked content"
                        in_stamp.append(tags[-1])
            assert any(in_stamp), "no text drawn as the stamp artifact"


def test_the_headings_follow_the_agenda(tmp_path):
    files = [
        (title, f"Bilag om {title}", pack_samples.tagged_pdf([title]), {})
        for title in ("Trafik", "Skoler", "Klima")
    ]
    _, target, _ = _pack(tmp_path, files)
    report = check(target)
    h1 = [n.all_text() for n in report.roles("H1")]
    ours = [t for t in h1 if "Beslutningssag" in t]
    assert ours == [
        "2.1 Beslutningssag: Trafik",
        "2.2 Beslutningssag: Skoler",
        "2.3 Beslutningssag: Klima",
    ]
    assert h1[:2] == ["Bilagspakke", "Indhold"]
    # the contents: one Link per line, each owning its annotation
    links = report.roles("Link")
    assert [link.all_text() for link in links][:2] == [
        "2.1 Beslutningssag: Trafik",
        "Bilag 1: Bilag om Trafik 3",
    ]


def test_the_complete_edition_is_not_tagged(tmp_path):
    result, target, _ = _pack(
        tmp_path, [("Budget", "A", pack_samples.tagged_pdf(["En"]), {})], public=False
    )
    assert not result.tagged
    with pikepdf.open(target) as pdf:
        assert "/StructTreeRoot" not in pdf.Root


@pytest.mark.slow
def test_a_word_bilag_converted_by_libreoffice_keeps_its_tags(tmp_path):
    document = docx.Document()
    document.add_heading("Trafikplanens mål", 1)
    document.add_paragraph("Planen gælder for hele regionen.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(1, 0).text = "Vej", "A4"
    data = io.BytesIO()
    document.save(data)
    result, target, _ = _pack(
        tmp_path,
        [
            ("Trafik", "Plan", data.getvalue(), {"file_name": "plan.docx"}),
            ("Skoler", "Skema", pack_samples.tagged_pdf(["Skoleskema"]), {}),
        ],
    )
    assert not result.problems and result.tagged
    report = check(target)
    assert report.pdfua
    plan = _parts(report)[0]
    assert plan.title == "Bilag 1: Plan"
    texts = [n.all_text() for n in plan.walk() if n.role == "H1"]
    assert "Trafikplanens mål" in texts
    assert any(n.role == "Table" for n in plan.walk())
