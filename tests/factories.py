"""Small, realistic domain fixtures shared by the tests (no files, no workspace)."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone

from agenda.model import (
    Agenda,
    AgendaItem,
    Attachment,
    Body,
    Case,
    ItemKind,
    Meeting,
    NumberingStyle,
    Participant,
    Section,
    TextSection,
)

CET = timezone(timedelta(hours=2))


def attachment(
    title: str,
    data: bytes,
    file_name: str,
    *,
    confidential: bool = False,
    media_type: str = "application/pdf",
) -> Attachment:
    return Attachment(
        title=title,
        file_name=file_name,
        media_type=media_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        confidential=confidential,
    )


def case(
    title: str,
    reference: str,
    kind: ItemKind = ItemKind.DECISION,
    attachments: tuple[Attachment, ...] = (),
    **texts: str,
) -> Case:
    texts = texts or {
        "resume": f"Resumé af {title.lower()}.",
        "baggrund": "KKR Sjælland har tidligere drøftet sagen.",
        "indstilling": "Det indstilles, at KKR Sjælland godkender oplægget.",
    }
    return Case(
        title=title,
        reference=reference,
        kind=kind,
        officer="Jens Jensen",
        texts={TextSection(k): v for k, v in texts.items()},
        attachments=attachments,
    )


def item(
    title: str,
    kind: ItemKind = ItemKind.DECISION,
    *,
    case_: Case | None = None,
    closed: bool = False,
    decision: str = "",
) -> AgendaItem:
    return AgendaItem(kind=kind, title=title, case=case_, closed=closed, decision=decision)


def body(numbering: NumberingStyle = NumberingStyle.SECTION) -> Body:
    return Body(
        name="KKR Sjælland",
        numbering=numbering,
        default_place="Comwell Køge Strand, Strandvejen 111, 4600 Køge",
        members=(
            Participant("Mette Hansen", "Formand"),
            Participant("Ole Pedersen", "Næstformand"),
        ),
    )


def meeting(sections: list[tuple[str, list[AgendaItem]]] | None = None, **kw) -> Meeting:
    if sections is None:
        sections = [
            (
                "Indledning",
                [
                    item("Godkendelse af dagsorden", ItemKind.APPROVAL),
                    item("Meddelelser", ItemKind.ANNOUNCEMENTS),
                ],
            ),
            (
                "Sager",
                [
                    item(
                        "Evaluering af regionale klyngekontorer",
                        case_=case("Evaluering af regionale klyngekontorer", "24/04521"),
                    ),
                    item(
                        "Status på sundhedsaftalen",
                        ItemKind.INFORMATION,
                        case_=case("Status på sundhedsaftalen", "24/01234", ItemKind.INFORMATION),
                    ),
                ],
            ),
            ("Afslutning", [item("Eventuelt", ItemKind.ANY_OTHER)]),
        ]
    return Meeting(
        body=kw.pop("body", body()),
        title=kw.pop("title", "Møde i KKR Sjælland"),
        start=kw.pop("start", datetime(2024, 4, 16, 10, 0, tzinfo=CET)),
        end=kw.pop("end", datetime(2024, 4, 16, 13, 0, tzinfo=CET)),
        location=kw.pop("location", "Comwell Køge Strand, Strandvejen 111, 4600 Køge"),
        participants=kw.pop(
            "participants",
            (Participant("Mette Hansen", "Formand"), Participant("Ole Pedersen", "Næstformand")),
        ),
        agenda=Agenda(tuple(Section(name, tuple(items)) for name, items in sections)),
        **kw,
    )
