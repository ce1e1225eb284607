"""Property tests of the record: whatever is edited on other meetings and in the case
library, a sent or held meeting and its sent versions stay as they were; a sent version's
files come back byte for byte."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agenda.memory import InMemoryWorkspace
from agenda.model import AttachmentId, MeetingStatus, new_uuid
from agenda.operations import AddItem, ReplaceItem
from app.records import pull_case_text, send_meeting, write_sent_files
from storage.workspace import open_workspace
from tests.factories import CET, attachment, document_meeting, item
from tests.hypothesis_budget import examples

WHEN = datetime(2024, 4, 9, 10, 0, tzinfo=CET)


def clock() -> datetime:
    return WHEN


def fake_files(contents: list[bytes]):  # type: ignore[no-untyped-def]
    """A stand-in for the export: writes the given bytes (deterministic per meeting)."""

    def write(repo, meeting, folder: Path, task):  # type: ignore[no-untyped-def]
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for n, data in enumerate(contents):
            path = folder / ("udveksling" if n % 2 else "") / f"fil {n} æøå.bin"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data + meeting.title.encode())
            written.append(path)
        return written, []

    return write


def _store(ws, meeting) -> None:  # type: ignore[no-untyped-def]
    for i in meeting.agenda.items():
        for a in i.attachments:
            ws.store_blob(a.file_name.rsplit(".", 1)[0].encode())


EDITS = st.lists(
    st.tuples(
        st.sampled_from(["library", "draft-text", "draft-bilag", "draft-add", "pull", "new"]),
        st.sampled_from(["24/04521", "24/01234", "24/09999"]),
        st.text("abcæøå .,\n", min_size=1, max_size=12),
        st.booleans(),
    ),
    max_size=12,
)


def _apply(ws, drafts: list, step) -> None:  # type: ignore[no-untyped-def]
    kind, reference, text, flag = step
    if kind == "library":
        case = ws.case_by_reference(reference)
        bilag = tuple(replace(a, confidential=flag) for a in case.attachments)
        ws.save_case(replace(case.with_texts(resume=text), title=text, attachments=bilag))
        return
    if kind == "new":
        later = replace(
            document_meeting(),
            status=MeetingStatus.DRAFT,
            start=WHEN + timedelta(days=30 * (len(drafts) + 1)),
        )
        drafts.append(ws.save_meeting(later).id)
        return
    if not drafts:
        return
    meeting = ws.meeting(drafts[-1 if flag else 0])
    target = next(
        (i for i in meeting.agenda.items() if i.case and i.case.reference == reference), None
    )
    if target is None:
        return
    if kind == "pull":
        pull_case_text(ws, meeting.id, target.id)
        return
    if kind == "draft-add":
        new = item(text, case_=ws.case_by_reference(reference), closed=flag)
        agenda, _ = AddItem(new, 1, 0).apply(meeting.agenda)
    elif kind == "draft-bilag":
        extra = attachment(text, b"rapport", "rapport.pdf", confidential=not flag)
        extra = replace(extra, id=AttachmentId(new_uuid()))
        case = replace(target.case, attachments=(*target.case.attachments, extra))
        agenda, _ = ReplaceItem(replace(target, case=case)).apply(meeting.agenda)
    else:
        case = target.case.with_texts(indstilling=text, oekonomi=text)
        agenda, _ = ReplaceItem(replace(target, case=case, closed=flag)).apply(meeting.agenda)
    ws.save_meeting(replace(meeting, agenda=agenda))


@settings(
    max_examples=examples(30),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(EDITS, st.sampled_from(["sqlite", "memory"]))
def test_edits_elsewhere_never_change_a_sent_or_held_meeting(steps, kind):
    with tempfile.TemporaryDirectory() as tmp:
        ws = open_workspace(Path(tmp) / "w.kkrdb") if kind == "sqlite" else InMemoryWorkspace()
        try:
            held = document_meeting(held=True)
            _store(ws, held)
            held = ws.save_meeting(held)
            sent = ws.save_meeting(
                replace(
                    document_meeting(),
                    status=MeetingStatus.DRAFT,
                    start=WHEN - timedelta(days=3),
                )
            )
            version = send_meeting(
                ws, sent.id, "Til medlemmerne", "anne", clock, files=fake_files([b"a", b"b"])
            ).version
            frozen = {f.name: ws.sent_file(version.id, f.name) for f in version.files}
            before = {m: ws.meeting(m) for m in (held.id, sent.id)}
            sent_meeting = ws.sent_meeting(version.id)
            drafts: list = []
            for step in steps:
                _apply(ws, drafts, step)
            assert {m: ws.meeting(m) for m in (held.id, sent.id)} == before
            assert ws.sent_meeting(version.id) == sent_meeting
            assert {f.name: ws.sent_file(version.id, f.name) for f in version.files} == frozen
        finally:
            if kind == "sqlite":
                ws.close()


@settings(
    max_examples=examples(25),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.lists(st.binary(max_size=300), min_size=1, max_size=5), st.booleans())
def test_a_sent_version_is_written_again_byte_for_byte(contents, twice):
    with tempfile.TemporaryDirectory() as tmp:
        written: dict[str, bytes] = {}
        inner = fake_files(contents)

        def spy(repo, meeting, folder, task):  # type: ignore[no-untyped-def]
            paths, problems = inner(repo, meeting, folder, task)
            written.update({p.relative_to(folder).as_posix(): p.read_bytes() for p in paths})
            return paths, problems

        with open_workspace(Path(tmp) / "w.kkrdb") as ws:
            meeting = replace(document_meeting(), status=MeetingStatus.DRAFT)
            _store(ws, meeting)
            meeting = ws.save_meeting(meeting)
            version = send_meeting(ws, meeting.id, "", "anne", clock, files=spy).version
            if twice:  # a later send does not disturb the earlier version's files
                send_meeting(ws, meeting.id, "igen", "anne", clock, files=fake_files([b"x"]))
            out = Path(tmp) / "ud"
            paths = write_sent_files(ws, version.id, out)
            again = {p.relative_to(out).as_posix(): p.read_bytes() for p in paths}
        assert again == written
        assert [f.name for f in version.files] == list(written)
