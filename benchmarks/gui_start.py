"""How fast the desktop app opens, and how fast a reorder repaints.

    python3 benchmarks/gui_start.py [--runs 5] [--workspace DEMO.kkrdb]

1. Start: process start -> main window shown, painted and populated on the demo
   workspace, against a bare PySide6 QMainWindow with a QTreeView measured in the same
   run (the floor: Python + Qt start). Goal: ratio <= 3.
2. Reorder: moving one item in a 40-item agenda, from the keypress's operation to the
   tree repainted (saving the meeting included). Goal: <= 50 ms.

Offscreen platform; medians of --runs child processes.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BARE = """
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTreeView
app = QApplication(sys.argv)
window = QMainWindow()
tree = QTreeView()
window.setCentralWidget(tree)
window.resize(1366, 768)
class Painted(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, lambda: (print("ready", flush=True), app.quit()))
            obj.removeEventFilter(self)
        return False
painted = Painted()
tree.viewport().installEventFilter(painted)
window.show()
app.exec()
"""

APP = """
import sys
sys.path.insert(0, {root!r})
from pathlib import Path
from PySide6.QtCore import QEvent, QObject, QSettings, QTimer
from gui.app import create_main_window, make_application
from gui.settings import UiSettings
app = make_application(sys.argv)
{open_workspace}
settings = UiSettings(QSettings({ini!r}, QSettings.Format.IniFormat))
window = create_main_window(workspace, path, settings=settings)
window.resize(1366, 768)
class Painted(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            assert window.agenda_model.rowCount() > 0, "painted before populated"
            QTimer.singleShot(0, lambda: (print("ready", flush=True), app.quit()))
            obj.removeEventFilter(self)
        return False
painted = Painted()
window.agenda_view.viewport().installEventFilter(painted)
window.show()
app.exec()
"""

OPEN_SQLITE = """
from gui.workspace import open_workspace
path = Path({path!r})
workspace = open_workspace(path)
"""

OPEN_FACTORIES = """
from agenda.memory import InMemoryWorkspace
from tests import factories
path = Path("demo.kkrdb")
workspace = InMemoryWorkspace()
workspace.save_meeting(factories.meeting())
"""


def time_child(code: str) -> float:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT
    )
    assert child.stdout is not None
    line = child.stdout.readline()
    elapsed = time.perf_counter() - started
    child.wait()
    if line.strip() != "ready":
        raise SystemExit(f"child failed (exit {child.returncode})")
    return elapsed


def demo_path(folder: Path, given: Path | None) -> Path | None:
    if given is not None:
        return given
    path = folder / "demo.kkrdb"
    made = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "demo", "--workspace", str(path)],
        capture_output=True,
        check=False,
    )
    return path if made.returncode == 0 and path.exists() else None


def make_large_workspace(path: Path) -> bool:
    """200 meetings over ~8 years with 25 items each: 5,000 cases. False without storage."""
    sys.path.insert(0, str(ROOT))
    try:
        from gui.workspace import open_workspace
    except ImportError:
        return False
    from dataclasses import replace
    from datetime import timedelta

    from agenda.model import Agenda, Section
    from tests import factories

    try:
        workspace = open_workspace(path)
    except ImportError:
        return False
    base = factories.meeting()
    with workspace.transaction():
        for m in range(200):
            items = tuple(
                factories.item(
                    f"Sag {m}-{n} om regional udvikling og samarbejde",
                    case_=factories.case(f"Sag {m}-{n} om regional udvikling", f"{m:03d}/{n:05d}"),
                )
                for n in range(25)
            )
            meeting = replace(
                base,
                title=f"Møde {m + 1} i KKR Sjælland",
                start=base.start + timedelta(days=14 * (m - 150)),
                end=None,
                agenda=Agenda((Section("Sager", items),)),
            )
            workspace.save_meeting(meeting)
    close = getattr(workspace, "close", None)
    if close:
        close()
    return True


def reorder_ms(runs: int) -> list[float]:
    """Move an item in a 40-item agenda and repaint the tree, in this process."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))
    from dataclasses import replace

    from PySide6.QtCore import QSettings

    from agenda.model import Agenda, ItemKind, Section
    from gui.agenda_actions import AgendaActions
    from gui.app import create_main_window, make_application
    from gui.settings import UiSettings
    from tests import factories
    from tests.gui.conftest import open_test_workspace

    app = make_application([sys.argv[0]])
    folder = Path(tempfile.mkdtemp(prefix="kkr-bench-"))
    workspace = open_test_workspace(folder / "forty.kkrdb")
    sections = []
    for s in range(4):
        items = tuple(
            factories.item(
                f"Sag {s + 1}.{n + 1} om regional udvikling",
                case_=factories.case(f"Sag {s + 1}.{n + 1}", f"24/{s:02d}{n:03d}"),
            )
            for n in range(10)
        )
        sections.append(Section(f"Afsnit {s + 1}", items))
    meeting = replace(factories.meeting(), agenda=Agenda(tuple(sections)))
    assert len(meeting.agenda.items()) == 40 and meeting.agenda.items()[0].kind is ItemKind.DECISION
    with workspace.transaction():
        workspace.save_meeting(meeting)
    settings = UiSettings(QSettings(str(folder / "ui.ini"), QSettings.Format.IniFormat))
    window = create_main_window(workspace, folder / "forty.kkrdb", settings=settings)
    window.resize(1366, 768)
    window.show()
    for _ in range(20):
        app.processEvents()
    item_id = window.session.meeting.agenda.sections[1].items[5].id
    actions = AgendaActions(window.controller)
    window.agenda_view.select_item(item_id)
    results = []
    for n in range(runs * 4):
        started = time.perf_counter()
        actions.move_by(item_id, -1 if n % 2 else 1)
        window.agenda_view.viewport().repaint()
        results.append((time.perf_counter() - started) * 1000)
    window.close()
    return results


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workspace", type=Path)
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="kkr-bench-"))
    path = demo_path(folder, args.workspace)
    opener = OPEN_SQLITE.format(path=str(path)) if path else OPEN_FACTORIES
    app_code = APP.format(root=str(ROOT), open_workspace=opener, ini=str(folder / "ui.ini"))
    if path is None:
        print("(main.py demo not available: the app opens a factories meeting in memory)")
    time_child(BARE)  # warm the file cache for both
    time_child(app_code)
    bare, app = [], []
    for _ in range(args.runs):
        bare.append(time_child(BARE))
        app.append(time_child(app_code))
    floor, ours = statistics.median(bare), statistics.median(app)
    print(f"bare QMainWindow+QTreeView start: {floor * 1000:.0f} ms (median of {args.runs})")
    print(f"KKR Dagsorden start, demo workspace: {ours * 1000:.0f} ms (median of {args.runs})")
    print(f"start ratio: {ours / floor:.2f}x (goal <= 3x)")
    large = folder / "large.kkrdb"
    if make_large_workspace(large):
        code = APP.format(
            root=str(ROOT),
            open_workspace=OPEN_SQLITE.format(path=str(large)),
            ini=str(folder / "ui.ini"),
        )
        time_child(code)
        big = statistics.median(time_child(code) for _ in range(args.runs))
        print(
            f"KKR Dagsorden start, 200 meetings / 5,000 cases: {big * 1000:.0f} ms, "
            f"{big / ours:.2f}x the demo (goal: as fast)"
        )
    else:
        print("(no storage yet: the 200-meeting workspace is not measured)")
    moves = reorder_ms(args.runs)
    print(
        f"reorder in a 40-item agenda, operation + save + repaint: median "
        f"{statistics.median(moves):.1f} ms, max {max(moves):.1f} ms (goal <= 50 ms)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
