"""What an image file carries besides its pixels, and the image without it.

A photo from a phone or a scanner carries EXIF (camera, GPS position, a description,
the photographer), XMP and IPTC (captions, keywords, authors, earlier file names) and
JPEG comments; a PNG carries text chunks. None of it is seen on the page, all of it is
published with the bytes. The public edition takes the pixels only: ``strip_jpeg`` keeps
what decoding needs (the frame, tables, scan data), the Adobe colour marker (APP14) and
an ICC colour profile (APP2 ``ICC_PROFILE``). A PNG (or any other image) is never
published as its bytes: conversion redraws it from its pixels. ``metadata_texts`` gives
the text of the JPEG segments and PNG text chunks (tEXt, zTXt, iTXt, eXIf, tIME), for
preflight.
"""

from __future__ import annotations

import re
import struct
import zlib

import pikepdf

_SOI = b"\xff\xd8"
_APP2, _APP14, _COM, _SOS, _EOI = 0xE2, 0xEE, 0xFE, 0xDA, 0xD9
#: Markers without a length: start/end of image, restart markers, TEM.
_STANDALONE = frozenset({0xD8, 0xD9, 0x01, *range(0xD0, 0xD8)})
_PNG = b"\x89PNG\r\n\x1a\n"
#: Chunks that are text or time, never pixels.
_PNG_DROPPED = frozenset({b"tEXt", b"iTXt", b"zTXt", b"eXIf", b"tIME"})


def jpeg_of_stream(stream: pikepdf.Stream) -> tuple[bytes, object] | None:
    """(JPEG bytes, its /DecodeParms) of a PDF image stream whose last filter is
    ``/DCTDecode``, the filters before it (Flate, ASCII…) undone; None for any other
    stream. Raises what pikepdf raises for a stream it cannot unpack."""

    filters = stream.get("/Filter")
    filters = list(filters) if isinstance(filters, pikepdf.Array) else [filters]
    if not filters or filters[-1] != "/DCTDecode":
        return None
    parms = stream.get("/DecodeParms")
    parms = list(parms) if isinstance(parms, pikepdf.Array) else [parms] * len(filters)
    if len(filters) == 1:
        return stream.read_raw_bytes(), parms[-1] if parms else None
    with pikepdf.new() as scratch:  # the same bytes with only the filters before DCT
        before = scratch.make_stream(stream.read_raw_bytes())
        before.Filter = pikepdf.Array([pikepdf.Name(str(f)) for f in filters[:-1]])
        if any(p is not None for p in parms[:-1]):
            before.DecodeParms = pikepdf.Array([_plain(p) for p in parms[:-1]])
        return before.read_bytes(), parms[-1] if parms else None


def _plain(parms: object) -> pikepdf.Dictionary:
    """Decode parameters (numbers, names) as a new direct dictionary."""
    if not isinstance(parms, pikepdf.Dictionary):
        return pikepdf.Dictionary()
    return pikepdf.Dictionary({k: v for k, v in parms.items() if isinstance(v, int | pikepdf.Name)})


def is_jpeg(data: bytes) -> bool:
    return data.startswith(b"\xff\xd8\xff")


def _segments(data: bytes):
    """(marker, whole segment bytes, payload) for every marker segment of the file,
    also those between the scans of a progressive JPEG; scan data (and anything not
    parsed) as (None, bytes, b""); the end of image last, with what follows it as its
    payload."""
    pos, size = 2, len(data)
    while pos < size:
        if data[pos] != 0xFF or pos + 1 >= size:
            end = _next_marker(data, pos)
            yield None, data[pos:end], b""
            pos = end
            continue
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            yield None, data[pos : pos + 1], b""
            pos += 1
            continue
        if marker == _EOI:  # the image ends; bytes appended after it are no part of it
            yield _EOI, data[pos : pos + 2], data[pos + 2 :]
            return
        if marker in _STANDALONE or marker == 0x00:
            yield None, data[pos : pos + 2], b""
            pos += 2
            continue
        if pos + 4 > size:
            yield None, data[pos:], b""
            return
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        end = min(pos + 2 + length, size)
        yield marker, data[pos:end], data[pos + 4 : end]
        pos = end
        if marker == _SOS:  # entropy-coded data up to the next real marker
            scan_end = _next_marker(data, pos)
            yield None, data[pos:scan_end], b""
            pos = scan_end


def _next_marker(data: bytes, pos: int) -> int:
    """Where the next marker segment starts: 0xFF not followed by 0x00 (a stuffed
    byte), a restart marker or another 0xFF; the end of ``data`` if none."""
    while True:
        pos = data.find(b"\xff", pos)
        if pos < 0 or pos + 1 >= len(data):
            return len(data)
        following = data[pos + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7 or following == 0xFF:
            pos += 1
            continue
        return pos


def strip_jpeg(data: bytes) -> bytes:
    """``data`` without APP1–APP15 (except APP14 and an ICC profile in APP2) and COM
    segments; ``data`` itself when it is no JPEG. The pixels are untouched."""
    if not is_jpeg(data):
        return data
    out = [_SOI]
    for marker, segment, payload in _segments(data):
        if marker == _COM or (
            marker is not None and 0xE1 <= marker <= 0xEF and not _kept_app(marker, payload)
        ):
            continue
        out.append(segment)  # at the end of image, without what was appended after it
    return b"".join(out)


def _kept_app(marker: int, payload: bytes) -> bool:
    return marker == _APP14 or (marker == _APP2 and payload.startswith(b"ICC_PROFILE\0"))


_PRINTABLE = re.compile(rb"[\x20-\x7e\x80-\xff\t\n\r]{4,}")


def metadata_texts(data: bytes) -> list[tuple[str, str]]:
    """(where, text) of each metadata segment or chunk (what the pixels do not need): the
    printable runs in it (EXIF, XMP, IPTC, comments are text, mostly). For preflight."""
    found: list[tuple[str, str]] = []
    if is_jpeg(data):
        for marker, _segment, payload in _segments(data):
            if marker is None:
                continue
            if marker == _EOI:
                found.append(("data efter billedet", _text(payload)))
            elif marker == _COM:
                found.append(("kommentar (COM)", _text(payload)))
            elif 0xE1 <= marker <= 0xEF and not _kept_app(marker, payload):
                found.append((_app_name(payload, marker), _text(payload)))
    elif data.startswith(_PNG):
        pos = len(_PNG)
        while pos + 8 <= len(data):
            (length,) = struct.unpack(">I", data[pos : pos + 4])
            kind = data[pos + 4 : pos + 8]
            payload = data[pos + 8 : pos + 8 + length]
            if kind in _PNG_DROPPED:
                found.append((f"PNG {kind.decode()}", _png_text(kind, payload)))
            pos += 12 + length
            if kind == b"IEND":
                break
    return [(where, text) for where, text in found if text]


def _app_name(payload: bytes, marker: int) -> str:
    if payload.startswith(b"Exif\0"):
        return "EXIF"
    if payload.startswith(b"http://ns.adobe.com/"):
        return "XMP"
    if payload.startswith(b"Photoshop"):
        return "IPTC"
    return f"APP{marker - 0xE0}"


def _text(payload: bytes) -> str:
    runs = _PRINTABLE.findall(payload)
    joined = b"\n".join(runs)
    for encoding in ("utf-8", "cp1252"):
        try:
            return joined.decode(encoding)
        except UnicodeDecodeError:
            continue
    return joined.decode("latin-1")


def _png_text(kind: bytes, payload: bytes) -> str:
    if kind == b"zTXt":
        keyword, _, rest = payload.partition(b"\0")
        try:
            return keyword.decode("latin-1") + "\n" + zlib.decompress(rest[1:]).decode("latin-1")
        except (zlib.error, ValueError):
            return _text(payload)
    if kind == b"iTXt":
        parts = payload.split(b"\0", 5)
        if len(parts) == 6 and parts[1][:1] == b"\1":
            try:
                return parts[0].decode("latin-1") + "\n" + zlib.decompress(parts[5]).decode()
            except (zlib.error, ValueError):
                pass
    return _text(payload.replace(b"\0", b"\n"))
