"""A generated corpus of hostile input files (no stored binaries): broken, encrypted,
oversized, disguised and malformed files of the kinds people attach or import.

``bilag()`` gives files that arrive as attachments (bilag): each says what the
bilagspakke does with it – ``included`` (used, repaired or decoded) or ``problem`` (listed
with a Danish message naming the file; the pack builds from the rest).
``sources()`` makes things handed to ``main.py import`` that are not a usable meeting:
each must be refused with exit 1 and a Danish message naming it (values of the wrong
JSON type, NaN and lone surrogates come from ``tests/hostile_json.py``).

Big files are made cheaply: a 2,000-page PDF shares one content stream; the image bomb
only declares its size; the zip bombs inflate zeros.
"""

from __future__ import annotations

import functools
import io
import json
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from reportlab.pdfgen.canvas import Canvas

from tests import office_samples as office

INCLUDED = "included"
PROBLEM = "problem"

#: 250 characters with Danish letters and emoji, ending in .pdf
LONG_NAME = ("Høringssvar æøå ÆØÅ 🙂📎 " * 12)[:246].rstrip() + ".pdf"
LONG_NAME = LONG_NAME[:-4] + "x" * (250 - len(LONG_NAME)) + ".pdf"
#: The longest such name a Linux disk takes (255 bytes of UTF-8; Windows counts 255
#: UTF-16 units, so there the full 250 characters fit).
DISK_NAME = LONG_NAME.encode()[:240].decode("utf-8", "ignore").rstrip() + ".json"

#: Titles longer than a page, as a paste or an import can bring (issue #12: a title of
#: ~2,400 characters stopped the PDF agenda and minutes with reportlab's LayoutError):
#: words, one unbroken word, and many short lines.
LONG_TITLES = {
    "words": ("Forslag til fælles regional indsats for det nære sundhedsvæsen " * 80)[:5000],
    "one-word": "Sundhedsaftale" * 360,
    "lines": "\n".join(f"Linje {n} af en indsat tekst" for n in range(1, 181)),
}


@dataclass(frozen=True, slots=True)
class HostileBilag:
    key: str  # short id for test names
    file_name: str
    #: the bytes, or what makes them: the big ones are made when a test asks, not when
    #: the tests are collected (the fast loop collects them and runs none)
    made: bytes | Callable[[], bytes]
    pack: str  # INCLUDED or PROBLEM
    #: what the Danish message says (a fragment), for PROBLEM
    says: str = ""
    what: str = ""  # a line for the report

    @property
    def data(self) -> bytes:
        return self.made if isinstance(self.made, bytes) else _make(self.made)


@functools.cache
def _make(maker: Callable[[], bytes]) -> bytes:
    return maker()


# -- PDFs ------------------------------------------------------------------------------


def good_pdf(*texts: str) -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out)
    for text in texts or ("Et almindeligt bilag",):
        canvas.setFont("Helvetica", 14)
        canvas.drawString(72, 760, text)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def _saved(pdf: pikepdf.Pdf, **kw: object) -> bytes:
    out = io.BytesIO()
    pdf.save(out, **kw)
    return out.getvalue()


def truncated_pdf() -> bytes:
    data = good_pdf("Side 1", "Side 2", "Side 3")
    return data[: len(data) // 2]


def broken_xref_pdf() -> bytes:
    data = good_pdf("Brudt krydsreference")
    start = data.rindex(b"xref")
    head, tail = data[:start], data[start:]
    # every offset in the table points 7 bytes wrong: qpdf must rebuild the table
    lines = []
    for line in tail.split(b"\n"):
        if len(line) >= 18 and line[10:11] == b" " and line[:10].isdigit():
            line = b"%010d" % (int(line[:10]) + 7) + line[10:]
        lines.append(line)
    return head + b"\n".join(lines)


def encrypted_pdf(user: str) -> bytes:
    with pikepdf.open(io.BytesIO(good_pdf("Krypteret bilag"))) as pdf:
        return _saved(pdf, encryption=pikepdf.Encryption(user=user, owner="ejer-kode"))


def javascript_pdf() -> bytes:
    with pikepdf.open(io.BytesIO(good_pdf("Bilag med JavaScript"))) as pdf:
        js = pdf.make_indirect(
            pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('hej')"))
        )
        pdf.Root.OpenAction = js
        pdf.Root.Names = pikepdf.Dictionary(
            JavaScript=pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("x"), js]))
        )
        pdf.pages[0].obj.AA = pikepdf.Dictionary(O=js)
        return _saved(pdf)


def form_loop_pdf() -> bytes:
    """A form whose field is its own kid, with a non-dictionary among the fields, and a
    page whose annotation list is a name: what a CPR scan of form fields must survive."""
    with pikepdf.open(io.BytesIO(good_pdf("Skema med løkke"))) as pdf:
        field = pdf.make_indirect(
            pikepdf.Dictionary(T=pikepdf.String("løkke"), V=pikepdf.String("ja"))
        )
        field.Kids = pikepdf.Array([field, 7, pikepdf.Name.Junk])
        pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array([field, field, 3]))
        pdf.pages[0].obj.Annots = pikepdf.Name.NotAnArray
        return _saved(pdf)


def many_pages_pdf(count: int = 2000) -> bytes:
    """``count`` pages sharing one content stream and one font: a few kB per page."""
    with pikepdf.open(io.BytesIO(good_pdf("Side af en meget lang rapport"))) as source:
        template = source.pages[0]
        pdf = pikepdf.new()
        pdf.pages.append(template)
        first = pdf.pages[0].obj
        for _ in range(count - 1):
            pdf.pages.append(
                pikepdf.Page(
                    pdf.make_indirect(
                        pikepdf.Dictionary(
                            Type=pikepdf.Name.Page,
                            MediaBox=first.MediaBox,
                            Resources=first.Resources,
                            Contents=first.Contents,
                        )
                    )
                )
            )
        return _saved(pdf)


def zero_pages_pdf() -> bytes:
    return _saved(pikepdf.new())


def _raw_pdf(objects: list[bytes], root: int = 1) -> bytes:
    """A PDF from raw object bodies (object n is objects[n-1]) with a correct xref."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        root,
        xref,
    )
    return bytes(out)


def page_tree_loop_pdf() -> bytes:
    return _raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>",
        ]
    )


def content_bomb_pdf() -> bytes:
    """One page whose content stream inflates to 64 MB of spaces (a Flate bomb)."""
    stream = zlib.compress(b" " * (64 * 1024 * 1024), 9)
    return _raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream)
            + stream
            + b"\nendstream",
        ]
    )


def huge_page_pdf() -> bytes:
    """A page 5 m wide (the PDF maximum is 14,400 pt): nonsense, but valid."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(14400, 200))
    canvas.drawString(72, 100, "Et meget bredt bilag")
    canvas.showPage()
    canvas.save()
    return out.getvalue()


#: A word in every place a reviewed PDF hides things (``reviewed_pdf``); the CPR number
#: stands only in its earlier revision.
REVIEW_MARKER = "Qzgennemsyn"
EARLIER_CPR = "010190-1234"


def reviewed_pdf(marker: str = REVIEW_MARKER) -> bytes:
    """A public bilag as it comes back from review: on its visible page only harmless
    text and a web link, but the marker in its XMP, document info, outline, embedded
    file, JavaScript, a sticky note (author and text) with its popup, a highlight, a
    hidden form field's value, a form XObject's /PieceInfo and /Metadata, and a CPR
    number in an earlier revision (an incremental update replaced the page's text)."""
    earlier = _earlier_revision(marker)
    with pikepdf.open(io.BytesIO(earlier)) as pdf:
        info = _revision_info(pdf, earlier)
        page = pdf.pages[0].obj
        content_number = page.Contents.objgen[0]
    # the update: the page's text object again, without the CPR number
    update = b"BT /F1 14 Tf 72 760 Td (Synlig tekst efter rettelse) Tj ET\n/Fx0 Do\n"
    return _incremental(earlier, info, {content_number: update})


def _earlier_revision(m: str) -> bytes:
    base = good_pdf(f"Synlig tekst med CPR {EARLIER_CPR}")
    S, N, D, A = pikepdf.String, pikepdf.Name, pikepdf.Dictionary, pikepdf.Array
    with pikepdf.open(io.BytesIO(base)) as pdf:
        with pdf.open_metadata(set_pikepdf_as_editor=False) as xmp:
            xmp["dc:title"] = f"{m}xmp"
        pdf.docinfo["/Author"] = f"{m}forfatter"
        with pdf.open_outline() as outline:
            outline.root.append(pikepdf.OutlineItem(f"{m}bogmærke", 0))
        pdf.attachments["noter.txt"] = pikepdf.AttachedFileSpec(pdf, f"{m}vedhæftet".encode())
        js = pdf.make_indirect(D(S=N.JavaScript, JS=S(f"app.alert('{m}script')")))
        pdf.Root.OpenAction = js
        pdf.Root.Names.JavaScript = D(Names=A([S("x"), js]))
        page = pdf.pages[0].obj
        xobject = pdf.make_stream(b"BT /F1 9 Tf 72 700 Td (Formular-XObject) Tj ET")
        xobject.Type, xobject.Subtype = N.XObject, N.Form
        xobject.BBox = A([0, 0, 595, 842])
        xobject.Resources = page.Resources
        xobject.PieceInfo = D(Gennemsyn=D(Private=S(f"{m}pieceinfo"), LastModified=S("D:2024")))
        metadata = pdf.make_stream(f"<x:xmpmeta>{m}formmetadata</x:xmpmeta>".encode())
        metadata.Type, metadata.Subtype = N.Metadata, N.XML
        xobject.Metadata = metadata
        page.Resources.XObject = D(Fx0=xobject)
        page.Metadata = pdf.make_stream(f"<x:xmpmeta>{m}sidemetadata</x:xmpmeta>".encode())
        note = pdf.make_indirect(
            D(Type=N.Annot, Subtype=N.Text, Rect=A([400, 700, 420, 720]), T=S(f"{m}anmelder"),
              Contents=S(f"{m}note: ret CPR"), Open=False)
        )  # fmt: skip
        popup = pdf.make_indirect(
            D(Type=N.Annot, Subtype=N.Popup, Rect=A([420, 600, 560, 700]), Parent=note)
        )
        note.Popup = popup
        highlight = pdf.make_indirect(
            D(Type=N.Annot, Subtype=N.Highlight, Rect=A([70, 755, 300, 775]),
              QuadPoints=A([70, 775, 300, 775, 70, 755, 300, 755]), T=S(f"{m}markør"),
              Contents=S(f"{m}fremhævet"))
        )  # fmt: skip
        hidden = pdf.make_indirect(
            D(Type=N.Annot, Subtype=N.Widget, FT=N.Tx, T=S("skjult"), V=S(f"{m}feltværdi"),
              Rect=A([72, 600, 300, 620]), F=2, P=page)
        )  # fmt: skip
        link = pdf.make_indirect(
            D(Type=N.Annot, Subtype=N.Link, Rect=A([72, 740, 300, 758]),
              A=D(S=N.URI, URI=S("https://www.kl.dk/")))
        )  # fmt: skip
        page.Annots = A([note, popup, highlight, hidden, link])
        pdf.Root.AcroForm = D(Fields=A([hidden]))
        # no object streams and no compression: the earlier revision's CPR number stands
        # in the file's bytes as plain text, as in many real files
        return _saved(
            pdf,
            object_stream_mode=pikepdf.ObjectStreamMode.disable,
            compress_streams=False,
            stream_decode_level=pikepdf.StreamDecodeLevel.generalized,
        )


def _revision_info(pdf: pikepdf.Pdf, data: bytes) -> dict:
    startxref = int(data[data.rindex(b"startxref") + 9 :].split()[0])
    return {
        "size": int(pdf.trailer.Size),
        "root": pdf.Root.objgen[0],
        "info": pdf.trailer.Info.objgen[0],
        "prev": startxref,
    }


def _incremental(data: bytes, info: dict, streams: dict[int, bytes]) -> bytes:
    """``data`` with an incremental update appended that replaces the given stream
    objects (object number -> new content): the old ones stay in the bytes."""
    out = bytearray(data)
    if not out.endswith(b"\n"):
        out += b"\n"
    offsets = {}
    for number, content in streams.items():
        offsets[number] = len(out)
        out += b"%d 0 obj\n<< /Length %d >>\nstream\n" % (number, len(content))
        out += content + b"\nendstream\nendobj\n"
    xref = len(out)
    out += b"xref\n0 1\n0000000000 65535 f \n"
    for number, offset in sorted(offsets.items()):
        out += b"%d 1\n%010d 00000 n \n" % (number, offset)
    out += b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R /Prev %d >>\n" % (
        info["size"], info["root"], info["info"], info["prev"],
    )  # fmt: skip
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


# -- images ----------------------------------------------------------------------------


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def png(width: int, height: int, rows: int | None = None) -> bytes:
    """A greyscale PNG of ``width`` x ``height``; only ``rows`` rows of (zero) pixel data
    are stored when given: the header still declares the full size (a bomb)."""
    raw_rows = height if rows is None else rows
    compressor = zlib.compressobj(9)
    row = b"\x00" * (width + 1)
    chunks = [compressor.compress(row) for _ in range(raw_rows)]
    chunks.append(compressor.flush())
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + _png_chunk(b"IDAT", b"".join(chunks))
        + _png_chunk(b"IEND", b"")
    )


def corrupt_png() -> bytes:
    good = png(50, 50)
    return good[:40] + b"\xde\xad\xbe\xef" * 20


def truncated_jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (300, 200), "darkred").save(out, "JPEG")
    return out.getvalue()[:300]


# -- office look-alikes ----------------------------------------------------------------


def zip_bomb_docx(inflated: int = 256 * 1024 * 1024, member: str = "word/document.xml") -> bytes:
    """A .docx (it has word/document.xml) whose document inflates to ``inflated`` bytes
    of zeros; about a thousandth of that on disk."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open(member, "w", force_zip64=True) as stream:
            block = b"\x00" * (4 * 1024 * 1024)
            for _ in range(inflated // len(block)):
                stream.write(block)
    return out.getvalue()


def lying_zip(real_member: str, content: bytes, declared: int = 0xFFFFFFF0) -> bytes:
    """A zip whose one member declares ``declared`` bytes (central directory and local
    header) while holding ``content``: "huge" at almost no cost."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(real_member, content)
    data = bytearray(out.getvalue())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).infolist()[0]
    local = info.header_offset
    struct.pack_into("<I", data, local + 22, declared)  # local header: uncompressed size
    central = data.rindex(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, declared)  # central directory
    return bytes(data)


def encrypted_docx() -> bytes:
    """What Word writes for a password-protected .docx: an OLE compound file holding an
    "EncryptedPackage" stream (the header and directory entry are enough to tell)."""
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHH", header, 24, 0x3E, 3, 0xFFFE)
    directory = bytearray(128)
    name = "EncryptedPackage".encode("utf-16-le")
    directory[: len(name)] = name
    struct.pack_into("<H", directory, 64, len(name) + 2)
    return bytes(header) + bytes(directory) + b"\x00" * 384 + b"\x17" * 1024


def html_as_docx() -> bytes:
    return b"<!DOCTYPE html><html><body><h1>Dagsorden</h1><p>Ikke Word.</p></body></html>"


def windows_exe() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56 + b"This program cannot be run in DOS mode"


def empty_zip() -> bytes:
    out = io.BytesIO()
    zipfile.ZipFile(out, "w").close()
    return out.getvalue()


def utf16_text() -> bytes:
    return "Referat fra mødet i Næstved\nÆble, øl og ål.\n".encode("utf-16")


def bilag() -> list[HostileBilag]:
    """Hostile attachments, each with what the bilagspakke does with it."""
    b = HostileBilag
    return [
        b("truncated-pdf", "afkortet.pdf", truncated_pdf(), PROBLEM, "beskadiget"),
        b("broken-xref", "brudt-xref.pdf", broken_xref_pdf(), INCLUDED, what="repaired"),
        b("encrypted-user", "låst.pdf", encrypted_pdf("hemmelig"), PROBLEM, "adgangskode"),
        b("encrypted-owner", "kun-ejerkode.pdf", encrypted_pdf(""), INCLUDED, what="decrypted"),
        b("javascript", "javascript.pdf", javascript_pdf(), INCLUDED, what="JavaScript removed"),
        b("form-loop", "skemaløkke.pdf", form_loop_pdf(), INCLUDED, what="form field loop"),
        b("zero-bytes", "tom.pdf", b"", PROBLEM, "tom (0 byte)"),
        b("pdf-as-docx", "egentlig-pdf.docx", good_pdf("En PDF kaldt docx"), INCLUDED),
        b("zip-bomb-docx", "zipbombe.docx", zip_bomb_docx, PROBLEM, "zip-bombe"),
        b(
            "lying-zip-docx",
            "falsk-størrelse.docx",
            lying_zip("word/document.xml", b"<w/>"),
            PROBLEM,
            "zip-bombe",
        ),
        b("password-docx", "adgangskode.docx", encrypted_docx(), PROBLEM, "adgangskode"),
        b("2000-pages", "2000-sider.pdf", many_pages_pdf, INCLUDED, what="2,000 pages"),
        b("png-bomb", "kæmpebillede.png", png(100_000, 100_000, rows=4), PROBLEM, "for stort"),
        b(
            "png-100mb",
            "scanning-100mb.png",
            functools.partial(png, 10_000, 10_000),
            INCLUDED,
            what="100 MB of pixels, shrunk",
        ),
        b("long-name", LONG_NAME, good_pdf("Langt navn"), INCLUDED),
        b("html-as-docx", "hjemmeside.docx", html_as_docx(), PROBLEM, "ikke et Word-dokument"),
        b("exe", "program.exe", windows_exe(), PROBLEM, "filtype"),
        b("empty-zip", "tom.zip", empty_zip(), PROBLEM, "filtype"),
        b("empty-zip-docx", "tom-pakke.docx", empty_zip(), PROBLEM, "ikke et Word-dokument"),
        b("zero-pages", "ingen-sider.pdf", zero_pages_pdf(), PROBLEM, "beskadiget"),
        b("page-tree-loop", "sideløkke.pdf", page_tree_loop_pdf(), PROBLEM, "beskadiget"),
        b("utf16-text", "referat-utf16.txt", utf16_text(), INCLUDED),
        b("garbage-pdf", "støj.pdf", bytes(range(256)) * 8, PROBLEM, "ikke en PDF-fil"),
        b(
            "text-as-pdf",
            "tekst.pdf",
            "Referat fra mødet\nIkke en PDF.\n".encode(),
            PROBLEM,
            "tekst.pdf hedder .pdf, men er ikke en PDF-fil: indholdet er almindelig tekst",
        ),
        b("png-as-pdf", "billede.pdf", png(40, 30), INCLUDED),
        b("corrupt-png", "ødelagt.png", corrupt_png(), PROBLEM, "kan ikke læses"),
        b("truncated-jpeg", "afbrudt.jpg", truncated_jpeg(), PROBLEM, "kan ikke læses"),
        b(
            "content-bomb",
            "indholdsbombe.pdf",
            content_bomb_pdf,
            INCLUDED,
            what="64 MB content stream copied, not inflated",
        ),
        b("huge-page", "fem-meter.pdf", huge_page_pdf(), INCLUDED),
        b(
            "reviewed",
            "gennemset.pdf",
            reviewed_pdf(),
            INCLUDED,
            what="notes, metadata, attachments, form values and earlier revision dropped",
        ),
        *office_bilag(),
    ]


#: Nothing listens there: were a picture fetched, the fetch would fail, never hang.
NOWHERE = "http://127.0.0.1:9"


def office_bilag() -> list[HostileBilag]:
    """Office files that reach outside themselves or hide text: pictures and a template
    on a server or a share (never fetched: the pack has the text without them), tracked
    deletions and comments (never printed)."""
    b = HostileBilag
    return [
        b("external-picture-docx", "billede-udefra.docx",
          office.docx_with_external_picture(f"{NOWHERE}/x.png", "Notat Hundested"), INCLUDED,
          what="picture not fetched"),
        b("external-picture-odt", "billede-udefra.odt",
          office.odt_with_external_picture("\\\\server\\deling\\x.png", "Notat Gilleleje"),
          INCLUDED, what="picture on a share not fetched"),
        b("linked-template-docx", "skabelon-udefra.docx",
          office.docx_with_linked_template(f"{NOWHERE}/s.dotx", "Brev Nivå"), INCLUDED),
        b("tracked-deletion-docx", "sporede-ændringer.docx",
          office.docx_with_tracked_changes("Gældende", SECRET_DELETED, "Tilføjet"), INCLUDED,
          what="changes accepted"),
        b("tracked-deletion-odt", "sporede-ændringer.odt",
          office.odt_with_tracked_deletion("Gældende", SECRET_DELETED), INCLUDED,
          what="changes accepted"),
        b("comment-docx", "kommentar.docx",
          office.docx_with_comment("Kommenteret", SECRET_DELETED), INCLUDED,
          what="comment left out"),
    ]  # fmt: skip


#: Text an Office bilag holds only as a tracked deletion or a comment: never in a pack.
SECRET_DELETED = "Slettetsætning"


# -- things handed to `main.py import` ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class HostileSource:
    key: str
    #: makes the thing inside the folder given; returns the path to import
    make: Callable[[Path], Path]
    #: a fragment of the Danish message
    says: str
    #: how the message names the file (default: the name of the path imported)
    names: str = ""


def meeting_doc(files: list[dict] | None = None) -> dict:
    return {
        "format": "kkr-dagsorden/meeting",
        "version": 1,
        "body": {"name": "KKR Sjælland", "numbering": "section"},
        "meeting": {"name": "Møde i KKR Sjælland", "start": "2024-04-16T10:00:00+02:00"},
        "sections": [
            {
                "name": "Sager",
                "items": [
                    {
                        "number": "1.1",
                        "kind": "decision",
                        "name": "Evaluering af klyngekontorer",
                        "public": True,
                        "paper": {"reference": "24/04521", "name": "Evaluering"},
                        "files": files or [],
                    }
                ],
            }
        ],
    }


def _folder(where: Path, doc: object, raw: bytes | None = None) -> Path:
    where.mkdir(parents=True, exist_ok=True)
    text = raw if raw is not None else json.dumps(doc, ensure_ascii=False).encode()
    (where / "meeting.json").write_bytes(text)
    return where


def _file(name: str, data: bytes | Callable[[], bytes]) -> Callable[[Path], Path]:
    def make(where: Path) -> Path:
        where.mkdir(parents=True, exist_ok=True)
        path = where / name
        path.write_bytes(data if isinstance(data, bytes) else data())
        return path

    return make


def _json(doc: object = None, raw: bytes | None = None) -> Callable[[Path], Path]:
    return lambda where: _folder(where, doc, raw) / "meeting.json"


def _with_files(files: list[dict], present: dict[str, bytes]) -> Callable[[Path], Path]:
    def make(where: Path) -> Path:
        folder = _folder(where, meeting_doc(files))
        for name, data in present.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(data)
        return folder

    return make


def _meeting_json_folder(where: Path) -> Path:
    (where / "meeting.json").mkdir(parents=True)
    return where / "meeting.json"


def _symlink_loop(where: Path) -> Path:
    where.mkdir(parents=True, exist_ok=True)
    (where / "a.json").symlink_to(where / "b.json")
    (where / "b.json").symlink_to(where / "a.json")
    return where / "a.json"


def _vanished(where: Path) -> Path:
    """Chosen in the dialog, gone before the import ran (a USB stick pulled out)."""
    path = _folder(where, meeting_doc()) / "meeting.json"
    path.unlink()
    return path


def _zip_of(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _doc_with(**changes: object) -> dict:
    doc = meeting_doc()
    for path, value in changes.items():
        target = doc
        *parents, last = path.split("__")
        for p in parents:
            target = target[p] if not isinstance(target, list) else target[int(p)]
        target[last] = value
    return doc


def sources() -> list[HostileSource]:
    s = HostileSource
    item = meeting_doc()["sections"][0]["items"][0]
    bad_texts = {**item, "paper": {"reference": "1", "name": "x", "texts": ["liste"]}}
    return [
        s("malformed-json", _json(raw=b'{"format": "kkr-dagsorden/meeting", '), "ikke gyldig JSON"),
        s("zero-byte-json", _json(raw=b""), "ikke gyldig JSON"),
        s("json-is-folder", _meeting_json_folder, "ingen meeting.json"),
        s("symlink-loop", _symlink_loop, "findes ikke"),
        s("vanished", _vanished, "findes ikke"),
        s("utf16-json", _json(raw=json.dumps(meeting_doc()).encode("utf-16")), "UTF-8"),
        s("deep-json", _json(raw=b"[" * 100_000 + b"]" * 100_000), "så dybt i hinanden"),
        s("json-list", _json([1, 2, 3]), "ikke en møde-fil"),
        s("wrong-format", _json({"format": "noget-andet"}), "ikke en møde-fil"),
        s("newer-version", _json({**meeting_doc(), "version": 99}), "version 99"),
        s("end-not-text", _json(_doc_with(meeting__end=5)), "feltet »meeting.end« skal være tekst"),
        s("end-not-a-time", _json(_doc_with(meeting__end="kl. 13")), "ikke er et tidspunkt"),
        s("bad-state", _json(_doc_with(meeting__state="aflyst")), "Brug en af: draft"),
        s(
            "texts-a-list",
            _json(_doc_with(sections=[{"name": "S", "items": [bad_texts]}])),
            "afsnit 1 (»S«), punkt 1 (»Evaluering af klyngekontorer«): feltet »paper.texts« "
            "skal være et objekt",
        ),
        s("bad-kind", _json(_doc_with(sections__0__items__0__kind="hemmelig")), "ukendt type"),
        s(
            "missing-bilag",
            _with_files([{"name": "Rapport", "fileName": "bilag/væk.pdf"}], {}),
            "findes ikke",
            "bilag/væk.pdf",
        ),
        s(
            "no-file-name",
            _with_files([{"name": "Rapport"}], {}),
            "har intet filnavn (»fileName«)",
        ),
        s(
            "path-traversal",
            _with_files([{"name": "x", "fileName": "../../etc/passwd"}], {}),
            "inde i mødets mappe",
            "../../etc/passwd",
        ),
        s(
            "absolute-path",
            _with_files([{"name": "x", "fileName": "/etc/passwd"}], {}),
            "inde i mødets mappe",
            "/etc/passwd",
        ),
        s(
            "sha-mismatch",
            _with_files(
                [{"name": "x", "fileName": "bilag/a.pdf", "sha256": "0" * 64}],
                {"bilag/a.pdf": good_pdf()},
            ),
            "sha256",
            "bilag/a.pdf",
        ),
        s("pdf-as-import", _file("dagsorden.pdf", good_pdf()), "ikke en møde-fil"),
        s("exe-as-import", _file("setup.exe", windows_exe()), "ikke en møde-fil"),
        s("zero-byte-zip", _file("møde.zip", b""), "ikke gyldig JSON"),
        s(
            "real-zip-bomb",
            _file("ægte-bombe.zip", functools.partial(zip_bomb_docx, member="møde/meeting.json")),
            "zip-bombe",
        ),
        s("empty-zip", _file("tom.zip", empty_zip()), "ingen meeting.json"),
        s("zip-bomb", _file("bombe.zip", lying_zip("møde/meeting.json", b"{}")), "zip-bombe"),
        s(
            "corrupt-zip",
            _file("ødelagt.zip", _zip_of({"meeting.json": b"{}"})[:-30] + b"x" * 30),
            "ikke en møde-fil",
        ),
        s("long-name", _file(DISK_NAME, b"{ikke json"), "ikke gyldig JSON"),
        *_strict_values(),
    ]


def _strict_values() -> list[HostileSource]:
    from tests.hostile_json import strict_values  # it builds on the helpers above

    return strict_values()


# -- hidden places: what a reader never sees but the bytes carry (review F3/F5) ----------

#: The visible text of ``hidden_places_pdf``: it must survive cleaning.
HIDDEN_VISIBLE = "Synlig side med et link"


def _embedded(pdf: pikepdf.Pdf, name: str, text: str) -> pikepdf.Dictionary:
    """A file specification with an embedded file saying ``text``."""
    stream = pdf.make_stream(text.encode(), Type=pikepdf.Name.EmbeddedFile)
    return pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Filespec,
            F=pikepdf.String(name),
            UF=pikepdf.String(name),
            EF=pikepdf.Dictionary(F=stream),
        )
    )


def hidden_places_pdf(marker: str, *, layer_name: str = "", embedded: str = "") -> bytes:
    """A one-page PDF whose visible page says ``HIDDEN_VISIBLE`` (with a web link and a
    link to a named destination) and hides ``marker`` in: a page-level associated file
    (``/AF``), a ``/GoToR`` link's embedded file, a ``/Thread`` action's file, a link's
    ``/Contents``, ``/T`` and ``/NM``, an optional content group's name and text in that
    layer (switched off), unknown page and catalog keys, a page label's prefix and a
    named destination's name. ``layer_name``/``embedded`` replace the marker there (a
    CPR number, for preflight)."""
    from pikepdf import Array, Dictionary, Name, String

    pdf = pikepdf.open(io.BytesIO(good_pdf(HIDDEN_VISIBLE)))
    page = pdf.pages[0].obj
    inside = embedded or f"Borger {marker}fil"
    page.AF = Array([_embedded(pdf, f"{marker}af.txt", inside)])
    page.KkrPage = String(f"{marker}sidenøgle")
    pdf.Root.KkrCatalog = String(f"{marker}katalognøgle")
    pdf.Root.PageLabels = Dictionary(
        Nums=Array([0, Dictionary(S=Name.D, St=1, P=String(f"{marker}sidetal"))])
    )
    dest_name = f"{marker}destination"
    pdf.Root.Names = Dictionary(
        Dests=Dictionary(Names=Array([String(dest_name), Array([page, Name.Fit])]))
    )
    font = next(iter(page.Resources.Font.keys()))
    group = pdf.make_indirect(
        Dictionary(Type=Name.OCG, Name=String(layer_name or f"{marker}lagnavn"))
    )
    pdf.Root.OCProperties = Dictionary(
        OCGs=Array([group]), D=Dictionary(OFF=Array([group]), Order=Array([group]))
    )
    page.Resources.Properties = Dictionary(oc1=group)
    hidden = f"/OC /oc1 BDC BT {font} 12 Tf 72 600 Td ({marker}skjultlag) Tj ET EMC"
    page.Contents = Array([page.Contents, pdf.make_stream(hidden.encode())])

    def link(y: int, **keys: object) -> pikepdf.Dictionary:
        return pdf.make_indirect(
            Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=Array([72, y, 300, y + 14]),
                       Border=Array([0, 0, 0]), **keys)
        )  # fmt: skip

    thread = pdf.make_indirect(Dictionary(Type=Name.Thread, I=Dictionary(Title=String("t"))))
    page.Annots = Array(
        [
            link(760, A=Dictionary(S=Name.URI, URI=String("https://kkr.example/plan")),
                 Contents=String(f"{marker}linkindhold"), T=String(f"{marker}linkforfatter"),
                 NM=String(f"{marker}linknavn")),
            link(700, Dest=String(dest_name)),
            link(680, A=Dictionary(S=Name.GoToR, D=Array([0, Name.Fit]),
                                   F=_embedded(pdf, "original.pdf", f"{marker}gotor"))),
            link(660, A=Dictionary(S=Name.Thread, D=thread,
                                   F=_embedded(pdf, "tråd.pdf", f"{marker}tråd"))),
        ]
    )  # fmt: skip
    return _saved(pdf)


def exif_jpeg(text: str, *, width: int = 40, height: int = 30) -> bytes:
    """A JPEG whose EXIF (ImageDescription, Artist), XMP and comment say ``text``."""
    from PIL import Image

    image = Image.new("RGB", (width, height), (200, 40, 40))
    exif = Image.Exif()
    exif[0x010E] = f"Beskrivelse {text}"  # ImageDescription
    exif[0x013B] = f"Fotograf {text}"  # Artist
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), comment=f"Kommentar {text}".encode())
    data = out.getvalue()
    xmp = b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>" + f"XMP {text}".encode() + b"</x:xmpmeta>"
    segment = b"\xff\xe1" + struct.pack(">H", len(xmp) + 2) + xmp
    return data[:2] + segment + data[2:]


def text_png(text: str) -> bytes:
    """A PNG with ``text`` in tEXt, zTXt and iTXt chunks and a tIME chunk."""
    plain = png(20, 10)
    chunks = (
        _png_chunk(b"tEXt", b"Comment\0" + f"tekst {text}".encode("latin-1"))
        + _png_chunk(b"zTXt", b"Author\0\0" + zlib.compress(f"forfatter {text}".encode()))
        + _png_chunk(b"iTXt", b"Title\0\0\0da\0\0" + f"titel {text}".encode())
        + _png_chunk(b"tIME", struct.pack(">HBBBBB", 2024, 4, 2, 10, 0, 0))
    )
    end = plain.rindex(b"IEND") - 4
    return plain[:end] + chunks + plain[end:]


def jpeg_in_pdf(text: str) -> bytes:
    """A PDF whose page shows a JPEG carrying ``text`` in its EXIF, XMP and comment;
    one copy ``/DCTDecode``, one behind ``/FlateDecode`` too."""
    from pikepdf import Array, Dictionary, Name

    pdf = pikepdf.open(io.BytesIO(good_pdf("Foto i PDF")))
    page = pdf.pages[0].obj
    jpeg = exif_jpeg(text)
    common = {"Type": Name.XObject, "Subtype": Name.Image, "Width": 40, "Height": 30,
              "ColorSpace": Name.DeviceRGB, "BitsPerComponent": 8}  # fmt: skip
    plain = pdf.make_stream(jpeg, Filter=Name.DCTDecode, **common)
    packed = pdf.make_stream(
        zlib.compress(jpeg), Filter=Array([Name.FlateDecode, Name.DCTDecode]), **common
    )
    page.Resources.XObject = Dictionary(Im1=plain, Im2=packed)
    draw = b"q 40 0 0 30 72 600 cm /Im1 Do Q q 40 0 0 30 72 500 cm /Im2 Do Q"
    page.Contents = Array([page.Contents, pdf.make_stream(draw)])
    return _saved(pdf)
