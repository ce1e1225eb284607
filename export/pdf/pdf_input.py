"""The PDFs people attach: used as they are when they open cleanly, else repaired or
decrypted so the pack can read them, else a clear Danish error.

pikepdf (qpdf) opens strictly first; a damaged file is reopened with qpdf's recovery
(it rebuilds a broken cross-reference table) and saved as a clean copy; pypdf's lenient
reader is the last try. A file encrypted with only an owner password (print/copy
restrictions) opens without one and is saved decrypted; one with a user password cannot
be read at all and gets a message saying what to do.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import pikepdf

from agenda.errors import ConversionError

#: The key's converter version for repaired PDFs: the repairing library.
REPAIR_VERSION = f"pikepdf {pikepdf.__version__} qpdf {pikepdf.__libqpdf_version__}"


@dataclass(frozen=True, slots=True)
class PreparedPdf:
    pdf: bytes
    page_count: int
    #: True when these are not the bytes that came in (repaired or decrypted).
    changed: bool


def prepare_pdf(data: bytes, name: str) -> PreparedPdf:
    """``data`` as a PDF the pack can read; ConversionError naming ``name`` if it is not."""
    if not data:
        raise empty_file(name)
    try:
        with pikepdf.open(io.BytesIO(data), attempt_recovery=False) as pdf:
            count = len(pdf.pages)
            if count and not pdf.is_encrypted and not pdf.get_warnings():
                return PreparedPdf(data, count, changed=False)
            if count and pdf.is_encrypted:
                return _saved(pdf, name)
    except pikepdf.PasswordError as error:
        raise password_protected(name) from error
    except (pikepdf.PdfError, RuntimeError, ValueError):
        pass  # damaged: try to repair it below
    return _repaired(data, name)


def page_count(data: bytes) -> int:
    """Pages of a PDF this module produced or checked (e.g. one from the cache)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages)


def _repaired(data: bytes, name: str) -> PreparedPdf:
    truncated = False
    for attempt in (data, _with_trailer(data)):
        if attempt is None:
            continue
        try:
            with pikepdf.open(io.BytesIO(attempt), attempt_recovery=True) as pdf:
                if len(pdf.pages) and not _lost_pages(pdf):
                    return _saved(pdf, name)
                truncated = truncated or bool(len(pdf.pages))
        except pikepdf.PasswordError as error:
            raise password_protected(name) from error
        except (pikepdf.PdfError, RuntimeError, ValueError, ConversionError):
            pass  # the next attempt may do better
    if truncated:
        raise cut_short(name)
    lenient = _pypdf_copy(data)
    if lenient is not None:
        return lenient
    raise damaged(name)


_CATALOG = re.compile(rb"(\d+)\s+0\s+obj\s*<<(?:(?!endobj).){0,400}?/Type\s*/Catalog", re.S)

_OBJECT = re.compile(rb"(?m)^(\d+)\s+0\s+obj\b")


def _with_trailer(data: bytes) -> bytes | None:
    """A file cut off before its trailer (an interrupted download) names no root; qpdf
    rebuilds everything else if we give it one."""
    match = _CATALOG.search(data)
    if match is None:
        return None
    root = match.group(1).decode()
    size = 1 + max(int(number) for number in _OBJECT.findall(data))
    trailer = f"\nendstream\nendobj\ntrailer\n<< /Root {root} 0 R /Size {size} >>\n%%EOF\n"
    return data + trailer.encode()


def _lost_pages(pdf: pikepdf.Pdf) -> int:
    """Pages of a damaged file whose content is gone (cut off): better a clear error than
    blank pages. qpdf reads a reference to a missing object as null, i.e. no content;
    blank pages in real files still carry an (empty) content stream."""
    return sum(1 for page in pdf.pages if page.obj.get("/Contents") is None)


def _saved(pdf: pikepdf.Pdf, name: str) -> PreparedPdf:
    """Save a clean, unencrypted copy and check that it reads back."""
    out = io.BytesIO()
    try:
        pdf.save(out, encryption=False)
        fixed = out.getvalue()
        with pikepdf.open(io.BytesIO(fixed), attempt_recovery=False) as check:
            count = len(check.pages)
    except (pikepdf.PdfError, RuntimeError, ValueError) as error:
        raise damaged(name) from error
    if not count:
        raise damaged(name)
    return PreparedPdf(fixed, count, changed=True)


def _pypdf_copy(data: bytes) -> PreparedPdf | None:
    """pypdf reads some files qpdf gives up on (it guesses harder); copy the pages it finds."""
    import pypdf  # only for the rare file qpdf cannot read

    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            return None
        writer = pypdf.PdfWriter()
        for page in reader.pages:
            writer.add_page(page)
        if not writer.pages:
            return None
        out = io.BytesIO()
        writer.write(out)
        return PreparedPdf(out.getvalue(), len(writer.pages), changed=True)
    except Exception:  # pypdf raises anything on a broken file; qpdf already said no
        return None


def empty_file(name: str) -> ConversionError:
    return ConversionError(
        f"{name} er tom (0 byte). Tilføj filen igen fra dér, hvor den oprindeligt kom fra.",
        path=name,
    )


def password_protected(name: str) -> ConversionError:
    return ConversionError(
        f"{name} er beskyttet med adgangskode. Gem den uden adgangskode og tilføj den igen.",
        path=name,
    )


def cut_short(name: str) -> ConversionError:
    return ConversionError(
        f"{name} er ufuldstændig: filen slutter for tidligt, måske blev den ikke hentet helt. "
        "Hent den igen og tilføj den igen.",
        path=name,
    )


def damaged(name: str) -> ConversionError:
    return ConversionError(
        f"{name} er beskadiget og kan ikke læses som PDF. Hent eller gem filen igen fra "
        "dér, hvor den kom fra, og tilføj den igen.",
        path=name,
    )
