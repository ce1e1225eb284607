"""The public edition's PDF by allow-list: the catalog, the pages and the links keep
only the keys a reader's view needs; anything else a tool or a sender put there (a
private key, a comment on a link, a page label's prefix, a named destination's name)
is dropped, whatever it is called. A key not on a list is never published.
"""

from __future__ import annotations

import pikepdf
from pikepdf import Array, Dictionary, Name, String

#: Catalog keys kept (``/Names`` with nothing but destinations, made explicit below).
CATALOG_KEYS = frozenset(
    {"/Type", "/Pages", "/ViewerPreferences", "/PageLayout", "/PageMode", "/Lang",
     "/MarkInfo", "/StructTreeRoot", "/OutputIntents", "/PageLabels", "/AcroForm",
     "/Version"}
)  # fmt: skip
PAGE_KEYS = frozenset(
    {"/Type", "/Parent", "/Resources", "/MediaBox", "/CropBox", "/BleedBox", "/TrimBox",
     "/ArtBox", "/Rotate", "/Contents", "/Annots", "/UserUnit", "/Group", "/StructParents",
     "/Tabs"}
)  # fmt: skip
#: A link's appearance and target; not its ``/Contents``, ``/T``, ``/NM`` (text).
LINK_KEYS = frozenset(
    {"/Type", "/Subtype", "/Rect", "/Border", "/BS", "/C", "/QuadPoints", "/H", "/P",
     "/StructParent", "/F"}
)  # fmt: skip
_VIEWER_PREFERENCES = frozenset(
    {"/HideToolbar", "/HideMenubar", "/HideWindowUI", "/FitWindow", "/CenterWindow",
     "/DisplayDocTitle", "/NonFullScreenPageMode", "/Direction", "/PrintScaling",
     "/Duplex", "/PickTrayByPDFSize", "/NumCopies"}
)  # fmt: skip
_LABEL_STYLES = frozenset({"/D", "/R", "/r", "/A", "/a"})


def allow_catalog(pdf: pikepdf.Pdf) -> None:
    """The catalog with only ``CATALOG_KEYS`` (``/AcroForm`` is flattened away after);
    the page labels' numbering without a prefix; links to named destinations made
    explicit, and the names gone."""
    root = pdf.Root
    named = _named_destinations(pdf)
    for page in pdf.pages:
        annots = page.obj.get("/Annots")
        if isinstance(annots, Array):
            for annot in annots:
                if isinstance(annot, Dictionary) and annot.get("/Subtype") == "/Link":
                    _resolve_link(annot, named)
    for key in list(root.keys()):
        if key not in CATALOG_KEYS:
            del root[key]
    prefs = root.get("/ViewerPreferences")
    if isinstance(prefs, Dictionary):
        root.ViewerPreferences = Dictionary(
            {k: v for k, v in prefs.items() if k in _VIEWER_PREFERENCES and not _is_text(v)}
        )
    if "/PageLabels" in root:
        labels = _page_labels(root.PageLabels)
        if labels is None:
            del root["/PageLabels"]
        else:
            root.PageLabels = labels


def allow_page(page: Dictionary) -> None:
    for key in list(page.keys()):
        if key not in PAGE_KEYS:
            del page[key]


def rebuilt_link(link: Dictionary) -> Dictionary:
    """A new link dictionary from ``link``'s allowed keys and its target: a ``/URI`` or
    ``/GoTo`` action (nothing chained after it) or an explicit ``/Dest``."""
    kept = Dictionary(
        {k: v for k, v in link.items() if k in LINK_KEYS and not isinstance(v, String)}
    )
    if isinstance(kept.get("/BS"), Dictionary):  # a border style: width, style, dashes
        kept.BS = Dictionary({k: v for k, v in kept.BS.items() if k in ("/W", "/S", "/D")})
    action = link.get("/A")
    if isinstance(action, Dictionary):
        kind = action.get("/S")
        if kind == "/URI" and isinstance(action.get("/URI"), String):
            kept.A = Dictionary(S=Name.URI, URI=action.URI)
        elif kind == "/GoTo" and _explicit_array(action.get("/D")):
            kept.A = Dictionary(S=Name.GoTo, D=action.D)
    elif _explicit_array(link.get("/Dest")):
        kept.Dest = link.Dest
    return kept


def _explicit_array(dest: object) -> bool:
    return isinstance(dest, Array) and len(dest) > 0


def _is_text(value: object) -> bool:
    return isinstance(value, String | Dictionary | Array)


def _page_labels(tree: object) -> Dictionary | None:
    """``/Nums`` of the label tree, each label only its style and first number."""
    nums = tree.get("/Nums") if isinstance(tree, Dictionary) else None
    if not isinstance(nums, Array):
        return None  # a tree with /Kids: rare; the labels go (pages are numbered 1, 2…)
    out = []
    for index in range(0, len(nums) - 1, 2):
        start, label = nums[index], nums[index + 1]
        if not isinstance(start, int) or not isinstance(label, Dictionary):
            continue
        clean = Dictionary()
        if label.get("/S") in _LABEL_STYLES:
            clean.S = label.S
        if isinstance(label.get("/St"), int):
            clean.St = label.St
        out.extend([start, clean])
    return Dictionary(Nums=Array(out)) if out else None


def _named_destinations(pdf: pikepdf.Pdf) -> dict[str, pikepdf.Object]:
    root = pdf.Root
    names = root.get("/Names")
    tree = names.get("/Dests") if isinstance(names, Dictionary) else None
    old = root.get("/Dests")
    found: dict[str, pikepdf.Object] = {}
    if isinstance(old, Dictionary):
        for key, value in old.items():
            found[key[1:]] = value
    if isinstance(tree, Dictionary):
        try:
            for key, value in pikepdf.NameTree(tree).items():
                found[str(key)] = value
        except (pikepdf.PdfError, ValueError, TypeError):
            pass  # a broken name tree: its links go nowhere, as in the original
    return found


def _resolve_link(annot: Dictionary, named: dict[str, pikepdf.Object]) -> None:
    action = annot.get("/A")
    if "/Dest" in annot:
        annot.Dest = _explicit(annot.Dest, named)
    elif isinstance(action, Dictionary) and action.get("/S") == "/GoTo":
        action.D = _explicit(action.get("/D"), named)


def _explicit(dest: object, named: dict[str, pikepdf.Object]) -> pikepdf.Object:
    """The explicit destination (an array) for ``dest``; null when it has none."""
    if isinstance(dest, Array):
        return dest
    value = None
    if isinstance(dest, String):
        value = named.get(str(dest))
    elif isinstance(dest, Name):
        value = named.get(str(dest)[1:])
    if isinstance(value, Dictionary):
        value = value.get("/D")
    return value if isinstance(value, Array) else Array()
