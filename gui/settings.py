"""UI state in QSettings (IniFormat, user scope): geometry, splitters, last folder,
recent workspaces. Never anything the user made (that lives in the workspace)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, QStandardPaths

MAX_RECENT = 8


class UiSettings:
    def __init__(self, settings: QSettings | None = None) -> None:
        self.qsettings = settings or QSettings(
            QSettings.Format.IniFormat,
            QSettings.Scope.UserScope,
            "KKR Dagsorden",
            "kkr-dagsorden",
        )

    def bytes_value(self, key: str) -> QByteArray | None:
        value = self.qsettings.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_bytes(self, key: str, value: QByteArray) -> None:
        self.qsettings.setValue(key, value)

    def last_folder(self, purpose: str) -> str:
        return str(self.qsettings.value(f"folders/{purpose}", "") or "")

    def start_folder(self, purpose: str) -> str:
        """Where a file dialog opens: the folder last used for ``purpose`` while it is
        still there, else the user's Documents (never the program's own folder)."""
        last = self.last_folder(purpose)
        if last and Path(last).is_dir():
            return last
        return documents_folder()

    def set_last_folder(self, purpose: str, folder: str | Path) -> None:
        self.qsettings.setValue(f"folders/{purpose}", str(folder))

    def export_choices(self, phase: str) -> tuple[list[str], str] | None:
        """What the export dialog was last run with for a meeting in ``phase`` (before or
        after the meeting): the ticked outputs and the edition; None if never."""
        outputs = self.qsettings.value(f"export/{phase}/outputs")
        edition = self.qsettings.value(f"export/{phase}/edition")
        if outputs is None or not edition:
            return None
        if isinstance(outputs, str):
            outputs = outputs.split(",")
        return [str(k).strip() for k in outputs if str(k).strip()], str(edition)

    def set_export_choices(self, phase: str, outputs: list[str], edition: str) -> None:
        # a comma-joined string: IniFormat turns a one-element list into a plain string
        # and an empty one into nothing at all
        self.qsettings.setValue(f"export/{phase}/outputs", ",".join(outputs))
        self.qsettings.setValue(f"export/{phase}/edition", edition)

    def recent_workspaces(self) -> list[Path]:
        value = self.qsettings.value("workspaces/recent", [])
        if isinstance(value, str):
            value = [value]
        return [Path(v) for v in (value or []) if v]

    def add_recent_workspace(self, path: Path) -> None:
        path = Path(path).resolve()
        recent = [p for p in self.recent_workspaces() if p != path]
        self.qsettings.setValue("workspaces/recent", [str(p) for p in [path, *recent][:MAX_RECENT]])

    def last_workspace(self) -> Path | None:
        recent = self.recent_workspaces()
        return recent[0] if recent else None

    def sync(self) -> None:
        self.qsettings.sync()


def documents_folder() -> str:
    """The user's Documents folder (Dokumenter), else the home folder."""
    location = QStandardPaths.StandardLocation.DocumentsLocation
    documents = QStandardPaths.writableLocation(location)
    return documents if documents and Path(documents).is_dir() else str(Path.home())
