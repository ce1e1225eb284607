"""The public pack's structure tree: its own pages tagged, each bilag's tree kept.

reportlab cannot tag, so the pack's own pages (front page, contents, separators) are
drawn with marked content of our own (``MarkedContent``: ``/H1 <</MCID 0>> BDC ...
EMC`` around each text block, ``/Artifact`` around rules and dot leaders; the stamp
already is one) and their structure elements are made here with pikepdf. That path was
chosen by measurement over drawing those pages through the office suite: a docx or ODF
of front page, contents and separators costs one more LibreOffice call (~0.5-1 s warm,
more cold, and none on a machine without an office suite) and its page count is only
known after converting, while the page numbers are needed before drawing; marking the
reportlab pages costs a few milliseconds (benchmarks/pack.py --tagged).

Each bilag's own tree is copied with ``copy_foreign`` (its pages are already copied by
the same copier, so the elements point at the pack's pages) and put under a ``Part``
titled "Bilag N: Titel" after the separator's elements. Its ``StructParents`` keys (on
pages, annotations and form XObjects) are renumbered past the keys in use, and one
``ParentTree`` is built for the whole pack. An untagged bilag's pages stay as they are
(not hidden as artifacts: a reader that falls back to the page text still reads them),
under a ``Part`` with only its separator; the pack then does not claim PDF/UA.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import pikepdf
from pikepdf import Array, Dictionary, Name, String

_BROKEN = (pikepdf.PdfError, RuntimeError, ValueError, TypeError, KeyError, AttributeError)


@dataclass(frozen=True, slots=True)
class Mark:
    """One structure element of a generated page: its role and marked-content ids."""

    role: str
    mcids: tuple[int, ...]
    #: a contents line: a Link element that also owns the page's next link annotation
    link: bool = False


@dataclass
class MarkedContent:
    """Marked content written into a reportlab canvas, page by page."""

    pages: list[list[Mark]] = field(default_factory=lambda: [[]])
    _next: int = 0

    @contextlib.contextmanager
    def tag(self, canvas, role: str, *, link: bool = False, join: bool = False) -> Iterator[None]:
        """Content of one element (``join``: more content of the element before)."""
        mcid = self._next
        self._next += 1
        canvas.addLiteral(f"/{role} <</MCID {mcid}>> BDC")
        marks = self.pages[-1]
        if join and marks:
            last = marks[-1]
            marks[-1] = Mark(last.role, (*last.mcids, mcid), last.link)
        else:
            marks.append(Mark(role, (mcid,), link))
        yield
        canvas.addLiteral("EMC")

    @contextlib.contextmanager
    def artifact(self, canvas) -> Iterator[None]:
        canvas.addLiteral("/Artifact BMC")
        yield
        canvas.addLiteral("EMC")

    def next_page(self) -> None:
        self.pages.append([])
        self._next = 0


class PackStructure:
    """Builds the pack's structure tree; ``finish`` writes it into the catalog."""

    def __init__(self, pdf: pikepdf.Pdf) -> None:
        self._pdf = pdf
        self.root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
        self.document = self._element("Document", self.root)
        self.root.K = Array([self.document])
        self._parents: dict[int, pikepdf.Object] = {}
        self._next_key = 0
        self._role_map = Dictionary()
        self._class_map = Dictionary()
        self._ids: dict[str, pikepdf.Object] = {}
        #: every bilag had a tree of its own
        self.all_tagged = True

    def _element(self, role: str, parent: pikepdf.Object, **extra) -> pikepdf.Dictionary:
        element = self._pdf.make_indirect(
            Dictionary(Type=Name.StructElem, S=Name("/" + role), P=parent, K=Array(), **extra)
        )
        if "/K" in parent:
            parent.K.append(element)
        return element

    def _key(self, value: pikepdf.Object) -> int:
        key = self._next_key
        self._next_key += 1
        self._parents[key] = value
        return key

    def part(self, title: str) -> pikepdf.Dictionary:
        return self._element("Part", self.document, T=String(title))

    def generated(
        self, page: pikepdf.Dictionary, marks: Sequence[Mark], parent: pikepdf.Object
    ) -> None:
        """The elements of one of the pack's own pages, under ``parent`` (the document,
        or a bilag's Part); its contents links get their annotations."""
        if parent is None:
            parent = self.document
        by_mcid: dict[int, pikepdf.Object] = {}
        links = iter(
            a
            for a in (page.get("/Annots") or ())
            if isinstance(a, pikepdf.Dictionary) and a.get("/Subtype") == "/Link"
        )
        container = parent
        for mark in marks:
            if mark.link:
                if container is parent:
                    container = self._element("TOC", parent)
                item = self._element("TOCI", container)
                element = self._element("Link", item, Pg=page)
            else:
                container = parent
                element = self._element(mark.role, parent, Pg=page)
            element.K = Array(list(mark.mcids))
            for mcid in mark.mcids:
                by_mcid[mcid] = element
            annot = next(links, None) if mark.link else None
            if annot is not None:
                element.K.append(Dictionary(Type=Name.OBJR, Obj=annot, Pg=page))
                annot.StructParent = self._key(element)
                annot.Contents = String(_LINK_HINT)
        size = max(by_mcid, default=-1) + 1
        page.StructParents = self._key(Array([by_mcid.get(i) for i in range(size)]))

    def bilag(
        self, part: pikepdf.Dictionary, source: pikepdf.Pdf, pages: Sequence[pikepdf.Dictionary]
    ) -> bool:
        """Put the tree of ``source`` (whose pages were copied to ``pages``) under
        ``part``; False when it has none (the pages stay untagged)."""
        try:
            tagged = self._copy_tree(part, source, pages)
        except _BROKEN:
            tagged = False
        if not tagged:
            for page in pages:  # keys into a tree that is not there
                for obj in _keyed(page):
                    for key in ("/StructParents", "/StructParent"):
                        if key in obj:
                            del obj[key]
            self.all_tagged = False
        return tagged

    def _copy_tree(
        self, part: pikepdf.Dictionary, source: pikepdf.Pdf, pages: Sequence[pikepdf.Dictionary]
    ) -> bool:
        tree = source.Root.get("/StructTreeRoot")
        if not isinstance(tree, pikepdf.Dictionary):
            return False
        kids = tree.get("/K")
        parents = tree.get("/ParentTree")
        if kids is None or not isinstance(parents, pikepdf.Dictionary):
            return False
        kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
        kids = [k for k in kids if isinstance(k, pikepdf.Dictionary) and k.is_indirect]
        if not kids:
            return False
        for kid in kids:  # else the copy would take the source's root along
            if "/P" in kid:
                del kid["/P"]
        in_tree = _elements(kids)
        copied = [self._pdf.copy_foreign(kid) for kid in kids]
        for kid in copied:
            kid.P = part
            part.K.append(kid)
        old_tree = pikepdf.NumberTree(parents)
        renumbered: set[tuple[int, int]] = set()
        for page in pages:
            for obj in _keyed(page):
                if obj.objgen in renumbered:
                    continue
                renumbered.add(obj.objgen)
                for key_name in ("/StructParents", "/StructParent"):
                    if key_name not in obj:
                        continue
                    value = old_tree.get(int(obj[key_name]))
                    if value is None:
                        del obj[key_name]
                        continue
                    if isinstance(value, pikepdf.Array):
                        value = Array(
                            [self._pdf.copy_foreign(v) if _indirect(v) else None for v in value]
                        )
                    elif _indirect(value):
                        value = self._pdf.copy_foreign(value)
                    else:
                        del obj[key_name]
                        continue
                    obj[key_name] = self._key(value)
        self._merge_maps(tree, in_tree)
        return True

    def _merge_maps(self, tree: pikepdf.Dictionary, in_tree: set[tuple[int, int]]) -> None:
        for key, into in (("/RoleMap", self._role_map), ("/ClassMap", self._class_map)):
            given = tree.get(key)
            if isinstance(given, pikepdf.Dictionary):
                for name, value in given.items():
                    if name not in into:  # the first bilag's meaning of a name stands
                        into[name] = self._pdf.copy_foreign(value) if _indirect(value) else value
        ids = tree.get("/IDTree")
        if isinstance(ids, pikepdf.Dictionary):
            with contextlib.suppress(*_BROKEN):
                for name, element in pikepdf.NameTree(ids).items():
                    # only elements of the tree as cleaned: an ID of one the cleaning
                    # took out (a reviewer's note) must not bring it back
                    if name not in self._ids and _indirect(element) and element.objgen in in_tree:
                        self._ids[name] = self._pdf.copy_foreign(element)

    def finish(self) -> None:
        """The tree into the catalog, each page told to tab in structure order."""
        pdf = self._pdf
        nums: list = []
        for key in sorted(self._parents):
            nums += (key, self._parents[key])
        self.root.ParentTree = pdf.make_indirect(Dictionary(Nums=Array(nums)))
        self.root.ParentTreeNextKey = self._next_key
        if len(self._role_map):
            self.root.RoleMap = self._role_map
        if len(self._class_map):
            self.root.ClassMap = self._class_map
        if self._ids:
            names = Array()
            for name in sorted(self._ids):
                names.extend([String(name), self._ids[name]])
            self.root.IDTree = Dictionary(Names=names)
        pdf.Root.StructTreeRoot = self.root
        pdf.Root.MarkInfo = Dictionary(Marked=True)
        for page in pdf.pages:
            page.obj.Tabs = Name.S


def claim_pdf_ua(pdf: pikepdf.Pdf) -> None:
    """Say in the XMP that the file is meant to be PDF/UA-1."""
    with pdf.open_metadata(set_pikepdf_as_editor=False) as xmp:
        xmp.register_xml_namespace(_PDFUA, "pdfuaid")
        xmp["pdfuaid:part"] = "1"


_PDFUA = "http://www.aiim.org/pdfua/ns/id/"


def _elements(kids: list[pikepdf.Object]) -> set[tuple[int, int]]:
    """The objgens of every element reachable from ``kids``."""
    found: set[tuple[int, int]] = set()
    stack = list(kids)
    while stack:
        node = stack.pop()
        if not isinstance(node, pikepdf.Dictionary) or node.get("/Type") in ("/OBJR", "/MCR"):
            continue
        if node.is_indirect:
            if node.objgen in found:
                continue
            found.add(node.objgen)
        more = node.get("/K")
        if more is not None:
            stack.extend(more if isinstance(more, pikepdf.Array) else [more])
    return found


def _indirect(value: object) -> bool:
    return isinstance(value, pikepdf.Object) and value.is_indirect


#: A contents link's /Contents (PDF/UA wants one on every annotation).
_LINK_HINT = "Gå til bilaget"


def _keyed(page: pikepdf.Dictionary) -> Iterator[pikepdf.Dictionary]:
    """The page and what on it may carry a key into the ParentTree: its annotations and
    the form XObjects it draws (nested ones too)."""
    yield page
    for annot in page.get("/Annots") or ():
        if isinstance(annot, pikepdf.Dictionary):
            yield annot
    seen: set[tuple[int, int]] = set()
    stack = [page.get("/Resources")]
    while stack:
        resources = stack.pop()
        if not isinstance(resources, pikepdf.Dictionary):
            continue
        xobjects = resources.get("/XObject")
        if not isinstance(xobjects, pikepdf.Dictionary):
            continue
        for xobject in xobjects.values():
            if not isinstance(xobject, pikepdf.Stream) or xobject.objgen in seen:
                continue
            seen.add(xobject.objgen)
            if xobject.get("/Subtype") == "/Form":
                yield xobject
                stack.append(xobject.get("/Resources"))


def untagged_notice(untagged: list[tuple[str, bool]] | None) -> tuple[str, ...]:
    """What the user can do differs: a PDF with text is saved again with tags, a scan
    (no text at all) needs text recognition first."""
    if not untagged:
        return ()
    text = [label for label, scanned in untagged if not scanned]
    scans = [label for label, scanned in untagged if scanned]
    lines = []
    if text:
        lines.append(
            f"{_count(text)} ingen tilgængelighedsmærker (tags): {_shown(text)}. Gem dem som "
            "tilgængelig PDF fra Word (Filer → Gem som → PDF → Indstillinger → "
            "Dokumentstrukturkoder), tilføj dem igen, og eksportér igen."
        )
    if scans:
        lines.append(
            f"{_count(scans)} ingen tekst, kun scannede billeder: {_shown(scans)}. Kør "
            "tekstgenkendelse (OCR) på dem, eller bed om en PDF med tekst, tilføj dem "
            "igen, og eksportér igen."
        )
    return ("Den offentlige bilagspakke er ikke fuldt tilgængelig: " + " ".join(lines),)


def _count(labels: list[str]) -> str:
    return f"{len(labels)} bilag har"


def _shown(labels: list[str]) -> str:
    more = len(labels) - 5
    return ", ".join(labels[:5]) + (f" og {more} andre" if more > 0 else "")


def has_text(pages: list[pikepdf.Page]) -> bool:
    """Does any page show text (forms followed down)? A scan shows only images; an OCR'd
    scan has its invisible text and counts. Asked of untagged bilag only."""
    return any(_shows_text(page, page.obj.get("/Resources"), 3) for page in pages)


_TEXT_OPS = "Tj TJ ' \" Do"


def _shows_text(stream: object, resources: object, depth: int) -> bool:
    try:
        instructions = pikepdf.parse_content_stream(stream, _TEXT_OPS)
    except (pikepdf.PdfError, ValueError, TypeError):
        return True  # cannot tell: the usual advice (save with tags) is not wrong
    for instruction in instructions:
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            continue
        if str(instruction.operator) != "Do":
            return True
        xobjects = resources.get("/XObject") if isinstance(resources, pikepdf.Dictionary) else None
        form = xobjects.get(instruction.operands[0]) if xobjects is not None else None
        if (
            depth > 0
            and isinstance(form, pikepdf.Stream)
            and form.get("/Subtype") == "/Form"
            and _shows_text(form, form.get("/Resources", resources), depth - 1)
        ):
            return True
    return False
