"""Importing a meeting whose case numbers the workspace already has: the cases are kept
as the workspace has them, a bilag is never made public by an import (confidential in
the file or in the workspace: confidential), meetings sent or held and their public
documents do not change, and the user is told every difference (CLI and window)."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from agenda.model import Meeting, MeetingStatus, TextSection
from exchange.transfer import export_meeting, import_meeting_report
from storage.workspace import open_workspace
from tests.factories import CET, attachment, case, document_meeting, item, meeting
from tests.test_cli import run
from tests.test_meeting_records import (
    EVALUATION,
    NEW_TEXT,
    _held,
    _item,
    _public_documents,
    _store_blobs,
)


def _colleagues_file(tmp_path: Path, *, tilbud_public: bool = True, extra_bilag: bool = True):
    """A colleague's export of the next meeting: the evaluation case with other texts, the
    tilbud (the same bytes) marked public, and a bilag the workspace does not have."""
    theirs = document_meeting()
    evaluation = _item(theirs, EVALUATION).case
    bilag = tuple(
        replace(a, confidential=False) if tilbud_public and a.file_name == "tilbud.pdf" else a
        for a in evaluation.attachments
    )
    if extra_bilag:
        bilag += (attachment("Høringssvar", b"svar", "svar.pdf"),)
    evaluation = replace(
        evaluation.with_texts(indstilling=NEW_TEXT),
        title="Kollegaens titel",
        officer="Kirsten Kollega",
        attachments=bilag,
    )
    later = meeting(
        [("Sager", [item("Evaluering af klyngekontorer", case_=evaluation)])],
        title="Næste møde",
        start=datetime(2024, 5, 14, 10, 0, tzinfo=CET),
        status=MeetingStatus.DRAFT,
    )
    with open_workspace(tmp_path / "kollega.kkrdb") as colleague:
        _store_blobs(colleague, later)
        saved = colleague.save_meeting(later)
        return export_meeting(colleague, saved.id, tmp_path / "fil")


def _tilbud(m: Meeting):
    return next(a for a in _item(m, EVALUATION).attachments if a.file_name == "tilbud.pdf")


@pytest.mark.slow
def test_importing_a_shared_case_leaves_the_held_meeting_and_keeps_the_bilag_confidential(
    tmp_path,
):
    path = tmp_path / "w.kkrdb"
    with open_workspace(path) as ws:
        held = _held(ws)
        before = ws.meeting(held.id)
        documents = _public_documents(ws, held.id, tmp_path / "før")
    cli_copy = tmp_path / "cli.kkrdb"
    shutil.copy(path, cli_copy)
    folder = _colleagues_file(tmp_path)

    with open_workspace(path) as ws:
        report = import_meeting_report(ws, folder)
        imported = ws.meeting(report.meeting.id)

        # the held meeting and its public agenda, minutes and meeting.json: unchanged
        assert ws.meeting(held.id) == before
        assert _public_documents(ws, held.id, tmp_path / "efter") == documents
        # the case library kept its texts and title; the tilbud is confidential everywhere
        library = ws.case_by_reference(EVALUATION)
        assert library.title == "Evaluering af klyngekontorer"
        assert library.officer == "Jens Jensen"
        assert NEW_TEXT not in library.text(TextSection.INDSTILLING)
        assert _tilbud(ws.meeting(held.id)).confidential
        assert next(a for a in library.attachments if a.file_name == "tilbud.pdf").confidential
        assert _tilbud(imported).confidential
        assert _item(imported, EVALUATION).case == library
        public = _public_documents(ws, imported.id, tmp_path / "importeret")
        assert "tilbud.pdf" not in public["bilag"]
        # the bilag only in the file is not slipped onto the shared case
        assert "svar.pdf" not in [a.file_name for a in library.attachments]

    notices = "\n".join(report.notices)
    assert "»Tilbud fra konsulent« er offentligt i filen, men fortroligt" in notices
    assert "Det er fortsat fortroligt" in notices
    assert "titlen i filen (»Kollegaens titel«) er ikke brugt" in notices
    assert "»Kirsten Kollega«" in notices
    assert "afviger fra sagen i arbejdsområdet (Indstilling)" in notices
    assert "»Høringssvar« (svar.pdf) fra filen er ikke importeret" in notices
    assert all(
        n.startswith(f"Sag {EVALUATION} (»Evaluering af klyngekontorer«)") for n in (report.notices)
    )

    # the command line tells the user too, and keeps the bilag confidential the same way
    proc = run("import", "--workspace", cli_copy, folder)
    assert proc.stdout.startswith("Mødet er importeret med id ")
    assert "Bemærk: Sag 24/04521" in proc.stderr and "Det er fortsat fortroligt" in proc.stderr
    with open_workspace(cli_copy) as ws:
        assert ws.meeting(held.id) == before
        assert next(
            a for a in ws.case_by_reference(EVALUATION).attachments if a.file_name == "tilbud.pdf"
        ).confidential


def test_a_bilag_confidential_in_the_file_becomes_confidential_in_the_workspace(tmp_path):
    with open_workspace(tmp_path / "w.kkrdb") as ws:
        held = _held(ws)
        before = ws.meeting(held.id)
        # the file marks the (public) evaluation report confidential
        theirs = document_meeting()
        evaluation = _item(theirs, EVALUATION).case
        bilag = tuple(
            replace(a, confidential=a.file_name in ("tilbud.pdf", "rapport.pdf"))
            for a in evaluation.attachments
        )
        later = meeting(
            [("Sager", [item("Evaluering", case_=replace(evaluation, attachments=bilag))])],
            start=datetime(2024, 5, 14, 10, 0, tzinfo=CET),
        )
        with open_workspace(tmp_path / "kollega.kkrdb") as colleague:
            _store_blobs(colleague, later)
            folder = export_meeting(colleague, colleague.save_meeting(later).id, tmp_path / "f")

        report = import_meeting_report(ws, folder)
        rapport = next(
            a for a in _item(report.meeting, EVALUATION).attachments if a.file_name == "rapport.pdf"
        )
        assert rapport.confidential
        library = ws.case_by_reference(EVALUATION)
        assert [a.confidential for a in library.attachments] == [True, True, False]
        assert ws.meeting(held.id) == before  # the held meeting sent it as public: its record
        assert report.notices == (
            f"Sag {EVALUATION} (»Evaluering af klyngekontorer«): bilaget »Evalueringsrapport« "
            "er fortroligt i filen, men offentligt i arbejdsområdet. Det er nu fortroligt i "
            "arbejdsområdet også (på de møder, der endnu ikke er udsendt).",
        )


def test_a_new_case_whose_file_is_confidential_elsewhere_is_imported_confidential(tmp_path):
    with open_workspace(tmp_path / "w.kkrdb") as ws:
        _held(ws)
        # another case number, carrying the held meeting's confidential tilbud as public
        other = case(
            "Konsulentbistand",
            "24/07777",
            attachments=(attachment("Tilbud", b"tilbud", "tilbud.pdf"),),
        )
        later = meeting(
            [("Sager", [item("Konsulentbistand", case_=other)])],
            start=datetime(2024, 5, 14, 10, 0, tzinfo=CET),
        )
        with open_workspace(tmp_path / "kollega.kkrdb") as colleague:
            _store_blobs(colleague, later)
            folder = export_meeting(colleague, colleague.save_meeting(later).id, tmp_path / "f")

        report = import_meeting_report(ws, folder)
        (bilag,) = report.meeting.agenda.items()[0].attachments
        assert bilag.confidential
        (notice,) = report.notices
        assert notice.startswith("Sag 24/07777 (»Konsulentbistand«): bilaget »Tilbud«")
        assert "fortrolig et andet sted i arbejdsområdet" in notice


def test_an_identical_file_imports_without_notices(tmp_path):
    with open_workspace(tmp_path / "w.kkrdb") as ws:
        draft = replace(document_meeting(), status=MeetingStatus.DRAFT)
        _store_blobs(ws, draft)
        first = ws.save_meeting(draft)
        folder = export_meeting(ws, first.id, tmp_path / "ud")
        report = import_meeting_report(ws, folder, as_new=True)
        assert report.notices == ()
        assert ws.meeting(report.meeting.id).agenda.items()[2].case == ws.case_by_reference(
            EVALUATION
        )
