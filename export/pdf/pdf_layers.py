"""Optional content (layers) out of a PDF for the public edition.

A layer switched off by default is not seen on the page but is in the file: a draft
paragraph, a name blacked out by a layer on top of it, the unredacted version. Its
group's ``/Name`` is text too ("Navne – ikke til offentliggørelse"). The public edition
publishes what a reader sees when the file opens: content of a layer that is off is
removed (marked content ``/OC /name BDC … EMC``, form XObjects and images drawn with
``Do`` and annotations whose ``/OC`` is off); the rest of the content stays, unmarked;
then ``/OCProperties`` and every ``/OC`` go, and with them the groups and their names.
A visibility that cannot be decided (a visibility expression, a broken group) counts as
off: fail closed.
"""

from __future__ import annotations

import pikepdf
from pikepdf import Name

_MAX_DEPTH = 16


def has_layers(pdf: pikepdf.Pdf) -> bool:
    if "/OCProperties" in pdf.Root:
        return True
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            d = obj.stream_dict if isinstance(obj, pikepdf.Stream) else obj
            if "/OC" in d or d.get("/Type") in ("/OCG", "/OCMD"):
                return True
    return False


def remove_layers(pdf: pikepdf.Pdf) -> None:
    """Remove hidden layers' content and every trace of optional content, in place."""
    if not has_layers(pdf):
        return
    hidden = _Hidden(pdf)
    done: set[tuple[int, int]] = set()
    for page in pdf.pages:
        resources = page.obj.get("/Resources")
        if isinstance(resources, pikepdf.Dictionary):
            _clean_xobjects(pdf, resources, hidden, done, 0)
        ops = pikepdf.parse_content_stream(page)
        page.obj.Contents = pdf.make_stream(
            pikepdf.unparse_content_stream(_filter(ops, resources, hidden))
        )
        _drop_groups(resources)
        annots = page.obj.get("/Annots")
        if isinstance(annots, pikepdf.Array):
            kept = [a for a in annots if not hidden.is_hidden(_get(a, "/OC"))]
            for annot in kept:
                if isinstance(annot, pikepdf.Dictionary) and "/OC" in annot:
                    del annot["/OC"]
            page.obj.Annots = pikepdf.Array(kept)
    if "/OCProperties" in pdf.Root:
        del pdf.Root["/OCProperties"]
    for obj in pdf.objects:
        d = obj.stream_dict if isinstance(obj, pikepdf.Stream) else obj
        if not isinstance(d, pikepdf.Dictionary):
            continue
        if "/OC" in d:
            del d["/OC"]
        _drop_groups(d)


def _drop_groups(resources: object) -> None:
    """The optional content groups out of a resource dictionary's /Properties (their
    marks are gone from the content)."""
    props = _get(resources, "/Properties")
    if isinstance(props, pikepdf.Dictionary):
        for key in list(props.keys()):
            if _get(props[key], "/Type") in ("/OCG", "/OCMD"):
                del props[key]


def _get(obj: object, key: str) -> object:
    return obj.get(key) if isinstance(obj, pikepdf.Dictionary) else None


class _Hidden:
    """Which optional content groups are off when the file opens."""

    def __init__(self, pdf: pikepdf.Pdf) -> None:
        props = pdf.Root.get("/OCProperties")
        default = _get(props, "/D")
        self.off: set[tuple[int, int]] = set()
        self.on: set[tuple[int, int]] = set()
        self.base_off = _get(default, "/BaseState") == "/OFF"
        for key, target in (("/OFF", self.off), ("/ON", self.on)):
            groups = _get(default, key)
            if isinstance(groups, pikepdf.Array):
                target.update(g.objgen for g in groups if isinstance(g, pikepdf.Dictionary))

    def _group_off(self, group: object) -> bool:
        if not isinstance(group, pikepdf.Dictionary):
            return True
        if self.base_off:
            return group.objgen not in self.on
        return group.objgen in self.off

    def is_hidden(self, oc: object) -> bool:
        """``oc`` an /OC value (a group or a membership dictionary); None: visible."""
        if oc is None:
            return False
        if not isinstance(oc, pikepdf.Dictionary):
            return True
        if oc.get("/Type") != "/OCMD":
            return self._group_off(oc)
        if "/VE" in oc:
            return True  # an expression: not evaluated, so not published
        groups = oc.get("/OCGs")
        if isinstance(groups, pikepdf.Dictionary):
            groups = [groups]
        if not isinstance(groups, pikepdf.Array | list) or len(groups) == 0:
            return False
        offs = [self._group_off(g) for g in groups]
        policy = oc.get("/P", Name.AnyOn)
        if policy == "/AllOn":
            return any(offs)
        if policy == "/AnyOff":
            return not any(offs)
        if policy == "/AllOff":
            return not all(offs)
        return all(offs)  # AnyOn


def _filter(ops, resources: object, hidden: _Hidden) -> list:
    """The operators without hidden marked content and hidden XObjects; the /OC
    marks of visible content are dropped with their EMC."""
    props = _get(resources, "/Properties")
    xobjects = _get(resources, "/XObject")
    out: list = []
    stack: list[str] = []  # per open marked content: "keep", "drop-mark", "skip"
    skipping = 0  # depth inside hidden content
    for operands, operator in ops:
        op = str(operator)
        if skipping:
            if op in ("BMC", "BDC"):
                skipping += 1
            elif op == "EMC":
                skipping -= 1
            continue
        if op == "BDC" and len(operands) == 2 and operands[0] == "/OC":
            ref = operands[1]
            group = _get(props, str(ref)) if isinstance(ref, Name) else ref
            if hidden.is_hidden(group if group is not None else 0):
                skipping = 1
                continue
            stack.append("drop-mark")
            continue
        if op in ("BMC", "BDC"):
            stack.append("keep")
        elif op == "EMC":
            if stack and stack.pop() == "drop-mark":
                continue
        elif op == "Do" and _hidden_xobject(operands, xobjects, hidden):
            continue
        out.append((operands, operator))
    return out


def _hidden_xobject(operands: list, xobjects: object, hidden: _Hidden) -> bool:
    if not operands or not isinstance(operands[0], Name):
        return False
    return hidden.is_hidden(_get(_get(xobjects, str(operands[0])), "/OC"))


def _clean_xobjects(
    pdf: pikepdf.Pdf,
    resources: pikepdf.Dictionary,
    hidden: _Hidden,
    done: set[tuple[int, int]],
    depth: int,
) -> None:
    xobjects = resources.get("/XObject")
    if not isinstance(xobjects, pikepdf.Dictionary) or depth > _MAX_DEPTH:
        return
    for key in list(xobjects.keys()):
        xobject = xobjects[key]
        if not isinstance(xobject, pikepdf.Stream) or xobject.get("/Subtype") != "/Form":
            continue
        if xobject.is_indirect:
            if xobject.objgen in done:
                continue
            done.add(xobject.objgen)
        own = xobject.get("/Resources")
        inner = own if isinstance(own, pikepdf.Dictionary) else resources
        _clean_xobjects(pdf, inner, hidden, done, depth + 1)
        ops = pikepdf.parse_content_stream(xobject)
        xobject.write(pikepdf.unparse_content_stream(_filter(ops, inner, hidden)))
        _drop_groups(inner)
