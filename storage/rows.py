"""Mapping between table rows and the frozen domain objects."""

from __future__ import annotations

import json
from datetime import datetime
from types import MappingProxyType
from typing import Any

from agenda.model import (
    Attachment,
    AttachmentId,
    Body,
    BodyId,
    Case,
    CaseId,
    ItemKind,
    NumberingStyle,
    Participant,
    TextSection,
)


def dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def load_extra(text: str | None) -> MappingProxyType:
    return MappingProxyType(json.loads(text) if text else {})


def participants_json(people: tuple[Participant, ...]) -> str:
    return dump(
        [
            {"name": p.name, "role": p.role, "present": p.present, "extra": dict(p.extra)}
            for p in people
        ]
    )


def participants_from(text: str | None) -> tuple[Participant, ...]:
    return tuple(
        Participant(
            p["name"], p.get("role", ""), p.get("present"), MappingProxyType(p.get("extra") or {})
        )
        for p in json.loads(text or "[]")
    )


def body_from(row: dict) -> Body:
    return Body(
        name=row["name"],
        numbering=NumberingStyle(row["numbering"]),
        default_place=row["default_place"] or "",
        members=participants_from(row["members"]),
        template=row["template"],
        id=BodyId(row["id"]),
        extra=load_extra(row["extra"]),
    )


def texts_json(case: Case) -> str:
    return dump({s.value: t for s, t in case.texts.items() if t})


def attachment_from(row: dict) -> Attachment:
    return Attachment(
        title=row["title"],
        file_name=row["file_name"],
        media_type=row["media_type"],
        size=row["size"],
        sha256=row["sha256"],
        confidential=bool(row["confidential"]),
        id=AttachmentId(row["id"]),
        extra=load_extra(row["extra"]),
    )


def case_from(row: dict, attachments: tuple[Attachment, ...]) -> Case:
    known = {s.value for s in TextSection}
    # a section this version does not know (a newer version wrote it) is skipped, not fatal
    texts = {TextSection(k): v for k, v in json.loads(row["texts"] or "{}").items() if k in known}
    return Case(
        title=row["title"],
        reference=row["reference"] or "",
        kind=ItemKind(row["kind"]),
        officer=row["officer"] or "",
        texts=MappingProxyType(texts),
        attachments=attachments,
        id=CaseId(row["id"]),
        extra=load_extra(row["extra"]),
    )


def time_text(when: datetime | None) -> str | None:
    return when.isoformat() if when else None


def time_from(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None
