"""The window's controller without the window: one session per meeting, the shown
one's undo stack active, signals only for what the window shows."""

from __future__ import annotations

from dataclasses import replace

from agenda.operations import SetClosed, UpdateMeeting
from gui.window_controller import WindowController
from tests import factories
from tests.gui.conftest import close_test_workspace, open_test_workspace, sample_meeting


def _record(signal) -> list:  # type: ignore[no-untyped-def]
    seen: list = []
    signal.connect(seen.append)
    return seen


def _two_meetings(workspace):  # type: ignore[no-untyped-def]
    first = sample_meeting(workspace)
    with workspace.transaction():
        second = workspace.save_meeting(replace(factories.meeting(), title="Andet møde"))
    return first, second


def test_one_session_per_meeting_and_the_shown_ones_stack_is_active(
    qapp, workspace, workspace_path
):
    first, second = _two_meetings(workspace)
    controller = WindowController(workspace, workspace_path)
    one = controller.open_meeting(first.id)
    two = controller.open_meeting(second.id)
    assert controller.session is two and controller.undo_group.activeStack() is two.undo_stack
    assert controller.open_meeting(first.id) is one  # kept, with its undo history
    assert controller.undo_group.activeStack() is one.undo_stack
    assert set(controller.sessions) == {first.id, second.id}
    controller.close_meeting()
    assert controller.session is None


def test_only_the_shown_meetings_changes_are_signalled(qapp, workspace, workspace_path):
    first, second = _two_meetings(workspace)
    controller = WindowController(workspace, workspace_path)
    changed = _record(controller.meeting_changed)
    hidden = controller.open_meeting(second.id)
    shown = controller.open_meeting(first.id)
    item = shown.meeting.agenda.items()[2]
    shown.execute(SetClosed(item.id, True), "Luk punkt")
    assert [m.agenda.item(item.id).closed for m in changed] == [True]
    hidden.execute(UpdateMeeting.of(title="Ændret i baggrunden"), "Redigér møde")
    assert len(changed) == 1  # the meeting not shown saved, but the window shows the other
    assert workspace.meeting(second.id).title == "Ændret i baggrunden"


def test_another_workspace_drops_every_session_and_its_undo_history(
    qapp, workspace, workspace_path, tmp_path
):
    first, _second = _two_meetings(workspace)
    controller = WindowController(workspace, workspace_path)
    session = controller.open_meeting(first.id)
    session.execute(UpdateMeeting.of(title="Nyt navn"), "Redigér møde")
    switched: list[str] = []
    controller.workspace_changed.connect(lambda: switched.append("skiftet"))
    other_path = tmp_path / "andet.kkrdb"
    other = open_test_workspace(other_path)
    try:
        controller.set_workspace(other, other_path, demo=True)
        assert switched == ["skiftet"]
        assert controller.workspace is other and controller.workspace_path == other_path
        assert controller.demo and controller.session is None and controller.sessions == {}
        assert controller.undo_group.stacks() == [] and not controller.undo_group.canUndo()
    finally:
        close_test_workspace(other)


def test_meetings_created_and_deleted_are_signalled_with_the_one_to_show(
    qapp, workspace, workspace_path
):
    first, second = _two_meetings(workspace)
    controller = WindowController(workspace, workspace_path)
    listed = _record(controller.meetings_changed)
    made = controller.create_meeting(replace(factories.meeting(), title="Tredje møde"))
    assert made.id is not None and listed == [made.id]
    controller.open_meeting(second.id)
    controller.delete_meeting(second.id)
    assert listed == [made.id, None]  # None: the window shows the next meeting
    assert second.id not in controller.sessions and controller.session is None
    assert controller.undo_group.stacks() == []
    assert [m.id for m in workspace.meetings()] == [first.id, made.id]
    controller.list_meetings(first.id)  # an import: the list is read again
    assert listed[-1] == first.id


def test_the_selection_is_relayed(qapp, workspace, workspace_path):
    controller = WindowController(workspace, workspace_path)
    selected = _record(controller.item_selected)
    controller.select_item(None)
    controller.select_item("punkt-1")
    assert selected == [None, "punkt-1"]
