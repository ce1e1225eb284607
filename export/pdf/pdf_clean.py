"""Cleaning a PDF bilag of what is not its pages: one function for the bilagspakke and
the public exchange export alike.

A PDF carries much a reader never sees and its sender never meant to send: embedded
files (the unredacted original), XMP metadata at document, page and XObject level
(authors, file paths, earlier titles), application private data (``/PieceInfo``),
JavaScript and automatic actions, an outline, document info, and earlier incremental
revisions of itself (an appended update "removes" a line that is still in the bytes
before it). The public edition also drops what reviewers left on the pages: sticky
notes, comments, highlights, ink (each with its ``/T`` author and ``/Contents``).

``clean_document`` cleans an open PDF in place; ``clean_pdf`` cleans bytes and saves
them fresh: a full rewrite of the objects still in use, so no earlier revision, no
orphaned object and no superseded version of one survives.

Form fields in the public edition are flattened: a field's appearance (what a reader
sees on the page, and so what the secretariat saw when it marked the bilag public)
becomes page content; the field itself – its value, hidden fields, fields without an
appearance, scripts – is dropped. The complete edition keeps working forms.

Links (``/Link``) are kept: web addresses and destinations inside the file; every
other action (code, programs, forms, other files, threads, media) is removed, in both
editions. The public edition goes further, by allow-list (``pdf_allow``): the catalog,
each page and each link keep only the keys a reader's view needs (a link is rebuilt:
no ``/Contents``, ``/T``, ``/NM``; a named destination becomes explicit, so no name is
left); layers switched off lose their content and every layer its name
(``pdf_layers``); JPEG images lose their EXIF, XMP and comments (``image_metadata``).

The structure tree (a tagged PDF's headings, reading order, alt text) is dropped unless
``keep_structure`` asks for it (the public bilagspakke merges it, ``pack_tags``). Kept,
it loses every reference to an annotation the cleaning removed: a reviewer's note is
often also an ``/Annot`` element whose ``/Alt`` or ``/Contents`` repeats its text.
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass

import pikepdf
from pikepdf import Array

from agenda.errors import ConversionError
from agenda.model import looks_like_pdf
from export.pdf.image_metadata import jpeg_of_stream, strip_jpeg
from export.pdf.pdf_allow import allow_catalog, allow_page, rebuilt_link
from export.pdf.pdf_input import prepare_pdf
from export.pdf.pdf_layers import remove_layers

#: Catalog entries that are never part of a bilag's pages. ``/Names`` keeps only its
#: destinations (links inside the file point at them).
_CATALOG_DROPPED = (
    "/OpenAction", "/AA", "/Outlines", "/Metadata", "/PieceInfo", "/StructTreeRoot",
    "/MarkInfo", "/SpiderInfo", "/Threads", "/URI", "/Perms", "/Legal", "/Collection",
    "/AF", "/Requirements",
)  # fmt: skip
#: Keys dropped from every dictionary and stream of the file: XMP metadata, private
#: application data and automatic actions, wherever they sit (page, form XObject, image,
#: font, annotation, field); associated files (``/AF``) and embedded file streams (``/EF``
#: of a file specification, as in a ``/GoToR`` link): an embedded file may be the
#: unredacted original.
_EVERYWHERE_DROPPED = ("/Metadata", "/PieceInfo", "/AA", "/AF", "/EF")
_PAGE_KEYS_DROPPED = ("/B", "/StructParents", "/Thumb", "/ID", "/PZ", "/SeparationInfo")
#: What ``keep_structure`` keeps of the above: the catalog's tree and tagging flag, the
#: page's key into the tree's ParentTree.
_STRUCTURE_KEYS = frozenset({"/StructTreeRoot", "/MarkInfo", "/StructParents"})
#: The only actions kept: a web address and a place inside the file. Anything else runs
#: code, opens or submits something, or points into another file (``/GoToR``,
#: ``/GoToE``, ``/Thread`` with their file specifications).
_SAFE_ACTIONS = frozenset({"/URI", "/GoTo"})
#: Never kept, in either edition: an embedded file may be the unredacted original.
_UNSAFE_ANNOTATIONS = frozenset({"/FileAttachment", "/RichMedia", "/Screen", "/Movie", "/Sound"})
_BROKEN = (pikepdf.PdfError, RuntimeError, ValueError, TypeError)


@dataclass(frozen=True, slots=True)
class CleanReport:
    """What cleaning took off the pages (document-level things are not counted)."""

    #: Annotations from review: sticky notes, comments, highlights, ink, stamps...
    review_notes: int = 0
    #: Form field widgets flattened into the page (or dropped when hidden).
    form_fields: int = 0


def clean_document(pdf: pikepdf.Pdf, *, public: bool, keep_structure: bool = False) -> CleanReport:
    """Clean ``pdf`` in place. ``public``: also remove review annotations and flatten
    form fields; the complete edition keeps them (its forms still work).
    ``keep_structure``: keep the structure tree, minus what pointed at removed
    annotations."""
    root = pdf.Root
    kept = _STRUCTURE_KEYS if keep_structure else frozenset()
    if public:
        remove_layers(pdf)  # before the allow-lists: it reads /OCProperties
        allow_catalog(pdf)
    for key in _CATALOG_DROPPED:
        if key in root and key not in kept:
            del root[key]
    names = root.get("/Names")
    if isinstance(names, pikepdf.Dictionary):
        dests = names.get("/Dests")
        if dests is None:
            del root["/Names"]
        else:
            root.Names = pikepdf.Dictionary(Dests=dests)
    if root.get("/PageMode") in ("/UseOutlines", "/UseAttachments"):
        del root["/PageMode"]  # they are gone
    if "/Info" in pdf.trailer:
        del pdf.trailer["/Info"]
    fields = _flatten_forms(pdf) if public else 0
    notes = 0
    for page in pdf.pages:
        for key in _PAGE_KEYS_DROPPED:
            if key in page.obj and key not in kept:
                del page.obj[key]
        if public:
            allow_page(page.obj)
        notes += _clean_annotations(page.obj, public=public)
    if keep_structure and isinstance(root.get("/StructTreeRoot"), pikepdf.Dictionary):
        _prune_structure(pdf)
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream):
            obj = obj.stream_dict
        if isinstance(obj, pikepdf.Dictionary):
            for key in _EVERYWHERE_DROPPED:
                if key in obj:
                    del obj[key]
    if public:
        strip_jpeg_streams(pdf)
    return CleanReport(review_notes=notes, form_fields=fields)


def count_review_marks(pdf: pikepdf.Pdf) -> CleanReport:
    """What ``clean_document(public=True)`` would remove from the pages, without
    changing anything (for preflight)."""
    notes = fields = 0
    for page in pdf.pages:
        annots = page.obj.get("/Annots")
        if not isinstance(annots, pikepdf.Array):
            continue
        for annot in annots:
            if isinstance(annot, pikepdf.Dictionary):
                kind = annot.get("/Subtype")
                if kind == "/Widget":
                    fields += 1
                elif _is_review_note(kind):
                    notes += 1
    return CleanReport(review_notes=notes, form_fields=fields)


def clean_pdf(data: bytes, name: str) -> bytes:
    """``data`` cleaned for the public edition and saved fresh (repaired or decrypted
    first if it must be). ConversionError naming ``name`` if it cannot be read."""
    prepared = prepare_pdf(data, name)
    try:
        with pikepdf.open(io.BytesIO(prepared.pdf)) as pdf:
            clean_document(pdf, public=True)
            out = io.BytesIO()
            # a full rewrite of the objects still reachable: earlier revisions, orphans
            # and superseded objects stay behind; the /ID is new
            pdf.save(out, encryption=False, preserve_pdfa=False, deterministic_id=True)
    except _BROKEN as error:
        raise ConversionError(
            f"{name} kan ikke renses for skjulte oplysninger (metadata, kommentarer, "
            "vedhæftede filer), fordi filen ikke kan læses helt. Gem den som PDF igen, "
            "og tilføj den igen.",
            path=name,
        ) from error
    return out.getvalue()


def public_file_bytes(file_name: str, data: bytes) -> bytes:
    """A public bilag's bytes as the public exchange export writes them: a PDF (by its
    bytes, whatever its name says) cleaned as the public bilagspakke cleans it.
    ConversionError, naming the file, for a PDF that cannot be cleaned and for any
    other file: an office file or an image must be converted to PDF first (its own
    bytes carry tracked changes, comments, EXIF), so the public export stops."""
    if not looks_like_pdf(data):
        raise not_convertible(file_name)
    try:
        return clean_pdf(data, file_name)
    except ConversionError as error:
        raise ConversionError(
            f"Den offentlige udgave er ikke eksporteret: {error.message} Eller markér "
            "bilaget som fortroligt, så det ikke kommer med.",
            path=file_name,
        ) from error


def not_convertible(file_name: str, cause: ConversionError | None = None) -> ConversionError:
    """The public export's refusal of a bilag that could not be made a PDF."""
    what = (
        f"{cause.message} Eller markér"
        if cause is not None
        else "Gem filen som PDF og tilføj den igen, eller markér"
    )
    return ConversionError(
        f"{file_name} kan ikke laves om til PDF; den offentlige udgave er ikke "
        f"eksporteret. {what} bilaget som fortroligt, så det ikke kommer med.",
        path=file_name,
    )


def _is_review_note(kind: object) -> bool:
    return kind not in ("/Link", "/Widget", "/Popup") and kind not in _UNSAFE_ANNOTATIONS


def _clean_annotations(page: pikepdf.Dictionary, *, public: bool) -> int:
    """Drop unsafe annotations (both editions) and review notes (public); strip unsafe
    actions from the rest. The number of review notes removed."""
    annots = page.get("/Annots")
    if not isinstance(annots, pikepdf.Array) or len(annots) == 0:
        return 0
    kept, notes = [], 0
    for annot in annots:
        if not isinstance(annot, pikepdf.Dictionary):
            continue
        kind = annot.get("/Subtype")
        if kind in _UNSAFE_ANNOTATIONS:
            continue
        if public and kind != "/Link":
            notes += _is_review_note(kind)
            continue
        if public:  # rebuilt in place: references to it (structure tree) still hold
            rebuilt = rebuilt_link(annot)
            for key in list(annot.keys()):
                del annot[key]
            for key, value in rebuilt.items():
                annot[key] = value
            kept.append(annot)
            continue
        _clean_actions(annot)
        kept.append(annot)
    if kept:
        page.Annots = Array(kept)
    else:
        del page["/Annots"]
    return notes


def _clean_actions(annot: pikepdf.Dictionary) -> None:
    node, depth = annot, 0
    while isinstance(node, pikepdf.Dictionary) and depth < 32:  # a widget and its fields
        if "/AA" in node:
            del node["/AA"]
        depth += 1
        node = node.get("/Parent")
    action = annot.get("/A")
    if isinstance(action, pikepdf.Dictionary) and _unsafe(action):
        del annot["/A"]


def _unsafe(action: pikepdf.Dictionary) -> bool:
    for _ in range(32):  # an action chain through /Next
        if action.get("/S") not in _SAFE_ACTIONS:
            return True
        action = action.get("/Next")
        if isinstance(action, pikepdf.Array):
            return any(isinstance(a, pikepdf.Dictionary) and _unsafe(a) for a in action)
        if not isinstance(action, pikepdf.Dictionary):
            return False
    return True


def strip_jpeg_streams(pdf: pikepdf.Pdf) -> None:
    """Every JPEG image in the file without its EXIF, XMP, IPTC and comments (the
    pixels stay as they are, still ``/DCTDecode``)."""
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Stream):
            continue
        with contextlib.suppress(*_BROKEN):  # an image qpdf cannot unpack stays as it is
            found = jpeg_of_stream(obj)
            if found is None:
                continue
            data, parms = found
            stripped = strip_jpeg(data)
            if stripped != data or isinstance(obj.get("/Filter"), pikepdf.Array):
                obj.write(stripped, filter=pikepdf.Name.DCTDecode, decode_parms=parms)


def _flatten_forms(pdf: pikepdf.Pdf) -> int:
    """Form fields become their appearance on the page; the fields are gone. The number
    of widgets there were."""
    widgets = 0
    others: list[list[pikepdf.Object]] = []
    for page in pdf.pages:
        annots = page.obj.get("/Annots")
        mine = []
        rest = []
        if isinstance(annots, pikepdf.Array):
            for annot in annots:
                is_widget = isinstance(annot, pikepdf.Dictionary) and annot.get("/Subtype") == (
                    "/Widget"
                )
                (mine if is_widget else rest).append(annot)
        widgets += len(mine)
        others.append(rest)
        if mine:
            page.obj.Annots = Array(mine)
        elif "/Annots" in page.obj:
            del page.obj["/Annots"]
    form = pdf.Root.get("/AcroForm")
    if widgets:
        if isinstance(form, pikepdf.Dictionary) and form.get("/NeedAppearances"):
            # viewers draw such fields from their values: so does the flattening; a
            # field left without an appearance is dropped below, unseen
            with contextlib.suppress(*_BROKEN):
                pdf.generate_appearance_streams()
        with contextlib.suppress(*_BROKEN):  # what does not flatten is dropped below
            pdf.flatten_annotations("all")  # not the hidden or invisible ones
    for page, rest in zip(pdf.pages, others, strict=True):
        if rest:
            page.obj.Annots = Array(rest)  # hidden widgets that did not flatten go
        elif "/Annots" in page.obj:
            del page.obj["/Annots"]
    if "/AcroForm" in pdf.Root:
        del pdf.Root["/AcroForm"]
    return widgets


def _is_annotation(obj: object) -> bool:
    """What an ``/OBJR`` points at is an annotation or an XObject (which cleaning keeps)."""
    return isinstance(obj, pikepdf.Dictionary) and (
        obj.get("/Type") == "/Annot" or ("/Rect" in obj and "/Subtype" in obj)
    )


#: What a structure element says of itself, besides its content.
_ELEMENT_TEXTS = ("/Alt", "/ActualText", "/T", "/E")


def _prune_structure(pdf: pikepdf.Pdf) -> None:
    """Drop every ``/OBJR`` of the tree whose annotation is no longer on a page, and the
    elements left empty by that (their ``/Alt`` may be the removed note's text)."""
    present = {
        annot.objgen
        for page in pdf.pages
        for annot in (page.obj.get("/Annots") or ())
        if isinstance(annot, pikepdf.Dictionary)
    }
    root = pdf.Root.StructTreeRoot
    seen: set[tuple[int, int]] = set()

    def prune(node: pikepdf.Object) -> bool:
        """False when ``node`` (a kid) is to go."""
        if not isinstance(node, pikepdf.Dictionary):
            return True  # an MCID
        if node.get("/Type") == "/OBJR":
            target = node.get("/Obj")
            return not _is_annotation(target) or target.objgen in present
        if node.get("/Type") == "/MCR":
            return True
        if node.is_indirect:
            if node.objgen in seen:  # a hostile file's loop
                return False
            seen.add(node.objgen)
        kids = node.get("/K")
        if kids is None:
            return True
        many = kids if isinstance(kids, pikepdf.Array) else [kids]
        left = [kid for kid in many if prune(kid)]
        if len(left) == len(many):
            return True
        if not left:
            del node["/K"]
            return False
        node.K = Array(left)
        for key in _ELEMENT_TEXTS:  # what it said may have been the removed note's
            if key in node:
                del node[key]
        return True

    with contextlib.suppress(*_BROKEN):
        kids = root.get("/K")
        if kids is not None:
            many = kids if isinstance(kids, pikepdf.Array) else [kids]
            root.K = Array([kid for kid in many if prune(kid)])
