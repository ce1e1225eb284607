"""The text of a converted attachment, for the workspace's full-text search.

PDFium (pypdfium2) reads text about 15x faster than pypdf (184 pages: 0.36 s against
5.7 s, measured here), which matters because a cold export indexes every new bilag.
pypdf, pure Python, is the fallback where pypdfium2 is missing or cannot read a file. A
page that cannot be read is skipped rather than losing the rest: the index is a
convenience, never a reason for an export to fail.
"""

from __future__ import annotations

import io
import re
import threading

_SPACES = re.compile(r"[ \t\f\v\u00a0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
#: PDFium is not thread-safe; the GUI and an export may both extract.
_PDFIUM_LOCK = threading.Lock()


def extract_text(pdf: bytes, max_pages: int | None = None) -> str:
    """The text of the first ``max_pages`` pages (all when None), whitespace tidied;
    "" for a PDF that cannot be read."""
    pages = _with_pdfium(pdf, max_pages)
    if pages is None:
        pages = _with_pypdf(pdf, max_pages)
    return "\n\n".join(text for text in map(_tidy, pages) if text)


def _tidy(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _SPACES.sub(" ", text)
    return _BLANK_LINES.sub("\n\n", text).strip()


def _limit(count: int, max_pages: int | None) -> int:
    return count if max_pages is None else min(count, max(0, max_pages))


def _with_pdfium(pdf: bytes, max_pages: int | None) -> list[str] | None:
    """Page texts, or None when PDFium is not installed or cannot open the file."""
    try:
        import pypdfium2
    except ImportError:
        return None
    with _PDFIUM_LOCK:
        try:
            document = pypdfium2.PdfDocument(pdf)
        except Exception:  # PdfiumError, or a password: let pypdf have a go
            return None
        try:
            texts = []
            for index in range(_limit(len(document), max_pages)):
                try:
                    page = document[index]
                    textpage = page.get_textpage()
                    texts.append(textpage.get_text_range())
                    textpage.close()
                    page.close()
                except Exception:  # one unreadable page
                    continue
            return texts
        finally:
            document.close()


def _with_pypdf(pdf: bytes, max_pages: int | None) -> list[str]:
    import pypdf

    try:
        reader = pypdf.PdfReader(io.BytesIO(pdf), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            return []
        pages = reader.pages
        count = _limit(len(pages), max_pages)
    except Exception:  # pypdf raises many kinds on a broken file
        return []
    texts = []
    for index in range(count):
        try:
            texts.append(pages[index].extract_text() or "")
        except Exception:  # one unreadable page (odd font, broken stream)
            continue
    return texts
