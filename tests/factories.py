"""Small, realistic domain fixtures shared by the tests (no files, no workspace)."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

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


def document_meeting(*, held: bool = False) -> Meeting:
    """A meeting for the agenda/minutes documents: every text section, line breaks in the
    recommendation, bilag (one confidential), a closed item whose words appear nowhere
    else, and (``held``) status held, decisions on some items and attendance; not held,
    it is a sent agenda, whose minutes are a draft."""
    evaluation = case(
        "Evaluering af klyngekontorer",
        "24/04521",
        attachments=(
            attachment("Evalueringsrapport", b"rapport", "rapport.pdf"),
            attachment("Tilbud fra konsulent", b"tilbud", "tilbud.pdf", confidential=True),
            attachment("Tidsplan", b"plan", "plan.docx"),
        ),
        resume="Evalueringen viser, at klyngekontorerne skaber værdi.",
        baggrund="KKR Sjælland bad i 2023 om en evaluering.\n\nDen foreligger nu.",
        sagsfremstilling="Kontorerne har hjulpet 212 virksomheder.",
        indstilling="Det indstilles, at KKR Sjælland\n- godkender evalueringen, og\n"
        "- beder sekretariatet følge op.",
        oekonomi="Ingen udgifter for kommunerne.",
    )
    health = case(
        "Status på sundhedsaftalen",
        "24/01234",
        ItemKind.INFORMATION,
        attachments=(attachment("Statusnotat", b"status", "status.pdf"),),
        resume="Sundhedsaftalen følger planen.",
    )
    secret = case(
        "Ansættelse af direktør Zanzibarsen",
        "24/09999",
        attachments=(attachment("Kandidatprofil Quokkavej", b"profil", "profil.pdf"),),
        resume="Rekrutteringsudvalget anbefaler Xylofonia Zanzibarsen.",
        indstilling="Det indstilles, at Marmeladekomiteen ansætter kandidaten.",
    )
    presence = (True, False) if held else (None, None)
    return meeting(
        [
            (
                "Indledning",
                [
                    item(
                        "Godkendelse af dagsorden",
                        ItemKind.APPROVAL,
                        decision="Godkendt." if held else "",
                    ),
                    item("Meddelelser", ItemKind.ANNOUNCEMENTS),
                ],
            ),
            (
                "Sager",
                [
                    item(
                        "Evaluering af klyngekontorer",
                        case_=evaluation,
                        decision="Godkendt som indstillet.\nSekretariatet følger op."
                        if held
                        else "",
                    ),
                    item(
                        "Status på sundhedsaftalen",
                        ItemKind.INFORMATION,
                        case_=health,
                        decision="Taget til efterretning." if held else "",
                    ),
                    item(
                        "Ansættelse af direktør Zanzibarsen",
                        case_=secret,
                        closed=True,
                        decision="Pelikanudvalget ansatte Zanzibarsen." if held else "",
                    ),
                ],
            ),
            ("Afslutning", [item("Eventuelt", ItemKind.ANY_OTHER)]),
        ],
        participants=(
            Participant("Mette Hansen", "Formand", present=presence[0]),
            Participant("Ole Pedersen", "Næstformand", present=presence[1]),
        ),
        status=MeetingStatus.HELD if held else MeetingStatus.SENT,
    )


def row_counts(path: Path) -> dict[str, int]:
    """Rows per table of a workspace file: a failed action must leave them as they were."""
    with sqlite3.connect(path) as conn:
        return {
            t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("bodies", "cases", "blobs", "attachments", "meetings", "items", "sections")
        }
