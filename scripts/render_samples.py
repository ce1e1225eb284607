"""Render the agenda and minutes to PNG, to look at them.

Writes the agenda PDF (complete and public), the minutes PDF (complete and public), and
the agenda and minutes
as Word converted by LibreOffice headless, then renders every page with pdftoppm into
OUT_DIR. The meeting is the demo's (the upcoming meeting for the agenda, the held one
for the minutes), or with ``--workspace W --meeting ID`` one from a workspace.

    python3 scripts/render_samples.py OUT_DIR [--dpi 50] [--workspace W --meeting ID]
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agenda.demo import DemoDocument, build_demo
from agenda.model import Attachment, Meeting, MeetingStatus
from agenda.snapshot import MeetingSnapshot
from export.conversion.convert_office import find_libreoffice
from export.documents.docx_agenda import write_agenda_docx
from export.documents.pdf_agenda import write_agenda_pdf


def demo_meetings() -> tuple[Meeting, Meeting]:
    """(agenda meeting, minutes meeting) from the demo texts; bilag need no bytes here."""

    def attachment(document: DemoDocument) -> Attachment:
        text = document.plain_text().encode()
        return Attachment(
            title=document.title,
            file_name=document.file_name,
            media_type="application/pdf",
            size=len(text),
            sha256=hashlib.sha256(text).hexdigest(),
            confidential=document.confidential,
        )

    meetings = build_demo(date.today(), attachment)
    held = [m for m in meetings if m.status is MeetingStatus.HELD]
    upcoming = [m for m in meetings if m.status is not MeetingStatus.HELD]
    return (upcoming or meetings)[0], (held or meetings)[-1]


def workspace_meeting(path: Path, meeting_id: int) -> Meeting:
    from storage.workspace import open_workspace

    workspace = open_workspace(path)
    try:
        return workspace.meeting(meeting_id)
    finally:
        workspace.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--dpi", type=int, default=50)
    parser.add_argument("--workspace", type=Path)
    parser.add_argument("--meeting", type=int)
    args = parser.parse_args()
    if args.workspace and args.meeting is not None:
        agenda = minutes = workspace_meeting(args.workspace, args.meeting)
    else:
        agenda, minutes = demo_meetings()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="kkr-samples-"))
    pdfs = {
        "agenda-pdf": write_agenda_pdf(MeetingSnapshot(agenda), work / "agenda-pdf.pdf"),
        "agenda-public-pdf": write_agenda_pdf(
            MeetingSnapshot(agenda), work / "agenda-public-pdf.pdf", public=True
        ),
        "minutes-pdf": write_agenda_pdf(
            MeetingSnapshot(minutes), work / "minutes-pdf.pdf", minutes=True
        ),
        "minutes-public-pdf": write_agenda_pdf(
            MeetingSnapshot(minutes), work / "minutes-public-pdf.pdf", minutes=True, public=True
        ),
    }
    docs = [
        write_agenda_docx(MeetingSnapshot(agenda), work / "agenda-docx.docx"),
        write_agenda_docx(MeetingSnapshot(minutes), work / "minutes-docx.docx", minutes=True),
    ]
    suite = find_libreoffice()
    if suite is None or suite.executable is None:
        print("LibreOffice not found: the Word documents are not rendered", file=sys.stderr)
    else:
        subprocess.run(
            [
                str(suite.executable),
                f"-env:UserInstallation={(work / 'profile').as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                str(work),
                *map(str, docs),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        pdfs.update({d.stem: d.with_suffix(".pdf") for d in docs})
    for name, pdf in pdfs.items():
        subprocess.run(
            ["pdftoppm", "-r", str(args.dpi), "-png", str(pdf), str(out / name)], check=True
        )
        print(f"{name}: {len(list(out.glob(name + '-*.png')))} pages")
    for document in docs:
        target = out / document.name
        target.write_bytes(document.read_bytes())
    print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
