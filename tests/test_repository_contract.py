"""The repository contract (agenda/repository.py): every test runs against the in-memory
fake and the SQLite workspace, so domain tests on the fake say something about the app.

What each method promises is observed here: round trips of bodies, cases, meetings,
blobs, texts, conversions and events; the errors and their Danish words; transactions;
search basics. The meeting as a record (items' own copies, locking, sent versions,
corrections) is in tests/test_repository_records.py, on the same two repositories.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from agenda.errors import NotFoundError, StaleEditError, WorkspaceError
from agenda.memory import InMemoryWorkspace
from agenda.model import CaseId, MeetingId, MeetingStatus, TextSection
from agenda.operations import MoveItem, ReplaceItem
from agenda.repository import ConversionKey, Event, WorkspaceRepository
from storage.workspace import open_workspace
from tests.factories import CET, attachment, body, case, item, meeting

PDF = b"%PDF-1.4\n% a small stand-in\n"
EVALUATION = "24/04521"


@pytest.fixture(params=["memory", "sqlite"])
def repo(request, tmp_path):
    if request.param == "memory":
        ws: WorkspaceRepository = InMemoryWorkspace()
    else:
        ws = open_workspace(tmp_path / "w.kkrdb")
    with ws:
        yield ws


def _item(m, reference):
    return next(i for i in m.agenda.items() if i.case and i.case.reference == reference)


def _with_case(m, reference, new_case):
    """``m`` with the item of case ``reference`` carrying ``new_case``."""
    target = _item(m, reference)
    agenda, _ = ReplaceItem(replace(target, case=new_case)).apply(m.agenda)
    return replace(m, agenda=agenda)


def _with_bilag(repo, m, *bilag):
    """``m`` with ``bilag`` (title, bytes, confidential) on the evaluation case, stored."""
    files = []
    for title, data, confidential in bilag:
        repo.store_blob(data)
        files.append(attachment(title, data, f"{title}.pdf", confidential=confidential))
    target = _item(m, EVALUATION).case
    return _with_case(m, EVALUATION, replace(target, attachments=tuple(files)))


# -- lifecycle and transactions -----------------------------------------------------------


def test_it_is_its_own_context_manager(tmp_path):
    for ws in (InMemoryWorkspace(), open_workspace(tmp_path / "w.kkrdb")):
        with ws as same:
            assert same is ws
            same.store_blob(b"x")


def test_a_failed_action_rolls_back_everything_it_did(repo):
    kept = repo.save_meeting(meeting(title="Første møde"))
    with pytest.raises(RuntimeError), repo.transaction():
        sha = repo.store_blob(b"bilag der ikke skal gemmes")
        with repo.transaction():  # nested: joins the outer one
            repo.save_meeting(meeting(title="Andet møde", start=datetime(2024, 5, 1, tzinfo=CET)))
        repo.save_meeting(replace(kept, title="Omdøbt"))
        repo.save_case(case("Løs sag", "24/07777"))
        repo.set_attachment_text(sha, "tekst")
        repo.store_converted(ConversionKey(sha, "libreoffice", "7.4"), PDF)
        repo.record_event("public-export-override", kept.id, {"user": "mh"})
        raise RuntimeError("afbrudt")
    assert [m.title for m in repo.meetings()] == ["Første møde"]
    assert repo.meeting(kept.id) == kept
    with pytest.raises(NotFoundError):
        repo.blob(sha)
    assert repo.case_by_reference("24/07777") is None
    assert repo.attachment_text(sha) is None
    assert repo.converted(ConversionKey(sha, "libreoffice", "7.4")) is None
    assert repo.events() == []


def test_a_nested_transaction_commits_with_the_outer_one(repo):
    with repo.transaction():
        with repo.transaction():
            repo.save_meeting(meeting(title="Indre"))
        repo.save_meeting(meeting(title="Ydre", start=datetime(2024, 5, 1, tzinfo=CET)))
    assert [m.title for m in repo.meetings()] == ["Indre", "Ydre"]
    with pytest.raises(RuntimeError), repo.transaction():
        with repo.transaction():
            repo.save_meeting(meeting(title="Rulles tilbage"))
        raise RuntimeError
    assert [m.title for m in repo.meetings()] == ["Indre", "Ydre"]


# -- bodies -------------------------------------------------------------------------------


def test_a_body_is_saved_once_by_its_name_and_listed_by_name(repo):
    first = repo.save_body(body())
    assert first.id is not None
    again = repo.save_body(replace(body(), default_place="Roskilde"))
    assert again.id == first.id
    other = repo.save_body(replace(body(), name="KKR Hovedstaden"))
    assert [b.name for b in repo.bodies()] == ["KKR Hovedstaden", "KKR Sjælland"]
    assert {b.id: b.default_place for b in repo.bodies()}[first.id] == "Roskilde"
    assert other.id != first.id


# -- cases --------------------------------------------------------------------------------


def test_a_case_comes_back_as_saved_also_by_its_case_number(repo):
    data = b"%PDF-1.4 rapport"
    repo.store_blob(data)
    saved = repo.save_case(
        case("Kollektiv trafik", "24/00001", attachments=(attachment("Rapport", data, "r.pdf"),))
    )
    assert saved.id is not None
    assert repo.case(saved.id) == saved
    assert repo.case_by_reference("24/00001") == saved
    assert repo.case_by_reference("24/99999") is None
    assert repo.case_by_reference("") is None
    # saved again without its id, the case number names the case: it is updated, not doubled
    again = repo.save_case(case("Kollektiv trafik, ny titel", "24/00001"))
    assert again.id == saved.id and repo.case(saved.id).title == "Kollektiv trafik, ny titel"


def test_an_unknown_case_is_not_found_in_danish(repo):
    with pytest.raises(NotFoundError) as caught:
        repo.case(CaseId(4711))
    assert caught.value.message == "Sagen med id 4711 findes ikke i arbejdsområdet."


def test_a_case_number_already_in_use_is_a_danish_error(repo):
    first = repo.save_case(case("Kollektiv trafik", "24/00001"))
    second = repo.save_case(case("Klimasikring", "24/00002"))
    with pytest.raises(WorkspaceError, match="24/00001 bruges allerede") as caught:
        repo.save_case(replace(second, reference="24/00001", title="Klimasikring 2"))
    assert caught.value.message == (
        "Sagsnummeret 24/00001 bruges allerede af sagen »Kollektiv trafik«. "
        "Ret sagsnummeret, eller brug den eksisterende sag."
    )
    assert repo.case(second.id) == second and repo.case(first.id) == first
    # the same number on the case that has it is of course fine
    assert repo.save_case(replace(first, title="Kollektiv trafik 2")).id == first.id


def test_a_bilag_without_its_file_is_refused_and_nothing_is_saved(repo):
    missing = attachment("Tilbud", b"never stored", "tilbud.pdf")
    with pytest.raises(NotFoundError) as caught:
        repo.save_case(case("Klimasikring", "24/00002", attachments=(missing,)))
    assert caught.value.message == (
        "Bilaget »Tilbud« (tilbud.pdf) har ingen fil i arbejdsområdet. Tilføj filen igen."
    )
    assert repo.case_by_reference("24/00002") is None
    # through a meeting the same: nothing of the meeting is saved either
    m = _with_case(meeting(), EVALUATION, case("Evaluering", EVALUATION, attachments=(missing,)))
    with pytest.raises(NotFoundError, match="har ingen fil"):
        repo.save_meeting(m)
    assert repo.meetings() == [] and repo.case_by_reference(EVALUATION) is None


def test_case_uses_are_every_item_with_the_case_by_meeting_start(repo):
    april = repo.save_meeting(meeting())
    evaluation = _item(april, EVALUATION).case
    secret = item("Evaluering, fortroligt", case_=evaluation, closed=True)
    may = repo.save_meeting(
        meeting(
            [("Sager", [secret])], title="Maj-mødet", start=datetime(2024, 5, 14, 10, tzinfo=CET)
        )
    )
    march = repo.save_meeting(
        meeting(title="Marts-mødet", start=datetime(2024, 3, 12, 10, tzinfo=CET))
    )
    uses = repo.case_uses([evaluation.id])
    assert [(u.meeting_id, u.title, u.closed) for u in uses] == [
        (march.id, "Marts-mødet", False),
        (april.id, "Møde i KKR Sjælland", False),
        (may.id, "Maj-mødet", True),
    ]
    assert {u.case_id for u in uses} == {evaluation.id}
    assert uses[0].start == datetime(2024, 3, 12, 10, tzinfo=CET)
    assert uses[0].status is MeetingStatus.DRAFT
    assert repo.case_uses([]) == []


# -- blobs, texts, conversions ------------------------------------------------------------


def test_a_blob_is_stored_once_by_its_sha256(repo):
    import hashlib

    sha = repo.store_blob(PDF)
    assert sha == hashlib.sha256(PDF).hexdigest()
    assert repo.store_blob(PDF) == sha
    assert repo.blob(sha) == PDF


def test_an_unknown_blob_is_not_found_in_danish(repo):
    with pytest.raises(NotFoundError) as caught:
        repo.blob("ab" * 32)
    assert caught.value.message == "Bilagsfilen abababababab… findes ikke i arbejdsområdet."


def test_attachment_text_round_trip(repo):
    sha = repo.store_blob(PDF)
    assert repo.attachment_text(sha) is None
    repo.set_attachment_text(sha, "Første udgave")
    repo.set_attachment_text(sha, "Anden udgave")
    assert repo.attachment_text(sha) == "Anden udgave"


def test_unindexed_pdfs_are_the_pdf_bilag_without_text(repo):
    junk_first = b"\x00\x01junk" + PDF  # viewers accept a little junk before it
    read = PDF + b"% read already"
    files = {
        "rapport.pdf": PDF,
        "skannet.PDF": junk_first,
        "læst.pdf": read,
        "notat.docx": b"PK\x03\x04 a docx",
        "falsk.pdf": b"PK\x03\x04 not a pdf at all",
        "ikke-bilag.pdf": None,  # stored, but no case has it: not a bilag
    }
    with repo.transaction():
        for data in files.values():
            repo.store_blob(data or PDF + b"% loose")
        repo.set_attachment_text(repo.store_blob(read), "læst")
        bilag = tuple(attachment(n, d, n) for n, d in files.items() if d is not None)
        m = meeting()
        target = m.agenda.items()[2]
        agenda, _ = ReplaceItem(
            replace(target, case=replace(target.case, attachments=bilag))
        ).apply(m.agenda)
        repo.save_meeting(replace(m, agenda=agenda))
    sha = {d: a.sha256 for a, d in zip(bilag, [d for d in files.values() if d], strict=True)}
    assert repo.unindexed_pdfs(10) == {sha[PDF]: PDF, sha[junk_first]: junk_first}
    assert len(repo.unindexed_pdfs(1)) == 1


def test_conversion_cache_round_trip(repo):
    key = ConversionKey("ab" * 32, "libreoffice", "7.4")
    assert repo.converted(key) is None
    repo.store_converted(key, PDF)
    assert repo.converted(key) == PDF
    assert repo.converted(replace(key, converter_version="7.5")) is None
    repo.store_converted(key, PDF + b"% again")
    assert repo.converted(key) == PDF + b"% again"


# -- meetings -----------------------------------------------------------------------------


def test_a_meeting_comes_back_as_saved_with_its_cases_and_bilag(repo):
    saved = repo.save_meeting(_with_bilag(repo, meeting(), ("Rapport", PDF, False)))
    assert saved.id is not None and saved.body.id is not None
    assert saved.version == 1
    back = repo.meeting(saved.id)
    assert back == saved
    evaluation = _item(back, EVALUATION).case
    assert evaluation.id is not None and repo.case(evaluation.id) == evaluation
    assert [a.title for a in evaluation.attachments] == ["Rapport"]
    assert repo.blob(evaluation.attachments[0].sha256) == PDF
    assert (
        evaluation.text(TextSection.RESUME) == "Resumé af evaluering af regionale klyngekontorer."
    )
    [summary] = repo.meetings()
    assert (summary.id, summary.item_count, summary.body_name, summary.title) == (
        saved.id,
        5,
        "KKR Sjælland",
        "Møde i KKR Sjælland",
    )
    assert summary.status is MeetingStatus.DRAFT and summary.start == saved.start


def test_meetings_are_listed_by_start_and_deleted(repo):
    later = repo.save_meeting(meeting(title="Senere", start=datetime(2024, 9, 1, 10, tzinfo=CET)))
    first = repo.save_meeting(meeting(title="Først"))
    assert [s.id for s in repo.meetings()] == [first.id, later.id]
    repo.delete_meeting(later.id)
    assert [s.id for s in repo.meetings()] == [first.id]
    with pytest.raises(NotFoundError):
        repo.meeting(later.id)
    # its cases stay in the library
    assert repo.case_by_reference(EVALUATION) is not None


def test_an_unknown_meeting_is_not_found_in_danish(repo):
    with pytest.raises(NotFoundError) as caught:
        repo.meeting(MeetingId(4711))
    assert caught.value.message == (
        "Mødet med id 4711 findes ikke i arbejdsområdet. "
        "Se listen over møder (kommandoen »meetings«)."
    )


def test_a_save_from_a_stale_copy_is_refused_and_overwrites_nothing(repo):
    saved = repo.save_meeting(meeting())
    mine = repo.meeting(saved.id)
    theirs = repo.meeting(saved.id)
    moved, _ = MoveItem(mine.agenda.items()[-1].id, 0, 0).apply(mine.agenda)
    assert repo.save_meeting(replace(mine, agenda=moved)).version == saved.version + 1
    with pytest.raises(StaleEditError) as caught:
        repo.save_meeting(replace(theirs, title="Overskrevet?"))
    assert caught.value.message == (
        "Punktet er ændret et andet sted – genindlæs mødet, og lav din ændring igen. "
        "Intet er overskrevet."
    )
    now = repo.meeting(saved.id)
    assert now.title == "Møde i KKR Sjælland" and now.agenda.items()[0].title == "Eventuelt"


# -- search -------------------------------------------------------------------------------


def test_search_finds_by_title_text_bilag_text_and_case_number(repo):
    data = PDF + b"% rapport"
    m = _with_bilag(repo, meeting(), ("Rapport", data, False))
    repo.save_meeting(m)
    sha = _item(m, EVALUATION).case.attachments[0].sha256
    repo.set_attachment_text(sha, "Praktikpladser i Region Sjælland")

    def found(query):
        return [h.reference for h in repo.search_cases(query)]

    assert found("klyngekontorer") == [EVALUATION]  # title
    assert found("sundhedsaftalen") == ["24/01234"]  # title of the other case
    assert found("praktikpladser") == [EVALUATION]  # the bilag's text
    assert found(EVALUATION)[0] == EVALUATION  # its own number first
    assert found("24/045")[0] == EVALUATION  # the start of a number
    assert found("klynge*") == [EVALUATION]  # a prefix
    assert found("klynge") == []  # a word is a whole word
    assert found("klyngekontorer sundhedsaftalen") == []  # words are and-ed
    assert found("pingvin") == [] and found("") == []
    assert sorted(found("drøftet")) == ["24/01234", EVALUATION]  # the shared background
    assert len(repo.search_cases("drøftet", limit=1)) == 1
    hit = repo.search_cases("klyngekontorer")[0]
    assert hit.title == "Evaluering af regionale klyngekontorer" and isinstance(hit.snippet, str)
    assert hit.case_id == repo.case_by_reference(EVALUATION).id


# -- events -------------------------------------------------------------------------------


def test_events_are_recorded_in_order_with_their_time_and_payload(repo):
    first = repo.save_meeting(meeting())
    second = repo.save_meeting(meeting(title="Andet", start=datetime(2024, 5, 1, tzinfo=CET)))
    before = datetime.now(UTC).replace(microsecond=0)
    repo.record_event("public-export-override", first.id, {"user": "mh", "errors": ("cpr",)})
    repo.record_event("public-export-override", second.id, {"user": "øh"})
    repo.record_event("note", None, {})
    after = datetime.now(UTC)
    every = repo.events()
    assert [(e.kind, e.meeting_id) for e in every] == [
        ("public-export-override", first.id),
        ("public-export-override", second.id),
        ("note", None),
    ]
    # stored as JSON: a tuple comes back a list
    assert every[0].payload == {"user": "mh", "errors": ["cpr"]}
    assert every[1].payload == {"user": "øh"} and every[2].payload == {}
    assert all(before <= e.at <= after and e.at.microsecond == 0 for e in every)
    assert every[0].at.utcoffset() == timedelta(0)
    assert repo.events(second.id) == [every[1]]
    assert repo.events(MeetingId(4711)) == []
    assert isinstance(every[0], Event)
