"""The demo workspace as domain objects: one body, three meetings and their cases,
built from the Danish texts in ``resources/demo/``.

Pure: no file formats are made here. Each attachment is described as a
``DemoDocument`` (headings, paragraphs, tables, page breaks); the caller turns it into
PDF or DOCX bytes (``export.samples.demo_files``), stores them and hands back the
``Attachment`` through ``make_attachment``.

A case file is ``resources/demo/sager/<meeting>-<order>-<slug>.txt``: ``2-03-…`` is the
third case of the second meeting (cases then go to their kind's section). Its format::

    Sagsnummer: {yy}/04521           header lines "Key: value" until the first blank line
    Titel: ...
    Type: beslutning | orientering | drøftelse | tema
    Sagsbehandler: ...
    Lukket: ja                       optional: a closed item (lukket punkt)
    Beslutning: ...                  optional: the decision (only used for a held meeting)

    ## Resumé                        the case's text sections, in any order
    ...
    ## Bilag: Titel | filnavn.pdf | fortroligt | liggende | scannet
    ### Underoverskrift              the attachment's own content, until the next "## "
    Et afsnit.
    | Kolonne | Kolonne |            a table: the first row is its header
    ---                              a page break

Placeholders ``{år}``, ``{næste_år}``, ``{forrige_år}`` and ``{yy}`` follow the year of
the demo's upcoming meeting, so the demo reads as current whenever it is made.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from types import MappingProxyType

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


@dataclass(frozen=True, slots=True)
class Heading:
    text: str
    level: int = 1


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str


@dataclass(frozen=True, slots=True)
class Table:
    """The first row is the header."""

    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class PageBreak:
    pass


Block = Heading | Paragraph | Table | PageBreak


@dataclass(frozen=True, slots=True)
class DemoDocument:
    """One demo attachment before it becomes a file."""

    title: str
    file_name: str
    blocks: tuple[Block, ...]
    case_reference: str
    case_title: str
    body_name: str
    confidential: bool = False
    landscape: bool = False
    #: made as page images without a text layer, like a scanned letter
    scanned: bool = False

    @property
    def format(self) -> str:
        """``pdf`` or ``docx``, from the file name."""
        return self.file_name.rsplit(".", 1)[-1].lower()

    def plain_text(self) -> str:
        """The words of the document's content, for the search index (its title is
        indexed with the attachment already)."""
        parts: list[str] = []
        for block in self.blocks:
            if isinstance(block, Heading | Paragraph):
                parts.append(block.text)
            elif isinstance(block, Table):
                parts.extend(" ".join(row) for row in block.rows)
        return "\n".join(parts)


@dataclass(frozen=True, slots=True)
class DemoCase:
    slug: str
    case: Case  # without attachments: those are made from ``documents``
    documents: tuple[DemoDocument, ...]
    closed: bool = False
    decision: str = ""
    #: added to the upcoming meeting after its agenda was sent (``Eftersendt: ja``):
    #: the demo's tillægsdagsorden
    late: bool = False


@dataclass(frozen=True, slots=True)
class _MeetingPlan:
    status: MeetingStatus
    weeks_from_upcoming: int
    start: time
    end: time
    absent: tuple[str, ...] = ()  # members' names (a held meeting only)
    fixed_decisions: dict[ItemKind, str] = field(default_factory=dict)


#: The three demo meetings: one held (with decisions and attendance), the upcoming
#: draft, and a later one.
_PLANS = (
    _MeetingPlan(
        MeetingStatus.HELD,
        -8,
        time(9, 0),
        time(12, 0),
        absent=("Lars Kjærgaard Friis", "Pia Lund Andersen"),
        fixed_decisions={
            ItemKind.APPROVAL: "Dagsordenen blev godkendt.",
            ItemKind.ANNOUNCEMENTS: "Meddelelserne blev taget til efterretning.",
            ItemKind.ANY_OTHER: "Intet.",
        },
    ),
    _MeetingPlan(MeetingStatus.DRAFT, 0, time(10, 0), time(13, 0)),
    _MeetingPlan(MeetingStatus.DRAFT, 7, time(13, 0), time(16, 0)),
)

_KINDS = {
    "beslutning": ItemKind.DECISION,
    "orientering": ItemKind.INFORMATION,
    "drøftelse": ItemKind.DISCUSSION,
    "tema": ItemKind.THEME,
}
_SECTIONS = {label.lower(): section for section, label in ((s, s.label) for s in TextSection)}
_CASE_SECTIONS = (
    ("Beslutningssager", (ItemKind.DECISION,)),
    ("Drøftelsessager og temadrøftelser", (ItemKind.DISCUSSION, ItemKind.THEME)),
    ("Orienteringssager", (ItemKind.INFORMATION,)),
)


def demo_folder() -> Path:
    """``resources/demo`` beside the packages (PyInstaller unpacks it under _MEIPASS)."""
    import sys

    frozen = getattr(sys, "_MEIPASS", None)
    root = Path(frozen) if frozen else Path(__file__).resolve().parent.parent
    return root / "resources" / "demo"


def upcoming_meeting_day(today: date) -> date:
    """The Tuesday at least ten days after ``today``: far enough to prepare the agenda."""
    day = today + timedelta(days=10)
    return day + timedelta(days=(1 - day.weekday()) % 7)


def fill_placeholders(text: str, year: int) -> str:
    return (
        text.replace("{næste_år}", str(year + 1))
        .replace("{forrige_år}", str(year - 1))
        .replace("{år}", str(year))
        .replace("{yy}", f"{year % 100:02d}")
    )


def parse_body(text: str) -> Body:
    """``kkr-sjaelland.txt``: header lines, then ``## Medlemmer`` with ``Navn | Rolle`` lines."""
    header, _, rest = text.partition("## Medlemmer")
    fields = _header_fields(header)
    members = tuple(
        Participant(name.strip(), role.strip())
        for name, _, role in (line.partition("|") for line in rest.splitlines() if "|" in line)
    )
    return Body(
        name=fields["navn"],
        numbering=NumberingStyle.SECTION,
        default_place=fields["mødested"],
        members=members,
    )


def parse_case(text: str, slug: str, *, body_name: str) -> DemoCase:
    """One case file (placeholders already filled) to a ``DemoCase``."""
    header, _, rest = text.partition("\n\n")
    fields = _header_fields(header)
    reference, title = fields["sagsnummer"], fields["titel"]
    texts: dict[TextSection, str] = {}
    documents: list[DemoDocument] = []
    for heading, lines in _chunks(rest):
        if heading.lower().startswith("bilag:"):
            documents.append(
                _document(heading.split(":", 1)[1], lines, reference, title, body_name)
            )
        else:
            texts[_SECTIONS[heading.lower()]] = _paragraphs(lines)
    case = Case(
        title=title,
        reference=reference,
        kind=_KINDS[fields["type"].lower()],
        officer=fields.get("sagsbehandler", ""),
        texts=MappingProxyType(texts),
    )
    return DemoCase(
        slug,
        case,
        tuple(documents),
        closed=fields.get("lukket", "nej").lower() == "ja",
        decision=fields.get("beslutning", ""),
        late=fields.get("eftersendt", "nej").lower() == "ja",
    )


def load_body(folder: Path | None = None) -> Body:
    folder = folder or demo_folder()
    return parse_body((folder / "kkr-sjaelland.txt").read_text(encoding="utf-8"))


def load_cases(year: int, body_name: str, folder: Path | None = None) -> dict[str, DemoCase]:
    folder = folder or demo_folder()
    cases = {}
    for path in sorted((folder / "sager").glob("*.txt")):
        text = fill_placeholders(path.read_text(encoding="utf-8"), year)
        cases[path.stem] = parse_case(text, path.stem, body_name=body_name)
    return cases


def build_demo(
    today: date,
    make_attachment: Callable[[DemoDocument], Attachment],
    folder: Path | None = None,
) -> list[Meeting]:
    """The three demo meetings, earliest first, ready to be saved (no ids yet)."""
    upcoming = upcoming_meeting_day(today)
    body = load_body(folder)
    cases = load_cases(upcoming.year, body.name, folder)
    return [
        _meeting(plan, n, upcoming, body, cases, make_attachment)
        for n, plan in enumerate(_PLANS, start=1)
    ]


def _meeting(
    plan: _MeetingPlan,
    number: int,
    upcoming: date,
    body: Body,
    cases: dict[str, DemoCase],
    make_attachment: Callable[[DemoDocument], Attachment],
) -> Meeting:
    day = upcoming + timedelta(weeks=plan.weeks_from_upcoming)
    held = plan.status is MeetingStatus.HELD
    items: list[AgendaItem] = []
    for slug in sorted(s for s in cases if s.startswith(f"{number}-") and not cases[s].late):
        items.append(_item(cases[slug], make_attachment, held=held))

    def fixed(kind: ItemKind, title: str) -> AgendaItem:
        return AgendaItem(kind, title, decision=plan.fixed_decisions.get(kind, ""))

    sections = [
        Section(
            "Indledning",
            (
                fixed(ItemKind.APPROVAL, "Godkendelse af dagsorden"),
                fixed(ItemKind.ANNOUNCEMENTS, "Meddelelser"),
            ),
        )
    ]
    for name, kinds in _CASE_SECTIONS:
        chosen = tuple(i for i in items if i.kind in kinds)
        if chosen:
            sections.append(Section(name, chosen))
    sections.append(Section("Afslutning", (fixed(ItemKind.ANY_OTHER, "Eventuelt"),)))
    participants = tuple(
        replace(m, present=(m.name not in plan.absent) if held else None) for m in body.members
    )
    return Meeting(
        body=body,
        title=f"Møde i {body.name}",
        start=_local(day, plan.start),
        end=_local(day, plan.end),
        location=body.default_place,
        status=plan.status,
        participants=participants,
        agenda=Agenda(tuple(sections)),
    )


def _item(
    demo: DemoCase, make_attachment: Callable[[DemoDocument], Attachment], *, held: bool
) -> AgendaItem:
    case = replace(demo.case, attachments=tuple(make_attachment(d) for d in demo.documents))
    return AgendaItem(
        kind=case.kind,
        title=case.title,
        case=case,
        closed=demo.closed,
        decision=demo.decision if held else "",
    )


def late_items(
    today: date,
    make_attachment: Callable[[DemoDocument], Attachment],
    folder: Path | None = None,
) -> list[AgendaItem]:
    """The upcoming meeting's items added after its agenda was sent (``Eftersendt: ja``)."""
    body = load_body(folder)
    cases = load_cases(upcoming_meeting_day(today).year, body.name, folder)
    return [_item(cases[s], make_attachment, held=False) for s in sorted(cases) if cases[s].late]


def with_late_items(meeting: Meeting, items: list[AgendaItem]) -> Meeting:
    """``meeting`` with ``items`` added at the end of their kind's section, as the
    secretariat adds a case after sending."""
    from agenda.operations import AddItem

    agenda = meeting.agenda
    for item in items:
        name = next(n for n, kinds in _CASE_SECTIONS if item.kind in kinds)
        index = [s.name for s in agenda.sections].index(name)
        agenda, _ = AddItem(item, index, len(agenda.sections[index].items)).apply(agenda)
    return replace(meeting, agenda=agenda)


def _local(day: date, at: time) -> datetime:
    """Danish time without a tz database (Windows has none): CEST from the last Sunday of
    March to the last Sunday of October, else CET."""

    def last_sunday(month: int) -> date:
        last = date(day.year, month, 31)
        return last - timedelta(days=(last.weekday() + 1) % 7)

    summer = last_sunday(3) <= day < last_sunday(10)
    return datetime.combine(day, at, tzinfo=timezone(timedelta(hours=2 if summer else 1)))


def _header_fields(header: str) -> dict[str, str]:
    fields = {}
    for line in header.splitlines():
        key, sep, value = line.partition(":")
        if sep and line.strip() and not line.startswith("#"):
            fields[key.strip().lower()] = value.strip()
    return fields


def _chunks(text: str) -> list[tuple[str, list[str]]]:
    """Split at ``## `` headings: (heading, the lines under it)."""
    chunks: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        if line.startswith("## "):
            chunks.append((line[3:].strip(), []))
        elif chunks:
            chunks[-1][1].append(line)
    return chunks


def _paragraphs(lines: list[str]) -> str:
    """Lines joined into paragraphs; a blank line separates paragraphs."""
    text = "\n".join(lines).strip()
    return "\n\n".join(" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip())


def _document(
    spec: str, lines: list[str], reference: str, case_title: str, body_name: str
) -> DemoDocument:
    parts = [p.strip() for p in spec.split("|")]
    title, file_name, flags = parts[0], parts[1], {p.lower() for p in parts[2:]}
    return DemoDocument(
        title=title,
        file_name=file_name,
        blocks=tuple(_blocks(lines)),
        case_reference=reference,
        case_title=case_title,
        body_name=body_name,
        confidential="fortroligt" in flags,
        landscape="liggende" in flags,
        scanned="scannet" in flags,
    )


def _blocks(lines: list[str]) -> list[Block]:
    blocks: list[Block] = []
    paragraph: list[str] = []
    table: list[tuple[str, ...]] = []

    def flush() -> None:
        if paragraph:
            blocks.append(Paragraph(" ".join(paragraph)))
            paragraph.clear()
        if table:
            blocks.append(Table(tuple(table)))
            table.clear()

    for raw in lines:
        line = raw.strip()
        if line.startswith("|"):
            if paragraph:
                flush()
            table.append(tuple(cell.strip() for cell in line.strip("|").split("|")))
        elif not line:
            flush()
        elif line == "---":
            flush()
            blocks.append(PageBreak())
        elif line.startswith("#"):
            flush()
            level = len(line) - len(line.lstrip("#"))
            blocks.append(Heading(line.lstrip("#").strip(), max(1, level - 2)))
        else:
            if table:
                flush()
            paragraph.append(line)
    flush()
    return blocks
