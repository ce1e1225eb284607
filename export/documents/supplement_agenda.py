"""The tillægsdagsorden (supplementary agenda) as Word and PDF.

Laid out by the agenda's own writers (``docx_agenda.build_docx``, ``pdf_agenda.build_pdf``)
from ``export.supplement_content``: the same template, styles, contents, headers and
metadata as the agenda, so a supplement looks like the agenda it adds to.
"""

from __future__ import annotations

from pathlib import Path

from agenda.snapshot import MeetingSnapshot
from export.atomic import atomic_output
from export.documents.docx_agenda import build_docx, default_template
from export.documents.pdf_agenda import build_pdf
from export.supplement_content import supplement_content


def write_supplement_docx(
    snapshot: MeetingSnapshot, target: Path, *, public: bool = False, template: Path | None = None
) -> Path:
    """Write the tillægsdagsorden of the edition to ``target`` atomically; refuses with a
    Danish ``ExportError`` when the meeting was not sent or nothing changed."""
    content = supplement_content(snapshot, public=public)
    body_template = snapshot.meeting.body.template
    source = template or (Path(body_template) if body_template else default_template())
    document = build_docx(content, source)
    target = Path(target)
    with atomic_output(target) as tmp:
        document.save(str(tmp))
    return target


def write_supplement_pdf(snapshot: MeetingSnapshot, target: Path, *, public: bool = False) -> Path:
    content = supplement_content(snapshot, public=public)
    target = Path(target)
    with atomic_output(target) as tmp:
        build_pdf(content, tmp)
    return target
