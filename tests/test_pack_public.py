"""The public edition holds no word of a closed item or a confidential bilag – not in
page text, bookmarks, link targets, metadata or anywhere in the file – and carries
nothing of an attachment but its pages (no metadata, outline, embedded files or
JavaScript of its own). The complete edition marks closed matter."""

from __future__ import annotations

import io
import zlib

import pikepdf
import pypdf
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from export.pack.build import build_pack
from tests import pack_samples as samples
from tests.hypothesis_budget import examples

SECRET_WORDS = ("Fyringsrunde", "Hemmeligholdt", "Lønforhandling", "Kildebeskyttet", "Udkastnavn")


def _leaky_public_pdf() -> bytes:
    """A public bilag whose document carries things that must not travel: metadata,
    an outline, an embedded file, document and link JavaScript."""
    data = samples.pdf_pages(["Offentligt referat"])
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pdf.docinfo["/Title"] = "Udkastnavn internt"
        with pdf.open_metadata() as xmp:
            xmp["dc:title"] = "Udkastnavn internt"
        with pdf.open_outline() as outline:
            outline.root.append(pikepdf.OutlineItem("Kildebeskyttet afsnit", 0))
        pdf.attachments["noter.txt"] = pikepdf.AttachedFileSpec(pdf, b"Hemmeligholdt note")
        js = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
        pdf.Root.OpenAction = js
        page = pdf.pages[0].obj
        page.AA = pikepdf.Dictionary(O=js)
        page.Annots = pikepdf.Array(
            [
                pdf.make_indirect(
                    pikepdf.Dictionary(
                        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link,
                        Rect=[50, 50, 200, 80], A=js,
                    )
                ),
                pdf.make_indirect(
                    pikepdf.Dictionary(
                        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link,
                        Rect=[50, 100, 200, 130],
                        A=pikepdf.Dictionary(
                            S=pikepdf.Name.URI, URI=pikepdf.String("https://kl.dk/")
                        ),
                    )
                ),
            ]
        )  # fmt: skip
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def _meeting():
    return samples.snapshot(
        [
            ("Regional trafikplan", "Trafikanalyse", samples.pdf_pages(["Trafiktal"]), {}),
            ("Regional trafikplan", "Fyringsrunde notat",
             samples.pdf_pages(["Hemmeligholdt indhold"]), {"confidential": True,
                                                            "file_name": "fyringsrunde.pdf"}),
            ("Regional trafikplan", "Referat", _leaky_public_pdf(), {}),
            ("Lønforhandling med direktør", "Kildebeskyttet oplæg",
             samples.pdf_pages(["Fortroligt tal"]), {"closed": True}),
        ]
    )  # fmt: skip


def _everything(path) -> str:
    """All text a reader or a tool could get at: page text, bookmarks, metadata, and
    every object and stream of the file, decompressed."""
    reader = pypdf.PdfReader(path)
    parts = [page.extract_text() for page in reader.pages]

    def walk(outline):
        for entry in outline:
            if isinstance(entry, list):
                walk(entry)
            else:
                parts.append(entry.title)

    walk(reader.outline)
    parts.append(str(reader.metadata))
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream):
                try:
                    parts.append(obj.read_bytes().decode("latin-1"))
                except pikepdf.PdfError:
                    parts.append(zlib.decompress(obj.read_raw_bytes()).decode("latin-1"))
            else:
                parts.append(repr(obj))
    return "\n".join(parts)


def test_public_edition_leaves_closed_and_confidential_out(tmp_path):
    snapshot, _ = _meeting()
    result = build_pack(snapshot, tmp_path / "offentlig.pdf", public=True)
    everything = _everything(result.path)
    for word in SECRET_WORDS:
        assert word not in everything
    reader = pypdf.PdfReader(result.path)
    texts = [p.extract_text() for p in reader.pages]
    assert "Offentlig udgave" in texts[0]
    assert "Trafiktal" in everything and "Offentligt referat" in everything
    # the confidential bilag is gone and the rest are numbered without a gap
    assert "Bilag 1: Trafikanalyse" in texts[1] and "Bilag 2: Referat" in texts[1]
    assert "Bilag 3" not in everything
    assert result.page_count == len(reader.pages) == 2 + 2 * 2
    assert "Lukket punkt" not in everything and "Fortroligt" not in everything
    # every link lands on a page of this file: nothing points anywhere else
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if "/Dest" in annot:
                assert 0 <= reader.get_page_number(annot["/Dest"][0]) < len(reader.pages)
    meta = reader.metadata
    assert meta.title == "Bilagspakke – KKR Sjælland – 16. april 2024 (offentlig udgave)"


def test_nothing_of_an_attachment_but_its_pages_comes_over(tmp_path):
    snapshot, _ = _meeting()
    result = build_pack(snapshot, tmp_path / "offentlig.pdf", public=True)
    with pikepdf.open(result.path) as pdf:
        assert "/OpenAction" not in pdf.Root
        assert "/Names" not in pdf.Root
        assert len(pdf.attachments) == 0
        referat = pdf.pages[5].obj  # separator, Trafikanalyse, separator, Referat...
        assert "/AA" not in referat
        kinds = []
        for annot in referat.get("/Annots", []):
            action = annot.get("/A")
            kinds.append(str(action.S) if action is not None else None)
        assert kinds == [None, "/URI"]  # the JavaScript link lost its action, the web link stays
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary):
                assert obj.get("/S") != pikepdf.Name.JavaScript
                assert "/JS" not in obj


def test_complete_edition_marks_closed_and_confidential(tmp_path):
    snapshot, _ = _meeting()
    result = build_pack(snapshot, tmp_path / "fuld.pdf", public=False)
    reader = pypdf.PdfReader(result.path)
    texts = [p.extract_text() for p in reader.pages]
    assert "Fuld udgave" in texts[0] and "må ikke offentliggøres" in texts[0]
    confidential = next(t for t in texts if "Bilag 2: Fyringsrunde notat" in t and "Sagsnr" in t)
    assert "Fortroligt" in confidential
    closed = next(t for t in texts if "Bilag 1: Kildebeskyttet oplæg" in t and "Sagsnr" in t)
    assert "Lukket punkt" in closed and "2.2 Beslutningssag: Lønforhandling med direktør" in closed
    assert "Hemmeligholdt indhold" in "".join(texts)
    # the attachments' own outline and metadata stay behind in this edition too
    titles = [e.title for e in reader.outline if not isinstance(e, list)]
    assert "Kildebeskyttet afsnit" not in titles
    assert reader.metadata.title == "Bilagspakke – KKR Sjælland – 16. april 2024"


@settings(max_examples=examples(12), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.booleans(), st.booleans()), min_size=1, max_size=5))
def test_no_hidden_word_in_any_public_pack(tmp_path_factory, flags):
    """For any mix of closed items and confidential bilag: the public pack shows exactly
    the bilag it may, and no word of the rest."""
    files = []
    hidden, shown = [], []
    for n, (closed, confidential) in enumerate(flags):
        item = f"Punkt{n}ord"
        title = f"Bilag{n}titel"
        body = f"Indhold{n}tekst"
        files.append((item, title, samples.pdf_pages([body]),
                      {"closed": closed, "confidential": confidential}))  # fmt: skip
        (hidden if closed or confidential else shown).append((title, body))
        if closed:
            hidden.append((item, item))
    snapshot, _ = samples.snapshot(files)
    target = tmp_path_factory.mktemp("prop") / "offentlig.pdf"
    result = build_pack(snapshot, target, public=True)
    if not shown:
        assert result.path is None and not target.exists()
        return
    everything = _everything(result.path)
    for title, body in hidden:
        assert title not in everything and body not in everything
    for title, body in shown:
        assert title in everything and body in everything
