"""KKR Dagsorden: the entry point. Parses the command line, opens the workspace, and
starts the window or runs one command.

A thin composition layer: the domain (agenda/), the workspace (storage/), the documents
(export/) and the window (gui/) do the work; this file glues them together and turns
expected failures (``UserFacingError``) into a Danish message and exit code 1.

Exit codes: 0 done; 1 the user's input was wrong (message on stderr, workspace
unchanged); 2 wrong usage (argparse).
"""

from __future__ import annotations

import argparse
import errno
import logging
import os
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any, NoReturn

from agenda import __version__
from agenda.errors import UserFacingError, WorkspaceError

PROG = "kkr-dagsorden"
_OS_REASONS = {
    errno.ENOENT: "filen eller mappen findes ikke",
    errno.EACCES: "du har ikke adgang",
    errno.EPERM: "du har ikke adgang",
    errno.ENOTDIR: "en del af stien er en fil, ikke en mappe",
    errno.EISDIR: "det er en mappe, ikke en fil",
    errno.ENOSPC: "disken er fuld",
    errno.EROFS: "drevet er skrivebeskyttet",
}


class _DanishFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        super().add_usage(usage, actions, groups, "brug: " if prefix is None else prefix)


class _DanishParser(argparse.ArgumentParser):
    """argparse with Danish headings and error prefix (its details stay English)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("add_help", False)
        kwargs.setdefault("formatter_class", _DanishFormatter)
        super().__init__(*args, **kwargs)
        self._positionals.title = "argumenter"
        self._optionals.title = "tilvalg"
        self.add_argument("-h", "--help", action="help", help="vis denne hjælp og afslut")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: fejl: {_danish_usage(message)}\n")


_USAGE_PHRASES = (
    ("argument KOMMANDO: invalid choice: ", "ukendt kommando "),
    ("invalid choice: ", "ukendt valg "),
    ("choose from", "vælg mellem"),
    ("the following arguments are required: ", "mangler: "),
    ("unrecognized arguments: ", "ukendte argumenter: "),
    ("expected one argument", "forventer en værdi"),
)


def _danish_usage(message: str) -> str:
    """argparse's usage errors in Danish (its own texts are English)."""
    for english, danish in _USAGE_PHRASES:
        message = message.replace(english, danish)
    return message


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    # pypdf logs English remarks on damaged files ("EOF marker not found") to stderr; the
    # user gets the Danish message about the file instead
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        return args.run(args)
    except UserFacingError as error:
        print(f"Fejl: {error.message}", file=sys.stderr)
        return 1
    except sqlite3.DatabaseError as error:
        # a damaged workspace shows when a query meets the damaged page, in any command
        from storage.sqlite_errors import is_damage, is_situation, workspace_error

        if not (is_damage(error) or is_situation(error)):
            raise  # a bug
        print(f"Fejl: {workspace_error(error, _workspace_path(args)).message}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `kkr-dagsorden search … | head`: the reader has had enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as error:
        # a folder that cannot be written, a disk that is full: the user's input, not a bug
        reason = _OS_REASONS.get(error.errno or 0, error.strerror or str(error))
        print(
            f"Fejl: {error.filename or 'Filen'}: {reason}. "
            "Kontrollér stien og dine rettigheder, og prøv igen.",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        print("Afbrudt.", file=sys.stderr)
        return 130


_FORCE_HELP = "lav den offentlige udgave trods fejl i tjekket (noteres i arbejdsområdet)"


def _meeting_id(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"»{text}« er ikke et møde-id (et tal; se kommandoen »meetings«)"
        ) from None


#: SQLite's integers are 64-bit: a larger id cannot be looked up (OverflowError)
_LARGEST_ID = 2**63 - 1


def _existing_meeting_id(meeting_id: int) -> int:
    """A whole number too large for SQLite is an id no meeting has: the input was wrong
    (exit 1), as for any unknown id, not the usage (which is a value that is no number)."""
    if not 0 < meeting_id <= _LARGEST_ID:
        from agenda.errors import NotFoundError

        raise NotFoundError(
            f"Mødet med id {meeting_id} findes ikke i arbejdsområdet. "
            "Se listen over møder (kommandoen »meetings«)."
        )
    return meeting_id


#: more hits than anyone reads; the bound keeps the ranking and the snippets cheap
MAX_LIMIT = 10_000


def _limit(text: str) -> int:
    """``--limit``: a whole number from 1 to MAX_LIMIT; any other value is wrong usage
    (exit 2), as a value that is no number is."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_LIMIT:
        largest = f"{MAX_LIMIT:,}".replace(",", ".")  # 10.000, as Danish writes it
        raise argparse.ArgumentTypeError(
            f"»{text}« er ikke et gyldigt antal træf; angiv et tal fra 1 til {largest}"
        )
    return value


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--workspace",
        metavar="FIL",
        type=Path,
        default=argparse.SUPPRESS,  # keeps a --workspace given before the subcommand
        help="arbejdsområdet (en .kkrdb-fil); standard: det i din brugermappe",
    )
    parser = _DanishParser(
        prog=PROG,
        description="KKR Dagsorden: sager, dagsordener, referater og bilagspakker for et "
        "KKR-sekretariat. Uden kommando startes vinduet.",
    )
    parser.add_argument(
        "--workspace", metavar="FIL", type=Path, help="arbejdsområdet (standard: det senest brugte)"
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="start vinduet på et demo-arbejdsområde (oprettes hvis det mangler)",
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"{PROG} {__version__}",
        help="vis versionen og afslut",
    )
    parser.set_defaults(run=_cmd_gui)
    commands = parser.add_subparsers(
        title="kommandoer", metavar="KOMMANDO", parser_class=_DanishParser
    )

    def command(name: str, run: Any, help: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, parents=[common], help=help, description=help)
        sub.set_defaults(run=run)
        return sub

    demo = command("demo", _cmd_demo, "opret et demo-arbejdsområde med tre møder")
    demo.add_argument(
        "--force",
        action="store_true",
        help="erstat et arbejdsområde, der allerede indeholder møder",
    )

    imp = command("import", _cmd_import, "importér et møde (meeting.json, dens mappe eller en zip)")
    imp.add_argument("path", metavar="STI", type=Path, help="meeting.json, mappen eller zip-filen")
    imp.add_argument(
        "--as-new",
        action="store_true",
        help="importér mødet som et nyt møde, også når arbejdsområdet allerede har det (samme "
        "udvalg og tidspunkt); det eksisterende møde og dets sager ændres ikke",
    )

    exm = command("export-meeting", _cmd_export_meeting, "eksportér et møde i udvekslingsformatet")
    exm.add_argument("--meeting", metavar="ID", type=_meeting_id, required=True, help="mødets id")
    exm.add_argument("--out", metavar="MAPPE", type=Path, required=True, help="hvor mødet skrives")
    exm.add_argument("--zip", action="store_true", help="skriv én zip-fil")
    exm.add_argument(
        "--public",
        action="store_true",
        help="kun det offentlige: uden lukkede punkter og fortrolige bilag",
    )
    exm.add_argument("--force", action="store_true", help=_FORCE_HELP)

    command("meetings", _cmd_meetings, "vis møderne i arbejdsområdet")

    search = command("search", _cmd_search, "søg i sagerne, bedste træf først")
    search.add_argument("text", metavar="TEKST", nargs="+", help="ord at søge efter")
    search.add_argument(
        "--limit",
        metavar="ANTAL",
        type=_limit,
        default=20,
        help=f"højst så mange træf, 1-{MAX_LIMIT} (standard 20)",
    )

    export = command("export", _cmd_export, "dan dagsorden, referat og bilagspakke")
    export.add_argument(
        "--meeting", metavar="ID", type=_meeting_id, required=True, help="mødets id"
    )
    export.add_argument(
        "--what",
        metavar="HVAD",
        default="agenda-pdf",
        help="kommasepareret: agenda-docx,agenda-pdf,pack,minutes-docx,minutes-pdf "
        "(standard: agenda-pdf)",
    )
    export.add_argument("--public", action="store_true", help="den offentlige udgave")
    export.add_argument("--force", action="store_true", help=_FORCE_HELP)
    export.add_argument(
        "--out", metavar="MAPPE", type=Path, required=True, help="hvor filerne skrives"
    )
    pre = command("preflight", _cmd_preflight, "tjek et møde før udsendelse")
    pre.add_argument("--meeting", metavar="ID", type=_meeting_id, required=True, help="mødets id")

    command("self-test", _cmd_self_test, "afprøv eksporten på denne maskine (til support)")
    return parser


# --- the window -----------------------------------------------------------------------


def _cmd_gui(args: argparse.Namespace) -> int:
    path = args.workspace
    if args.demo:
        path = path or _demo_workspace_path()
        _ensure_demo(path)
    try:
        from gui.app import run_gui
    except ImportError as error:
        if getattr(error, "name", None) in ("gui", "gui.app"):
            print("Vinduet er ikke klar endnu. Brug kommandoerne; se »kkr-dagsorden --help«.")
            return 1
        # PySide6 or one of the system libraries Qt loads is missing on this machine
        print(
            f"Fejl: Vinduet kan ikke startes, fordi Qt eller et systembibliotek mangler ({error}). "
            "Kør ./scripts/setup.sh, og prøv igen.",
            file=sys.stderr,
        )
        return 1
    return run_gui(path, demo=args.demo, fill_demo=_ensure_demo)


def _demo_workspace_path() -> Path:
    from storage.paths import demo_workspace_path

    return Path(demo_workspace_path())


def _ensure_demo(path: Path) -> None:
    with _workspace(path, create=True) as ws:
        if not ws.meetings():
            _create_demo(ws)


# --- commands -------------------------------------------------------------------------


def _cmd_demo(args: argparse.Namespace) -> int:
    path = _workspace_path(args)
    with _workspace(path, create=True) as ws:
        filled = bool(ws.meetings() or ws.bodies())
    if filled:
        if not args.force:
            raise WorkspaceError(
                f"Arbejdsområdet {path} indeholder allerede møder. Vælg en anden fil med "
                "--workspace, eller brug --force for at erstatte det med demo-møderne.",
                path=str(path),
            )
        _remove_workspace(path)
    with _workspace(path, create=True) as ws:
        meetings = _create_demo(ws)
    print(f"Demo-arbejdsområdet er oprettet: {path}")
    for meeting in meetings:
        print(
            f"  møde {meeting.id}: {_when(meeting.start)}  {meeting.title} "
            f"({meeting.status.label}, {len(meeting.agenda.items())} punkter)"
        )
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    from agenda.errors import DuplicateMeetingError
    from exchange.duplicate import ADVICE
    from exchange.transfer import import_meeting_report

    source: Path = args.path
    if not source.exists():
        raise UserFacingError(
            f"{source} findes ikke. Angiv en meeting.json, mappen med den eller en zip-fil.",
            path=str(source),
        )
    from app.snapshots import index_pdf_texts
    from export.pdf.text_extract import extract_text

    try:
        with _workspace(_workspace_path(args), create=True) as ws, ws.transaction():
            report = import_meeting_report(ws, source, as_new=args.as_new)
            meeting = report.meeting
            # the PDF bilag become searchable at once (a 2,000-page one: its first 300 pages)
            index_pdf_texts(ws, meeting, lambda pdf: extract_text(pdf, max_pages=300))
    except DuplicateMeetingError as error:
        raise DuplicateMeetingError(
            error.situation,
            ADVICE.removesuffix(".") + " med --as-new.",
            existing_id=error.existing_id,
            path=error.path,
        ) from None
    print(f"Mødet er importeret med id {meeting.id}: {meeting.title}, {_when(meeting.start)}")
    if args.as_new:
        print(
            "Sager, som det deler med det eksisterende møde, er brugt, som de står i "
            "arbejdsområdet: deres tekster og bilag er ikke hentet fra filen."
        )
    # where the file differs from a case the workspace has: on stderr, beside the result
    for notice in report.notices:
        print(f"Bemærk: {notice}", file=sys.stderr)
    return 0


def _cmd_export_meeting(args: argparse.Namespace) -> int:
    from exchange.transfer import export_meeting
    from export.pdf.pdf_clean import public_file_bytes

    with _workspace(_workspace_path(args)) as ws:
        _existing_meeting_id(args.meeting)
        if args.public:
            meeting = ws.meeting(args.meeting)
            if not _preflight_allows_public(ws, _snapshot(ws, meeting), force=args.force):
                return 1
        # public bilag are cleaned as in the public pack (export/ reads PDFs; storage cannot)
        clean = public_file_bytes if args.public else None
        written = export_meeting(
            ws, args.meeting, args.out, zip=args.zip, public=args.public, clean_file=clean
        )
    print(f"Mødet er eksporteret til {written}")
    return 0


def _cmd_meetings(args: argparse.Namespace) -> int:
    with _workspace(_workspace_path(args)) as ws:
        summaries = ws.meetings()
    if not summaries:
        print("Der er ingen møder i arbejdsområdet.")
        return 0
    rows = [("Id", "Dato", "Udvalg", "Titel", "Status", "Punkter")] + [
        (str(s.id), _when(s.start), s.body_name, s.title, s.status.label, str(s.item_count))
        for s in summaries
    ]
    widths = [max(len(row[c]) for row in rows) for c in range(len(rows[0]))]
    for row in rows:
        cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        print("  ".join(cells).rstrip())
    return 0


def _cmd_search(args: argparse.Namespace) -> int:
    text = " ".join(args.text)
    if not text.strip():
        print(f"{PROG} search: fejl: skriv et eller flere ord at søge efter", file=sys.stderr)
        return 2
    with _workspace(_workspace_path(args)) as ws:
        hits = ws.search_cases(text, args.limit)
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


def _cmd_export(args: argparse.Namespace) -> int:
    from app.snapshots import store_export_results
    from export.outputs import OUTPUTS, write_outputs

    keys = [k.strip() for k in args.what.split(",") if k.strip()]
    unknown = [k for k in keys if k not in OUTPUTS]
    if unknown or not keys:
        print(
            f"{PROG} export: fejl: ukendt --what {', '.join(unknown) or '(tom)'}; "
            f"brug en eller flere af {','.join(OUTPUTS)}",
            file=sys.stderr,
        )
        return 2
    with _workspace(_workspace_path(args)) as ws:
        snapshot = _snapshot(ws, ws.meeting(_existing_meeting_id(args.meeting)))
        if args.public and not _preflight_allows_public(ws, snapshot, force=args.force):
            return 1
        outcome = write_outputs(
            snapshot, args.out, [(OUTPUTS[k], args.public) for k in keys], _StderrProgress()
        )
        try:
            store_export_results(ws, outcome.new_conversions, outcome.extracted_text)
        except UserFacingError as error:
            # only a cache for the next export (on the same full disk, likely): the files
            # and what went wrong with them are what the user must hear about
            outcome.problems.append(error.message)
    for path in outcome.written:
        print(path)
    for problem in outcome.problems:
        print(f"{'Fejl' if problem in outcome.failed else 'Advarsel'}: {problem}", file=sys.stderr)
    # a set is written all or nothing: one output that failed means none was saved
    return 1 if outcome.failed or not outcome.written else 0


def _snapshot(ws: Any, meeting: Any) -> Any:
    """The meeting with every byte an export or a check of it needs, read once."""
    from app.snapshots import read_snapshot
    from export.conversion.convert import conversion_key

    return read_snapshot(ws, meeting, conversion_key)


def _preflight_allows_public(ws: Any, snapshot: Any, *, force: bool) -> bool:
    """The public edition goes out only without preflight errors, or when the user
    overrides them explicitly (--force); the override is written into the workspace."""
    from agenda.preflight import Severity, has_errors, override_record

    meeting = snapshot.meeting
    findings = _preflight_findings(snapshot)
    if not has_errors(findings):
        return True
    errors = [f for f in findings if f.severity is Severity.ERROR]
    for finding in errors:
        print(f"Fejl: {finding.message}", file=sys.stderr)
    if not force:
        print(
            f"Den offentlige udgave er ikke lavet, fordi tjekket fandt {len(errors)} fejl. "
            "Ret dem, eller brug --force for at eksportere alligevel (det bliver noteret).",
            file=sys.stderr,
        )
        return False
    user = os.environ.get("USERNAME") or os.environ.get("USER") or "ukendt"
    record = override_record(findings, user, datetime.now().astimezone(), meeting_id=meeting.id)
    ws.record_event("public-export-override", meeting.id, record)
    print("Eksporterer trods fejl (--force); det er noteret i arbejdsområdet.", file=sys.stderr)
    return True


def _preflight_findings(snapshot: Any) -> list[Any]:
    from agenda.preflight import preflight
    from export.inspection.inspect import inspect_meeting

    facts = inspect_meeting(snapshot.meeting, snapshot.blobs)
    return preflight(
        snapshot.meeting,
        facts,
        today=date.today(),
        blobs_present=snapshot.blobs.keys(),
        elsewhere=snapshot.elsewhere,
    )


def _cmd_preflight(args: argparse.Namespace) -> int:
    from agenda.preflight import has_errors

    with _workspace(_workspace_path(args)) as ws:
        meeting = ws.meeting(_existing_meeting_id(args.meeting))
        findings = _preflight_findings(_snapshot(ws, meeting))
    if not findings:
        print("Kontrollen fandt intet at rette.")
    for f in findings:  # each message names its item and bilag itself
        print(f"{f.severity.label.upper()}: {f.message}")
    return 1 if has_errors(findings) else 0


def _cmd_self_test(args: argparse.Namespace) -> int:
    """A temporary workspace, a meeting with a PDF and a DOCX bilag, the pack and the
    agenda exported and checked, and which office suite was found: for support."""
    import tempfile

    from export.conversion.convert import find_office
    from export.outputs import OUTPUTS, write_outputs
    from export.samples import self_check

    office = find_office()
    print(f"{PROG} {__version__}")
    print(
        f"Kontorpakke til Word-filer: {office.name + ' ' + office.version if office else 'ingen'}"
    )
    with tempfile.TemporaryDirectory(prefix="kkr-selvtest-") as tmp:
        folder = Path(tmp)
        with _workspace(folder / "selvtest.kkrdb", create=True) as ws:
            meeting = ws.save_meeting(self_check.sample_meeting(ws.store_blob))
            snapshot = _snapshot(ws, meeting)
        requests = [(OUTPUTS[k], False) for k in ("agenda-docx", "agenda-pdf", "pack")]
        outcome = write_outputs(snapshot, folder / "ud", requests)
        problems = self_check.check_outputs(
            list(outcome.written), meeting, list(outcome.problems), needs_office=office is not None
        )
    for problem in problems:
        print(f"Fejl: {problem}", file=sys.stderr)
    print("Selvtesten er bestået." if not problems else "Selvtesten fandt fejl (se ovenfor).")
    return 0 if not problems else 1


class _StderrProgress:
    """A TaskState for the terminal: one line per step (per attachment in a pack)."""

    def __init__(self) -> None:
        self._last = ""

    def report(self, done: int, total: int, label: str) -> None:
        if label and label != self._last:
            self._last = label
            print(f"[{done}/{total}] {label}", file=sys.stderr, flush=True)

    def cancelled(self) -> bool:
        return False


# --- glue -----------------------------------------------------------------------------


def _workspace_path(args: argparse.Namespace) -> Path:
    if getattr(args, "workspace", None) is not None:
        return Path(args.workspace)
    from storage.paths import default_workspace_path

    return Path(default_workspace_path())


@contextmanager
def _workspace(path: Path, *, create: bool = False) -> Iterator[Any]:
    """The workspace at ``path``; reading commands never create one by accident."""
    from storage.workspace import open_workspace

    if not create and not path.exists():
        raise WorkspaceError(
            f"Arbejdsområdet {path} findes ikke. Angiv den rigtige fil med --workspace, eller "
            f"opret et med »{PROG} demo« eller »{PROG} import«.",
            path=str(path),
        )
    existed = path.is_file()
    ws = open_workspace(path, create=create)
    if existed:
        _daily_backup(path)
    try:
        yield ws
    except BaseException:
        ws.close()
        if not existed:  # a command that failed leaves no empty workspace behind
            _remove_workspace(path)
        raise
    ws.close()


def _daily_backup(path: Path) -> None:
    """At most once a day a copy in the user's backup folder (the newest 7 are kept).
    A backup that cannot be written is reported, not a reason to stop the user's work."""
    from storage.backup import daily_backup
    from storage.sqlite_errors import DamagedWorkspaceError

    try:
        daily_backup(path)
    except DamagedWorkspaceError:
        raise  # no command can work on it: the user must restore it
    except UserFacingError as error:
        print(f"Advarsel: {error.message}", file=sys.stderr)


def _remove_workspace(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _create_demo(ws: Any) -> list[Any]:
    """Build the demo meetings, store their bilag and save them, all in one transaction."""
    from agenda.demo import DemoDocument, build_demo
    from agenda.model import Attachment
    from export.samples.demo_files import demo_file, media_type

    with ws.transaction():

        def store(document: DemoDocument) -> Attachment:
            data = demo_file(document)
            sha256 = ws.store_blob(data)
            ws.set_attachment_text(sha256, document.plain_text())
            return Attachment(
                title=document.title,
                file_name=document.file_name,
                media_type=media_type(document),
                size=len(data),
                sha256=sha256,
                confidential=document.confidential,
            )

        return [ws.save_meeting(m) for m in build_demo(date.today(), store)]


def _when(start: datetime) -> str:
    """``16.04.2024 kl. 10.00``."""
    return f"{start:%d.%m.%Y} kl. {start:%H.%M}"


if __name__ == "__main__":
    sys.exit(main())
