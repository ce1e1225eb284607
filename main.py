"""KKR Dagsorden: the entry point. Wiring only: the command line (``cli/``) runs a
command, or, without one, starts the window (``gui/``) on a workspace.

The workflows themselves are composed once, in ``app/``, for both
(``docs/architecture.md``).
"""

from __future__ import annotations

import sys
from pathlib import Path

from app.demo import ensure_demo as _ensure_demo

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    from cli import main as run_cli

    return run_cli(argv, start_window=_start_window)


def _start_window(path: Path | None, *, demo: bool = False) -> int:
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
    return run_gui(path, demo=demo, fill_demo=_ensure_demo)


if __name__ == "__main__":
    sys.exit(main())
