"""A Meeting as plain JSON values and back, exactly (``meeting_from_dict(meeting_to_dict(m))
== m``, ids and unknown fields included).

This is how a sent version keeps the meeting it sent (``agenda.records.SentVersion``):
the change list compares the current meeting against it, so it must come back as the
very objects that were sent. It is not the exchange format (``docs/meeting-format.md``),
which is for other systems and drops ids; this one is private to the workspace.
"""

from __future__ import annotations

from datetime import datetime
from types import MappingProxyType
from typing import Any

from agenda.model import (
    Agenda,
    AgendaItem,
    Attachment,
    AttachmentId,
    Body,
    BodyId,
    Case,
    CaseId,
    Correction,
    ItemId,
    ItemKind,
    Meeting,
    MeetingId,
    MeetingStatus,
    NumberingStyle,
    Participant,
    Section,
    SectionId,
    TextSection,
)

#: Bumped when the shape changes; a reader refuses a newer one.
CODEC_VERSION = 1


def _time(when: datetime | None) -> str | None:
    return when.isoformat() if when else None


def _from_time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _people(people: tuple[Participant, ...]) -> list[dict[str, Any]]:
    return [
        {"name": p.name, "role": p.role, "present": p.present, "extra": dict(p.extra)}
        for p in people
    ]


def _from_people(values: list[dict[str, Any]]) -> tuple[Participant, ...]:
    return tuple(
        Participant(v["name"], v["role"], v["present"], MappingProxyType(v["extra"]))
        for v in values
    )


def _case(case: Case) -> dict[str, Any]:
    return {
        "id": case.id,
        "title": case.title,
        "reference": case.reference,
        "kind": case.kind.value,
        "officer": case.officer,
        "texts": {s.value: t for s, t in case.texts.items()},
        "extra": dict(case.extra),
        "attachments": [
            {
                "id": a.id,
                "title": a.title,
                "file_name": a.file_name,
                "media_type": a.media_type,
                "size": a.size,
                "sha256": a.sha256,
                "confidential": a.confidential,
                "extra": dict(a.extra),
            }
            for a in case.attachments
        ],
    }


def _from_case(v: dict[str, Any]) -> Case:
    return Case(
        title=v["title"],
        reference=v["reference"],
        kind=ItemKind(v["kind"]),
        officer=v["officer"],
        texts=MappingProxyType({TextSection(k): t for k, t in v["texts"].items()}),
        attachments=tuple(
            Attachment(
                title=a["title"],
                file_name=a["file_name"],
                media_type=a["media_type"],
                size=a["size"],
                sha256=a["sha256"],
                confidential=a["confidential"],
                id=AttachmentId(a["id"]),
                extra=MappingProxyType(a["extra"]),
            )
            for a in v["attachments"]
        ),
        id=CaseId(v["id"]) if v["id"] is not None else None,
        extra=MappingProxyType(v["extra"]),
    )


def meeting_to_dict(meeting: Meeting) -> dict[str, Any]:
    body = meeting.body
    return {
        "codec": CODEC_VERSION,
        "id": meeting.id,
        "version": meeting.version,
        "title": meeting.title,
        "start": _time(meeting.start),
        "end": _time(meeting.end),
        "location": meeting.location,
        "status": meeting.status.value,
        "participants": _people(meeting.participants),
        "extra": dict(meeting.extra),
        "body": {
            "id": body.id,
            "name": body.name,
            "numbering": body.numbering.value,
            "default_place": body.default_place,
            "members": _people(body.members),
            "template": body.template,
            "extra": dict(body.extra),
        },
        "sections": [
            {
                "id": s.id,
                "name": s.name,
                "extra": dict(s.extra),
                "items": [
                    {
                        "id": i.id,
                        "kind": i.kind.value,
                        "title": i.title,
                        "closed": i.closed,
                        "decision": i.decision,
                        "extra": dict(i.extra),
                        "case": _case(i.case) if i.case is not None else None,
                    }
                    for i in s.items
                ],
            }
            for s in meeting.agenda.sections
        ],
        "corrections": [
            {"at": _time(c.at), "user": c.user, "text": c.text, "item_id": c.item_id}
            for c in meeting.corrections
        ],
    }


def meeting_from_dict(v: dict[str, Any]) -> Meeting:
    if v.get("codec", 0) > CODEC_VERSION:
        raise ValueError(f"meeting codec {v.get('codec')} is newer than {CODEC_VERSION}")
    b = v["body"]
    body = Body(
        name=b["name"],
        numbering=NumberingStyle(b["numbering"]),
        default_place=b["default_place"],
        members=_from_people(b["members"]),
        template=b["template"],
        id=BodyId(b["id"]) if b["id"] is not None else None,
        extra=MappingProxyType(b["extra"]),
    )
    sections = tuple(
        Section(
            name=s["name"],
            id=SectionId(s["id"]),
            extra=MappingProxyType(s["extra"]),
            items=tuple(
                AgendaItem(
                    kind=ItemKind(i["kind"]),
                    title=i["title"],
                    case=_from_case(i["case"]) if i["case"] is not None else None,
                    closed=i["closed"],
                    decision=i["decision"],
                    id=ItemId(i["id"]),
                    extra=MappingProxyType(i["extra"]),
                )
                for i in s["items"]
            ),
        )
        for s in v["sections"]
    )
    return Meeting(
        body=body,
        title=v["title"],
        start=_from_time(v["start"]),  # type: ignore[arg-type]
        end=_from_time(v["end"]),
        location=v["location"],
        status=MeetingStatus(v["status"]),
        participants=_from_people(v["participants"]),
        agenda=Agenda(sections),
        id=MeetingId(v["id"]) if v["id"] is not None else None,
        version=v["version"],
        extra=MappingProxyType(v["extra"]),
        corrections=tuple(
            Correction(
                _from_time(c["at"]),  # type: ignore[arg-type]
                c["user"],
                c["text"],
                ItemId(c["item_id"]) if c["item_id"] else None,
            )
            for c in v["corrections"]
        ),
    )
