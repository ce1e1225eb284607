"""The repository contract for the meeting as a record (agenda/records.py), against the
in-memory fake and the SQLite workspace: every item's own copy of its case, a sent
meeting's edits staying in it, a held meeting locked but for its minutes, sent versions
with their files, and corrections beside approved minutes."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from agenda.errors import NotFoundError, RecordLockedError
from agenda.memory import InMemoryWorkspace
from agenda.model import Correction, ItemKind, MeetingId, MeetingStatus, TextSection
from agenda.operations import ReplaceItem
from agenda.records import VersionKind
from agenda.repository import WorkspaceRepository
from storage.workspace import open_workspace
from tests.factories import CET, case, item, meeting
from tests.test_repository_contract import EVALUATION, PDF, _item, _with_bilag, _with_case


@pytest.fixture(params=["memory", "sqlite"])
def repo(request, tmp_path):
    if request.param == "memory":
        ws: WorkspaceRepository = InMemoryWorkspace()
    else:
        ws = open_workspace(tmp_path / "w.kkrdb")
    with ws:
        yield ws


def test_a_draft_meeting_keeps_its_items_copies_and_its_edits_write_the_library(repo):
    """Every item holds its own copy of its case (schema v4): the library edited for the
    next meeting leaves a draft as it was; a draft's own edit writes the library."""
    draft = repo.save_meeting(meeting())
    before = _item(repo.meeting(draft.id), EVALUATION).case
    library = repo.case_by_reference(EVALUATION)
    repo.save_case(library.with_texts(resume="Skrevet om i sagsbiblioteket."))
    shown = _item(repo.meeting(draft.id), EVALUATION).case
    assert shown == before and shown.text(TextSection.RESUME) != "Skrevet om i sagsbiblioteket."
    # and saving the draft with an edited case writes the library
    edited = _with_case(draft, EVALUATION, replace(shown, title="Ny titel"))
    repo.save_meeting(replace(edited, version=repo.meeting(draft.id).version))
    assert repo.case_by_reference(EVALUATION).title == "Ny titel"
    assert _item(repo.meeting(draft.id), EVALUATION).case.title == "Ny titel"


def test_a_sent_meeting_keeps_its_record_and_its_edits_stay_in_it(repo):
    sent = repo.save_meeting(
        _with_bilag(
            repo,
            meeting(status=MeetingStatus.SENT),
            ("Rapport", PDF, False),
            ("Tilbud", PDF + b"% tilbud", True),
        )
    )
    before = repo.meeting(sent.id)
    # the case is edited for the next meeting: the bilag made public, the text rewritten
    library = repo.case_by_reference(EVALUATION)
    public = tuple(replace(a, confidential=False) for a in library.attachments)
    repo.save_case(replace(library.with_texts(resume="Ny tekst."), attachments=public))
    assert repo.meeting(sent.id) == before
    tilbud = _item(before, EVALUATION).case.attachments[1].sha256
    # the sent meeting's record still says confidential: a file confidential anywhere
    assert repo.confidential_sha256s([tilbud, "ab" * 32]) == {tilbud}
    # editing the sent meeting's item changes its record, not the library
    kept = _item(before, EVALUATION).case
    fixed = _with_case(before, EVALUATION, kept.with_texts(oekonomi="Rettet efter udsendelse."))
    repo.save_meeting(fixed)
    assert _item(repo.meeting(sent.id), EVALUATION).case.text(TextSection.OEKONOMI) == (
        "Rettet efter udsendelse."
    )
    assert repo.case_by_reference(EVALUATION).text(TextSection.RESUME) == "Ny tekst."
    assert repo.case_by_reference(EVALUATION).text(TextSection.OEKONOMI) == ""


def test_a_held_meeting_is_locked_but_for_its_minutes(repo):
    held = repo.save_meeting(meeting(status=MeetingStatus.HELD))
    kept = _item(held, EVALUATION).case
    fixed = _with_case(held, EVALUATION, kept.with_texts(oekonomi="Rettet efter mødet."))
    extra = item("Ny sag", case_=case("Ny sag", "24/05555", ItemKind.INFORMATION))
    sections = list(held.agenda.sections)
    sections[1] = replace(sections[1], items=(*sections[1].items, extra))
    grown = replace(held, agenda=replace(held.agenda, sections=tuple(sections)))
    for refused in (fixed, grown, replace(held, status=MeetingStatus.DRAFT)):
        with pytest.raises(RecordLockedError) as caught:
            repo.save_meeting(refused)
        assert "Intet er gemt." in caught.value.message
    assert repo.meeting(held.id) == held
    assert repo.case_by_reference("24/05555") is None
    # the minutes may change: a decision
    target = _item(held, EVALUATION)
    agenda, _ = ReplaceItem(replace(target, decision="Godkendt.")).apply(held.agenda)
    saved = repo.save_meeting(replace(held, agenda=agenda))
    assert _item(repo.meeting(held.id), EVALUATION).decision == "Godkendt."
    assert saved.version == held.version + 1


# -- records: sent versions and corrections ------------------------------------------------


def test_a_sent_version_keeps_the_meeting_and_its_files(repo):
    sent = repo.save_meeting(meeting(status=MeetingStatus.SENT))
    at = datetime(2024, 4, 9, 12, 30, tzinfo=CET)
    files = [("dagsorden.pdf", PDF), ("bilagspakke.pdf", PDF + b"% pakke"), ("kopi.pdf", PDF)]
    first = repo.record_sent_version(sent, VersionKind.AGENDA, at, "anne", "Udsendt", files)
    assert first.meeting_id == sent.id and first.kind is VersionKind.AGENDA
    assert first.at == at and first.at.utcoffset() == timedelta(0)
    assert (first.user, first.note, first.parent_id) == ("anne", "Udsendt", None)
    assert [(f.name, f.size) for f in first.files] == [(n, len(d)) for n, d in files]
    assert first.files[0].sha256 == first.files[2].sha256  # the same bytes, stored once
    assert repo.sent_version(first.id) == first
    assert repo.sent_meeting(first.id) == sent
    for name, data in files:
        assert repo.sent_file(first.id, name) == data
    # the meeting edited after sending: the version still has it as it was
    repo.save_meeting(replace(sent, title="Omdøbt efter udsendelse"))
    assert repo.sent_meeting(first.id).title == sent.title
    second = repo.record_sent_version(
        repo.meeting(sent.id), VersionKind.AGENDA, at, "bo", "Rettet", files[:1], first.id
    )
    assert second.parent_id == first.id
    assert repo.sent_versions(sent.id) == [first, second]
    assert repo.sent_versions(MeetingId(4711)) == []


def test_an_unknown_sent_version_or_file_is_not_found_in_danish(repo):
    sent = repo.save_meeting(meeting(status=MeetingStatus.SENT))
    at = datetime(2024, 4, 9, 12, 30, tzinfo=UTC)
    version = repo.record_sent_version(sent, VersionKind.AGENDA, at, "anne", "", [("a.pdf", PDF)])
    for call in (repo.sent_version, repo.sent_meeting):
        with pytest.raises(NotFoundError) as caught:
            call(4711)
        assert caught.value.message == (
            "Den udsendte version med id 4711 findes ikke i arbejdsområdet. "
            "Se listen over mødets udsendte versioner."
        )
    with pytest.raises(NotFoundError) as caught:
        repo.sent_file(version.id, "b.pdf")
    assert caught.value.message == (
        f"Den udsendte version {version.id} har ingen fil med navnet »b.pdf«."
    )
    with pytest.raises(ValueError):  # a record's time is never local and unsaid
        repo.record_sent_version(sent, VersionKind.AGENDA, datetime(2024, 4, 9), "a", "", [])


def test_corrections_are_added_beside_approved_minutes(repo):
    approved = repo.save_meeting(meeting(status=MeetingStatus.MINUTES_APPROVED))
    target = _item(approved, EVALUATION)
    whole = Correction(datetime(2024, 5, 1, 9, tzinfo=UTC), "anne", "Ole deltog fra kl. 11.")
    on_item = Correction(datetime(2024, 5, 2, 9, tzinfo=UTC), "bo", "2 mio. kr.", target.id)
    assert repo.add_correction(approved.id, whole).corrections == (whole,)
    corrected = repo.add_correction(approved.id, on_item)
    assert corrected.corrections == (whole, on_item)
    assert repo.meeting(approved.id).corrections == (whole, on_item)
    # the minutes themselves stay locked
    with pytest.raises(RecordLockedError):
        repo.save_meeting(replace(corrected, title="Ændret"))
    with pytest.raises(NotFoundError):
        repo.add_correction(MeetingId(4711), whole)
    assert repo.meeting(approved.id).corrections == (whole, on_item)
