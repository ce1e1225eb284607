"""An Office file made safe to convert: nothing fetched, no tracked deletions, no comments.

An office suite that opens a document fetches what the document links to: a DOCX
picture relationship with ``TargetMode="External"``, an ODT ``draw:image`` whose
``xlink:href`` is ``http://...``, a linked template or OLE object. The fetched picture
went into the public bilagspakke, and the request told a stranger's server who opened
the file and when. Tracked deletions printed struck through, and comments could print.

``clean`` works on a copy of the bytes (the stored bilag never changes) and returns a
package in which

- every external relationship that would be fetched (pictures, media, linked OLE
  objects, templates, subdocuments, frames, linked workbooks; anything but hyperlinks)
  is gone, and the attributes that pointed at it;
- in ODF, every ``xlink:href`` that points outside the package (a scheme, an absolute
  or UNC path, ``../``) is gone, except on hyperlinks; linked sections and sheets keep
  their last saved content;
- tracked changes are accepted (DOCX: ``w:del``/``w:moveFrom`` removed with their
  text, ``w:ins``/``w:moveTo`` unwrapped, property changes dropped; ODF: the change
  log with the deleted text removed) and comments are removed.

The LibreOffice profile (``office_settings``) and Word's options block fetching too;
this is the first of those defences, and the one that works on any office suite.
``survey`` runs the same pass without keeping the result, so preflight says exactly
what the conversion will do. Old binary formats (doc, xls, ppt, rtf) are passed as
they are: only the office suite's own settings protect them.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field

from lxml import etree

from export.conversion.office_revisions import (
    accept_changes,
    drop_comment_marks,
    remove_keeping_tail,
)

__all__ = ["CLEAN_VERSION", "OfficeContent", "PackageNotCleaned", "clean", "survey"]

#: Part of the conversion cache key: a PDF converted before this cleaning (with a fetched
#: picture or a struck-through deletion in it) must not be reused.
CLEAN_VERSION = "ren1"

#: No part this module reads may be larger than this (uncompressed).
_PART_BYTES = 256 * 1024 * 1024

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_XLINK = "http://www.w3.org/1999/xlink"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"


class PackageNotCleaned(Exception):
    """The package could not be read well enough to be cleaned; it is not converted."""


@dataclass(frozen=True, slots=True)
class OfficeContent:
    """What ``clean`` found (and removed) in a package."""

    #: Addresses of pictures, sound and video the document fetches from outside itself.
    external_images: tuple[str, ...] = ()
    #: Addresses of other things it would fetch: templates, linked objects, documents.
    external_files: tuple[str, ...] = ()
    #: Tracked changes (insertions, deletions, moves, formatting) were accepted.
    tracked_changes: bool = False
    #: Comments were removed.
    comments: bool = False


def clean(data: bytes) -> bytes:
    """``data`` with nothing to fetch, changes accepted and comments gone (the same
    bytes when there was nothing to do, or the file is no zip package: an old binary
    format). Raises ``PackageNotCleaned`` for a package it cannot read."""
    return _Cleaner(data).run()[0]


def survey(data: bytes) -> OfficeContent:
    """What ``clean`` would remove from ``data``. Raises ``PackageNotCleaned`` as it."""
    return _Cleaner(data).run()[1]


# -- the pass over the package ------------------------------------------------------------

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
#: Parts worth parsing are found by a cheap look at their bytes first.
_WORD_MARKS = re.compile(
    rb"<(?:[\w.-]+:)?(?:del|ins|moveFrom|moveTo|delText|delInstrText|cellDel|cellIns|"
    rb"cellMerge|[A-Za-z]+Change|comment[A-Za-z]*)[\s/>]"
)
_ODF_MARKS = re.compile(rb"href|tracked-changes|annotation|<(?:[\w.-]+:)?change[\s/>]")
_WORD_PART = re.compile(
    r"^word/(document|header\d*|footer\d*|footnotes|endnotes|comments|glossary/document)\.xml$"
)
_COMMENT_PARTS = re.compile(
    r"^word/(comments|commentsExtended|commentsIds|commentsExtensible)\.xml$"
)
_ODF_PART = re.compile(r"(^|/)(content|styles)\.xml$")


@dataclass
class _Found:
    images: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    tracked: bool = False
    comments: bool = False

    def content(self) -> OfficeContent:
        return OfficeContent(
            tuple(dict.fromkeys(self.images)),
            tuple(dict.fromkeys(self.files)),
            self.tracked,
            self.comments,
        )


class _Cleaner:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.found = _Found()
        self.changed: dict[str, bytes] = {}

    def run(self) -> tuple[bytes, OfficeContent]:
        if not self.data.startswith(b"PK\x03\x04"):
            return self.data, OfficeContent()
        try:
            with zipfile.ZipFile(io.BytesIO(self.data)) as package:
                infos = package.infolist()
                names = {info.filename: info for info in infos}
                # both, whatever the package claims to be: each looks only at its parts
                self._ooxml(package, names)
                self._odf(package, names)
                if not self.changed:
                    return self.data, self.found.content()
                return _rebuilt(package, infos, self.changed), self.found.content()
        except PackageNotCleaned:
            raise
        except (
            zipfile.BadZipFile,
            zipfile.LargeZipFile,
            OSError,
            EOFError,
            RuntimeError,
            NotImplementedError,
            ValueError,
            etree.LxmlError,
        ) as error:
            raise PackageNotCleaned(f"{type(error).__name__}: {error}") from error

    # -- OOXML ----------------------------------------------------------------------------

    def _ooxml(self, package: zipfile.ZipFile, names: dict[str, zipfile.ZipInfo]) -> None:
        # source part -> (relationship ids removed, ids of hyperlinks kept)
        removed: dict[str, tuple[set[str], set[str]]] = {}
        for name, info in names.items():
            if name.endswith(".rels"):  # small: every one is parsed, no guessing
                ids, links = self._external_relationships(name, _read(package, info))
                if ids or links:
                    removed[_rels_source(name)] = (ids, links)
        for name, info in names.items():
            if name.endswith(".rels"):
                continue
            ids, links = removed.get(name, (set(), set()))
            word = bool(_WORD_PART.match(name))
            if not ids and not links and not word:
                continue
            data = _read(package, info)
            if not ids and not links and not _worth_parsing(data, _WORD_MARKS):
                continue
            tree = _parse(data, name)
            touched = _drop_references(tree, ids, links) if ids or links else False
            if word:
                touched = self._word(tree, name) or touched
            if touched:
                self.changed[name] = _serialize(tree)

    def _external_relationships(self, name: str, data: bytes) -> tuple[set[str], set[str]]:
        tree = _parse(data, name)
        ids: set[str] = set()
        links: set[str] = set()
        for rel in list(tree.getroot()):
            if not isinstance(rel.tag, str):
                continue
            target = rel.get("Target", "")
            external = rel.get("TargetMode", "").lower() == "external"
            absolute = _SCHEME.match(target) or target.strip().startswith(_UNC)
            if not external and not absolute:
                continue  # a part of the package
            kind = rel.get("Type", "").rsplit("/", 1)[-1].lower()
            if kind == "hyperlink":  # a link the reader may click; never fetched
                links.add(rel.get("Id", ""))
                continue
            picture = kind in ("image", "media", "video", "audio")
            (self.found.images if picture else self.found.files).append(target)
            ids.add(rel.get("Id", ""))
            tree.getroot().remove(rel)
        if ids:
            self.changed[name] = _serialize(tree)
        return ids, links

    def _word(self, tree: etree._ElementTree, name: str) -> bool:
        root = tree.getroot()
        if _COMMENT_PARTS.match(name):
            if len(root) == 0:
                return False
            self.found.comments = True
            for child in list(root):
                root.remove(child)
            return True
        tracked = accept_changes(root)
        comments = drop_comment_marks(root)
        self.found.tracked = self.found.tracked or tracked
        self.found.comments = self.found.comments or comments
        return tracked or comments

    # -- ODF ------------------------------------------------------------------------------

    def _odf(self, package: zipfile.ZipFile, names: dict[str, zipfile.ZipInfo]) -> None:
        for name, info in names.items():
            if not _ODF_PART.search(name):
                continue
            data = _read(package, info)
            if not _worth_parsing(data, _ODF_MARKS):
                continue
            tree = _parse(data, name)
            root = tree.getroot()
            touched = self._odf_links(root)
            tracked = _odf_remove(
                root, (f"{{{_TEXT}}}tracked-changes", f"{{{_TABLE}}}tracked-changes")
            )
            marks = _odf_remove(
                root,
                (f"{{{_TEXT}}}change", f"{{{_TEXT}}}change-start", f"{{{_TEXT}}}change-end"),
            )
            notes = _odf_remove(root, (f"{{{_OFFICE}}}annotation", f"{{{_OFFICE}}}annotation-end"))
            self.found.tracked = self.found.tracked or tracked or marks
            self.found.comments = self.found.comments or notes
            if touched or tracked or marks or notes:
                self.changed[name] = _serialize(tree)

    def _odf_links(self, root: etree._Element) -> bool:
        href = f"{{{_XLINK}}}href"
        touched = False
        for element in list(root.iter()):
            target = element.get(href) if isinstance(element.tag, str) else None
            if target is None or element.tag in _ODF_HYPERLINKS or not _outside(target):
                continue
            picture = element.tag in _ODF_PICTURES
            (self.found.images if picture else self.found.files).append(target)
            parent = element.getparent()
            if element.tag in _ODF_SOURCES and parent is not None:
                parent.remove(element)  # the section or sheet keeps what was saved last
            else:
                del element.attrib[href]
            touched = True
        return touched


_ODF_HYPERLINKS = frozenset({f"{{{_TEXT}}}a", f"{{{_DRAW}}}a"})
_ODF_PICTURES = frozenset(
    {f"{{{_DRAW}}}image", f"{{{_DRAW}}}fill-image", f"{{{_STYLE}}}background-image"}
)
_ODF_SOURCES = frozenset(
    {f"{{{_TEXT}}}section-source", f"{{{_TABLE}}}table-source", f"{{{_OFFICE}}}dde-source"}
)
_SCHEME = re.compile(r"^\s*[A-Za-z][A-Za-z0-9+.-]*:")
_UNC = ("//", "\\\\")


def _worth_parsing(data: bytes, marks: re.Pattern[bytes]) -> bool:
    """A part that names what is cleaned, or one not in UTF-8 (UTF-16 hides the
    names from a look at the bytes, so it is parsed whatever it holds)."""
    return (
        bool(marks.search(data)) or data[:2] in (b"\xff\xfe", b"\xfe\xff") or (b"\x00" in data[:64])
    )


def _outside(target: str) -> bool:
    """An ODF reference that leaves the package: a URL, an absolute or UNC path, a
    drive letter, or a relative path going up from the document."""
    target = target.strip()
    return bool(
        _SCHEME.match(target)
        or target.startswith(("/", "\\", "../", "..\\"))
        or target in ("..", ".")
    )


def _odf_remove(root: etree._Element, tags: tuple[str, ...]) -> bool:
    doomed = [element for element in root.iter(*tags)]
    for element in doomed:
        remove_keeping_tail(element)
    return bool(doomed)


#: Where a hyperlink relationship belongs; anywhere else (a picture's ``r:link``) a
#: hostile file could have it fetched.
_LINK_OWNERS = frozenset({"hyperlink", "hlinkClick", "hlinkHover", "hlinkMouseOver"})


def _drop_references(tree: etree._ElementTree, ids: set[str], links: set[str]) -> bool:
    """Attributes naming a removed relationship (``r:...``, VML's ``o:relid``) go, and
    those naming a hyperlink from anything but a hyperlink; an element that exists only
    to name it (a linked template, a subdocument) goes whole."""
    touched = False
    for element in list(tree.getroot().iter()):
        if not isinstance(element.tag, str):
            continue
        owner = etree.QName(element).localname in _LINK_OWNERS
        for attribute, value in list(element.attrib.items()):
            reference = attribute.startswith(f"{{{_R}}}") or attribute.endswith("}relid")
            doomed = value in ids or (value in links and not owner)
            if reference and doomed:
                del element.attrib[attribute]
                touched = True
                if element.tag in (f"{{{_W}}}attachedTemplate", f"{{{_W}}}subDoc"):
                    parent = element.getparent()
                    if parent is not None:
                        parent.remove(element)
    return touched


# -- reading and writing --------------------------------------------------------------------


def _rels_source(rels_name: str) -> str:
    """``word/_rels/document.xml.rels`` -> ``word/document.xml``."""
    folder, base = posixpath.split(rels_name)
    owner = posixpath.dirname(folder)
    return posixpath.join(owner, base[: -len(".rels")]) if base != ".rels" else ""


def _read(package: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    with package.open(info) as part:
        data = part.read(_PART_BYTES + 1)
    if len(data) > _PART_BYTES:
        raise PackageNotCleaned(f"{info.filename} is too large to check")
    return data


def _parse(data: bytes, name: str) -> etree._ElementTree:
    try:
        return etree.parse(io.BytesIO(data), _PARSER)
    except etree.XMLSyntaxError as error:
        raise PackageNotCleaned(f"{name}: {error}") from error


def _serialize(tree: etree._ElementTree) -> bytes:
    return etree.tostring(
        tree, xml_declaration=True, encoding="UTF-8", standalone=tree.docinfo.standalone
    )


def _rebuilt(
    package: zipfile.ZipFile, infos: list[zipfile.ZipInfo], changed: dict[str, bytes]
) -> bytes:
    """The package with the changed parts, everything else as it was, in its order (an
    ODF ``mimetype`` stays first and stored)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as rebuilt:
        for info in infos:
            data = changed.get(info.filename)
            if data is None:
                data = package.read(info)
            copy = zipfile.ZipInfo(info.filename, info.date_time)
            copy.compress_type = info.compress_type
            copy.external_attr = info.external_attr
            rebuilt.writestr(copy, data)
    return out.getvalue()
