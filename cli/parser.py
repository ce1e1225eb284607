"""The command line's arguments: a Danish argparse, the commands and their options.

Each command's ``run`` is a function of ``cli.commands``; without a command the window
starts (``start_window``, given by ``main.py``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, NoReturn

from agenda import __version__

PROG = "kkr-dagsorden"


class _DanishFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        super().add_usage(usage, actions, groups, "brug: " if prefix is None else prefix)


class DanishParser(argparse.ArgumentParser):
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
        self.exit(2, f"{self.prog}: fejl: {danish_usage(message)}\n")


_USAGE_PHRASES = (
    ("argument KOMMANDO: invalid choice: ", "ukendt kommando "),
    ("invalid choice: ", "ukendt valg "),
    ("choose from", "vælg mellem"),
    ("the following arguments are required: ", "mangler: "),
    ("unrecognized arguments: ", "ukendte argumenter: "),
    ("expected one argument", "forventer en værdi"),
)


def danish_usage(message: str) -> str:
    """argparse's usage errors in Danish (its own texts are English)."""
    for english, danish in _USAGE_PHRASES:
        message = message.replace(english, danish)
    return message


_FORCE_HELP = "lav den offentlige udgave trods fejl i tjekket (noteres i arbejdsområdet)"


def meeting_id(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"»{text}« er ikke et møde-id (et tal; se kommandoen »meetings«)"
        ) from None


#: more hits than anyone reads; the bound keeps the ranking and the snippets cheap
MAX_LIMIT = 10_000


def limit(text: str) -> int:
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


def version_id(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"»{text}« er ikke et versionsnummer (et tal; se kommandoen »versions«)"
        ) from None


def _record_commands(command: Any) -> None:
    """The meeting as a record (issue 14): send, versions, changes, minutes, corrections."""
    from cli import record as r

    send = command("send", r.send, "udsend mødets dagsorden: filerne gemmes som en version")
    send.add_argument("--meeting", metavar="ID", type=meeting_id, required=True, help="mødets id")
    send.add_argument(
        "--note",
        metavar="TEKST",
        required=True,
        help="til hvem og hvorfor, fx »Udsendt til medlemmer og suppleanter«",
    )

    ver = command("versions", r.versions, "vis et mødes udsendte versioner, eller skriv én ud")
    ver.add_argument("--meeting", metavar="ID", type=meeting_id, required=True, help="mødets id")
    ver.add_argument(
        "--write",
        metavar="VERSION",
        type=version_id,
        help="skriv versionens filer, præcis som de blev sendt (sammen med --out)",
    )
    ver.add_argument("--out", metavar="MAPPE", type=Path, help="hvor versionens filer skrives")

    chg = command("changes", r.changes, "vis, hvad der er ændret siden dagsordenen blev udsendt")
    chg.add_argument("--meeting", metavar="ID", type=meeting_id, required=True, help="mødets id")

    apr = command(
        "approve-minutes", r.approve_minutes, "godkend referatet af et afholdt møde (låser det)"
    )
    apr.add_argument("--meeting", metavar="ID", type=meeting_id, required=True, help="mødets id")
    apr.add_argument("--note", metavar="TEKST", default="", help="fx hvem der godkendte det")

    cor = command("correct", r.correct, "tilføj en rettelse til et godkendt referat")
    cor.add_argument("--meeting", metavar="ID", type=meeting_id, required=True, help="mødets id")
    cor.add_argument(
        "--item", metavar="NUMMER", help="punktets nummer, fx 3.2 (uden: efter punkterne)"
    )
    cor.add_argument("--text", metavar="TEKST", required=True, help="hvad der rettes")


def build_parser() -> argparse.ArgumentParser:
    from cli import commands as c

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--workspace",
        metavar="FIL",
        type=Path,
        default=argparse.SUPPRESS,  # keeps a --workspace given before the subcommand
        help="arbejdsområdet (en .kkrdb-fil); standard: det i din brugermappe",
    )
    parser = DanishParser(
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
    parser.set_defaults(run=c.gui)
    commands = parser.add_subparsers(
        title="kommandoer", metavar="KOMMANDO", parser_class=DanishParser
    )

    def command(name: str, run: Any, help: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, parents=[common], help=help, description=help)
        sub.set_defaults(run=run)
        return sub

    demo = command("demo", c.demo, "opret et demo-arbejdsområde med tre møder")
    demo.add_argument(
        "--force",
        action="store_true",
        help="erstat et arbejdsområde, der allerede indeholder møder",
    )

    imp = command("import", c.import_, "importér et møde (meeting.json, dens mappe eller en zip)")
    imp.add_argument("path", metavar="STI", type=Path, help="meeting.json, mappen eller zip-filen")
    imp.add_argument(
        "--as-new",
        action="store_true",
        help="importér mødet som et nyt møde, også når arbejdsområdet allerede har det (samme "
        "udvalg og tidspunkt); det eksisterende møde og dets sager ændres ikke",
    )

    exm = command("export-meeting", c.export_meeting, "eksportér et møde i udvekslingsformatet")
    exm.add_argument("--meeting", metavar="ID", type=meeting_id, required=True, help="mødets id")
    exm.add_argument("--out", metavar="MAPPE", type=Path, required=True, help="hvor mødet skrives")
    exm.add_argument("--zip", action="store_true", help="skriv én zip-fil")
    exm.add_argument(
        "--public",
        action="store_true",
        help="kun det offentlige: uden lukkede punkter og fortrolige bilag",
    )
    exm.add_argument("--force", action="store_true", help=_FORCE_HELP)

    command("meetings", c.meetings, "vis møderne i arbejdsområdet")

    search = command("search", c.search, "søg i sagerne, bedste træf først")
    search.add_argument("text", metavar="TEKST", nargs="+", help="ord at søge efter")
    search.add_argument(
        "--limit",
        metavar="ANTAL",
        type=limit,
        default=20,
        help=f"højst så mange træf, 1-{MAX_LIMIT} (standard 20)",
    )

    export = command("export", c.export, "dan dagsorden, referat og bilagspakke")
    export.add_argument("--meeting", metavar="ID", type=meeting_id, required=True, help="mødets id")
    export.add_argument(
        "--what",
        metavar="HVAD",
        default="agenda-pdf",
        help="kommasepareret: agenda-docx,agenda-pdf,pack,minutes-docx,minutes-pdf; efter "
        "udsendelse også supplement-agenda-docx,supplement-agenda-pdf (tillægsdagsorden), "
        "supplement-pack (tillægsbilag), revised-pack (revideret bilagspakke) "
        "(standard: agenda-pdf)",
    )
    export.add_argument("--public", action="store_true", help="den offentlige udgave")
    export.add_argument("--force", action="store_true", help=_FORCE_HELP)
    export.add_argument(
        "--out", metavar="MAPPE", type=Path, required=True, help="hvor filerne skrives"
    )
    pre = command("preflight", c.preflight, "tjek et møde før udsendelse")
    pre.add_argument("--meeting", metavar="ID", type=meeting_id, required=True, help="mødets id")

    _record_commands(command)

    command("self-test", c.self_test, "afprøv eksporten på denne maskine (til support)")
    return parser
