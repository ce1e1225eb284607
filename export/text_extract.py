"""The text of a converted attachment, for the workspace's full-text search.

pypdf (pure Python, no external tool on Windows) reads page by page; a page it cannot
read is skipped rather than losing the rest: the index is a convenience, never a reason
for an export to fail.
"""

from __future__ import annotations

import io
import re

import pypdf

_SPACES = re.compile(r"[ \t\r\f\v]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def extract_text(pdf: bytes, max_pages: int | None = None) -> str:
    """The text of the first ``max_pages`` pages (all when None), whitespace tidied;
    "" for a PDF that cannot be read."""
    try:
        reader = pypdf.PdfReader(io.BytesIO(pdf), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            return ""
        pages = reader.pages
        count = len(pages) if max_pages is None else min(len(pages), max(0, max_pages))
    except Exception:  # pypdf raises many kinds on a broken file
        return ""
    parts = []
    for index in range(count):
        try:
            text = pages[index].extract_text() or ""
        except Exception:  # one unreadable page (odd font, broken stream)
            continue
        text = _SPACES.sub(" ", text)
        text = _BLANK_LINES.sub("\n\n", text).strip()
        if text:
            parts.append(text)
    return "\n\n".join(parts)
