"""The meeting as a record on the command line (issue 14): ``send``, ``versions``,
``changes``, ``approve-minutes`` and ``correct``.

Each command is a thin call of a use case in ``app.records`` / ``app.supplements`` (the
window calls the same ones); the user is the login name and the time UTC
(``app.identity``), shown in local time.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from agenda.errors import NotFoundError
from agenda.records import SentVersion, SentVersionId, VersionKind
from agenda.repository import WorkspaceRepository
from cli.commands import (
    StderrProgress,
    _workspace,
    existing_meeting_id,
    when,
    workspace_path,
)
from cli.parser import PROG

#: the kind of a version as the list names it
KIND_NAMES = {VersionKind.AGENDA: "Dagsorden", VersionKind.MINUTES: "Referat"}


def sent_when(version: SentVersion) -> str:
    """The version's moment (stored in UTC) as the user's clock shows it."""
    from app.identity import shown

    return when(shown(version.at))


def send(args: argparse.Namespace) -> int:
    """ "Udsend": the meeting becomes Udsendt and its files are frozen as a version."""
    from app.identity import current_user, now
    from app.records import send_meeting

    with _workspace(workspace_path(args)) as ws:
        outcome = send_meeting(
            ws,
            existing_meeting_id(args.meeting),
            args.note,
            current_user(),
            now,
            task=StderrProgress(),
        )
    _print_frozen("Mødet er udsendt", outcome.version)
    for problem in outcome.problems:
        print(f"Advarsel: {problem}", file=sys.stderr)
    return 0


def approve_minutes(args: argparse.Namespace) -> int:
    """The held meeting's minutes are approved and frozen as a version."""
    from app.identity import current_user, now
    from app.records import approve_minutes as approve

    with _workspace(workspace_path(args)) as ws:
        outcome = approve(
            ws,
            existing_meeting_id(args.meeting),
            current_user(),
            now,
            note=args.note,
            task=StderrProgress(),
        )
    _print_frozen("Referatet er godkendt", outcome.version)
    for problem in outcome.problems:
        print(f"Advarsel: {problem}", file=sys.stderr)
    return 0


def _print_frozen(done: str, version: SentVersion) -> None:
    print(f"{done}: version {version.id}, {sent_when(version)}, af {version.user}.")
    if version.note:
        print(f"Note: {version.note}")
    print(f"Versionens {len(version.files)} filer (gemt, som de blev sendt):")
    for f in version.files:
        print(f"  {f.name}")


def versions(args: argparse.Namespace) -> int:
    """The meeting's sent and approved versions; with ``--write`` one version's files."""
    if (args.write is None) != (args.out is None):
        print(
            f"{PROG} versions: fejl: --write VERSION og --out MAPPE bruges sammen",
            file=sys.stderr,
        )
        return 2
    with _workspace(workspace_path(args)) as ws:
        meeting_id = existing_meeting_id(args.meeting)
        meeting = ws.meeting(meeting_id)  # NotFoundError for an unknown meeting
        listed = ws.sent_versions(meeting_id)
        if args.write is not None:
            return _write_version(ws, meeting_id, listed, args)
    if not listed:
        print(f"Mødet »{meeting.title}« {when(meeting.start)} er ikke udsendt endnu.")
        return 0
    _print_table(listed)
    return 0


def _print_table(listed: Sequence[SentVersion]) -> None:
    rows = [("Version", "Art", "Tidspunkt", "Af", "Filer", "Note")]
    for v in listed:
        note = v.note
        if v.parent_id is not None:
            note = (
                f"{note} (tillæg til version {v.parent_id})"
                if note
                else (f"tillæg til version {v.parent_id}")
            )
        rows.append((str(v.id), KIND_NAMES[v.kind], sent_when(v), v.user, str(len(v.files)), note))
    widths = [max(len(row[c]) for row in rows) for c in range(len(rows[0]))]
    for row in rows:
        cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        print("  ".join(cells).rstrip())


def _write_version(
    ws: WorkspaceRepository,
    meeting_id: int,
    listed: Sequence[SentVersion],
    args: argparse.Namespace,
) -> int:
    from app.records import write_sent_files

    if args.write not in {v.id for v in listed}:
        known = ", ".join(str(v.id) for v in listed) or "ingen (mødet er ikke udsendt)"
        raise NotFoundError(
            f"Mødet med id {meeting_id} har ingen version {args.write}. Dets versioner: "
            f"{known} (se »{PROG} versions --meeting {meeting_id}«)."
        )
    for path in write_sent_files(ws, SentVersionId(args.write), args.out):
        print(path)
    return 0


def changes(args: argparse.Namespace) -> int:
    """What changed since the agenda was last sent, one Danish line per change."""
    from agenda.change_notes import describe
    from app.supplements import changes_since_sent

    with _workspace(workspace_path(args)) as ws:
        meeting_id = existing_meeting_id(args.meeting)
        ws.meeting(meeting_id)  # NotFoundError for an unknown meeting
        since = changes_since_sent(ws, meeting_id)
    if since is None:
        print("Mødet er ikke udsendt endnu.")
        return 0
    sent = f"{sent_when(since.version)} (version {since.version.id})"
    if not since.changes:
        print(f"Intet er ændret siden udsendelsen {sent}.")
        return 0
    count = len(since.changes)
    print(f"{count} {'ændring' if count == 1 else 'ændringer'} siden udsendelsen {sent}:")
    for change in since.changes:
        print(f"  {describe(change)}")
    return 0


def correct(args: argparse.Namespace) -> int:
    """A correction (Rettelse) on approved minutes, under an item or after the items."""
    from agenda.numbering import meeting_items
    from app.identity import current_user, now
    from app.records import add_correction

    with _workspace(workspace_path(args)) as ws:
        meeting_id = existing_meeting_id(args.meeting)
        item_id = None
        if args.item is not None:
            numbered = {n.number: n.item.id for n in meeting_items(ws.meeting(meeting_id))}
            if args.item not in numbered:
                raise NotFoundError(
                    f"Mødet har intet punkt {args.item}. Punkterne er nummereret "
                    f"{', '.join(numbered)}."
                )
            item_id = numbered[args.item]
        add_correction(ws, meeting_id, args.text, current_user(), now, item_id=item_id)
    where = f"punkt {args.item}" if args.item is not None else "referatet"
    print(f"Rettelsen er tilføjet til {where}.")
    return 0
