"""The command line: parses the arguments, runs one thin command over the use cases in
``app/``, prints, and turns expected failures into a Danish message and an exit code.

Exit codes: 0 done; 1 the user's input was wrong (message on stderr, workspace
unchanged); 2 wrong usage (argparse); 130 interrupted.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path

from agenda.errors import UserFacingError, os_error_reason

#: ``start_window(path, demo=...)``: what runs without a command (``main.py`` gives it)
StartWindow = Callable[..., int]


def main(argv: list[str] | None = None, *, start_window: StartWindow | None = None) -> int:
    from app.workspace import DATABASE_ERRORS, database_error
    from cli.commands import workspace_path
    from cli.parser import build_parser

    args = build_parser().parse_args(argv)
    args.start_window = start_window
    # pypdf logs English remarks on damaged files ("EOF marker not found") to stderr; the
    # user gets the Danish message about the file instead
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        return args.run(args)
    except UserFacingError as error:
        print(f"Fejl: {error.message}", file=sys.stderr)
        return 1
    except DATABASE_ERRORS as error:
        # a damaged workspace shows when a query meets the damaged page, in any command
        explained = database_error(error, Path(workspace_path(args)))
        if explained is None:
            raise  # a bug
        print(f"Fejl: {explained.message}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `kkr-dagsorden search … | head`: the reader has had enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as error:
        # a folder that cannot be written, a disk that is full: the user's input, not a bug
        print(
            f"Fejl: {error.filename or 'Filen'}: {os_error_reason(error)}. "
            "Kontrollér stien og dine rettigheder, og prøv igen.",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        print("Afbrudt.", file=sys.stderr)
        return 130
