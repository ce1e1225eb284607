"""What a file really is, from its bytes: the file name may lie (a ``.pdf`` that is a
PNG, a ``.docx`` that is a password-protected OLE file, a zip bomb named ``.xlsx``).
``convert`` and ``inspect`` both decide by ``sniff``; nothing here is trusted to the
extension alone."""

from __future__ import annotations

import io
import zipfile

from agenda.model import Attachment, looks_like_pdf
from export.conversion.convert_office import OFFICE_EXTENSIONS

IMAGE_TYPES = frozenset({"png", "jpeg", "gif", "bmp", "tiff", "webp"})
TEXT_TYPE = "txt"
_TEXT_EXTENSIONS = frozenset({"txt", "text", "log", "csv", "md"})
_ALIASES = {"jpg": "jpeg", "jpe": "jpeg", "jfif": "jpeg", "tif": "tiff"}
_MEDIA_TYPES = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpeg",
    "image/gif": "gif",
    "image/bmp": "bmp",
    "image/tiff": "tiff",
    "image/webp": "webp",
    "text/plain": "txt",
    "application/msword": "doc",
    "application/rtf": "rtf",
    "application/vnd.ms-excel": "xls",
    "application/vnd.ms-powerpoint": "ppt",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
}
_OLE_STREAMS = (  # stream names in an old binary Office file (UTF-16 in its directory)
    ("EncryptedPackage", "encrypted"),  # a password-protected docx/xlsx/pptx
    ("WordDocument", "doc"),
    ("PowerPoint Document", "ppt"),
    ("Workbook", "xls"),
    ("Book", "xls"),
)


def declared_type(attachment: Attachment) -> str:
    """The type the file name (or, without an extension, the media type) claims."""
    ext = attachment.extension
    if ext:
        if ext in _TEXT_EXTENSIONS:
            return TEXT_TYPE
        return _ALIASES.get(ext, ext)
    return _MEDIA_TYPES.get(attachment.media_type.split(";")[0].strip().lower(), "")


def sniff(data: bytes, declared: str) -> str:
    """The real type from the first bytes: "pdf", "png", "docx", ..., ``ZIP_BOMB`` for a
    package that would inflate to far more than a document, "encrypted" for a
    password-protected Office file, "txt", or "" when it is nothing we convert."""
    head = data[:1024]
    if looks_like_pdf(data):
        return "pdf"
    for magic, kind in (
        (b"\x89PNG\r\n\x1a\n", "png"),
        (b"\xff\xd8\xff", "jpeg"),
        (b"GIF87a", "gif"),
        (b"GIF89a", "gif"),
        (b"II*\x00", "tiff"),
        (b"MM\x00*", "tiff"),
        (b"{\\rtf", "rtf"),
    ):
        if head.startswith(magic):
            return kind
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"BM") and (declared == "bmp" or _le32(head, 2) == len(data)):
        return "bmp"
    if head.startswith(b"PK\x03\x04"):
        return _zip_type(data, declared)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        for stream, kind in _OLE_STREAMS:
            if stream.encode("utf-16-le") in data:
                return kind
        return declared if declared in ("doc", "xls", "ppt") else ""
    if declared == TEXT_TYPE and b"\x00" not in data[:65536]:
        return TEXT_TYPE
    if declared == TEXT_TYPE and data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return TEXT_TYPE
    return ""


#: What a file of each declared type is called in a message.
_WHAT = {
    "pdf": "en PDF-fil",
    "docx": "et Word-dokument",
    "doc": "et Word-dokument",
    "rtf": "et RTF-dokument",
    "odt": "et tekstdokument (ODT)",
    "xlsx": "et Excel-regneark",
    "xls": "et Excel-regneark",
    "ods": "et regneark (ODS)",
    "pptx": "en PowerPoint-præsentation",
    "ppt": "en PowerPoint-præsentation",
    "odp": "en præsentation (ODP)",
    TEXT_TYPE: "en tekstfil",
    **{kind: "et billede" for kind in IMAGE_TYPES},
}


def unsupported_message(file_name: str, data: bytes, declared: str) -> str:
    """Why a file that sniffs as nothing we convert cannot go in, in Danish. A file
    whose name promises a type we convert (``tekst.pdf`` holding plain text) is told
    apart from one of a type we never convert (``program.exe``): its name lies."""
    what = _WHAT.get(declared)
    if what is None:
        return (
            f"{file_name} er en filtype, der ikke kan laves om til PDF. Gem den som PDF, "
            "Word, Excel, PowerPoint, billede eller tekst, og tilføj den igen."
        )
    ending = file_name.rpartition(".")[2] if "." in file_name else ""
    called = f"{file_name} hedder .{ending}, men" if ending else file_name
    return (
        f"{called} er ikke {what}: indholdet er {_content(data)}. Åbn filen i det "
        "program, den kommer fra, gem den som PDF (eller Word, Excel, billede), og "
        "tilføj den igen."
    )


def _content(data: bytes) -> str:
    head = data[:4096]
    stripped = head.lstrip().lower()
    if stripped.startswith((b"<!doctype html", b"<html")):
        return "en hjemmeside (HTML)"
    if head.startswith(b"MZ"):
        return "et program"
    if head.startswith(b"PK\x03\x04"):
        return "et zip-arkiv"
    if b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as error:  # a multi-byte character cut at the end
            if error.start < len(head) - 4:
                return "en ukendt filtype"
        return "almindelig tekst"
    return "en ukendt filtype"


def _le32(head: bytes, at: int) -> int:
    return int.from_bytes(head[at : at + 4], "little")


def _zip_type(data: bytes, declared: str) -> str:
    """Office Open XML and OpenDocument files are zip archives; their parts tell which."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if _inflates_too_far(archive, len(data)):
                return ZIP_BOMB
            names = archive.namelist()
            if "mimetype" in names:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                for ext in ("odt", "ods", "odp"):
                    if mimetype == _ODF[ext]:
                        return ext
                return ""
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError):
        # a damaged package: LibreOffice repairs some; let it try if the name says office
        return declared if declared in OFFICE_EXTENSIONS else ""
    for prefix, ext in (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx")):
        if any(name.startswith(prefix) for name in names):
            return ext
    return ""


#: A package that would inflate beyond this is not a document but a zip bomb (or a lie):
#: never handed to an office suite, which would spend minutes and gigabytes on it.
ZIP_BOMB = "zip-bomb"
_MAX_INFLATED = 1 << 30
_MAX_RATIO = 100  # real Office XML compresses 5-30x; images in it not at all
_RATIO_FROM = 100 << 20


def _inflates_too_far(archive: zipfile.ZipFile, size: int) -> bool:
    """Judged from the sizes the archive declares (nothing is inflated to find out)."""
    inflated = sum(info.file_size for info in archive.infolist())
    return inflated > _MAX_INFLATED or (
        inflated > _RATIO_FROM and inflated > _MAX_RATIO * max(size, 1)
    )


_ODF = {
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}
