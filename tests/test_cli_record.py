"""The meeting as a record on the command line (issue 14): ``send``, ``versions``,
``changes``, the tillæg outputs of ``export``, ``approve-minutes`` and ``correct``, run
as the user runs them against a small workspace whose bilag are real PDFs."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from agenda.item_content import item_attachments, with_attachments, with_text
from agenda.model import AgendaItem, ItemKind, Meeting, MeetingStatus, TextSection
from agenda.records import VersionKind
from storage.workspace import open_workspace
from tests.factories import attachment
from tests.pack_samples import pdf_pages
from tests.test_cli import refused, run
from tests.test_records import _pdf_meeting

# runs the command line end to end: the full run (CI), not the fast loop
pytestmark = pytest.mark.slow

#: the words of the closed item and the confidential bilag: never in a public file
CLOSED_WORDS = ("Zanzibarsen", "Quokkavej", "Ravnekilde", "Hemmeligtillæg")


def _pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def workspace(tmp_path: Path) -> tuple[Path, int, int]:
    """A draft meeting (open item with a public and a confidential bilag, a closed item)
    and a held one."""
    path = tmp_path / "w.kkrdb"
    with open_workspace(path) as ws:
        draft = _pdf_meeting(ws)
        held = _pdf_meeting(ws, status=MeetingStatus.HELD)
        ws.save_meeting(_passing_the_check(draft))
    return path, draft.id, held.id


def _passing_the_check(meeting: Meeting) -> Meeting:
    """The fixture without the check's errors, so the public edition may be made: the
    approval item is one, the closed item has its Indstilling."""

    def fixed(item: AgendaItem) -> AgendaItem:
        if item.case is None:
            return replace(item, kind=ItemKind.APPROVAL)
        if item.closed:
            return with_text(
                item, TextSection.INDSTILLING, "Det indstilles, at Zanzibarsen ansættes."
            )
        return item

    return _with_items(meeting, fixed)


def _with_items(meeting: Meeting, change: Callable[[AgendaItem], AgendaItem]) -> Meeting:
    sections = tuple(
        replace(s, items=tuple(change(i) for i in s.items)) for s in meeting.agenda.sections
    )
    return replace(meeting, agenda=replace(meeting.agenda, sections=sections))


def _edit_after_sending(path: Path, meeting_id: int) -> None:
    """Through the repository, as the window does: the open item's Indstilling changed,
    its report replaced by a new file, a bilag added; the closed item given a bilag."""
    with open_workspace(path) as ws:
        meeting = ws.meeting(meeting_id)
        evaluation, closed = (i for i in meeting.agenda.items() if i.case is not None)
        report, offer = item_attachments(evaluation)
        new_report = pdf_pages(["Evalueringsrapport revideret"])
        plan = pdf_pages(["Tidsplan for klyngekontorerne"])
        secret = pdf_pages(["Hemmeligtillæg om kandidaten"])
        for data in (new_report, plan, secret):
            ws.store_blob(data)
        evaluation = with_text(
            evaluation, TextSection.INDSTILLING, "Det indstilles, at KKR godkender planen."
        )
        evaluation = with_attachments(
            evaluation,
            (
                replace(attachment("Evalueringsrapport", new_report, "rapport2.pdf"), id=report.id),
                offer,
                attachment("Tidsplan", plan, "tidsplan.pdf"),
            ),
        )
        closed = with_attachments(
            closed,
            (*item_attachments(closed), attachment("Hemmeligtillæg", secret, "hemmelig.pdf")),
        )
        edited = {evaluation.id: evaluation, closed.id: closed}
        ws.save_meeting(_with_items(meeting, lambda i: edited.get(i.id, i)))


def test_send_versions_write_changes_and_the_tillaeg(workspace, tmp_path):
    path, draft, _ = workspace
    ws_args = ("--workspace", path)
    assert run("changes", "--meeting", draft, *ws_args).stdout == "Mødet er ikke udsendt endnu.\n"
    assert "ikke udsendt endnu" in run("versions", "--meeting", draft, *ws_args).stdout

    sent = run("send", "--meeting", draft, "--note", "Til medlemmerne", *ws_args).stdout
    assert sent.startswith("Mødet er udsendt: version 1, ")
    assert "Note: Til medlemmerne" in sent
    assert "  Dagsorden " in sent and "(offentlig).pdf" in sent and "meeting.json" in sent

    with open_workspace(path) as ws:
        (version,) = ws.sent_versions(draft)
        stored = {f.name: ws.sent_file(version.id, f.name) for f in version.files}
    assert version.kind is VersionKind.AGENDA and version.note == "Til medlemmerne"
    listed = run("versions", "--meeting", draft, *ws_args).stdout.splitlines()
    assert listed[0].split() == ["Version", "Art", "Tidspunkt", "Af", "Filer", "Note"]
    assert listed[1].split()[:2] == ["1", "Dagsorden"]
    assert f"  {len(stored)}  " in listed[1] and listed[1].endswith("Til medlemmerne")

    out = tmp_path / "version1"
    written = run("versions", "--meeting", draft, "--write", 1, "--out", out, *ws_args).stdout
    assert len(written.splitlines()) == len(stored)
    for name, data in stored.items():
        assert (out / name).read_bytes() == data, name

    unchanged = run("changes", "--meeting", draft, *ws_args).stdout
    assert unchanged.startswith("Intet er ændret siden udsendelsen ")
    assert unchanged.rstrip().endswith("(version 1).")

    _edit_after_sending(path, draft)
    lines = run("changes", "--meeting", draft, *ws_args).stdout.splitlines()
    assert lines[0].startswith("4 ændringer siden udsendelsen ")
    assert sorted(line.strip() for line in lines[1:]) == [
        "Punkt 2.1: Bilag 1 erstattet",
        "Punkt 2.1: Bilag 3 tilføjet",
        "Punkt 2.1: Indstilling",
        "Punkt 2.2: Bilag 2 tilføjet",
    ]

    what = "supplement-agenda-pdf,supplement-pack"
    texts = {}
    for public in (True, False):
        folder = tmp_path / ("offentlig" if public else "komplet")
        flag = ("--public",) if public else ()
        proc = run("export", "--meeting", draft, "--what", what, "--out", folder, *flag, *ws_args)
        files = [Path(p) for p in proc.stdout.splitlines()]
        assert [p.name.split(" KKR")[0] for p in files] == ["Tillægsdagsorden", "Tillægsbilag"]
        texts[public] = [_pdf_text(p) for p in files]
    for public, (agenda, pack) in texts.items():
        assert "Tillægsdagsorden" in agenda
        # the public edition numbers its bilag without the confidential one
        added = "Bilag 2 tilføjet" if public else "Bilag 3 tilføjet"
        assert f"Ændret: Indstilling, Bilag 1 erstattet, {added}" in agenda
        assert "Det indstilles, at KKR godkender planen." in agenda
        assert "Erstatter bilag udsendt" in pack and "Nyt bilag" in pack
        assert "Evalueringsrapport revideret" in pack and "Tidsplan for klyngekontorerne" in pack
    public_text = "\n".join(texts[True])
    assert not [w for w in CLOSED_WORDS if w in public_text]
    # the complete edition holds the closed item's new bilag: the check above can fail
    assert "Hemmeligtillæg om kandidaten" in texts[False][1]

    again = run("send", "--meeting", draft, "--note", "Tillæg", *ws_args).stdout
    assert again.startswith("Mødet er udsendt: version 2, ")
    second = run("versions", "--meeting", draft, *ws_args).stdout.splitlines()[2]
    assert second.endswith("Tillæg (tillæg til version 1)")
    assert "Intet er ændret" in run("changes", "--meeting", draft, *ws_args).stdout


def test_a_held_meeting_is_not_sent_and_nothing_is_saved(workspace):
    path, _, held = workspace
    message = refused("send", "--meeting", held, "--note", "x", "--workspace", path)
    assert "er afholdt, så dagsordenen kan ikke udsendes igen. Intet er gemt." in message
    with open_workspace(path) as ws:
        assert ws.sent_versions(held) == []
        assert ws.meeting(held).status is MeetingStatus.HELD


def test_the_tillaeg_of_a_meeting_never_sent_is_refused_in_danish(workspace, tmp_path):
    path, draft, _ = workspace
    out = tmp_path / "out"
    message = refused(
        "export", "--meeting", draft, "--what", "supplement-pack", "--out", out,
        "--workspace", path,
    )  # fmt: skip
    assert "Mødet er ikke udsendt endnu" in message
    assert not out.exists() or not any(out.iterdir())


def test_versions_refuses_an_unknown_version_and_half_of_write(workspace, tmp_path):
    path, draft, _ = workspace
    message = refused(
        "versions", "--meeting", draft, "--write", 7, "--out", tmp_path, "--workspace", path
    )
    assert "har ingen version 7" in message
    half = run("versions", "--meeting", draft, "--write", 7, "--workspace", path, code=2)
    assert "--write VERSION og --out MAPPE bruges sammen" in half.stderr


@pytest.mark.slow  # the public minutes go through the office suite
def test_approve_minutes_then_a_correction_under_an_item(workspace, tmp_path):
    path, _, held = workspace
    ws_args = ("--workspace", path)
    before = refused("correct", "--meeting", held, "--text", "Rettet stavefejl", *ws_args)
    assert "ikke godkendt endnu" in before

    approved = run(
        "approve-minutes", "--meeting", held, "--note", "Godkendt af formanden", *ws_args
    ).stdout
    assert approved.startswith("Referatet er godkendt: version 1, ")
    assert "Note: Godkendt af formanden" in approved and "Referat " in approved
    again = run("approve-minutes", "--meeting", held, *ws_args, code=1)
    assert "kan kun godkendes, når mødet er afholdt" in again.stderr
    listed = run("versions", "--meeting", held, *ws_args).stdout.splitlines()
    assert listed[1].split()[:2] == ["1", "Referat"]

    assert "Mødet har intet punkt 9.9" in refused(
        "correct", "--meeting", held, "--item", "9.9", "--text", "x", *ws_args
    )
    done = run(
        "correct", "--meeting", held, "--item", "2.1", "--text", "Rettet stavefejl", *ws_args
    )
    assert done.stdout == "Rettelsen er tilføjet til punkt 2.1.\n"
    with open_workspace(path) as ws:
        (correction,) = ws.meeting(held).corrections
    assert correction.text == "Rettet stavefejl" and correction.item_id is not None
    out = tmp_path / "referat"
    run("export", "--meeting", held, "--what", "minutes-pdf", "--out", out, *ws_args)
    (minutes,) = out.glob("*.pdf")
    assert "Rettet stavefejl" in _pdf_text(minutes)


def test_the_record_commands_never_create_a_workspace(tmp_path):
    path = tmp_path / "findes-ikke.kkrdb"
    for args in (
        ("send", "--meeting", 1, "--note", "x"),
        ("versions", "--meeting", 1),
        ("changes", "--meeting", 1),
        ("approve-minutes", "--meeting", 1),
        ("correct", "--meeting", 1, "--text", "x"),
    ):
        assert "findes ikke" in refused(*args, "--workspace", path)
    assert not path.exists()
