"""Reading a meeting in the exchange format (``docs/meeting-format.md``, versions 1 and 2) into
domain objects, checking everything before anything is written.

Sources: a ``meeting.json``, the folder holding it, or a zip of that folder.
"""

from __future__ import annotations

import contextlib
import mimetypes
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from types import MappingProxyType

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
from exchange.source import Source, unreadable
from exchange.values import Fields, json_name, load_document, named, within, wrong

FORMAT = "kkr-dagsorden/meeting"
#: Written by export; 1 and 2 are read. Version 2 adds the item's own texts (``paper.texts``
#: are the item's, as on this meeting), ``meeting.sentVersions`` and ``meeting.supplementOf``;
#: those two are kept as unknown fields on import (their files are not in the folder).
VERSION = 2
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
            f"{json_name(path)} har lister eller objekter lagt så dybt i hinanden, at den "
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
            f"{json_name(path)} har en uventet opbygning{place}{missing}: et felt har en "
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
    doc = load_document(raw, where)
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ExchangeError(
            f"{where} er ikke en møde-fil fra KKR Dagsorden (»format« skal være »{FORMAT}«).",
            path=str(where),
        )
    top = Fields(doc, where)
    version = top.whole_number("version")
    if version > VERSION:
        raise ExchangeError(
            f"{where} er i formatversion {version}, men denne version af KKR Dagsorden kan "
            f"kun læse version {VERSION}. Opdatér programmet.",
            path=str(where),
        )
    if version < 1:
        raise ExchangeError(
            wrong(where, "", "version", "1 eller 2", version, "Formatet begynder ved 1."),
            path=str(where),
        )
    body_doc = top.object("body", "body.")
    numbering = body_doc.optional_text("numbering") or "section"
    if numbering not in ("section", "flat"):
        raise ExchangeError(
            f"Ukendt nummerering »{numbering}« i {where} (brug section/flat).", path=str(where)
        )
    body = Body(
        name=body_doc.text("name"),
        numbering=NumberingStyle(numbering),
        extra=extra(body_doc.doc, "body"),
    )
    m = top.object("meeting", "meeting.")
    files: dict[str, bytes] = {}
    sections = []
    for n, section in enumerate(top.list("sections"), start=1):
        place = named("afsnit", n, section)
        with _at(place):
            sections.append(_section(Fields.element(section, where, place), source, files))
    start = _time(m, "start")
    end = _time(m, "end") if m.optional_text("end") else None
    state = m.optional_text("state") or "draft"
    try:
        status = MeetingStatus(state)
    except ValueError as error:
        states = ", ".join(s.value for s in MeetingStatus)
        raise ExchangeError(
            f"Mødets status »{state}« i {where} findes ikke. Brug en af: {states}.",
            path=str(where),
        ) from error
    meeting_extra = dict(extra(m.doc, "meeting"))
    doc_extra = dict(extra(doc, "document"))
    if doc_extra:
        meeting_extra[DOCUMENT_EXTRA] = doc_extra
    meeting = Meeting(
        body=body,
        title=m.text("name"),
        start=start,
        end=end,
        location=m.optional_text("location"),
        status=status,
        participants=tuple(
            _participant(Fields.element(p, where, named("deltager", n, p)))
            for n, p in enumerate(m.optional_list("participants"), start=1)
        ),
        agenda=Agenda(tuple(sections)),
        extra=MappingProxyType(meeting_extra),
    )
    _check(meeting, tuple(sections), doc, where)
    return ReadMeeting(meeting, files)


def _participant(p: Fields) -> Participant:
    return Participant(
        p.text("name"), p.optional_text("role"), p.attendance(), extra(p.doc, "participant")
    )


def _section(section: Fields, source: Source, files: dict[str, bytes]) -> Section:
    items = []
    for n, item in enumerate(section.list("items"), start=1):
        place = within(section.place, named("punkt", n, item))
        with _at(place):
            items.append(_item(Fields.element(item, source.path, place), source, files))
    return Section(
        name=section.optional_text("name"), items=tuple(items), extra=extra(section.doc, "section")
    )


def _item(item: Fields, source: Source, files: dict[str, bytes]) -> AgendaItem:
    where = source.path
    paper = item.optional_object("paper", "paper.")
    if paper is not None and not paper.doc:
        paper = None  # "paper": {} says no more than no paper
    name = item.optional_text("name") or (paper.optional_text("name") if paper else "")
    if not name.strip():
        raise ExchangeError(
            f"Et punkt i {where} har ingen titel (»name«). Giv punktet en titel.", path=str(where)
        )
    try:
        kind = ItemKind(item.text("kind"))
    except ValueError:
        allowed = ", ".join(k.value for k in ItemKind)
        raise ExchangeError(
            f"Punktet »{name}« i {where} har en ukendt type »{item.doc['kind']}«. "
            f"Brug en af: {allowed}.",
            path=str(where),
        ) from None
    item.item_number()  # only checked against the order (``_check``), but typed here
    attachments = []
    for n, f in enumerate(item.optional_list("files"), start=1):
        f = Fields.element(f, where, within(item.place, named("bilag", n, f)))
        file_name = f.optional_text("fileName")
        data = source.read(file_name, name)
        attachment = Attachment(
            title=f.optional_text("name") or PurePosixPath(file_name).stem,
            file_name=PurePosixPath(file_name.replace("\\", "/")).name,
            media_type=mimetypes.guess_type(file_name)[0] or "application/octet-stream",
            size=len(data),
            sha256=_sha(data),
            confidential=not f.public(),
            extra=extra(f.doc, "file"),
        )
        given = f.optional_text("sha256")
        if given and given.lower() != attachment.sha256:
            raise ExchangeError(
                f"Bilaget »{file_name}« under punktet »{name}« er ikke den fil, meeting.json "
                "angiver (sha256 passer ikke). Filen kan være ændret eller beskadiget.",
                path=str(where),
            )
        files[attachment.sha256] = data
        attachments.append(attachment)
    case = None
    if paper is not None or attachments:
        case = _case(paper or Fields({}, where, item.place, "paper."), name, kind, attachments)
    return AgendaItem(
        kind=kind,
        title=name,
        case=case,
        closed=not item.public(),
        decision=item.optional_text("resolution"),
        extra=extra(item.doc, "item"),
    )


def _case(paper: Fields, name: str, kind: ItemKind, attachments: list[Attachment]) -> Case:
    texts_doc = paper.optional_object("texts", "paper.texts.")
    texts_doc = texts_doc or Fields({}, paper.where, paper.place, "paper.texts.")
    known_texts = {s.value for s in TextSection}
    texts = {
        TextSection(k): text
        for k in texts_doc.doc
        if k in known_texts and (text := texts_doc.optional_text(k))
    }
    case_extra = dict(extra(paper.doc, "paper"))
    other_texts = {k: v for k, v in texts_doc.doc.items() if k not in known_texts}
    if other_texts:
        case_extra[TEXTS_EXTRA] = other_texts
    return Case(
        title=paper.optional_text("name") or name,
        reference=paper.optional_text("reference"),
        kind=kind,
        officer=paper.optional_text("officer"),
        texts=MappingProxyType(texts),
        attachments=tuple(attachments),
        extra=MappingProxyType(case_extra),
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


_SHAPE_ERRORS = (TypeError, AttributeError, KeyError, IndexError, ValueError)


class _Misplaced(Exception):
    """A shape error, with where in the file it happened (``afsnit 2, punkt 3 …``)."""

    def __init__(self, place: str, error: Exception) -> None:
        super().__init__(place)
        self.place = place
        self.error = error


@contextlib.contextmanager
def _at(place: str) -> Iterator[None]:
    try:
        yield
    except _Misplaced:
        raise  # already says where, from the innermost place
    except _SHAPE_ERRORS as error:
        raise _Misplaced(place, error) from error


def _time(fields: Fields, key: str) -> datetime:
    value = fields.text(key)
    try:
        return datetime.fromisoformat(value)
    except ValueError as error:
        raise ExchangeError(
            f"»{fields.prefix}{key}« i {fields.where} er »{value}«, som ikke er et tidspunkt. "
            "Skriv det som 2024-04-16T10:00:00+02:00 (dato, »T«, klokkeslæt og forskydning "
            "fra UTC).",
            path=str(fields.where),
        ) from error


def _sha(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()
