"""The self-test for support: a temporary workspace, a meeting with a PDF and a DOCX
bilag, the agenda and the pack exported and checked, and which office suite was found."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from app.exporting import OUTPUTS, read_meeting_snapshot, write_export
from app.workspace import workspace_session


def office_suite() -> Any:
    """The office suite that converts Word files here (``.name``, ``.version``), or None."""
    from export.conversion.convert import find_office

    return find_office()


def run_self_test(*, needs_office: bool) -> list[str]:
    """The problems found (Danish lines); none when the export works on this machine."""
    from export.samples import self_check

    with tempfile.TemporaryDirectory(prefix="kkr-selvtest-") as tmp:
        folder = Path(tmp)
        with workspace_session(folder / "selvtest.kkrdb", create=True) as workspace:
            meeting = workspace.save_meeting(self_check.sample_meeting(workspace.store_blob))
            snapshot = read_meeting_snapshot(workspace, meeting.id)
        requests = [(OUTPUTS[k], False) for k in ("agenda-docx", "agenda-pdf", "pack")]
        outcome = write_export(snapshot, folder / "ud", requests)
        return self_check.check_outputs(
            list(outcome.written), meeting, list(outcome.problems), needs_office=needs_office
        )
