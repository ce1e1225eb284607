"""The ``meeting.json`` of an exported meeting (``docs/meeting-format.md``).

The complete edition writes back every unknown field it was given (the round trip). The
public edition writes only what the format documents, level by level (``KNOWN``): an
unknown field from another system may hold anything, and what is not known to be public
is not published. It also leaves out closed items, confidential bilag and every section
that has no public item left, so not even a section's name tells of a closed item.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from agenda.edition import attachments_for, is_published
from agenda.model import AgendaItem, AttachmentId, Meeting, TextSection
from agenda.numbering import meeting_items
from agenda.records import SentVersion
from exchange.read import DOCUMENT_EXTRA, FORMAT, KNOWN, TEXTS_EXTRA, VERSION


class ExportedFile(NamedTuple):
    """A bilag as written beside meeting.json: its ``fileName`` and the SHA-256 of the
    bytes written there."""

    file_name: str
    sha256: str


def meeting_document(
    meeting: Meeting,
    files: Mapping[AttachmentId, ExportedFile],
    *,
    public: bool,
    sent_versions: Sequence[SentVersion] = (),
    supplement_of: SentVersion | None = None,
) -> dict:
    """The JSON document of a meeting; ``files`` maps attachment id -> the file written.

    Version 2 adds, to the complete edition only, ``meeting.sentVersions`` (what was sent
    or approved: time, user, note, file names and hashes) and ``meeting.supplementOf``
    (the sent version a supplement adds to). The public edition leaves both out: a note
    or a file name may speak of a closed item, and they are not on the allow-list."""
    doc = _document(meeting, files, public=public)
    if sent_versions:
        doc["meeting"]["sentVersions"] = [_version_doc(v) for v in sent_versions]
    if supplement_of is not None:
        doc["meeting"]["supplementOf"] = _version_ref(supplement_of)
    return _documented_only(doc) if public else doc


def _version_ref(v: SentVersion) -> dict:
    return {"id": v.id, "kind": v.kind.value, "at": v.at.isoformat()}


def _version_doc(v: SentVersion) -> dict:
    return {
        **_version_ref(v),
        "user": v.user,
        "note": v.note,
        "parent": v.parent_id,
        "files": [{"name": f.name, "sha256": f.sha256, "size": f.size} for f in v.files],
    }


def _document(
    meeting: Meeting, files: Mapping[AttachmentId, ExportedFile], *, public: bool
) -> dict:
    m_extra = dict(meeting.extra)
    doc_extra = m_extra.pop(DOCUMENT_EXTRA, {})
    numbers = {n.item.id: n.number for n in meeting_items(meeting)}
    sections = []
    for section in meeting.agenda.sections:
        items = [
            _item_doc(item, numbers[item.id], files, public=public)
            for item in section.items
            if not public or is_published(item)
        ]
        if public and not items:
            continue  # its name alone would tell that something was left out
        sections.append({**dict(section.extra), "name": section.name, "items": items})
    return {
        **doc_extra,
        "format": FORMAT,
        "version": VERSION,
        "body": {
            **dict(meeting.body.extra),
            "name": meeting.body.name,
            "numbering": meeting.body.numbering.value,
        },
        "meeting": {
            **m_extra,
            "name": meeting.title,
            "start": meeting.start.isoformat(),
            "end": meeting.end.isoformat() if meeting.end else None,
            "location": meeting.location,
            "state": meeting.status.value,
            "participants": [
                {**dict(p.extra), "name": p.name, "role": p.role, "present": _attendance(p.present)}
                for p in meeting.participants
            ],
        },
        "sections": sections,
    }


def _attendance(present: object) -> bool | None:
    """What the format allows: a value an older import let in (``"ja"``, NaN) is written
    as not recorded, never as invalid JSON."""
    return present if isinstance(present, bool) else None


def _item_doc(
    item: AgendaItem, number: str, files: Mapping[AttachmentId, ExportedFile], *, public: bool
) -> dict:
    doc = {
        **dict(item.extra),
        "kind": item.kind.value,
        "name": item.title,
        "public": not item.closed,
    }
    if not public:
        # The public edition leaves closed items out, so their numbers would leave gaps
        # (telling that something is missing) and fail the number check on re-import:
        # there the numbers are left to be derived from the order.
        doc = {"number": number, **doc}
    if item.case is not None:
        case = item.case
        case_extra = dict(case.extra)
        other_texts = case_extra.pop(TEXTS_EXTRA, {})
        doc["paper"] = {
            **case_extra,
            "reference": case.reference,
            "name": case.title,
            "officer": case.officer,
            "texts": {
                **other_texts,
                **{s.value: case.text(s) for s in TextSection if case.text(s)},
            },
        }
    doc["resolution"] = item.decision or None
    doc["files"] = [
        {
            **dict(a.extra),
            "name": a.title,
            "fileName": files[a.id].file_name,
            "public": not a.confidential,
            "sha256": files[a.id].sha256,
        }
        for a in attachments_for(item, public=public)
    ]
    return doc


_TEXTS = frozenset(s.value for s in TextSection)


def _documented_only(doc: dict) -> dict:
    """``doc`` with only the fields the format documents, at every level: the allow-list
    that makes the public edition fail closed whatever ``_document`` was given."""

    def keep(obj: dict, level: str) -> dict:
        return {k: v for k, v in obj.items() if k in KNOWN[level]}

    out = keep(doc, "document")
    out["body"] = keep(doc["body"], "body")
    out["meeting"] = keep(doc["meeting"], "meeting")
    out["meeting"]["participants"] = [
        keep(p, "participant") for p in doc["meeting"]["participants"]
    ]
    out["sections"] = []
    for section in doc["sections"]:
        items = []
        for item in section["items"]:
            kept = keep(item, "item")
            if "paper" in item:
                kept["paper"] = keep(item["paper"], "paper")
                texts = item["paper"].get("texts", {})
                kept["paper"]["texts"] = {k: v for k, v in texts.items() if k in _TEXTS}
            kept["files"] = [keep(f, "file") for f in item["files"]]
            items.append(kept)
        out["sections"].append({**keep(section, "section"), "items": items})
    return out
