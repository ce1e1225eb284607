"""Writing the outputs made from the changes since sending (``export.outputs``' keys
``supplement-agenda-docx``, ``supplement-agenda-pdf``, ``supplement-pack``,
``revised-pack``). Imported when one is written: the writers load reportlab, python-docx
and pikepdf."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from agenda.snapshot import MeetingSnapshot
from agenda.tasks import TaskState


def write_supplement(
    key: str, snapshot: MeetingSnapshot, target: Path, *, public: bool, task: TaskState
) -> Any:
    if key in ("supplement-pack", "revised-pack"):
        from export.pack.supplement_pack import build_revised_pack, build_supplement_pack

        build = build_supplement_pack if key == "supplement-pack" else build_revised_pack
        return build(snapshot, target, public=public, task=task)
    from export.documents.supplement_agenda import write_supplement_docx, write_supplement_pdf

    task.report(0, 1, "")  # named when it is written, as the agenda is
    if key == "supplement-agenda-pdf" and public:  # published: tagged as the agenda is
        from export.tagged_agenda import write_tagged_agenda_pdf

        made = write_tagged_agenda_pdf(snapshot, target, supplement=True, task=task)
        task.report(1, 1, target.name)
        return made
    write = write_supplement_docx if key.endswith("docx") else write_supplement_pdf
    result = write(snapshot, target, public=public)
    task.report(1, 1, target.name)
    return result
