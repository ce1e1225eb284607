"""Reading a meeting in the exchange format (``docs/meeting-format.md``, version 1) into
domain objects, checking everything before anything is written.

Sources: a ``meeting.json``, the folder holding it, or a zip of that folder.
"""

from __future__ import annotations

import errno
import json
import mimetypes
import zipfile
import zlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Any

from agenda.errors import ExchangeError, os_error_reason
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


class Source:
    """The folder or zip a meeting.json came from; reads the files it names."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._zip: zipfile.ZipFile | None = None
        self._base = PurePosixPath()
        if path.is_file() and zipfile.is_zipfile(path):
            self._zip = zipfile.ZipFile(path)
            names = [n for n in self._zip.namelist() if PurePosixPath(n).name == "meeting.json"]
            if not names:
                raise ExchangeError(
                    f"Zip-filen {path.name} indeholder ingen meeting.json.", path=str(path)
                )
            try:
                _refuse_bomb(self._zip, path)
            except ExchangeError:
                self._zip.close()
                raise
            json_name = min(names, key=lambda n: n.count("/"))
            self._base = PurePosixPath(json_name).parent
            self.json_name = json_name
        elif path.is_dir():
            self.json_name = "meeting.json"
            self._dir = path
        else:
            self.json_name = path.name
            self._dir = path.parent

    def close(self) -> None:
        if self._zip:
            self._zip.close()

    def meeting_json(self) -> bytes:
        if self._zip:
            return self._zip.read(self.json_name)
        target = self._dir / self.json_name
        if not target.is_file():
            raise ExchangeError(f"Der er ingen meeting.json i {self._dir}.", path=str(target))
        return target.read_bytes()

    def read(self, file_name: str, item: str) -> bytes:
        rel = PurePosixPath(file_name.replace("\\", "/"))
        if rel.is_absolute() or ".." in rel.parts or not file_name or ":" in rel.parts[0]:
            raise ExchangeError(
                f"Bilagsfilen »{file_name}« under punktet »{item}« skal være en sti inde i "
                "mødets mappe (ikke absolut og uden »..«). Ret meeting.json.",
                path=str(self.path),
            )
        if self._zip:
            name = str(self._base / rel) if str(self._base) != "." else str(rel)
            try:
                return self._zip.read(name)
            except KeyError:
                raise _missing(file_name, item, self.path) from None
        target = self._dir.joinpath(*rel.parts)
        # a link inside the folder may point anywhere (a private key, /dev/zero): only the
        # meeting's own files are read, and only regular files
        if target.exists() and not target.resolve().is_relative_to(self._dir.resolve()):
            raise ExchangeError(
                f"Bilagsfilen »{file_name}« under punktet »{item}« er en genvej til en fil "
                "uden for mødets mappe. Læg selve filen i mappen, og prøv igen.",
                path=str(target),
            )
        if target.exists() and not target.is_dir() and not target.is_file():
            raise ExchangeError(
                f"Bilaget »{file_name}« under punktet »{item}« er ikke en almindelig fil. "
                "Læg selve filen i mappen, og prøv igen.",
                path=str(target),
            )
        if target.is_dir():
            raise ExchangeError(
                f"Bilaget »{file_name}« under punktet »{item}« er en mappe, ikke en fil. "
                "Angiv filen i meeting.json.",
                path=str(target),
            )
        try:
            return target.read_bytes()
        except FileNotFoundError:
            raise _missing(file_name, item, target) from None
        except OSError as error:
            raise ExchangeError(
                f"Bilaget {target} kunne ikke læses: {os_error_reason(error)}.", path=str(target)
            ) from error


#: What a meeting's zip may inflate to: bilag are documents, not gigabytes of zeros.
MAX_INFLATED = 4 << 30
MAX_JSON = 50 << 20
_MAX_RATIO = 100


def _refuse_bomb(archive: zipfile.ZipFile, path: Path) -> None:
    """Judged from the declared sizes before anything is inflated."""
    infos = archive.infolist()
    total = sum(i.file_size for i in infos)
    packed = max(path.stat().st_size, 1)
    json_too_big = any(
        PurePosixPath(i.filename).name == "meeting.json" and i.file_size > MAX_JSON for i in infos
    )
    if json_too_big or total > MAX_INFLATED or (total > 100 << 20 and total > _MAX_RATIO * packed):
        raise ExchangeError(
            f"Zip-filen {path.name} pakker sig ud til langt mere, end et møde fylder (en "
            "såkaldt zip-bombe, eller en beskadiget fil), så den er ikke læst. Bed om "
            "mødet igen, eller eksportér det på ny.",
            path=str(path),
        )


def _missing(file_name: str, item: str, where: Path) -> ExchangeError:
    return ExchangeError(
        f"Bilagsfilen »{file_name}« under punktet »{item}« findes ikke. Læg filen i mødets "
        "mappe, eller ret fileName i meeting.json.",
        path=str(where),
    )


@dataclass(frozen=True, slots=True)
class ReadMeeting:
    meeting: Meeting
    files: dict[str, bytes]  # sha256 -> bytes


def read_meeting(path: Path) -> ReadMeeting:
    try:
        source = Source(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise _unreadable(path, error) from error
    try:
        return _read(source)
    except (TypeError, AttributeError, KeyError, IndexError, ValueError, RecursionError) as error:
        # a value of the wrong kind somewhere the checks above do not look (a list where
        # an object belongs, a number for a date): the file's fault, not the program's
        raise ExchangeError(
            f"meeting.json i {path} har en uventet opbygning ({type(error).__name__}: "
            f"{str(error)[:120]}). Ret filen efter formatbeskrivelsen, eller eksportér mødet "
            "igen fra KKR Dagsorden.",
            path=str(path),
        ) from error
    except (zipfile.BadZipFile, EOFError, zlib.error, OSError) as error:
        raise _unreadable(path, error) from error
    finally:
        source.close()


_REASONS = {
    errno.ENOENT: "filen findes ikke længere",
    errno.EACCES: "du har ikke adgang til den",
    errno.EISDIR: "det er en mappe",
    errno.ELOOP: "genvejen peger i ring",
}


def _unreadable(path: Path, error: BaseException) -> ExchangeError:
    code = getattr(error, "errno", None)
    reason = _REASONS.get(code) if code else None
    reason = reason or getattr(error, "strerror", None) or str(error) or type(error).__name__
    return ExchangeError(
        f"{path} kunne ikke læses ({reason}). Kontrollér, at filen findes og er hel, og prøv igen.",
        path=str(path),
    )


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
            f"meeting.json i {where} er ikke gyldig JSON (linje {error.lineno}, kolonne "
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
    sections = tuple(
        _section(s, source, files) for s in _list(doc.get("sections"), "sections", where)
    )
    try:
        start = datetime.fromisoformat(_text(m.get("start"), "meeting.start", where))
        end = datetime.fromisoformat(m["end"]) if m.get("end") else None
        status = MeetingStatus(m.get("state", "draft"))
    except (TypeError, ValueError) as error:
        raise ExchangeError(
            f"Mødets tidspunkt eller status i {where} kan ikke læses: {error}.", path=str(where)
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
        agenda=Agenda(sections),
        extra=MappingProxyType(meeting_extra),
    )
    _check(meeting, sections, doc, where)
    return ReadMeeting(meeting, files)


def _section(doc: Any, source: Source, files: dict[str, bytes]) -> Section:
    where = source.path
    doc = _obj(doc, "section", where)
    items = tuple(_item(i, source, files) for i in _list(doc.get("items"), "items", where))
    return Section(name=doc.get("name") or "", items=items, extra=extra(doc, "section"))


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


def _text(value: Any, what: str, where: Path) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ExchangeError(f"»{what}« mangler eller er tom i {where}.", path=str(where))
    return value


def _sha(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()
