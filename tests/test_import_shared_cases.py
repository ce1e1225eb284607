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
            # the held meeting is not changed, but the user is told it publishes the file
            f"Sag {EVALUATION} (»Evaluering af klyngekontorer«): bilaget »Evalueringsrapport« "
            "er den samme fil, som filen markerer fortrolig, men det er offentligt på det "
            "afholdte møde »Møde i KKR Sjælland« tirsdag den 16. april 2024. Det møde er ikke "
            "ændret; kontrollen før udsendelse af det møde vil sige fejl, hvis dets offentlige "
            "udgave laves igen.",
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
        assert "fortrolig et andet sted i filen eller i arbejdsområdet" in notice


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


@pytest.mark.parametrize("kind", ["sqlite", "memory"])
def test_a_file_marked_confidential_by_an_import_is_confidential_on_every_draft(tmp_path, kind):
    """Fail closed: the same bytes public on a case of a draft meeting (and the library)
    become confidential there when an import marks them confidential on another case."""
    from agenda.edition import attachments_for
    from agenda.memory import InMemoryWorkspace

    ws = open_workspace(tmp_path / "w.kkrdb") if kind == "sqlite" else InMemoryWorkspace()
    try:
        notat = attachment("Notat", b"notat", "notat.pdf")
        draft = meeting(
            [("Sager", [item("Budget", case_=case("Budget", "24/01000", attachments=(notat,)))])],
            start=datetime(2024, 5, 1, 10, 0, tzinfo=CET),
            status=MeetingStatus.DRAFT,
        )
        _store_blobs(ws, draft)
        draft = ws.save_meeting(draft)
        secret = attachment("Notat (fortroligt)", b"notat", "notat.pdf", confidential=True)
        other = case("Personale", "24/02000", attachments=(secret,))
        later = meeting(
            [("Sager", [item("Personale", case_=other)])],
            start=datetime(2024, 6, 1, 10, 0, tzinfo=CET),
        )
        with open_workspace(tmp_path / "kollega.kkrdb") as colleague:
            _store_blobs(colleague, later)
            folder = export_meeting(colleague, colleague.save_meeting(later).id, tmp_path / "f")

        report = import_meeting_report(ws, folder)
        # the library's case, and the draft meeting's own copy of it (schema v4)
        assert report.notices == (
            "Sag 24/01000 (»Budget«): bilaget »Notat« er den samme fil, som filen markerer "
            "fortrolig. Det er nu fortroligt på sagen i sagsbiblioteket også.",
            "Sag 24/01000 (»Budget«): bilaget »Notat« er den samme fil, som filen markerer "
            "fortrolig. Det er nu fortroligt på mødet »Møde i KKR Sjælland« onsdag den 1. maj "
            "2024 også.",
        )
        (on_draft,) = ws.meeting(draft.id).agenda.items()[0].attachments
        assert on_draft.confidential
        assert attachments_for(ws.meeting(draft.id).agenda.items()[0], public=True) == ()
        assert ws.case_by_reference("24/01000").attachments[0].confidential
    finally:
        if kind == "sqlite":
            ws.close()


def test_the_same_file_confidential_on_one_item_of_the_file_is_so_on_the_others(tmp_path):
    with open_workspace(tmp_path / "w.kkrdb") as ws:
        public = attachment("Notat", b"notat", "notat.pdf")
        secret = attachment("Notat (fortroligt)", b"notat", "notat.pdf", confidential=True)
        theirs = meeting(
            [
                ("Sager", [
                    item("Budget", case_=case("Budget", "24/01000", attachments=(public,))),
                    item("Personale", case_=case("Personale", "24/02000", attachments=(secret,))),
                ]),
            ],
            start=datetime(2024, 6, 1, 10, 0, tzinfo=CET),
        )  # fmt: skip
        with open_workspace(tmp_path / "kollega.kkrdb") as colleague:
            _store_blobs(colleague, theirs)
            folder = export_meeting(colleague, colleague.save_meeting(theirs).id, tmp_path / "f")
        report = import_meeting_report(ws, folder)
        assert all(a.confidential for i in report.meeting.agenda.items() for a in i.attachments)
        (notice,) = report.notices
        assert notice.startswith("Sag 24/01000 (»Budget«): bilaget »Notat« er offentligt")


def test_importing_a_case_closed_on_another_meeting_as_an_open_item_says_so(tmp_path):
    with open_workspace(tmp_path / "w.kkrdb") as ws:
        held = _held(ws)
        secret = next(i for i in held.agenda.items() if i.closed)
        theirs = meeting(
            [("Sager", [replace(secret, closed=False)])],
            start=datetime(2024, 6, 1, 10, 0, tzinfo=CET),
        )
        with open_workspace(tmp_path / "kollega.kkrdb") as colleague:
            _store_blobs(colleague, theirs)
            folder = export_meeting(colleague, colleague.save_meeting(theirs).id, tmp_path / "f")
        report = import_meeting_report(ws, folder)
        closed = [n for n in report.notices if "lukket punkt" in n]
        assert closed == [
            f"Sag {secret.case.reference} (»{secret.case.title}«): sagen er et lukket punkt på "
            "mødet »Møde i KKR Sjælland« tirsdag den 16. april 2024, men punktet her er åbent, "
            "så sagens tekster ville komme med i den offentlige udgave. Kontrollen før "
            "udsendelse siger fejl: luk punktet her, eller fjern teksterne fra sagen, før den "
            "offentlige udgave laves."
        ]
