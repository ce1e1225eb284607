"""Compile the gettext catalogs (resources/locale/*/LC_MESSAGES/*.po -> .mo).

Run at setup time and by the Windows build; the app also compiles a missing .mo in
memory at start (gui/i18n.py), so a fresh checkout is Danish too. The .mo files are not
committed (.gitignore).
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "resources" / "locale"


def compile_catalogs(locale_dir: Path = LOCALE, *, force: bool = False) -> list[Path]:
    """Compile each .po whose .mo is missing or older; returns the .mo files written."""
    written = []
    for po in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if not force and mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as fp:
            catalog = read_po(fp, locale=po.parent.parent.name)
        with mo.open("wb") as fp:
            write_mo(fp, catalog)
        written.append(mo)
    return written


def main(argv: list[str]) -> int:
    for mo in compile_catalogs(force="--force" in argv):
        print(f"compiled {mo.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
