"""Preflight: what is wrong with a meeting before it goes out, and what to do about it.

Two steps, so this module stays pure: ``export.inspect.inspect_file`` turns each
attachment's bytes into ``FileFacts`` (page count, encryption, text, ...); ``preflight``
applies the rules below to the meeting and those facts and returns ``Finding`` s, errors
first, then in agenda order. A finding's message is plain Danish: what is wrong, where
(the item heading "2.5 Beslutningssag: Titel" and the bilag title) and what to do.

A "fejl" stops the public edition unless the user overrides it (``--force``); the
override is written down with ``override_record``.

=========================  ========  =====================================================
rule                       severity  when
=========================  ========  =====================================================
past-draft                 advarsel  the meeting date has passed and the status is Kladde
missing-recommendation     fejl      a Beslutningssag without an Indstilling
missing-case-number        advarsel  a case item (beslutning/orientering/drøftelse/tema)
                                     without a case number
closed-without-text        advarsel  a closed item whose case has no text
cpr-in-text                fejl      a CPR number in the title, case text or decision of
                                     an open item (it would be published)
missing-file               fejl      the bilag's bytes are not in the workspace
not-inspected              advarsel  no FileFacts for the bilag (so not checked at all)
encrypted                  fejl      a file protected with a password to open it
damaged                    fejl      a file that cannot be read (not even repaired)
unsupported-type           fejl      a file type nothing converts to PDF (.exe, .zip)
repaired                   info      a damaged PDF the pack will use a repaired copy of
scanned                    advarsel  a PDF with pages that have no text layer
image-without-text         info      an image bilag (no text for screen readers)
too-large                  advarsel  a bilag over 20 MB
too-many-pages             advarsel  a bilag over 200 pages
confidential-open-item     info      a confidential bilag on an open item: it is left
                                     out of the public edition
cpr-in-attachment          fejl      a CPR number in the text, title or file name of a
                                     bilag that goes into the public edition
cpr-check-partial          info      a public bilag whose text could only partly be
                                     checked for CPR numbers
duplicate-file             advarsel  the same file (SHA-256) attached twice in the meeting
=========================  ========  =====================================================

CPR numbers are never repeated in full: messages, headings and titles in a finding show
``160424-xxxx``.

Wiring (GUI panel, ``main.py preflight --meeting ID``)::

    blobs = {a.sha256: repo.blob(a.sha256) for a in ...}      # on the workspace thread
    facts = export.inspect.inspect_meeting(meeting, blobs, task)  # in a worker
    findings = preflight(meeting, facts, today=date.today(), blobs_present=blobs.keys())
    if has_errors(findings): ...                   # CLI: exit 1; public export: refuse
    record = override_record(findings, user, datetime.now(timezone.utc), meeting_id=...)
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from babel.numbers import format_decimal

from agenda.cpr import CprMatch, find_cpr_numbers, mask_cpr
from agenda.formatting import LOCALE, long_date
from agenda.model import (
    AgendaItem,
    Attachment,
    AttachmentId,
    ItemId,
    ItemKind,
    Meeting,
    MeetingStatus,
    TextSection,
)
from agenda.numbering import NumberedItem, meeting_items
from agenda.snapshot import attachments_for, is_published

__all__ = [
    "MAX_BYTES",
    "MAX_PAGES",
    "FileFacts",
    "Finding",
    "Severity",
    "has_errors",
    "override_record",
    "preflight",
]

#: A bilag larger than this is hard to mail and to open on a tablet.
MAX_BYTES = 20 * 1024 * 1024
MAX_PAGES = 200


class Severity(Enum):
    """How bad a finding is; the value is the Danish word the user reads."""

    ERROR = "fejl"
    WARNING = "advarsel"
    INFO = "info"

    @property
    def label(self) -> str:
        return self.value


_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass(frozen=True, slots=True)
class FileFacts:
    """What the bytes of one attachment file are, as far as preflight cares.

    Computed by ``export.inspect.inspect_file`` (which needs the PDF libraries); kept
    here so the rules can be pure. Keyed by ``sha256`` in what ``preflight`` gets.
    """

    sha256: str
    size: int
    #: "pdf", "office", "image", "text" or "unknown" (what the bytes are, not the name).
    kind: str
    page_count: int | None
    #: Needs a password to open (a user password); an owner password alone does not count.
    encrypted_with_password: bool
    #: Cannot be read, not even repaired.
    damaged: bool
    #: Pages with images but no text layer (scanned); an image bilag counts its frames.
    pages_without_text: int
    #: The text of the file (the first pages of a long PDF), for the CPR scan.
    text: str
    #: Something the converters turn into PDF.
    convertible: bool
    #: A Danish sentence naming the file, for an encrypted, damaged or unsupported file.
    problem: str = ""
    #: A damaged PDF that opened after repair: the pack uses a repaired copy.
    repaired: bool = False
    #: False when ``text`` does not cover the whole file (long PDF, old binary format).
    text_complete: bool = True
    #: How many pages ``text`` covers (None for files without pages).
    text_pages: int | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    severity: Severity
    #: Danish: what is wrong, where, and what to do. Never a full CPR number.
    message: str
    item_id: ItemId | None = None
    #: "2.5 Beslutningssag: Titel"; None for findings about the whole meeting.
    item_heading: str | None = None
    attachment_id: AttachmentId | None = None
    attachment_title: str | None = None
    #: A stable id of the rule ("missing-recommendation"), see the module's table.
    rule: str = ""


def has_errors(findings: Iterable[Finding]) -> bool:
    """True when any finding is a fejl: the public edition needs an override."""
    return any(f.severity is Severity.ERROR for f in findings)


def preflight(
    meeting: Meeting,
    facts: Mapping[str, FileFacts],
    *,
    today: date,
    blobs_present: Collection[str],
) -> list[Finding]:
    """Every finding for ``meeting``: errors first, then warnings, then info; within a
    severity the meeting itself first, then items in agenda order, an item before its
    bilag. ``facts`` and ``blobs_present`` are keyed by SHA-256."""
    out = _Findings()
    if meeting.status is MeetingStatus.DRAFT and meeting.start.date() < today:
        out.add(
            Severity.WARNING,
            "past-draft",
            f"Mødedatoen, {long_date(meeting.start)}, er passeret, men mødet står stadig "
            "som kladde. Ret datoen, eller skift status til »Udsendt« eller »Afholdt«.",
        )
    first_use: dict[str, _Where] = {}
    for index, numbered in enumerate(meeting_items(meeting)):
        _item_rules(out, index, numbered)
        public = set(a.id for a in attachments_for(numbered.item, public=True))
        for position, attachment in enumerate(numbered.item.attachments):
            where = _Where(index, numbered, position, attachment)
            _file_rules(out, where, facts, blobs_present, attachment.id in public)
            earlier = first_use.setdefault(attachment.sha256, where)
            if earlier is not where:  # also the same case on two items
                _duplicate(out, where, earlier)
    return out.sorted()


def override_record(
    findings: Iterable[Finding],
    user: str,
    when: datetime,
    *,
    meeting_id: int | None = None,
) -> dict[str, Any]:
    """What is written down when ``user`` exports the public edition despite errors
    (``--force``): who, when, and each fejl as the user saw it. JSON-ready; the messages
    hold no full CPR number, so the record can be stored and shown safely."""
    findings = list(findings)
    errors = [f for f in findings if f.severity is Severity.ERROR]
    return {
        "action": "public-export-despite-errors",
        "user": user,
        "when": when.isoformat(),
        "meeting_id": meeting_id,
        "error_count": len(errors),
        "warning_count": sum(f.severity is Severity.WARNING for f in findings),
        "summary": (
            f"{user} lavede den offentlige udgave trods {len(errors)} fejl i kontrollen "
            "før udsendelse."
        ),
        "errors": [
            {
                "rule": f.rule,
                "message": f.message,
                "item_id": f.item_id,
                "item_heading": f.item_heading,
                "attachment_id": f.attachment_id,
                "attachment_title": f.attachment_title,
            }
            for f in errors
        ],
    }


# -- rules on an item -------------------------------------------------------------------


def _item_rules(out: _Findings, index: int, numbered: NumberedItem) -> None:
    item = numbered.item
    case = item.case
    here = f"punktet »{numbered.heading}«"
    subject = f"Punktet »{numbered.heading}«"
    at = _Where(index, numbered)
    if item.kind is ItemKind.DECISION and not (case and case.text(TextSection.INDSTILLING).strip()):
        out.add(
            Severity.ERROR,
            "missing-recommendation",
            f"{subject} har ingen indstilling. Skriv indstillingen "
            "(»Det indstilles, at …«), så medlemmerne ved, hvad de skal beslutte.",
            at,
        )
    if item.kind.in_heading and not (case and case.reference.strip()):
        out.add(
            Severity.WARNING,
            "missing-case-number",
            f"{subject} har intet sagsnummer. Skriv sagsnummeret fra ESDH (fx 24/04521) på sagen.",
            at,
        )
    if item.closed and not (case and case.filled_sections()):
        out.add(
            Severity.WARNING,
            "closed-without-text",
            f"{subject} er lukket, men sagen har ingen tekst, så medlemmerne får "
            "kun overskriften. Skriv sagsfremstillingen, eller fjern punktet.",
            at,
        )
    if is_published(item):
        for source, text in _public_texts(item):
            matches = find_cpr_numbers(text)
            if matches:
                out.add(
                    Severity.ERROR,
                    "cpr-in-text",
                    f"{source} i {here} indeholder {_cpr_count(matches)}, og punktet er "
                    "åbent, så det kommer med i den offentlige udgave. Fjern CPR-nummeret, "
                    "eller gør punktet lukket.",
                    at,
                )


def _public_texts(item: AgendaItem) -> list[tuple[str, str]]:
    """What of an open item is printed in the public agenda and minutes."""
    texts = [("Titlen", item.title)]
    if item.case is not None:
        if item.case.title != item.title:
            texts.append(("Sagens titel", item.case.title))
        texts += [(f"Afsnittet »{s.label}«", t) for s, t in item.case.filled_sections()]
    if item.decision.strip():
        texts.append(("Beslutningen", item.decision))
    return texts


# -- rules on an attachment file ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Where:
    index: int
    numbered: NumberedItem
    position: int = -1
    attachment: Attachment | None = None

    @property
    def subject(self) -> str:
        """``Bilaget »Notat« (notat.pdf) under punktet »2.5 Beslutningssag: Titel«``."""
        a = self.attachment
        assert a is not None
        return f"Bilaget »{a.title}« ({a.file_name}) under punktet »{self.numbered.heading}«"


def _file_rules(
    out: _Findings,
    where: _Where,
    facts: Mapping[str, FileFacts],
    blobs_present: Collection[str],
    public: bool,
) -> None:
    attachment = where.attachment
    assert attachment is not None
    subject = where.subject
    if where.numbered.item.closed is False and attachment.confidential:
        out.add(
            Severity.INFO,
            "confidential-open-item",
            f"{subject} er fortroligt og bliver udeladt af den offentlige udgave; det kommer "
            "kun med i den fulde udgave til medlemmerne. Fjern markeringen »Fortroligt«, "
            "hvis bilaget må offentliggøres.",
            where,
        )
    if public:
        _cpr_in_name(out, where)
    if attachment.sha256 not in blobs_present:
        out.add(
            Severity.ERROR,
            "missing-file",
            f"{subject} mangler: filen findes ikke i arbejdsområdet. Tilføj filen til sagen igen.",
            where,
        )
        return
    fact = facts.get(attachment.sha256)
    if fact is None:
        out.add(
            Severity.WARNING,
            "not-inspected",
            f"{subject} er ikke blevet undersøgt, så det er hverken tjekket for CPR-numre, "
            "adgangskode eller skader. Kør kontrollen igen.",
            where,
        )
        return
    _size_rules(out, where, fact, attachment)
    unreadable = _unreadable(fact)
    if unreadable is not None:
        rule, default = unreadable
        out.add(
            Severity.ERROR,
            rule,
            f"{subject} kan ikke komme med i bilagspakken. {fact.problem or default}",
            where,
        )
        return
    if fact.repaired:
        out.add(
            Severity.INFO,
            "repaired",
            f"{subject} var en beskadiget PDF; bilagspakken bruger en repareret kopi. Se "
            "efter, at alle sider er med, eller hent filen igen.",
            where,
        )
    _text_layer_rules(out, where, fact)
    if public:
        _cpr_rules(out, where, fact)


def _unreadable(fact: FileFacts) -> tuple[str, str] | None:
    """(rule, what to say when the facts carry no ``problem``) for a file the pack cannot
    use at all."""
    if fact.encrypted_with_password:
        return "encrypted", (
            "Filen er beskyttet med adgangskode. Gem den uden adgangskode og tilføj den igen."
        )
    if fact.damaged:
        return "damaged", "Filen er beskadiget og kan ikke læses. Hent den igen."
    if not fact.convertible:
        return "unsupported-type", (
            "Det er en filtype, der ikke kan laves om til PDF. Gem den som PDF, Word, "
            "Excel, PowerPoint, billede eller tekst, og tilføj den igen."
        )
    return None


def _size_rules(out: _Findings, where: _Where, fact: FileFacts, attachment: Attachment) -> None:
    size = fact.size or attachment.size
    if size > MAX_BYTES:
        mb = format_decimal(size / (1024 * 1024), "#,##0.0", locale=LOCALE)
        out.add(
            Severity.WARNING,
            "too-large",
            f"{where.subject} fylder {mb} MB (over {MAX_BYTES // (1024 * 1024)} MB). "
            "Bilagspakken bliver tung at sende og åbne; gem en mindre udgave (fx PDF med "
            "lavere billedkvalitet), eller del bilaget som link.",
            where,
        )
    if fact.page_count is not None and fact.page_count > MAX_PAGES:
        out.add(
            Severity.WARNING,
            "too-many-pages",
            f"{where.subject} har {fact.page_count} sider (over {MAX_PAGES}). Overvej at "
            "vedlægge et uddrag og henvise til resten.",
            where,
        )


def _text_layer_rules(out: _Findings, where: _Where, fact: FileFacts) -> None:
    if fact.pages_without_text <= 0:
        return
    if fact.kind == "image":
        out.add(
            Severity.INFO,
            "image-without-text",
            f"{where.subject} er et billede uden tekst og er ikke tilgængeligt for "
            "skærmlæsere. Er det et scannet dokument, så brug hellere en PDF med tekst.",
            where,
        )
        return
    pages = fact.page_count or fact.pages_without_text
    scope = (
        "ingen af siderne har tekst"
        if fact.pages_without_text >= pages
        else f"{fact.pages_without_text} af {pages} sider har ingen tekst"
    )
    out.add(
        Severity.WARNING,
        "scanned",
        f"{where.subject} er scannet: {scope}, kun billeder. Det er ikke tilgængeligt "
        "for skærmlæsere, og siderne kan ikke tjekkes for CPR-numre. Bed om en PDF med "
        "tekst, eller kør tekstgenkendelse (OCR) på filen og tilføj den igen.",
        where,
    )


def _cpr_in_name(out: _Findings, where: _Where) -> None:
    """The title shows in the public agenda's bilag list and on the separator page."""
    assert where.attachment is not None
    named = find_cpr_numbers(f"{where.attachment.title}\n{where.attachment.file_name}")
    if named:
        out.add(
            Severity.ERROR,
            "cpr-in-attachment",
            f"Titlen eller filnavnet på {where.subject[0].lower()}{where.subject[1:]} "
            f"indeholder {_cpr_count(named)} og kommer med i den offentlige udgave. Giv "
            "bilaget en titel og et filnavn uden CPR-nummer, eller markér det som fortroligt.",
            where,
        )


def _cpr_rules(out: _Findings, where: _Where, fact: FileFacts) -> None:
    matches = find_cpr_numbers(fact.text)
    if matches:
        out.add(
            Severity.ERROR,
            "cpr-in-attachment",
            f"{where.subject} indeholder {_cpr_count(matches)} og kommer med i den "
            "offentlige udgave. Fjern CPR-nummeret fra filen og tilføj den igen, eller "
            "markér bilaget som fortroligt.",
            where,
        )
    if not fact.text_complete:
        if fact.text_pages is not None and fact.page_count:
            scope = f"kun de første {fact.text_pages} af {fact.page_count} sider"
        else:
            scope = "kun delvist, fordi filformatet ikke kan læses helt"
        out.add(
            Severity.INFO,
            "cpr-check-partial",
            f"{where.subject} er {scope} tjekket for CPR-numre. Gennemse resten selv, før "
            "den offentlige udgave sendes.",
            where,
        )


def _duplicate(out: _Findings, where: _Where, earlier: _Where) -> None:
    first = earlier.attachment
    assert first is not None and where.attachment is not None
    same_item = earlier.index == where.index
    place = "under samme punkt" if same_item else f"under punktet »{earlier.numbered.heading}«"
    note = ""
    if where.attachment.confidential != first.confidential:
        note = (
            " Det ene er markeret fortroligt, det andet ikke, så filen kan alligevel komme "
            "med i den offentlige udgave."
        )
    out.add(
        Severity.WARNING,
        "duplicate-file",
        f"{where.subject} er den samme fil som bilaget »{first.title}« {place}, så den "
        f"kommer med to gange i bilagspakken.{note} Fjern det ene bilag, hvis det ikke er "
        "meningen.",
        where,
    )


# -- helpers --------------------------------------------------------------------------------


def _cpr_count(matches: list[CprMatch]) -> str:
    """``et CPR-nummer (160424-xxxx)`` / ``3 CPR-numre (160424-xxxx, 010180-xxxx, …)``."""
    shown = list(dict.fromkeys(m.masked for m in matches))
    listed = ", ".join(shown[:3]) + (", …" if len(shown) > 3 else "")
    if len(matches) == 1:
        return f"et CPR-nummer ({listed})"
    return f"{len(matches)} CPR-numre ({listed})"


class _Findings:
    def __init__(self) -> None:
        self._found: list[tuple[tuple[int, int, int, int], Finding]] = []

    def add(self, severity: Severity, rule: str, message: str, at: _Where | None = None) -> None:
        attachment = at.attachment if at else None
        # a heading, title or file name may hold the CPR number itself: mask everything
        finding = Finding(
            severity=severity,
            message=mask_cpr(message),
            item_id=at.numbered.item.id if at else None,
            item_heading=mask_cpr(at.numbered.heading) if at else None,
            attachment_id=attachment.id if attachment else None,
            attachment_title=mask_cpr(attachment.title) if attachment else None,
            rule=rule,
        )
        index, position = (at.index, at.position) if at else (-1, -1)
        self._found.append(((_RANK[severity], index, position, len(self._found)), finding))

    def sorted(self) -> list[Finding]:
        return [finding for _, finding in sorted(self._found, key=lambda pair: pair[0])]
