"""The demo workspace: three invented KKR Sjælland meetings with real bilag files.

The upcoming meeting is sent (a version frozen with its real files, the day before the
demo is made) and then gets one more case, so the demo shows a change list and a
tillægsdagsorden (issue 14); the held meeting is a record.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from agenda.errors import UserFacingError, WorkspaceError
from agenda.model import Attachment, Meeting, MeetingStatus
from agenda.repository import WorkspaceRepository
from app.workspace import remove_workspace_file, workspace_session


def create_demo(workspace: WorkspaceRepository) -> list[Meeting]:
    """Build the demo meetings, store their bilag and save them, one transaction."""
    from agenda.demo import DemoDocument, build_demo, late_items, with_late_items
    from app.identity import current_user
    from app.records import send_meeting
    from export.samples.demo_files import demo_file, media_type

    with workspace.transaction():

        def store(document: DemoDocument) -> Attachment:
            data = demo_file(document)
            sha256 = workspace.store_blob(data)
            workspace.set_attachment_text(sha256, document.plain_text())
            return Attachment(
                title=document.title,
                file_name=document.file_name,
                media_type=media_type(document),
                size=len(data),
                sha256=sha256,
                confidential=document.confidential,
            )

        today = date.today()
        meetings = [workspace.save_meeting(m) for m in build_demo(today, store)]
        upcoming = next(m for m in meetings if m.status is MeetingStatus.DRAFT)
        sent = send_meeting(workspace, upcoming.id, SENT_NOTE, current_user(), _sent_at(today))
        changed = workspace.save_meeting(with_late_items(sent.meeting, late_items(today, store)))
        return [changed if m.id == changed.id else m for m in meetings]


#: the note of the demo's sent version
SENT_NOTE = "Udsendt til medlemmer og suppleanter"


def _sent_at(today: date) -> Callable[[], datetime]:
    """The demo's sending time: yesterday at 14.00 (local), before the meeting and now."""
    moment = datetime.combine(today - timedelta(days=1), time(14, 0)).astimezone().astimezone(UTC)
    return lambda: moment


Warn = Callable[[UserFacingError], None] | None


def ensure_demo(path: Path, *, warn: Warn = None) -> None:
    """The demo workspace at ``path``, filled with the demo the first time (the
    window's Demo button and ``--demo``)."""
    with workspace_session(Path(path), create=True, warn=warn) as workspace:
        if not workspace.meetings():
            create_demo(workspace)


def make_demo(path: Path, *, force: bool, refusal: str, warn: Warn = None) -> list[Meeting]:
    """A workspace at ``path`` holding only the demo. One that holds meetings or bodies
    is refused with ``refusal`` (which names the caller's way of forcing), or replaced
    when ``force``."""
    path = Path(path)
    with workspace_session(path, create=True, warn=warn) as workspace:
        filled = bool(workspace.meetings() or workspace.bodies())
    if filled:
        if not force:
            raise WorkspaceError(refusal, path=str(path))
        remove_workspace_file(path)
    with workspace_session(path, create=True) as workspace:
        return create_demo(workspace)
