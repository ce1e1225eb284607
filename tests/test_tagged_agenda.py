"""The public agenda and minutes PDF are tagged PDF/UA, made by the office suite from our
Word document: Danish, headings in the agenda's order, the logo described, the closed
item only as "Lukket punkt" also in the tree; without an office suite the reportlab PDF
is written and the export says it is not tagged."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace

import pikepdf
import pytest

from agenda.snapshot import MeetingSnapshot
from export import tagged_agenda
from export.outputs import OUTPUTS, write_outputs
from tests.factories import body, document_meeting
from tests.pdf_structure import check, check_heading_levels
from tests.test_convert_com import SUITE, FakeBackend
from tests.test_docx_agenda import ITEM_HEADINGS, _custom_template

PUBLIC_HEADINGS = [h if "lukket" not in h else "2.3 Lukket punkt" for h in ITEM_HEADINGS]


@pytest.fixture
def with_office(monkeypatch):
    monkeypatch.delenv("KKR_AGENDA_OFFICE", raising=False)


@pytest.fixture
def com_backend(monkeypatch):
    """Word through the fake COM backend (as tests/test_convert_com.py has it)."""
    from export.conversion import convert_com

    fake = FakeBackend()
    monkeypatch.setattr(convert_com, "BACKEND", fake)
    return fake


@pytest.mark.slow
def test_public_agenda_and_minutes_are_tagged_pdf_ua(tmp_path, with_office):
    template = _custom_template(tmp_path / "logo.docx", dotx=False)
    meeting = document_meeting(held=True)
    meeting = replace(meeting, body=replace(body(), template=str(template)))
    requests = [(OUTPUTS["agenda-pdf"], True), (OUTPUTS["minutes-pdf"], True)]
    outcome = write_outputs(MeetingSnapshot(meeting), tmp_path / "ud", requests)
    assert not outcome.problems and not outcome.notices
    assert len(outcome.written) == 2
    for path in outcome.written:
        report = check(path)  # Lang da-DK, tree consistent, every page marked
        assert report.pdfua
        levels = check_heading_levels(report)  # the title first, as H1; no level skipped
        assert levels[0][0] == 1 and levels[0][1] in ("Dagsorden", "Referat")
        items = [n.all_text() for n in report.roles("H2")]
        front = [text for level, text in levels[: levels.index((1, "Indledning"))] if level == 2]
        assert items == front + PUBLIC_HEADINGS  # the agenda's order, the closed one unnamed
        sections = ["Indledning", "Sager", "Afslutning"]
        assert [n.all_text() for n in report.roles("H1")] == [levels[0][1], *sections]
        assert "Logo: KKR Sjælland" in report.strings  # the logo's Figure /Alt
        assert not any("Zanzibarsen" in s for s in report.strings)
        assert "Zanzibarsen" not in report.tree.all_text()
        with pikepdf.open(path) as pdf:
            assert pdf.pdf_version >= "1.7"
            assert "Dagsorden" in str(pdf.docinfo.get("/Title")) or "Referat" in str(
                pdf.docinfo.get("/Title")
            )


def test_without_an_office_suite_the_reportlab_pdf_says_it_is_not_tagged(
    tmp_path, with_office, monkeypatch
):
    monkeypatch.setattr(tagged_agenda, "find_office", lambda: None)
    requests = [(OUTPUTS["agenda-pdf"], True)]
    outcome = write_outputs(MeetingSnapshot(document_meeting()), tmp_path, requests)
    (path,) = outcome.written
    (notice,) = outcome.notices
    assert path.name in notice and "uden tilgængelighedsmærker" in notice
    assert "ikke er installeret en kontorpakke" in notice
    assert not outcome.problems
    with pikepdf.open(path) as pdf:
        assert "/StructTreeRoot" not in pdf.Root


def test_the_complete_edition_stays_the_reportlab_pdf(tmp_path, with_office, monkeypatch):
    def no_office():
        raise AssertionError("the complete edition asked for the office suite")

    monkeypatch.setattr(tagged_agenda, "find_office", no_office)
    outcome = write_outputs(
        MeetingSnapshot(document_meeting()), tmp_path, [(OUTPUTS["agenda-pdf"], False)]
    )
    assert outcome.written and not outcome.notices


@pytest.mark.slow
def test_a_failing_office_falls_back_and_says_why(tmp_path, with_office, monkeypatch):
    monkeypatch.setattr(tagged_agenda, "convert", lambda *a: RuntimeError("gik i stå"))
    outcome = write_outputs(
        MeetingSnapshot(document_meeting()), tmp_path, [(OUTPUTS["minutes-pdf"], True)]
    )
    (notice,) = outcome.notices
    assert "gik i stå" in notice and "uden tilgængelighedsmærker" in notice
    assert outcome.written


def test_word_exports_the_agenda_with_structure_tags(tmp_path, with_office, com_backend):
    """Windows: Word (the fake COM backend of tests/test_convert_com.py) exports our docx
    with DocStructureTags; the PDF it gives gets the language and the title shown."""
    made = tagged_agenda.write_tagged_agenda_pdf(
        MeetingSnapshot(document_meeting()), tmp_path / "dagsorden.pdf", suite=SUITE
    )
    assert made.tagged and made.notices == ()
    (word,) = com_backend.apps
    assert [c[0] for c in word.calls].count("ExportAsFixedFormat") == 1
    assert word.export_options == [{"CreateBookmarks": 1, "DocStructureTags": True}]
    with pikepdf.open(made.path) as pdf:
        assert str(pdf.Root.Lang) == "da-DK" and pdf.Root.ViewerPreferences.DisplayDocTitle


def test_the_public_supplement_agenda_takes_the_same_path(tmp_path, with_office, monkeypatch):
    """The tillægsdagsorden is published as the agenda is: through the office suite (the
    docx is the supplement's), and without one the reportlab PDF with the same notice."""
    from tests.supplement_samples import changed_meeting

    asked: list[bytes] = []

    def office_pdf(data, name, suite, task):
        asked.append(data)
        return RuntimeError("gik i stå")

    monkeypatch.setattr(tagged_agenda, "find_office", lambda: SUITE)
    monkeypatch.setattr(tagged_agenda, "convert", office_pdf)
    request = [(OUTPUTS["supplement-agenda-pdf"], True)]
    outcome = write_outputs(changed_meeting(), tmp_path / "a", request)
    (path,) = outcome.written
    (notice,) = outcome.notices
    assert path.name in notice and "uden tilgængelighedsmærker" in notice and "gik i stå" in notice
    (data,) = asked
    with zipfile.ZipFile(io.BytesIO(data)) as docx_file:
        assert "Tillægsdagsorden" in docx_file.read("word/document.xml").decode()
    with pikepdf.open(path) as pdf:
        assert "/StructTreeRoot" not in pdf.Root
        assert "Tillægsdagsorden" in str(pdf.docinfo.get("/Title"))
    monkeypatch.setattr(tagged_agenda, "find_office", lambda: None)
    outcome = write_outputs(changed_meeting(), tmp_path / "b", request)
    (notice,) = outcome.notices
    assert "ikke er installeret en kontorpakke" in notice
    # the complete edition is not published: no office, no notice
    complete = write_outputs(changed_meeting(), tmp_path / "c", [(request[0][0], False)])
    assert complete.written and not complete.notices
