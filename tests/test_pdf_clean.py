"""A reviewed PDF bilag (tests/hostile.py ``reviewed_pdf``) hides a marker in its XMP,
document info, outline, embedded file, JavaScript, sticky note and popup, highlight,
hidden form field and a form XObject's /PieceInfo and /Metadata, and a CPR number in an
earlier incremental revision. The public bilagspakke and the public exchange export
hold none of it – not in any object or decoded stream, not in the raw bytes – while the
page's visible text and its web link stay. A PDF that cannot be cleaned stops the
public exchange export with a Danish message naming it."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pikepdf
import pypdf
import pytest

from agenda.errors import ConversionError
from app.exchange_export import export_exchange
from exchange.transfer import export_meeting, import_meeting
from export.pack.build import build_pack
from export.pdf.pdf_clean import clean_document, clean_pdf, public_file_bytes
from storage.workspace import open_workspace
from tests import hostile
from tests import pack_samples as samples
from tests.test_no_leaks import pdf_findings

ROOT = Path(__file__).resolve().parent.parent
MARKER = hostile.REVIEW_MARKER
CPR = hostile.EARLIER_CPR


def _leaks(data: bytes) -> list[str]:
    found = pdf_findings(data, MARKER) + pdf_findings(data, CPR)
    for needle in (MARKER, CPR):
        if needle.encode() in data:
            found.append(f"raw bytes: {needle}")
    return found


def test_the_corpus_file_hides_everything_it_should():
    """The detector finds every hiding place in the reviewed file as it comes in."""
    data = hostile.reviewed_pdf()
    found = " | ".join(_leaks(data))
    for where in ("xmp", "forfatter", "bogmærke", "script", "anmelder", "note: ret",
                  "fremhævet", "feltværdi", "pieceinfo", f"raw bytes: {CPR}"):  # fmt: skip
        assert where in found, where
    # the CPR number is only in the earlier revision: the file as read does not show it
    assert (
        CPR
        not in subprocess.run(
            ["pdftotext", "-", "-"], input=data, capture_output=True, check=True
        ).stdout.decode()
    )


def test_clean_pdf_keeps_the_page_and_drops_the_rest():
    cleaned = clean_pdf(hostile.reviewed_pdf(), "gennemset.pdf")
    assert _leaks(cleaned) == []
    with pikepdf.open(io.BytesIO(cleaned)) as pdf:
        assert set(pdf.Root.keys()) <= {"/Type", "/Pages", "/Names", "/Lang", "/PageMode"}
        assert "/Info" not in pdf.trailer and "/Prev" not in pdf.trailer
        (link,) = pdf.pages[0].obj.Annots
        assert link.Subtype == "/Link" and str(link.A.URI) == "https://www.kl.dk/"
        assert len(pdf.attachments) == 0
    text = pypdf.PdfReader(io.BytesIO(cleaned)).pages[0].extract_text()
    assert "Synlig tekst efter rettelse" in text and "Formular-XObject" in text


def test_the_public_pack_holds_no_marker_and_the_complete_keeps_the_notes(tmp_path):
    files = [("Trafikplan", "Gennemset notat", hostile.reviewed_pdf(), {})]
    snapshot, _ = samples.snapshot(files)
    public = build_pack(snapshot, tmp_path / "offentlig.pdf", public=True)
    data = public.path.read_bytes()
    assert _leaks(data) == []
    reader = pypdf.PdfReader(public.path)
    page = reader.pages[-1]
    assert "Synlig tekst efter rettelse" in page.extract_text()
    subtypes = [a.get_object()["/Subtype"] for a in page.get("/Annots") or []]
    assert subtypes == ["/Link"]
    # the complete edition: reviewers' notes are part of the document the members get;
    # metadata, private data and scripts are not
    full = build_pack(snapshot, tmp_path / "fuld.pdf", public=False)
    found = " ".join(pdf_findings(full.path.read_bytes(), MARKER))
    assert "anmelder" in found and "feltværdi" in found
    for gone in ("xmp", "forfatter", "bogmærke", "script", "pieceinfo", "metadata"):
        assert gone not in found, gone


def _form_pdf() -> bytes:
    """A filled-in form: a visible text field whose appearance shows the value, and a
    hidden one."""
    data = samples.pdf_pages(["Høringsskema"])
    N, D, A, S = pikepdf.Name, pikepdf.Dictionary, pikepdf.Array, pikepdf.String
    with pikepdf.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0].obj
        font = pdf.make_indirect(D(Type=N.Font, Subtype=N.Type1, BaseFont=N.Helvetica))
        look = pdf.make_stream(b"BT /Helv 12 Tf 2 6 Td (Jens Hansen) Tj ET")
        look.Type, look.Subtype, look.BBox = N.XObject, N.Form, A([0, 0, 200, 20])
        look.Resources = D(Font=D(Helv=font))
        shown = pdf.make_indirect(
            D(Type=N.Annot, Subtype=N.Widget, FT=N.Tx, T=S("navn"), V=S("Jens Hansen"),
              Rect=A([72, 600, 272, 620]), F=4, AP=D(N=look), P=page)
        )  # fmt: skip
        hidden = pdf.make_indirect(
            D(Type=N.Annot, Subtype=N.Widget, FT=N.Tx, T=S("cpr"), V=S(CPR),
              Rect=A([72, 500, 272, 520]), F=2, P=page)
        )  # fmt: skip
        page.Annots = A([shown, hidden])
        pdf.Root.AcroForm = D(Fields=A([shown, hidden]), DR=D(Font=D(Helv=font)))
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def test_public_form_fields_are_flattened_and_their_values_dropped(tmp_path):
    """Decided: a public form shows what the secretariat saw (the fields' appearance,
    now page content); the fields, their values and hidden fields are gone."""
    cleaned = clean_pdf(_form_pdf(), "skema.pdf")
    assert pdf_findings(cleaned, CPR) == []
    with pikepdf.open(io.BytesIO(cleaned)) as pdf:
        assert "/AcroForm" not in pdf.Root and "/Annots" not in pdf.pages[0].obj
        for obj in pdf.objects:
            assert not (isinstance(obj, pikepdf.Dictionary) and "/FT" in obj)
    text = pypdf.PdfReader(io.BytesIO(cleaned)).pages[0].extract_text()
    assert "Jens Hansen" in text
    snapshot, _ = samples.snapshot([("Høring", "Skema", _form_pdf(), {})])
    pack = build_pack(snapshot, tmp_path / "offentlig.pdf", public=True)
    with pikepdf.open(pack.path) as pdf:
        assert "/AcroForm" not in pdf.Root
    assert pdf_findings(pack.path.read_bytes(), CPR) == []
    assert "Jens Hansen" in pypdf.PdfReader(pack.path).pages[-1].extract_text()


def test_the_report_counts_what_review_left():
    with pikepdf.open(io.BytesIO(hostile.reviewed_pdf())) as pdf:
        report = clean_document(pdf, public=True)
    assert (report.review_notes, report.form_fields) == (2, 1)  # note and highlight


def _meeting_with(files: list[tuple[str, bytes, dict]]) -> tuple:
    return samples.snapshot([("Trafikplan", title, data, opts) for title, data, opts in files])


def test_the_public_exchange_export_is_cleaned_and_reimports(tmp_path):
    other = hostile.png(20, 10)
    snapshot, made = _meeting_with(
        [
            ("Gennemset notat", hostile.reviewed_pdf(), {"file_name": "gennemset.pdf"}),
            # a PDF named .docx is a PDF: its bytes decide, not its name
            ("Forklædt", hostile.reviewed_pdf(), {"file_name": "forklædt.docx"}),
            ("Kort", other, {"file_name": "kort.png"}),
        ]
    )
    ws_path = tmp_path / "arbejde.kkrdb"
    with open_workspace(ws_path) as ws:
        for data in snapshot.blobs.values():
            ws.store_blob(data)
        meeting = ws.save_meeting(snapshot.meeting)
        folder = export_exchange(ws, meeting.id, tmp_path / "ud", public=True)
        archive = export_exchange(ws, meeting.id, tmp_path / "ud", public=True, zip=True)
        with pytest.raises(ValueError):  # a public export never goes out uncleaned
            export_meeting(ws, meeting.id, tmp_path / "rå", public=True)
        assert not (tmp_path / "rå").exists()
        again = import_meeting(ws, folder, as_new=True)
    names = sorted(p.name for p in (folder / "bilag").iterdir())
    # the public edition publishes PDFs: a PDF named .docx by its bytes, an image
    # converted as in the pack
    assert names == ["forklædt.pdf", "gennemset.pdf", "kort.pdf"]
    for name in ("forklædt.pdf", "gennemset.pdf"):
        data = (folder / "bilag" / name).read_bytes()
        assert _leaks(data) == [], name
        assert "Synlig tekst" in pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()
    kort = pikepdf.open(io.BytesIO((folder / "bilag" / "kort.pdf").read_bytes()))
    assert len(kort.pages) == 1 and "/Im0" in kort.pages[0].resources.XObject
    with zipfile.ZipFile(archive) as z:
        for name in z.namelist():
            assert MARKER.encode() not in z.read(name) and CPR.encode() not in z.read(name)
    # meeting.json names the bytes written, so the export imports again
    doc = json.loads((folder / "meeting.json").read_text("utf-8"))
    files = [f for s in doc["sections"] for i in s["items"] for f in i.get("files", [])]
    for entry in files:
        written = (folder / entry["fileName"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(written).hexdigest()
    assert sum(len(i.attachments) for i in again.agenda.items()) == 3
    assert made["Kort"].sha256 not in {f["sha256"] for f in files}  # not the PNG itself


@pytest.mark.slow
def test_a_pdf_that_cannot_be_cleaned_stops_the_public_export(tmp_path):
    """Decided: refuse, naming the file, rather than publish it uncleaned or leave it
    out silently. (Preflight already calls it an error; this holds with --force too.)"""
    locked = hostile.encrypted_pdf("hemmelig")
    with pytest.raises(ConversionError) as error:
        public_file_bytes("låst.pdf", locked)
    assert "låst.pdf" in error.value.message and "offentlige udgave" in error.value.message
    snapshot, _ = _meeting_with(
        [
            ("Godt", samples.pdf_pages(["Godt"]), {"file_name": "godt.pdf"}),
            ("Låst", locked, {"file_name": "låst.pdf"}),
        ]
    )
    ws_path = tmp_path / "arbejde.kkrdb"
    with open_workspace(ws_path) as ws:
        for data in snapshot.blobs.values():
            ws.store_blob(data)
        meeting_id = ws.save_meeting(snapshot.meeting).id
    out = tmp_path / "ud"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "export-meeting", "--workspace", str(ws_path),
         "--meeting", str(meeting_id), "--out", str(out), "--public", "--force"],
        capture_output=True, text=True, cwd=ROOT, timeout=120, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert proc.returncode == 1, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    assert "låst.pdf" in proc.stderr and "adgangskode" in proc.stderr, proc.stderr
    assert not any(p.is_file() for p in out.rglob("*")) if out.exists() else True


def test_preflight_says_what_the_public_edition_takes_off(tmp_path):
    from datetime import date

    from agenda.preflight import Severity, preflight
    from export.inspection.inspect import inspect_meeting

    snapshot, _ = _meeting_with(
        [
            ("Gennemset notat", hostile.reviewed_pdf(), {"file_name": "gennemset.pdf"}),
            ("Skema", _form_pdf(), {"file_name": "skema.pdf"}),
            ("Fortroligt", hostile.reviewed_pdf() + b"\n", {"confidential": True}),
        ]
    )
    facts = inspect_meeting(snapshot.meeting, snapshot.blobs)
    findings = preflight(
        snapshot.meeting, facts, today=date(2024, 1, 1), blobs_present=snapshot.blobs.keys()
    )
    notes = [f for f in findings if f.rule == "review-notes"]
    assert [f.attachment_title for f in notes] == ["Gennemset notat"]  # not the confidential
    assert notes[0].severity is Severity.INFO
    assert "»Gennemset notat« (gennemset.pdf) " in notes[0].message
    assert "har noter/kommentarer fra gennemsyn (2); de fjernes i den offentlige udgave" in (
        notes[0].message
    )
    fields = {f.attachment_title: f.message for f in findings if f.rule == "form-fields"}
    assert set(fields) == {"Gennemset notat", "Skema"}
    assert "formularfelter (2)" in fields["Skema"] and "almindelig tekst" in fields["Skema"]


def test_a_field_viewers_draw_from_its_value_is_flattened_as_they_show_it():
    """/NeedAppearances: no appearance stream, viewers draw the value; so does the
    flattening, and the field is gone."""
    data = samples.pdf_pages(["Skema"])
    N, D, A, S = pikepdf.Name, pikepdf.Dictionary, pikepdf.Array, pikepdf.String
    with pikepdf.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0].obj
        font = pdf.make_indirect(D(Type=N.Font, Subtype=N.Type1, BaseFont=N.Helvetica))
        field = pdf.make_indirect(
            D(Type=N.Annot, Subtype=N.Widget, FT=N.Tx, T=S("navn"), V=S("Jens Hansen"),
              DA=S("/Helv 12 Tf 0 g"), Rect=A([72, 600, 272, 620]), F=4, P=page)
        )  # fmt: skip
        page.Annots = A([field])
        pdf.Root.AcroForm = D(
            Fields=A([field]), DR=D(Font=D(Helv=font)), NeedAppearances=True,
            DA=S("/Helv 12 Tf 0 g"),
        )  # fmt: skip
        out = io.BytesIO()
        pdf.save(out)
    cleaned = clean_pdf(out.getvalue(), "skema.pdf")
    with pikepdf.open(io.BytesIO(cleaned)) as pdf:
        assert "/AcroForm" not in pdf.Root and "/Annots" not in pdf.pages[0].obj
    text = subprocess.run(["pdftotext", "-", "-"], input=cleaned, capture_output=True).stdout
    assert b"Jens Hansen" in text
