"""Render the meeting-as-a-record views (issue 14) to PNG, offscreen, at 1366x768:

    python3 scripts/screenshots_record.py [--out renders/record]

The main window of a sent meeting edited since (the marks and the panel "Ændringer siden
udsendelse"), the Udsend dialog over it, and the list of sent versions. Uses the test
factories' meeting, so it needs no demo workspace.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.screenshots import composite, settle  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=Path("renders/record"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    from PySide6.QtCore import QSettings

    from app import identity
    from app.records import send_meeting
    from gui.app import create_main_window, make_application
    from gui.record_dialogs import SendDialog, VersionsDialog
    from gui.settings import UiSettings
    from tests.gui.conftest import open_test_workspace, sample_meeting

    app = make_application([sys.argv[0]])
    scratch = Path(tempfile.mkdtemp(prefix="kkr-record-screens-"))
    path = scratch / "record.kkrdb"
    workspace = open_test_workspace(path)
    meeting = sample_meeting(workspace)
    send_meeting(
        workspace, meeting.id, "Medlemmer og suppleanter pr. mail", "sekretariat", identity.now
    )
    settings = UiSettings(QSettings(str(scratch / "ui.ini"), QSettings.Format.IniFormat))
    window = create_main_window(workspace, path, settings=settings)
    window.resize(1366, 768)
    window.show()
    settle(app, 0.3)
    # edits after sending: a new title, an item made closed
    items = window.session.meeting.agenda.sections[1].items
    window.agenda_view.select_item(items[0].id)
    window.item_editor.title.setText(items[0].title + " (revideret)")
    window.item_editor.title.editingFinished.emit()
    window.agenda_view.select_item(items[1].id)
    window.agenda_menu.closed_action.trigger()
    window.agenda_view.select_item(items[0].id)
    settle(app, 0.3)
    window.grab().save(str(args.out / "main-changes-1366x768.png"))

    send = SendDialog(workspace, meeting.id, parent=window)
    send.note.setText("Medlemmer og suppleanter (tillæg)")
    send.show()
    settle(app, 0.3)
    composite(window, send).save(str(args.out / "send-dialog-1366x768.png"))
    send.close()

    versions = VersionsDialog(workspace, meeting.id, parent=window)
    versions.show()
    settle(app, 0.3)
    composite(window, versions).save(str(args.out / "versions-1366x768.png"))
    versions.close()

    window.meeting_menu.open_export()
    export = window.meeting_menu.export_dialog
    settle(app, 0.5)
    composite(window, export).save(str(args.out / "export-tillaeg-1366x768.png"))
    export.close()

    # a held meeting: the item editor read-only but the decision
    with workspace.transaction():
        held = workspace.save_meeting(
            replace(workspace.meeting(meeting.id), status=window.session.meeting.status.HELD)
        )
    window.session.reload()
    window.agenda_view.select_item(items[0].id)
    window.item_editor.tabs.setCurrentIndex(len(window.item_editor.texts) - 1)
    settle(app, 0.3)
    window.grab().save(str(args.out / "held-editor-1366x768.png"))
    print(args.out.resolve(), held.status.label)


if __name__ == "__main__":
    main()
