"""Bringing one bilag's pages into the pack, and only its pages.

The pack is a fresh PDF: of an attachment only its pages (content, resources) and their
annotations come over – never its document metadata, outline, named JavaScript,
embedded files or catalog. Its structure tree is kept for the public edition, which
merges it (``pack_tags``). What could still ride along on a page is
removed before copying by ``pdf_clean.clean_document`` (the function the public
exchange export cleans with too): XMP and private data on pages and XObjects, JavaScript
and launch actions, file-attachment annotations (an embedded file may be the unredacted
original), and in the public edition the reviewers' notes and the form fields
(flattened into the page).

Links inside a bilag keep working: explicit destinations point at pages that are copied
with it (qpdf maps them), and named destinations – which live in the attachment's
catalog, left behind – are turned into explicit ones first.

Layers (optional content) are declared in the catalog too; their groups are carried
over, the ones switched off staying off.

Form fields (complete edition): the widgets come with their pages; their fields are
gathered under one parent field per bilag (``bilag_3``), so two bilag with a field
called "Navn" stay two fields, and the fields are listed in the pack's ``/AcroForm``
with the attachment's default resources. XFA forms are not carried over (their
AcroForm fallback is).
"""

from __future__ import annotations

import io
import warnings

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from export.pdf.pdf_clean import clean_document


def open_bilag(data: bytes, *, public: bool) -> pikepdf.Pdf:
    """Open a converted bilag for copying, cleaned for the edition; keep it open until
    the pack is saved (qpdf reads page content from it only then). Raises what pikepdf
    raises for a file that cannot be cleaned: the pack leaves it out and says so."""
    pdf = pikepdf.open(io.BytesIO(data))
    try:
        clean_document(pdf, public=public, keep_structure=public)
    except BaseException:
        pdf.close()
        raise
    return pdf


def import_pages(out: pikepdf.Pdf, source: pikepdf.Pdf, field_group: str) -> int:
    """Append the pages of ``source`` (opened by ``open_bilag``) to ``out``; the number
    of pages added."""
    named = _named_destinations(source)
    if named is not None:
        for page in source.pages:
            for annot in page.obj.get("/Annots") or ():
                if isinstance(annot, pikepdf.Dictionary) and annot.get("/Subtype") == "/Link":
                    _resolve_link(annot, named)
    with warnings.catch_warnings():
        # pikepdf warns that extend() leaves form fields behind; _merge_fields carries them
        warnings.filterwarnings("ignore", message="Copying pages from another Pdf")
        out.pages.extend(source.pages)
    _merge_fields(out, source, field_group)
    _merge_layers(out, source)
    return len(source.pages)


def _named_destinations(source: pikepdf.Pdf) -> dict[str, pikepdf.Object] | None:
    """Name -> explicit destination, from the name tree and the old /Dests dictionary;
    None when the file has none (the common case, which then costs nothing)."""
    root = source.Root
    names = root.get("/Names")
    tree = names.get("/Dests") if isinstance(names, pikepdf.Dictionary) else None
    old = root.get("/Dests")
    if tree is None and not isinstance(old, pikepdf.Dictionary):
        return None
    found: dict[str, pikepdf.Object] = {}
    if isinstance(old, pikepdf.Dictionary):
        for key, value in old.items():
            found[key[1:]] = value
    if isinstance(tree, pikepdf.Dictionary):
        try:
            for key, value in pikepdf.NameTree(tree).items():
                found[str(key)] = value
        except (pikepdf.PdfError, ValueError, TypeError):
            pass  # a broken name tree: its links go nowhere, as in the original
    return found


def _resolve_link(annot: pikepdf.Dictionary, named: dict[str, pikepdf.Object]) -> None:
    action = annot.get("/A")
    if "/Dest" in annot:
        explicit = _explicit(annot.Dest, named)
        if explicit is not None:
            annot.Dest = explicit
    elif isinstance(action, pikepdf.Dictionary) and action.get("/S") == "/GoTo":
        explicit = _explicit(action.get("/D"), named)
        if explicit is not None:
            action.D = explicit


def _explicit(dest: object, named: dict[str, pikepdf.Object]) -> pikepdf.Object | None:
    if isinstance(dest, String):
        value = named.get(str(dest))
    elif isinstance(dest, Name):
        value = named.get(str(dest)[1:])
    else:
        return None
    if isinstance(value, pikepdf.Dictionary):
        value = value.get("/D")
    return value if isinstance(value, pikepdf.Array) else None


def _merge_fields(out: pikepdf.Pdf, source: pikepdf.Pdf, group_name: str) -> None:
    form = source.Root.get("/AcroForm")
    if not isinstance(form, pikepdf.Dictionary):
        return
    fields = form.get("/Fields")
    if not isinstance(fields, pikepdf.Array) or len(fields) == 0:
        return
    # the same copier that copied the pages: the widgets' fields are already there
    # a field that is no dictionary (a number, a name) is junk: a hostile file's
    copied = [
        out.copy_foreign(f) for f in fields if isinstance(f, pikepdf.Dictionary) and f.is_indirect
    ]
    group = out.make_indirect(Dictionary(T=String(group_name), Kids=Array(copied)))
    for field in copied:
        field.Parent = group
    target = out.Root.get("/AcroForm")
    if not isinstance(target, pikepdf.Dictionary):
        out.Root.AcroForm = out.make_indirect(Dictionary(Fields=Array()))
        target = out.Root.AcroForm
    target.Fields.append(group)
    if "/DA" in form and "/DA" not in target:
        target.DA = form.DA
    if form.get("/NeedAppearances"):
        target.NeedAppearances = True
    resources = form.get("/DR")
    if isinstance(resources, pikepdf.Dictionary):
        mine = target.get("/DR")
        if not isinstance(mine, pikepdf.Dictionary):
            target.DR = Dictionary()
            mine = target.DR
        for kind, entries in resources.items():
            if not isinstance(entries, pikepdf.Dictionary):
                continue
            into = mine.get(kind)
            if not isinstance(into, pikepdf.Dictionary):
                mine[kind] = Dictionary()
                into = mine[kind]
            for key, value in entries.items():
                if key not in into and value.is_indirect:
                    into[key] = out.copy_foreign(value)


def _merge_layers(out: pikepdf.Pdf, source: pikepdf.Pdf) -> None:
    """Optional content (layers of a drawing) is declared in the catalog, which stays
    behind: carry the groups over, with the ones the author switched off still off."""
    properties = source.Root.get("/OCProperties")
    if not isinstance(properties, pikepdf.Dictionary):
        return
    groups = properties.get("/OCGs")
    if not isinstance(groups, pikepdf.Array) or len(groups) == 0:
        return
    target = out.Root.get("/OCProperties")
    if not isinstance(target, pikepdf.Dictionary):
        out.Root.OCProperties = Dictionary(OCGs=Array(), D=Dictionary(Order=Array(), OFF=Array()))
        target = out.Root.OCProperties
    copied = [out.copy_foreign(g) for g in groups if g.is_indirect]
    target.OCGs.extend(copied)
    default = properties.get("/D")
    off = default.get("/OFF") if isinstance(default, pikepdf.Dictionary) else None
    if isinstance(off, pikepdf.Array):
        target.D.OFF.extend(out.copy_foreign(g) for g in off if g.is_indirect)
    target.D.Order.extend(copied)
