"""Preflight: what is wrong with a meeting before it goes out, and what to do about it.

Two steps, so this module stays pure: ``export.inspection.inspect.inspect_file`` turns each
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
cpr-in-text                fejl      a CPR number in a string the public edition prints
                                     or publishes: meeting title, place, body name,
                                     participants, section names, and of an open item
                                     its title, case title, case number, officer, text
                                     sections, decision; unknown fields at every level
                                     (see ``agenda.preflight_cpr``)
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
cpr-in-attachment          fejl      a CPR number in the text, form fields, annotations,
                                     spreadsheet cells, title, file name or unknown
                                     fields of a bilag that goes into the public
                                     edition; each named by where it is
cpr-check-partial          info      a public bilag whose text could only partly be
                                     checked for CPR numbers
review-notes               info      a public PDF bilag with review annotations (sticky
                                     notes, comments): the public edition removes them
form-fields                info      a public PDF bilag with form fields: flattened
untagged                   info      a public PDF bilag with text but no tags (structure
                                     tree): the public pack is then not accessible
                                     (PDF/UA); says how to save a tagged PDF from Word
duplicate-file             advarsel  the same file (SHA-256) attached twice in the meeting
kind-not-section           advarsel  a case item whose kind the section's name does not
                                     name (a Beslutningssag under "Orienteringssager")
closed-elsewhere           fejl      an open item whose case is a closed item on another
                                     meeting (its texts would be published here)
open-elsewhere             advarsel  a closed item whose case is an open item on another
                                     meeting (published there)
confidential-elsewhere     fejl      a bilag going into the public edition whose file is
                                     confidential on another case or meeting, or on
                                     another bilag of this meeting
external-picture           advarsel  an Office bilag links to a picture outside itself: it
                                     is never fetched, so it is missing from the pack
external-file              advarsel  an Office bilag links to a template, linked object or
                                     other file outside itself (never fetched either)
tracked-changes            info      an Office bilag with tracked changes: accepted in the
                                     pack, deleted text does not print
comments                   info      an Office bilag with comments: left out of the pack
=========================  ========  =====================================================

CPR numbers are never repeated in full: messages, headings and titles in a finding show
``160424-xxxx``.

Wiring (GUI panel, ``main.py preflight --meeting ID``)::

    blobs = {a.sha256: repo.blob(a.sha256) for a in ...}      # on the workspace thread
    facts = export.inspection.inspect.inspect_meeting(meeting, blobs, task)  # in a worker
    findings = preflight(meeting, facts, today=date.today(), blobs_present=blobs.keys())
    if has_errors(findings): ...                   # CLI: exit 1; public export: refuse
    record = override_record(findings, user, datetime.now(timezone.utc), meeting_id=...)
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import date, datetime
from typing import Any

from agenda.edition import attachments_for
from agenda.formatting import long_date
from agenda.model import (
    ItemKind,
    Meeting,
    MeetingStatus,
    TextSection,
)
from agenda.numbering import NumberedItem, meeting_items
from agenda.preflight_cpr import item_cpr_rules, meeting_cpr_rules
from agenda.preflight_files import duplicate_file, file_rules
from agenda.preflight_findings import (
    MAX_BYTES,
    MAX_PAGES,
    FileFacts,
    Finding,
    Findings,
    Severity,
    Where,
)
from agenda.preflight_sections import section_rule
from agenda.preflight_shared import confidential_elsewhere, shared_case_rules
from agenda.repository import NOWHERE, Elsewhere

__all__ = [
    "LEAK_RULES",
    "MAX_BYTES",
    "MAX_PAGES",
    "FileFacts",
    "Finding",
    "Severity",
    "has_errors",
    "leaks",
    "override_record",
    "preflight",
]


#: The fejl that say the public edition itself would publish what must not be: a CPR
#: number, a case closed on another meeting, a file confidential elsewhere. A frozen
#: version ("Udsend", approved minutes) holds no public file while one of these stands;
#: the other fejl (a missing indstilling, a damaged file) leave out nothing secret.
LEAK_RULES = frozenset(
    {"cpr-in-text", "cpr-in-attachment", "closed-elsewhere", "confidential-elsewhere"}
)


def leaks(findings: Iterable[Finding]) -> list[Finding]:
    """The fejl of ``LEAK_RULES`` among ``findings``."""
    return [f for f in findings if f.severity is Severity.ERROR and f.rule in LEAK_RULES]


def has_errors(findings: Iterable[Finding]) -> bool:
    """True when any finding is a fejl: the public edition needs an override."""
    return any(f.severity is Severity.ERROR for f in findings)


def preflight(
    meeting: Meeting,
    facts: Mapping[str, FileFacts],
    *,
    today: date,
    blobs_present: Collection[str],
    elsewhere: Elsewhere = NOWHERE,
) -> list[Finding]:
    """Every finding for ``meeting``: errors first, then warnings, then info; within a
    severity the meeting itself first, then items in agenda order, an item before its
    bilag. ``facts`` and ``blobs_present`` are keyed by SHA-256; ``elsewhere`` is what the
    rest of the workspace says about its cases and bilag (``MeetingSnapshot.elsewhere``)."""
    out = Findings()
    if meeting.status is MeetingStatus.DRAFT and meeting.start.date() < today:
        out.add(
            Severity.WARNING,
            "past-draft",
            f"Mødedatoen, {long_date(meeting.start)}, er passeret, men mødet står stadig "
            "som kladde. Ret datoen, eller skift status til »Udsendt« eller »Afholdt«.",
        )
    meeting_cpr_rules(out, meeting)
    first_use: dict[str, Where] = {}
    numbered_items = list(meeting_items(meeting))
    confidential_here: dict[str, Where] = {}
    for index, numbered in enumerate(numbered_items):
        for position, attachment in enumerate(numbered.item.attachments):
            if attachment.confidential:
                where = Where(index, numbered, position, attachment)
                confidential_here.setdefault(attachment.sha256, where)
    for index, numbered in enumerate(numbered_items):
        _item_rules(out, index, numbered)
        item_cpr_rules(out, Where(index, numbered))
        shared_case_rules(out, index, numbered, elsewhere.uses)
        public = set(a.id for a in attachments_for(numbered.item, public=True))
        for position, attachment in enumerate(numbered.item.attachments):
            where = Where(index, numbered, position, attachment)
            file_rules(out, where, facts, blobs_present, attachment.id in public)
            if attachment.id in public:
                confidential_elsewhere(out, where, elsewhere.confidential, confidential_here)
            earlier = first_use.setdefault(attachment.sha256, where)
            if earlier is not where:  # also the same case on two items
                duplicate_file(out, where, earlier)
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


def _item_rules(out: Findings, index: int, numbered: NumberedItem) -> None:
    item = numbered.item
    case = item.case
    subject = f"Punktet »{numbered.heading}«"
    at = Where(index, numbered)
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
    section_rule(out, at)
    if item.closed and not (case and case.filled_sections()):
        out.add(
            Severity.WARNING,
            "closed-without-text",
            f"{subject} er lukket, men sagen har ingen tekst, så medlemmerne får "
            "kun overskriften. Skriv sagsfremstillingen, eller fjern punktet.",
            at,
        )
