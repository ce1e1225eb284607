"""Reading a meeting in the exchange format (``docs/meeting-format.md``, version 1) into
domain objects, checking everything before anything is written.

Sources: a ``meeting.json``, the folder holding it, or a zip of that folder.
"""

from __future__ import annotations

import contextlib
import json
import mimetypes
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Any

from agenda.errors import ExchangeError
from agenda.model import (
    Agenda,
    AgendaItem,
    Attachment,
    Body,
    Case,
    ItemKind,
    Meeting,
    MeetingStatus,
    NumberingStyle,
    Participant,
    Section,
    TextSection,
)
from agenda.numbering import meeting_items
from storage.exchange_source import Source, unreadable

FORMAT = "kkr-dagsorden/meeting"
VERSION = 1
#: Where unknown fields of the document's top level and of ``paper.texts`` are kept.
DOCUMENT_EXTRA = "$document"
TEXTS_EXTRA = "$texts"

KNOWN = {
    "document": {"format", "version", "body", "meeting", "sections"},
    "body": {"name", "numbering"},
    "meeting": {"name", "start", "end", "location", "state", "participants"},
    "participant": {"name", "role", "present"},
    "section": {"name", "items"},
    "item": {"number", "kind", "name", "public", "paper", "resolution", "files"},
    "paper": {"reference", "name", "officer", "texts"},
    "file": {"name", "fileName", "public", "sha256"},
}


def extra(obj: dict, level: str) -> MappingProxyType:
    return MappingProxyType({k: v for k, v in obj.items() if k not in KNOWN[level]})


@dataclass(frozen=True, slots=True)
class ReadMeeting:
    meeting: Meeting
    files: dict[str, bytes]  # sha256 -> bytes


def read_meeting(path: Path) -> ReadMeeting:
    try:
        source = Source(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise unreadable(path, error) from error
    try:
        return _read(source)
    except RecursionError as error:
        raise ExchangeError(
            f"{_json_name(path)} har lister eller objekter lagt så dybt i hinanden, at den "
            "ikke kan læses; det gør en møde-fil aldrig. Eksportér mødet igen fra KKR "
            "Dagsorden.",
            path=str(path),
        ) from error
    except (_Misplaced, *_SHAPE_ERRORS) as error:
        # a value of the wrong kind somewhere the checks above do not look (a list where
        # an object belongs, a number for a date): the file's fault, not the program's.
        # Python's words would not help the reader (the chained error keeps them); where
        # it is, and a missing field's name, do.
        place = f" i {error.place}" if isinstance(error, _Misplaced) else ""
        cause = error.error if isinstance(error, _Misplaced) else error
        missing = f" (feltet »{cause.args[0]}« mangler)" if isinstance(cause, KeyError) else ""
        raise ExchangeError(
            f"{_json_name(path)} har en uventet opbygning{place}{missing}: et felt har en "
            "anden slags værdi end formatbeskrivelsen (docs/meeting-format.md) siger, fx en "
            "liste, hvor der skal stå tekst. Ret filen efter formatbeskrivelsen, eller "
            "eksportér mødet igen fra KKR Dagsorden.",
            path=str(path),
        ) from cause
    except (zipfile.BadZipFile, EOFError, zlib.error, OSError) as error:
        raise unreadable(path, error) from error
    finally:
        source.close()


def _read(source: Source) -> ReadMeeting:
    where = source.path
    raw = source.meeting_json()
    if not raw.startswith((b"\xff\xfe", b"\xfe\xff")) and (
        b"\x00" in raw[:4096] or raw.lstrip()[:1] not in (b"{", b"[", b"\xef", b"")
    ):
        raise ExchangeError(
            f"{where} er ikke en møde-fil fra KKR Dagsorden. Vælg en meeting.json, mappen "
            "med den eller en zip-fil, som KKR Dagsorden har eksporteret.",
            path=str(where),
        )
    try:
        doc = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise ExchangeError(
            f"{where} er ikke gemt som UTF-8-tekst. Gem filen som UTF-8.", path=str(where)
        ) from error
    except json.JSONDecodeError as error:
        raise ExchangeError(
            f"{_json_name(where)} er ikke gyldig JSON (linje {error.lineno}, kolonne "
            f"{error.colno}). Ret filen, og prøv igen.",
            path=str(where),
        ) from error
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ExchangeError(
            f"{where} er ikke en møde-fil fra KKR Dagsorden (»format« skal være »{FORMAT}«).",
            path=str(where),
        )
    version = doc.get("version")
    if not isinstance(version, int) or version > VERSION:
        raise ExchangeError(
            f"{where} er i formatversion {version}, men denne version af KKR Dagsorden kan "
            f"kun læse version {VERSION}. Opdatér programmet.",
            path=str(where),
        )
    body_doc = _obj(doc.get("body"), "body", where)
    numbering = body_doc.get("numbering", "section")
    if numbering not in ("section", "flat"):
        raise ExchangeError(
            f"Ukendt nummerering »{numbering}« i {where} (brug section/flat).", path=str(where)
        )
    body = Body(
        name=_text(body_doc.get("name"), "body.name", where),
        numbering=NumberingStyle(numbering),
        extra=extra(body_doc, "body"),
    )
    m = _obj(doc.get("meeting"), "meeting", where)
    files: dict[str, bytes] = {}
    sections = []
    for n, section in enumerate(_list(doc.get("sections"), "sections", where), start=1):
        with _at("afsnit", n, section):
            sections.append(_section(section, source, files))
    start = _time(m.get("start"), "meeting.start", where)
    end = _time(m["end"], "meeting.end", where) if m.get("end") else None
    try:
        status = MeetingStatus(m.get("state", "draft"))
    except ValueError as error:
        states = ", ".join(s.value for s in MeetingStatus)
        raise ExchangeError(
            f"Mødets status »{m.get('state')}« i {where} findes ikke. Brug en af: {states}.",
            path=str(where),
        ) from error
    meeting_extra = dict(extra(m, "meeting"))
    doc_extra = dict(extra(doc, "document"))
    if doc_extra:
        meeting_extra[DOCUMENT_EXTRA] = doc_extra
    meeting = Meeting(
        body=body,
        title=_text(m.get("name"), "meeting.name", where),
        start=start,
        end=end,
        location=m.get("location") or "",
        status=status,
        participants=tuple(
            Participant(
                _text(p.get("name"), "participant.name", where),
                p.get("role") or "",
                p.get("present"),
                extra(p, "participant"),
            )
            for p in (_obj(p, "participant", where) for p in m.get("participants") or [])
        ),
        agenda=Agenda(tuple(sections)),
        extra=MappingProxyType(meeting_extra),
    )
    _check(meeting, tuple(sections), doc, where)
    return ReadMeeting(meeting, files)


def _section(doc: Any, source: Source, files: dict[str, bytes]) -> Section:
    where = source.path
    doc = _obj(doc, "section", where)
    items = []
    for n, item in enumerate(_list(doc.get("items"), "items", where), start=1):
        with _at("punkt", n, item):
            items.append(_item(item, source, files))
    return Section(name=doc.get("name") or "", items=tuple(items), extra=extra(doc, "section"))


def _item(doc: Any, source: Source, files: dict[str, bytes]) -> AgendaItem:
    where = source.path
    doc = _obj(doc, "item", where)
    paper = _obj(doc["paper"], "paper", where) if doc.get("paper") else None
    name = doc.get("name") or (paper or {}).get("name") or ""
    if not str(name).strip():
        raise ExchangeError(
            f"Et punkt i {where} har ingen titel (»name«). Giv punktet en titel.", path=str(where)
        )
    try:
        kind = ItemKind(doc.get("kind"))
    except ValueError:
        allowed = ", ".join(k.value for k in ItemKind)
        raise ExchangeError(
            f"Punktet »{name}« i {where} har en ukendt type »{doc.get('kind')}«. "
            f"Brug en af: {allowed}.",
            path=str(where),
        ) from None
    attachments = []
    for f in _list(doc.get("files") or [], "files", where):
        f = _obj(f, "file", where)
        data = source.read(str(f.get("fileName") or ""), name)
        attachment = Attachment(
            title=f.get("name") or PurePosixPath(f["fileName"]).stem,
            file_name=PurePosixPath(str(f["fileName"]).replace("\\", "/")).name,
            media_type=mimetypes.guess_type(f["fileName"])[0] or "application/octet-stream",
            size=len(data),
            sha256=_sha(data),
            confidential=f.get("public") is False,
            extra=extra(f, "file"),
        )
        if f.get("sha256") and f["sha256"].lower() != attachment.sha256:
            raise ExchangeError(
                f"Bilaget »{f['fileName']}« under punktet »{name}« er ikke den fil, meeting.json "
                "angiver (sha256 passer ikke). Filen kan være ændret eller beskadiget.",
                path=str(where),
            )
        files[attachment.sha256] = data
        attachments.append(attachment)
    case = None
    if paper is not None or attachments:
        paper = paper or {}
        texts_doc = paper.get("texts") or {}
        known_texts = {s.value for s in TextSection}
        texts = {TextSection(k): v for k, v in texts_doc.items() if k in known_texts and v}
        case_extra = dict(extra(paper, "paper"))
        other_texts = {k: v for k, v in texts_doc.items() if k not in known_texts}
        if other_texts:
            case_extra[TEXTS_EXTRA] = other_texts
        case = Case(
            title=paper.get("name") or name,
            reference=paper.get("reference") or "",
            kind=kind,
            officer=paper.get("officer") or "",
            texts=MappingProxyType(texts),
            attachments=tuple(attachments),
            extra=MappingProxyType(case_extra),
        )
    return AgendaItem(
        kind=kind,
        title=name,
        case=case,
        closed=doc.get("public") is False,
        decision=doc.get("resolution") or "",
        extra=extra(doc, "item"),
    )


def _check(meeting: Meeting, sections: tuple[Section, ...], doc: dict, where: Path) -> None:
    seen: dict[tuple, str] = {}
    given = [i.get("number") for s in doc.get("sections") or [] for i in s.get("items") or []]
    for numbered, number in zip(meeting_items(meeting), given, strict=True):
        item = numbered.item
        key = (
            ("case", item.case.reference)
            if item.case and item.case.reference
            else ("item", item.kind, item.title, item.case.title if item.case else "")
        )
        if key in seen:
            raise ExchangeError(
                f"Punktet »{item.title}« står to gange på dagsordenen i {where} "
                f"({seen[key]} og {numbered.number}). Fjern det ene.",
                path=str(where),
            )
        seen[key] = numbered.number
        if number is not None and str(number) != numbered.number:
            raise ExchangeError(
                f"Punktet »{item.title}« har nummer {number} i {where}, men ud fra "
                f"rækkefølgen er det {numbered.number}. Ret nummeret eller rækkefølgen.",
                path=str(where),
            )


def _obj(value: Any, what: str, where: Path) -> dict:
    if not isinstance(value, dict):
        raise ExchangeError(f"»{what}« mangler eller er ikke et objekt i {where}.", path=str(where))
    return value


def _list(value: Any, what: str, where: Path) -> list:
    if not isinstance(value, list):
        raise ExchangeError(f"»{what}« mangler eller er ikke en liste i {where}.", path=str(where))
    return value


_SHAPE_ERRORS = (TypeError, AttributeError, KeyError, IndexError, ValueError)


class _Misplaced(Exception):
    """A shape error, with where in the file it happened (``afsnit 2, punkt 3 …``)."""

    def __init__(self, place: str, error: Exception) -> None:
        super().__init__(place)
        self.place = place
        self.error = error


@contextlib.contextmanager
def _at(kind: str, number: int, doc: Any) -> Iterator[None]:
    name = doc.get("name") if isinstance(doc, dict) else None
    place = f"{kind} {number}" + (f" (»{name[:60]}«)" if isinstance(name, str) and name else "")
    try:
        yield
    except _Misplaced as inner:
        raise _Misplaced(f"{place}, {inner.place}", inner.error) from inner.error
    except _SHAPE_ERRORS as error:
        raise _Misplaced(place, error) from error


def _time(value: Any, what: str, where: Path) -> datetime:
    try:
        return datetime.fromisoformat(_text(value, what, where))
    except ValueError as error:
        raise ExchangeError(
            f"»{what}« i {where} er »{value}«, som ikke er et tidspunkt. Skriv det som "
            "2024-04-16T10:00:00+02:00 (dato, »T«, klokkeslæt og forskydning fra UTC).",
            path=str(where),
        ) from error


def _json_name(where: Path) -> str:
    """``/x/meeting.json``, or ``meeting.json i /x/møde.zip`` for a folder or a zip."""
    return str(where) if where.name == "meeting.json" else f"meeting.json i {where}"


def _text(value: Any, what: str, where: Path) -> str:
    if isinstance(value, str) and value.strip():
        return value
    if value is None or isinstance(value, str):
        raise ExchangeError(f"»{what}« mangler eller er tom i {where}.", path=str(where))
    shown = json.dumps(value, ensure_ascii=False)
    shown = shown if len(shown) <= 40 else shown[:40] + " …"
    raise ExchangeError(
        f"»{what}« i {where} skal være tekst i anførselstegn, men er {shown}. Ret filen.",
        path=str(where),
    )


def _sha(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()
