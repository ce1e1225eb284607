"""Structural checks of a tagged PDF, for every public output's tests.

No full PDF/UA validator installs here (veraPDF is in neither Debian nor PyPI), so these
check what we can check ourselves: the tree is reachable and consistent with the pages
(every marked-content id on a page is reached from the tree, and the ParentTree names
the very element that reaches it), /Lang, /MarkInfo, the title shown, link annotations
owned by a Link element, and what the tree says (roles, titles, text) through poppler's
``pdfinfo -struct-text``, which reads the tree as a reader would.
"""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf

#: Operators that put something visible on the page.
_PAINT = frozenset({"Tj", "TJ", "'", '"', "Do", "f", "F", "f*", "B", "B*", "b", "b*", "S", "s",
                    "sh", "BI"})  # fmt: skip


@dataclass
class Node:
    """One line of ``pdfinfo -struct-text``: an element, its title, its text."""

    role: str
    title: str = ""
    text: list[str] = field(default_factory=list)
    kids: list[Node] = field(default_factory=list)

    def walk(self):
        yield self
        for kid in self.kids:
            yield from kid.walk()

    def all_text(self) -> str:
        return " ".join(t for n in self.walk() for t in n.text)


@dataclass
class Report:
    tree: Node
    #: (page index, mcid) of every piece of marked content reached from the tree
    reached: set[tuple[int, int]]
    #: pages whose painted content is not all marked (tagged or artifact)
    unmarked_pages: list[int]
    #: every string of the tree's elements: /T, /Alt, /ActualText, /E, /Lang
    strings: list[str]
    pdfua: bool

    def roles(self, role: str) -> list[Node]:
        return [n for n in self.tree.walk() if n.role == role]


def struct_text(path: Path) -> Node:
    """``pdfinfo -struct-text`` parsed into a tree."""
    tool = shutil.which("pdfinfo")
    assert tool, "poppler-utils (pdfinfo) is not installed"
    out = subprocess.run(
        [tool, "-enc", "UTF-8", "-struct-text", str(path)],
        capture_output=True,
        timeout=60,
        check=True,
    ).stdout
    root = Node("")
    stack: list[tuple[int, Node]] = [(-1, root)]
    for raw in out.splitlines():
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:  # pdfinfo prints a title's bytes as they are: a
            line = raw.decode("latin-1")  # PDFDocEncoded æøå is latin-1 there
        if not line.strip():
            continue
        depth = (len(line) - len(line.lstrip(" "))) // 2
        body = line.strip()
        while stack[-1][0] >= depth:
            stack.pop()
        parent = stack[-1][1]
        if body.startswith('"'):
            parent.text.append(body.strip('"'))
            continue
        if body.startswith(("Object ", "/")):  # an annotation, an attribute
            continue
        match = re.match(r'(\S+)(?: "(.*)")?', body)
        assert match, body
        node = Node(match.group(1).rstrip(":"), match.group(2) or "")
        parent.kids.append(node)
        stack.append((depth, node))
    return root


def check(path: Path, *, fully_tagged: bool = True) -> Report:
    """Check the file's structure; AssertionError names the first fault. With
    ``fully_tagged`` every painted thing on every page must be marked content."""
    with pikepdf.open(path) as pdf:
        root = pdf.Root
        assert str(root.get("/Lang")) == "da-DK", root.get("/Lang")
        assert bool(root.MarkInfo.Marked), "MarkInfo /Marked is not true"
        assert bool(root.ViewerPreferences.DisplayDocTitle), "DisplayDocTitle is not set"
        tree = root.StructTreeRoot
        pages = {page.objgen: n for n, page in enumerate(pdf.pages)}
        reached, owner, strings, objrs = _walk(tree, pages)
        parents = pikepdf.NumberTree(tree.ParentTree)
        next_key = tree.get("/ParentTreeNextKey")  # optional: LibreOffice leaves it out
        unmarked = []
        for n, page in enumerate(pdf.pages):
            marked = _page_mcids(page)
            key = page.obj.get("/StructParents")
            if marked:
                assert key is not None, f"page {n + 1} has marked content but no StructParents"
                assert next_key is None or int(key) < int(next_key), f"page {n + 1}: key {key}"
                entry = parents[int(key)]
                for mcid in marked:
                    assert (n, mcid) in reached, f"page {n + 1} MCID {mcid} not in the tree"
                    assert entry[mcid].objgen == owner[(n, mcid)], (
                        f"page {n + 1} MCID {mcid}: ParentTree names another element"
                    )
            if not _all_marked(page):
                unmarked.append(n)
            for annot in page.obj.get("/Annots") or ():
                if annot.get("/Subtype") != "/Link":
                    continue
                if "/StructParent" not in annot:  # an untagged bilag's own link
                    assert not fully_tagged, f"page {n + 1}: a link outside the tree"
                else:
                    element = parents[int(annot.StructParent)]
                    assert annot.objgen in objrs.get(element.objgen, ()), (
                        f"page {n + 1}: ParentTree does not name the link's element"
                    )
        for n, mcid in reached:
            assert mcid in _page_mcids(pdf.pages[n]) or _in_xobject(pdf.pages[n]), (
                f"the tree points at MCID {mcid} on page {n + 1}, which is not there"
            )
        if fully_tagged:
            assert not unmarked, f"pages with unmarked content: {[n + 1 for n in unmarked]}"
        meta = pdf.open_metadata()
        pdfua = meta.get("{http://www.aiim.org/pdfua/ns/id/}part") == "1"
    return Report(struct_text(path), reached, unmarked, strings, pdfua)


def _walk(tree, pages):
    reached: set[tuple[int, int]] = set()
    owner: dict[tuple[int, int], tuple[int, int]] = {}
    strings: list[str] = []
    objrs: dict[tuple[int, int], set[tuple[int, int]]] = {}
    seen: set[tuple[int, int]] = set()
    stack = [(tree, None)]
    while stack:
        node, page = stack.pop()
        if isinstance(node, int) or (isinstance(node, pikepdf.Object) and _is_int(node)):
            assert page is not None, "an MCID with no page"
            reached.add((pages[page], int(node)))
            continue
        if not isinstance(node, pikepdf.Dictionary):
            continue
        kind = node.get("/Type")
        if kind == "/OBJR":
            continue
        if kind == "/MCR":
            pg = node.get("/Pg", None)
            pg = pg.objgen if pg is not None else page
            if "/Stm" not in node:
                reached.add((pages[pg], int(node.MCID)))
            continue
        if node.is_indirect:
            assert node.objgen not in seen, "the tree has a loop or a shared element"
            seen.add(node.objgen)
        for key in ("/T", "/Alt", "/ActualText", "/E", "/Lang"):
            if key in node:
                strings.append(str(node[key]))
        if "/Pg" in node:
            page = node.Pg.objgen
            assert page in pages, "an element's /Pg is not a page of the file"
        kids = node.get("/K")
        if kids is None:
            continue
        kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
        for kid in kids:
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
                objrs.setdefault(node.objgen, set()).add(kid.Obj.objgen)
            elif _is_int(kid) and node.is_indirect:
                owner[(pages[page], int(kid))] = node.objgen
            elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                pg = kid.Pg.objgen if "/Pg" in kid else page
                owner[(pages[pg], int(kid.MCID))] = node.objgen
            if isinstance(kid, pikepdf.Dictionary) and "/P" in kid and kid.get("/Type") != "/MCR":
                assert kid.P.objgen == node.objgen, "an element's /P is not its parent"
            stack.append((kid, page))
    return reached, owner, strings, objrs


def _is_int(value: object) -> bool:
    try:
        return isinstance(value, int) or isinstance(int(value), int)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def _page_mcids(page: pikepdf.Page) -> set[int]:
    found = set()
    for operands, _operator in pikepdf.parse_content_stream(page, "BDC"):
        props = operands[1]
        if isinstance(props, pikepdf.Dictionary) and "/MCID" in props:
            found.add(int(props.MCID))
    return found


def _in_xobject(page: pikepdf.Page) -> bool:
    xobjects = page.obj.get("/Resources", {}).get("/XObject") or {}
    return any("/StructParents" in x for x in xobjects.values())


def _all_marked(page: pikepdf.Page) -> bool:
    """Does every painting operator sit inside marked content?"""
    depth = 0
    for item in pikepdf.parse_content_stream(page):
        if isinstance(item, pikepdf.ContentStreamInlineImage):
            if depth == 0:
                return False
            continue
        name = str(item.operator)
        if name in ("BDC", "BMC"):
            depth += 1
        elif name == "EMC":
            depth -= 1
        elif name in _PAINT and depth == 0:
            return False
    return True


def headings(report: Report) -> list[tuple[int, str]]:
    """(level, text) of every numbered heading (H1-H6) in reading order."""
    return [
        (int(n.role[1:]), " ".join(n.all_text().split()))
        for n in report.tree.walk()
        if re.fullmatch(r"H[1-6]", n.role)
    ]


def check_heading_levels(report: Report) -> list[tuple[int, str]]:
    """The first heading is H1 and no heading is more than one level below the one before
    it (H1 -> H3 skips a level: a screen reader's outline has a hole). Returns the
    headings; AssertionError names the first fault."""
    found = headings(report)
    assert found, "no headings"
    assert found[0][0] == 1, f"the first heading is H{found[0][0]}: {found[0][1]!r}"
    for (before, _), (level, text) in itertools.pairwise(found):
        assert level <= before + 1, f"H{before} -> H{level} skips a level at {text!r}"
    return found
