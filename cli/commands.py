"""The commands: each reads its arguments, calls the use cases in ``app/`` and prints.

Nothing here composes a workflow: opening the workspace, importing, exporting with the
public gate, checking, searching, the demo and the self-test are the ``app`` functions
the window calls too (``docs/architecture.md``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from agenda import __version__
from agenda.errors import NotFoundError, UserFacingError, WorkspaceError
from agenda.repository import WorkspaceRepository
from cli.parser import PROG

#: SQLite's integers are 64-bit: a larger id cannot be looked up (OverflowError)
_LARGEST_ID = 2**63 - 1


# --- the window -----------------------------------------------------------------------


def gui(args: argparse.Namespace) -> int:
    from app.demo import ensure_demo
    from app.workspace import demo_workspace_path

    path = args.workspace
    if args.demo:
        path = path or Path(demo_workspace_path())
        ensure_demo(path, warn=_warn)
    if args.start_window is None:
        print("Vinduet er ikke klar endnu. Brug kommandoerne; se »kkr-dagsorden --help«.")
        return 1
    return args.start_window(path, demo=args.demo)


# --- commands -------------------------------------------------------------------------


def demo(args: argparse.Namespace) -> int:
    from agenda.model import MeetingStatus
    from app.demo import make_demo

    path = workspace_path(args)
    meetings = make_demo(
        path,
        force=args.force,
        refusal=f"Arbejdsområdet {path} indeholder allerede møder. Vælg en anden fil med "
        "--workspace, eller brug --force for at erstatte det med demo-møderne.",
        warn=_warn,
    )
    print(f"Demo-arbejdsområdet er oprettet: {path}")
    for meeting in meetings:
        print(
            f"  møde {meeting.id}: {when(meeting.start)}  {meeting.title} "
            f"({meeting.status.label}, {len(meeting.agenda.items())} punkter)"
        )
    for meeting in meetings:
        if meeting.status is MeetingStatus.SENT:
            print(
                f"Møde {meeting.id} er udsendt og siden ændret: se »{PROG} changes --meeting "
                f"{meeting.id}« og »{PROG} export --meeting {meeting.id} --what "
                "supplement-agenda-pdf,supplement-pack --out MAPPE«."
            )
    return 0


def import_(args: argparse.Namespace) -> int:
    from agenda.errors import DuplicateMeetingError
    from app.importing import ADVICE, import_meeting

    source: Path = args.path
    if not source.exists():
        raise UserFacingError(
            f"{source} findes ikke. Angiv en meeting.json, mappen med den eller en zip-fil.",
            path=str(source),
        )
    try:
        with _workspace(workspace_path(args), create=True) as ws:
            report = import_meeting(ws, source, as_new=args.as_new)
            meeting = report.meeting
    except DuplicateMeetingError as error:
        raise DuplicateMeetingError(
            error.situation,
            ADVICE.removesuffix(".") + " med --as-new.",
            existing_id=error.existing_id,
            path=error.path,
        ) from None
    print(f"Mødet er importeret med id {meeting.id}: {meeting.title}, {when(meeting.start)}")
    if args.as_new:
        print(
            "Sager, som det deler med det eksisterende møde, er brugt, som de står i "
            "arbejdsområdet: deres tekster og bilag er ikke hentet fra filen."
        )
    # where the file differs from a case the workspace has: on stderr, beside the result
    for notice in report.notices:
        print(f"Bemærk: {notice}", file=sys.stderr)
    return 0


def export_meeting(args: argparse.Namespace) -> int:
    from app.exchange_export import check_public_exchange, export_exchange

    with _workspace(workspace_path(args)) as ws:
        existing_meeting_id(args.meeting)
        gate = check_public_exchange(ws, args.meeting, force=args.force) if args.public else None
        if gate is not None and not _passes(gate):
            return 1
        written = export_exchange(
            ws, args.meeting, args.out, zip=args.zip, public=args.public, task=StderrProgress()
        )
    print(f"Mødet er eksporteret til {written}")
    return 0


def meetings(args: argparse.Namespace) -> int:
    with _workspace(workspace_path(args)) as ws:
        summaries = ws.meetings()
    if not summaries:
        print("Der er ingen møder i arbejdsområdet.")
        return 0
    rows = [("Id", "Dato", "Udvalg", "Titel", "Status", "Punkter")] + [
        (str(s.id), when(s.start), s.body_name, s.title, s.status.label, str(s.item_count))
        for s in summaries
    ]
    widths = [max(len(row[c]) for row in rows) for c in range(len(rows[0]))]
    for row in rows:
        cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        print("  ".join(cells).rstrip())
    return 0


def search(args: argparse.Namespace) -> int:
    from app.search import search as search_cases

    text = " ".join(args.text)
    if not text.strip():
        print(f"{PROG} search: fejl: skriv et eller flere ord at søge efter", file=sys.stderr)
        return 2
    with _workspace(workspace_path(args)) as ws:
        hits = search_cases(ws, text, args.limit)
    if not hits:
        print(f"Ingen sager matcher »{text}«.")
        last = text.split()[-1]
        if not last.endswith(("*", '"')) and len(last) >= 2:  # the window adds the * itself
            print(f"Ord, der begynder med »{last}«, findes med en stjerne: {text}*")
        return 0
    for hit in hits:
        print(f"{hit.reference or '(uden sagsnummer)'}  {hit.title}")
        if hit.snippet:
            print(f"    {' '.join(hit.snippet.split())}")
    return 0


def export(args: argparse.Namespace) -> int:
    from app.exporting import OUTPUTS, finish_export, prepare_export, write_export

    keys = [k.strip() for k in args.what.split(",") if k.strip()]
    unknown = [k for k in keys if k not in OUTPUTS]
    if unknown or not keys:
        print(
            f"{PROG} export: fejl: ukendt --what {', '.join(unknown) or '(tom)'}; "
            f"brug en eller flere af {','.join(OUTPUTS)}",
            file=sys.stderr,
        )
        return 2
    with _workspace(workspace_path(args)) as ws:
        existing_meeting_id(args.meeting)
        prepared = prepare_export(ws, args.meeting, public=args.public, force=args.force)
        if prepared.gate is not None and not _passes(prepared.gate):
            return 1
        requests = [(OUTPUTS[k], args.public) for k in keys]
        outcome = write_export(prepared.snapshot, args.out, requests, StderrProgress())
        finish_export(ws, outcome)
    for path in outcome.written:
        print(path)
    for problem in outcome.problems:
        print(f"{'Fejl' if problem in outcome.failed else 'Advarsel'}: {problem}", file=sys.stderr)
    for notice in outcome.notices:
        print(f"Bemærk: {notice}", file=sys.stderr)
    # a set is written all or nothing: one output that failed means none was saved
    return 1 if outcome.failed or not outcome.written else 0


def preflight(args: argparse.Namespace) -> int:
    from agenda.preflight import has_errors
    from app.exporting import read_meeting_snapshot
    from app.preflight import check_meeting

    with _workspace(workspace_path(args)) as ws:
        findings = check_meeting(read_meeting_snapshot(ws, existing_meeting_id(args.meeting)))
    if not findings:
        print("Kontrollen fandt intet at rette.")
    for f in findings:  # each message names its item and bilag itself
        print(f"{f.severity.label.upper()}: {f.message}")
    return 1 if has_errors(findings) else 0


def self_test(args: argparse.Namespace) -> int:
    """A temporary workspace, a meeting with a PDF and a DOCX bilag, the pack and the
    agenda exported and checked, and which office suite was found: for support."""
    from app.self_test import office_suite, run_self_test

    office = office_suite()
    print(f"{PROG} {__version__}")
    print(
        f"Kontorpakke til Word-filer: {office.name + ' ' + office.version if office else 'ingen'}"
    )
    problems = run_self_test(needs_office=office is not None)
    for problem in problems:
        print(f"Fejl: {problem}", file=sys.stderr)
    print("Selvtesten er bestået." if not problems else "Selvtesten fandt fejl (se ovenfor).")
    return 0 if not problems else 1


# --- printing -------------------------------------------------------------------------


def _passes(gate: Any) -> bool:
    """Say what the public gate found; True when the public edition may go out."""
    for finding in gate.errors:
        print(f"Fejl: {finding.message}", file=sys.stderr)
    if not gate.allowed:
        print(
            f"Den offentlige udgave er ikke lavet, fordi tjekket fandt {len(gate.errors)} fejl. "
            "Ret dem, eller brug --force for at eksportere alligevel (det bliver noteret).",
            file=sys.stderr,
        )
        return False
    if gate.overridden:
        print("Eksporterer trods fejl (--force); det er noteret i arbejdsområdet.", file=sys.stderr)
    return True


class StderrProgress:
    """A TaskState for the terminal: one line per step (per attachment in a pack)."""

    def __init__(self) -> None:
        self._last = ""

    def report(self, done: int, total: int, label: str) -> None:
        if label and label != self._last:
            self._last = label
            print(f"[{done}/{total}] {label}", file=sys.stderr, flush=True)

    def cancelled(self) -> bool:
        return False


def when(start: datetime) -> str:
    """``16.04.2024 kl. 10.00``."""
    return f"{start:%d.%m.%Y} kl. {start:%H.%M}"


def _warn(error: UserFacingError) -> None:
    print(f"Advarsel: {error.message}", file=sys.stderr)


# --- glue -----------------------------------------------------------------------------


def existing_meeting_id(meeting_id: int) -> int:
    """A whole number too large for SQLite is an id no meeting has: the input was wrong
    (exit 1), as for any unknown id, not the usage (which is a value that is no number)."""
    if not 0 < meeting_id <= _LARGEST_ID:
        raise NotFoundError(
            f"Mødet med id {meeting_id} findes ikke i arbejdsområdet. "
            "Se listen over møder (kommandoen »meetings«)."
        )
    return meeting_id


def workspace_path(args: argparse.Namespace) -> Path:
    if getattr(args, "workspace", None) is not None:
        return Path(args.workspace)
    from app.workspace import default_workspace_path

    return Path(default_workspace_path())


@contextmanager
def _workspace(path: Path, *, create: bool = False) -> Iterator[WorkspaceRepository]:
    """The workspace at ``path``; reading commands never create one by accident."""
    from app.workspace import workspace_session

    if not create and not path.exists():
        raise WorkspaceError(
            f"Arbejdsområdet {path} findes ikke. Angiv den rigtige fil med --workspace, eller "
            f"opret et med »{PROG} demo« eller »{PROG} import«.",
            path=str(path),
        )
    with workspace_session(path, create=create, refuse_damaged=True, warn=_warn) as ws:
        yield ws
