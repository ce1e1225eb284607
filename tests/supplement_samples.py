"""A meeting sent on 9 April 2024 and changed since: the fixture of the supplement tests.

Sent: 2.1 Evaluering (Rapport, Tilbud [fortroligt], Tidsplan), 2.2 Sundhedsaftale
(Statusnotat), 2.3 Trafikplan (Kort), 2.4 Budget. Since then: 2.1's recommendation
changed and its Tidsplan replaced by a new file; 2.2's Statusnotat made confidential and
a bilag added; 2.3 closed, renamed and given a bilag (both say ``SECRET``); 2.4 Budget
taken off; a new item Praktikpladser (Oversigt) and a new closed item (``SECRET``) added.
Words of closed and confidential matter carry ``SECRET`` so a test can look for them.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from agenda.item_content import item_attachments, with_attachments, with_text
from agenda.model import AgendaItem, Attachment, ItemKind, TextSection
from agenda.snapshot import MeetingSnapshot
from tests import factories
from tests.pack_samples import pdf_pages

SECRET = "Qzhemmelig"
SENT_AT = datetime(2024, 4, 9, 14, 30)


def _bilag(title: str, text: str, *, confidential: bool = False) -> tuple[Attachment, bytes]:
    data = pdf_pages([f"{text} side 1", f"{text} side 2"])
    name = "".join(c for c in text.lower() if c.isalnum())[:30] + ".pdf"
    return factories.attachment(title, data, name, confidential=confidential), data


def changed_meeting() -> MeetingSnapshot:
    blobs: dict[str, bytes] = {}

    def bilag(title: str, text: str, *, confidential: bool = False) -> Attachment:
        attachment, data = _bilag(title, text, confidential=confidential)
        blobs[attachment.sha256] = data
        return attachment

    rapport = bilag("Rapport", "Rapportens tekst")
    tilbud = bilag(f"Tilbud {SECRET}tilbud", f"{SECRET}tilbudstekst", confidential=True)
    tidsplan = bilag("Tidsplan", "Tidsplan udsendt")
    status = bilag("Statusnotat", "Statusnotatets tekst")
    kort = bilag("Kort over ruten", "Kortets tekst")
    evaluation = factories.case("Evaluering", "24/04521", attachments=(rapport, tilbud, tidsplan))
    health = factories.case("Sundhedsaftale", "24/01234", ItemKind.INFORMATION, (status,))
    traffic = factories.case("Trafikplan", "24/03333", attachments=(kort,))
    items = [
        factories.item("Evaluering af klyngekontorer", case_=evaluation),
        factories.item("Status på sundhedsaftalen", ItemKind.INFORMATION, case_=health),
        factories.item("Trafikplan for Vestsjælland", case_=traffic),
        factories.item("Budget 2025", case_=factories.case("Budget 2025", "24/04444")),
    ]
    sent = factories.meeting(
        [
            ("Indledning", [factories.item("Godkendelse af dagsorden", ItemKind.APPROVAL)]),
            ("Sager", items),
        ]
    )
    ev, sa, tr, _budget = items  # the budget is taken off: not in the new agenda
    ev2 = with_text(ev, TextSection.INDSTILLING, "Det indstilles, at KKR godkender den nye plan.")
    new_plan = bilag("Tidsplan", "Tidsplan revideret")
    ev2 = with_attachments(ev2, (rapport, tilbud, replace(new_plan, id=tidsplan.id)))
    sa2 = with_attachments(
        sa, (replace(status, confidential=True), bilag("Økonominotat", "Økonomiens tekst"))
    )
    tr2 = with_attachments(
        replace(tr, closed=True, title=f"Trafikplan {SECRET}titel"),
        (*item_attachments(tr), bilag(f"Notat {SECRET}notat", f"{SECRET}notatets tekst")),
    )
    praktik = factories.item(
        "Praktikpladser",
        case_=factories.case(
            "Praktikpladser", "24/05555", attachments=(bilag("Oversigt", "Oversigtens tekst"),)
        ),
    )
    personale = AgendaItem(
        ItemKind.DECISION,
        f"Personalesag {SECRET}personale",
        case=factories.case(
            f"Personalesag {SECRET}personale",
            "24/09999",
            attachments=(bilag(f"Profil {SECRET}profil", f"{SECRET}profiltekst"),),
            indstilling=f"Det indstilles, at {SECRET}indstilling.",
        ),
        closed=True,
    )
    sections = list(sent.agenda.sections)
    sections[1] = replace(sections[1], items=(ev2, sa2, tr2, praktik, personale))
    now = replace(sent, agenda=replace(sent.agenda, sections=tuple(sections)))
    return MeetingSnapshot(now, blobs=blobs, sent=sent, sent_at=SENT_AT)


def unchanged(snapshot: MeetingSnapshot) -> MeetingSnapshot:
    return replace(snapshot, meeting=snapshot.sent)


def never_sent(snapshot: MeetingSnapshot) -> MeetingSnapshot:
    return replace(snapshot, sent=None, sent_at=None)
