"""What a bilag hides where a reader never looks – associated and embedded files, link
texts, a layer switched off and its name, unknown keys, page-label prefixes, named
destinations, image metadata (EXIF, XMP, comments, PNG text) – reaches neither the
public bilagspakke nor the public exchange export; the visible page does; and preflight
calls a CPR number in each such place a fejl (review of issue 12: F3, F5)."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import docx
import pikepdf
import pypdf
import pytest
from PIL import Image

from agenda.errors import ConversionError
from agenda.preflight import Severity
from app.exchange_export import export_exchange
from export.pack.build import build_pack
from export.pdf.image_metadata import metadata_texts, strip_jpeg
from export.pdf.pdf_clean import clean_pdf
from storage.workspace import open_workspace
from tests import hostile
from tests import office_samples as office
from tests import pack_samples as samples
from tests.test_no_leaks import pdf_findings
from tests.test_preflight import bilag, decision, meeting, run

MARKER = "Qzhiddenplace"
CPR = "160424-1234"


def _hidden_bilag() -> list[tuple[str, str, bytes, dict]]:
    return [
        ("Trafikplan", "Skjult", hostile.hidden_places_pdf(MARKER), {"file_name": "skjult.pdf"}),
        ("Trafikplan", "Foto", hostile.exif_jpeg(MARKER), {"file_name": "foto.jpg"}),
        ("Trafikplan", "Graf", hostile.text_png(MARKER), {"file_name": "graf.png"}),
        ("Trafikplan", "Foto i PDF", hostile.jpeg_in_pdf(MARKER), {"file_name": "fotopdf.pdf"}),
    ]


def _no_marker(data: bytes) -> list[str]:
    found = pdf_findings(data, MARKER)
    if MARKER.lower().encode() in data.lower():
        found.append("raw bytes")
    return found


def test_the_corpus_hides_the_marker_everywhere_the_cleaner_must_look():
    """The detector finds every hidden place in the originals (so the test can fail)."""
    for _, title, data, _ in _hidden_bilag():
        if data.startswith(b"%PDF"):
            assert pdf_findings(data, MARKER), title
        else:
            assert metadata_texts(data) and MARKER in str(metadata_texts(data)), title


def test_the_public_pack_holds_no_hidden_place_and_the_visible_pages(tmp_path):
    snapshot, _ = samples.snapshot(_hidden_bilag())
    result = build_pack(snapshot, tmp_path / "pakke.pdf", public=True)
    assert result.problems == ()
    data = (tmp_path / "pakke.pdf").read_bytes()
    assert _no_marker(data) == []
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)
    assert hostile.HIDDEN_VISIBLE in text and "Foto i PDF" in text


def test_the_public_exchange_export_holds_no_hidden_place(tmp_path):
    snapshot, _ = samples.snapshot(_hidden_bilag())
    with open_workspace(tmp_path / "arbejde.kkrdb") as ws:
        for data in snapshot.blobs.values():
            ws.store_blob(data)
        saved = ws.save_meeting(snapshot.meeting)
        folder = export_exchange(ws, saved.id, tmp_path / "ud", public=True)
    names = sorted(p.name for p in (folder / "bilag").iterdir())
    assert names == ["foto.pdf", "fotopdf.pdf", "graf.pdf", "skjult.pdf"]
    for name in names:
        data = (folder / "bilag" / name).read_bytes()
        assert _no_marker(data) == [], name
    assert MARKER not in (folder / "meeting.json").read_text("utf-8")
    visible = pypdf.PdfReader(folder / "bilag" / "skjult.pdf").pages[0].extract_text()
    assert hostile.HIDDEN_VISIBLE in visible
    doc = json.loads((folder / "meeting.json").read_text("utf-8"))
    files = [f for s in doc["sections"] for i in s["items"] for f in i.get("files", [])]
    assert {f["fileName"] for f in files} == {f"bilag/{n}" for n in names}


def test_links_keep_their_targets_and_lose_their_texts():
    cleaned = clean_pdf(hostile.hidden_places_pdf(MARKER), "skjult.pdf")
    with pikepdf.open(io.BytesIO(cleaned)) as pdf:
        page = pdf.pages[0]
        links = [a for a in page.obj.Annots if a.get("/Subtype") == "/Link"]
        assert str(links[0].A.URI) == "https://kkr.example/plan"
        # the named destination is now explicit: the page itself, no name left
        assert links[1].Dest[0].objgen == page.obj.objgen
        assert "/Names" not in pdf.Root and "/Dests" not in pdf.Root
        # GoToR and Thread actions are gone, their links inert
        assert all("/A" not in link and "/Dest" not in link for link in links[2:])
        assert all(set(link.keys()) <= {"/Type", "/Subtype", "/Rect", "/Border", "/A",
                                        "/Dest", "/P"} for link in links)  # fmt: skip
        assert "/OCProperties" not in pdf.Root and "/KkrCatalog" not in pdf.Root
        assert "/KkrPage" not in page.obj and "/AF" not in page.obj
        assert [dict(label) for label in pdf.Root.PageLabels.Nums[1::2]] == [
            {"/S": pikepdf.Name.D, "/St": 1}
        ]


def test_a_layer_switched_on_stays_visible_unmarked():
    source = pikepdf.open(io.BytesIO(hostile.hidden_places_pdf(MARKER)))
    source.Root.OCProperties.D.OFF = pikepdf.Array()  # the layer now opens switched on
    out = io.BytesIO()
    source.save(out)
    cleaned = clean_pdf(out.getvalue(), "lag.pdf")
    text = pypdf.PdfReader(io.BytesIO(cleaned)).pages[0].extract_text()
    assert f"{MARKER}skjultlag" in text  # seen when the file opens: published
    with pikepdf.open(io.BytesIO(cleaned)) as pdf:
        content = pdf.pages[0].obj.Contents.read_bytes()
        assert b"/OC" not in content and "/OCProperties" not in pdf.Root


def test_image_metadata_is_stripped_and_the_pixels_stay():
    jpeg = hostile.exif_jpeg(MARKER)
    stripped = strip_jpeg(jpeg)
    assert MARKER.encode() not in stripped and metadata_texts(stripped) == []
    assert Image.open(io.BytesIO(stripped)).tobytes() == Image.open(io.BytesIO(jpeg)).tobytes()


def test_the_colour_profile_and_adobe_marker_of_a_jpeg_are_kept():
    image = Image.new("CMYK", (8, 8))
    out = io.BytesIO()
    image.save(out, "JPEG", icc_profile=b"\0" * 128)
    data = out.getvalue()
    stripped = strip_jpeg(data)
    assert b"ICC_PROFILE" in stripped and b"Adobe" in stripped


@pytest.mark.parametrize(
    "where, data, name",
    [
        ("layer name", hostile.hidden_places_pdf("x", layer_name=f"Navne {CPR}"), "lag.pdf"),
        ("associated file", hostile.hidden_places_pdf("x", embedded=f"CPR {CPR}"), "af.pdf"),
        ("JPEG EXIF", hostile.exif_jpeg(CPR), "foto.jpg"),
        ("PNG text", hostile.text_png(CPR), "graf.png"),
        ("JPEG in a PDF", hostile.jpeg_in_pdf(CPR), "fotopdf.pdf"),
    ],
    ids=["layer-name", "associated-file", "jpeg-exif", "png-text", "jpeg-in-pdf"],
)
def test_a_cpr_number_in_a_hidden_place_is_a_fejl(where, data, name):
    attachment, files = bilag("Bilag", data, name)
    found = [f for f in run(meeting(decision(attachment)), files) if f.rule == "cpr-in-attachment"]
    assert found and found[0].severity is Severity.ERROR, where
    assert "160424-xxxx" in found[0].message


# -- the public exchange export publishes PDFs (review F4) -------------------------------


def _export_public(tmp_path, files):
    snapshot, _ = samples.snapshot(files)
    with open_workspace(tmp_path / "arbejde.kkrdb") as ws:
        for data in snapshot.blobs.values():
            ws.store_blob(data)
        saved = ws.save_meeting(snapshot.meeting)
        return export_exchange(ws, saved.id, tmp_path / "ud", public=True)


def _reviewed_docx() -> bytes:
    data = office.docx_with_tracked_changes("Synlig indstilling", f"{MARKER}slettet", "Tilføjet")
    document = docx.Document(io.BytesIO(data))
    paragraph = document.paragraphs[0]
    document.add_comment(paragraph.runs, text=f"{MARKER}kommentar", author=f"{MARKER}forfatter")
    document.core_properties.author = f"{MARKER}kerneforfatter"
    document.core_properties.comments = f"{MARKER}kernekommentar"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.slow
def test_a_reviewed_word_bilag_is_published_as_its_cleaned_pdf(tmp_path):
    """Real LibreOffice: the DOCX's own bytes carry a tracked deletion, a comment and its
    author, core properties; the public export writes the PDF of its pages instead."""
    source = _reviewed_docx()
    assert docx_has_marker(source)
    folder = _export_public(
        tmp_path, [("Trafikplan", "Notat", source, {"file_name": "notat.docx"})]
    )
    assert sorted(p.name for p in (folder / "bilag").iterdir()) == ["notat.pdf"]
    data = (folder / "bilag" / "notat.pdf").read_bytes()
    assert data.startswith(b"%PDF") and _no_marker(data) == []
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)
    assert "Synlig indstilling" in text and "Tilføjet" in text
    doc = json.loads((folder / "meeting.json").read_text("utf-8"))
    (entry,) = [f for s in doc["sections"] for i in s["items"] for f in i.get("files", [])]
    assert entry["fileName"] == "bilag/notat.pdf"
    assert entry["sha256"] == hashlib.sha256(data).hexdigest()


def docx_has_marker(data: bytes) -> bool:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return any(MARKER.encode() in package.read(n) for n in package.namelist())


def test_a_text_bilag_is_published_as_a_pdf(tmp_path):
    text = "Referat fra borgermødet\nAndet afsnit\n".encode()
    folder = _export_public(tmp_path, [("Trafikplan", "Referat", text, {"file_name": "ref.txt"})])
    data = (folder / "bilag" / "ref.pdf").read_bytes()
    assert "Referat fra borgermødet" in pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()


def test_a_bilag_that_cannot_become_a_pdf_stops_the_public_export(tmp_path):
    with pytest.raises(ConversionError) as error:
        _export_public(
            tmp_path, [("Trafikplan", "Program", hostile.windows_exe(), {"file_name": "prog.exe"})]
        )
    message = error.value.message
    assert message.startswith("prog.exe kan ikke laves om til PDF; den offentlige udgave er ikke")
    assert not (tmp_path / "ud").exists() or not any((tmp_path / "ud").iterdir())


def test_a_comment_between_scans_and_bytes_after_the_image_go_too():
    image = Image.new("RGB", (64, 48), (10, 200, 30))
    out = io.BytesIO()
    image.save(out, "JPEG", progressive=True)
    data = out.getvalue()
    second_scan = data.index(b"\xff\xda", data.index(b"\xff\xda") + 2)
    comment = b"\xff\xfe\x00\x12" + MARKER.encode()[:14] + b"xx"
    hostile_jpeg = data[:second_scan] + comment + data[second_scan:] + MARKER.encode()
    assert [where for where, _ in metadata_texts(hostile_jpeg)] == [
        "kommentar (COM)",
        "data efter billedet",
    ]
    stripped = strip_jpeg(hostile_jpeg)
    assert MARKER.encode()[:14] not in stripped and stripped.endswith(b"\xff\xd9")
    assert Image.open(io.BytesIO(stripped)).tobytes() == Image.open(io.BytesIO(data)).tobytes()
