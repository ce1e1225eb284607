"""Render the desktop app to PNG for a reviewer (offscreen, no display needed).

    python3 scripts/screenshots.py [--out renders/screens] [--workspace DEMO.kkrdb]

Without --workspace it makes a demo workspace with ``main.py demo`` (or, before that
exists, from the test factories in memory). For 1366x768 and 1920x1080 it saves: the
main window, the item editor with a bilag preview, the export dialog mid-export, an
error message, the crash dialog and the restore-backup dialog, each over the main window
as the user sees it; and the welcome an empty workspace shows on first start.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIZES = [(1366, 768), (1920, 1080)]


def demo_workspace(folder: Path):  # type: ignore[no-untyped-def]
    """(workspace, path): the product's demo when main.py can make it, else factories."""
    path = folder / "demo.kkrdb"
    made = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "demo", "--workspace", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if made.returncode == 0 and path.exists():
        from gui.workspace import open_workspace

        return open_workspace(path), path
    print("main.py demo is not available; using the test factories", file=sys.stderr)
    from tests.gui.conftest import open_test_workspace, sample_meeting

    workspace = open_test_workspace(path)
    sample_meeting(workspace)
    return workspace, path


def settle(app, seconds: float = 0.15) -> None:  # type: ignore[no-untyped-def]
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def composite(window, dialog=None):  # type: ignore[no-untyped-def]
    """The window, with a dialog drawn centred over it (as a window manager shows it)."""
    from PySide6.QtGui import QColor, QPainter

    image = window.grab()
    if dialog is None:
        return image
    shot = dialog.grab()
    painter = QPainter(image)
    painter.fillRect(image.rect(), QColor(0, 0, 0, 60))
    x = (image.width() - shot.width()) // 2
    y = max(0, (image.height() - shot.height()) // 2)
    painter.fillRect(x - 1, y - 1, shot.width() + 2, shot.height() + 2, QColor(80, 80, 80))
    painter.drawPixmap(x, y, shot)
    painter.end()
    return image


def first_item_with_pdf(meeting):  # type: ignore[no-untyped-def]
    for item in meeting.agenda.items():
        for attachment in item.attachments:
            if attachment.extension == "pdf":
                return item, attachment
    for item in meeting.agenda.items():
        if item.attachments:
            return item, item.attachments[0]
    return None, None


def slowed(kind):  # type: ignore[no-untyped-def]
    """The real export, slowed so the dialog can be caught mid-export."""
    from dataclasses import replace

    from export.outputs import Output

    class Slow:
        def __init__(self, task):  # type: ignore[no-untyped-def]
            self.task = task

        def report(self, done, total, label):  # type: ignore[no-untyped-def]
            self.task.report(done, total, label)
            time.sleep(0.5)

        def cancelled(self) -> bool:
            return self.task.cancelled()

    class SlowOutput(Output):
        def write(self, snapshot, target, *, public, task):  # type: ignore[no-untyped-def]
            if not self.pack:
                time.sleep(0.3)
            return super().write(snapshot, target, public=public, task=Slow(task))

    real = kind.output
    slow = SlowOutput(real.key, real.document, real.suffix, minutes=real.minutes, pack=real.pack)
    return replace(kind, output=slow)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "renders" / "screens")
    parser.add_argument("--workspace", type=Path)
    parser.add_argument(
        "--readme",
        type=Path,
        help="also save the item editor at 1366x768 here (docs/screenshot.png)",
    )
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QMessageBox

    from agenda.errors import UserFacingError
    from gui.app import create_main_window, make_application
    from gui.errors import CrashDialog, setup_logging
    from gui.settings import UiSettings

    app = make_application([sys.argv[0]])
    scratch = Path(tempfile.mkdtemp(prefix="kkr-screens-"))
    setup_logging(scratch / "log")  # the crash dialog names the log file, as in the app
    if args.workspace:
        from gui.workspace import open_workspace

        workspace, path = open_workspace(args.workspace), args.workspace
    else:
        workspace, path = demo_workspace(scratch)
    for width, height in SIZES:
        tag = f"{width}x{height}"
        ini = str(scratch / f"ui-{tag}.ini")  # a first start at each size
        settings = UiSettings(QSettings(ini, QSettings.Format.IniFormat))
        window = create_main_window(workspace, path, settings=settings, demo=True)
        window.resize(width, height)
        window.show()
        window.case_library.search.setText("kommun")  # the library as a user searching it
        window.case_library.run_search()
        settle(app, 0.3)
        window.grab().save(str(args.out / f"main-{tag}.png"))

        item, attachment = first_item_with_pdf(window.session.meeting)
        if item is not None:
            window.agenda_view.select_item(item.id)
            editor = window.item_editor
            editor.tabs.setCurrentIndex(editor.bilag_tab)
            editor.attachments.select(attachment.id)
            settle(app, 1.0)
            window.grab().save(str(args.out / f"item-preview-{tag}.png"))
            if args.readme and tag == "1366x768":
                window.grab().save(str(args.readme))

        from gui.export_dialog import ExportDialog, default_outputs
        from gui.export_job import MeetingReader

        kinds = [slowed(k) for k in default_outputs()]
        dialog = ExportDialog(
            workspace,
            MeetingReader(workspace, window.session.meeting.id),
            folder=str(scratch / f"export-{tag}"),
            outputs=kinds,
            parent=window,
        )
        for key, box in dialog.checks.items():
            box.setChecked(key in ("agenda-pdf", "pack-public", "pack-complete"))
        dialog.show()
        dialog.start_button.click()
        deadline = time.monotonic() + 20
        while dialog.current.value() < 1 and dialog.running() and time.monotonic() < deadline:
            settle(app, 0.02)
        settle(app, 0.1)
        composite(window, dialog).save(str(args.out / f"export-{tag}.png"))
        dialog.cancel()
        while dialog.running():
            settle(app, 0.05)
        dialog.close()

        box = QMessageBox(QMessageBox.Icon.Warning, "KKR Dagsorden", "", parent=window)
        try:
            from gui.attachments import read_attachment_file

            fake = scratch / "Budget 2025.pdf"
            fake.write_bytes(b"PK\x03\x04 not a pdf")
            read_attachment_file(fake)
        except UserFacingError as error:
            box.setText(error.message)
        box.show()
        settle(app)
        composite(window, box).save(str(args.out / f"error-{tag}.png"))
        box.close()

        try:
            {}["missing"]
        except KeyError as error:
            import traceback

            details = "".join(traceback.format_exception(error))
        crash = CrashDialog(details, window)
        crash.show()
        settle(app)
        composite(window, crash).save(str(args.out / f"crash-{tag}.png"))
        crash.close()

        from datetime import datetime, timedelta

        from gui.restore_dialog import RestoreDialog
        from storage.backup import Backup

        now = datetime.now().replace(hour=9, minute=2)
        backups = [
            Backup(scratch / f"b{n}.kkrdb", (now - timedelta(days=n)).date(), now - timedelta(n))
            for n in range(7)
        ]
        restore = RestoreDialog(backups, path.name if path else "demo.kkrdb", window)
        restore.show()
        settle(app)
        composite(window, restore).save(str(args.out / f"restore-{tag}.png"))
        restore.close()
        window.close()
        settle(app)

        # first start on a clean account: an empty workspace shows the welcome
        from gui.workspace import open_workspace as open_empty

        empty = open_empty(scratch / f"tom-{tag}.kkrdb")
        fresh = UiSettings(
            QSettings(str(scratch / f"ui-empty-{tag}.ini"), QSettings.Format.IniFormat)
        )
        welcome = create_main_window(
            empty, scratch / "Arbejdsområde.kkrdb", settings=fresh, fill_demo=lambda _p: None
        )
        welcome.resize(width, height)
        welcome.show()
        settle(app, 0.3)
        welcome.grab().save(str(args.out / f"welcome-{tag}.png"))
        welcome.close()
        settle(app)
    print(f"screenshots in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
