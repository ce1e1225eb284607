"""The export dialog's "Hvad skal laves": which documents, and in which edition.

Agenda and minutes share one edition, chosen with three radio buttons named for what they
hold (public, full, or both in one run); each bilagspakke box names its edition. The
files that will be written are listed under their edition (``summary_area``, which the
dialog places below the folder), so the edition of every ticked output can be read off.
Nothing here changes size as boxes are ticked: the list has a fixed height (it scrolls),
so a box never moves under the mouse.

The choices of the last export are remembered (UI state, ``gui.settings``), separately
for a meeting not yet held (usually the agenda) and a held one (usually the minutes).
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from agenda.model import MeetingStatus
from agenda.snapshot import MeetingSnapshot
from gui.export_job import ExportRequest, OutputKind
from gui.export_progress import fixed_height_area
from gui.i18n import _

#: What the dialog ticks when it opens: one edition only, the public one. Never the full
#: (internal) edition of one document next to the public edition of another: a secretary
#: who sends "what the default made" to the website would publish the closed items. If the
#: default is wrong for the job, the worst case is a member missing a closed item, not a
#: closed item on the website.
DEFAULT_KEYS = ("agenda-pdf", "pack-public")
#: After the meeting the job is the minutes, not the agenda again.
DEFAULT_KEYS_HELD = ("minutes-pdf", "pack-public")

#: The edition of agenda and minutes, as remembered in the settings.
PUBLIC, COMPLETE, BOTH = "public", "complete", "both"
DEFAULT_EDITION = PUBLIC

#: Lines of the list of files the dialog keeps room for, whatever is ticked.
SUMMARY_LINES = 5

_HELD = frozenset({MeetingStatus.HELD, MeetingStatus.MINUTES_APPROVED})


def phase(snapshot: MeetingSnapshot) -> str:
    """Before or after the meeting: the choices are remembered for each separately."""
    return "held" if snapshot.meeting.status in _HELD else "before"


class ExportChoices(QGroupBox):
    edited = Signal()  # the user changed a choice

    def __init__(
        self,
        snapshot: MeetingSnapshot,
        outputs: list[OutputKind],
        parent: QWidget | None = None,
        *,
        remembered: tuple[list[str], str] | None = None,
    ) -> None:
        super().__init__(_("What to make"), parent)
        self.snapshot = snapshot
        self.outputs = outputs
        rows = QVBoxLayout(self)
        self.checks: dict[str, QCheckBox] = {}
        documents = [k for k in outputs if not k.pack and not k.output.supplement]
        packs = [k for k in outputs if k.pack and not k.output.supplement]
        #: the tillæg (issue 14): made only of a meeting that was sent, in the edition
        #: chosen for the documents
        supplements = [k for k in outputs if k.output.supplement]
        # Agenda and minutes: one edition for all of them, chosen first, in words
        self.complete_documents = QRadioButton(_("Full edition (internal, with the closed items)"))
        self.public_documents = QRadioButton(
            _("Public edition (without closed items and confidential bilag)")
        )
        self.both_documents = QRadioButton(
            _("Both editions in one go (the public files are named »… (offentlig)«)")
        )
        self._editions = {
            PUBLIC: self.public_documents,
            COMPLETE: self.complete_documents,
            BOTH: self.both_documents,
        }
        self._document_edition = QButtonGroup(self)
        edition_row = QVBoxLayout()
        self.document_edition_label = QLabel(_("Agenda and minutes in:"))
        edition_row.addWidget(self.document_edition_label)
        for button in (self.complete_documents, self.public_documents, self.both_documents):
            self._document_edition.addButton(button)
            edition_row.addWidget(button)
        keys, edition = self._initial(snapshot, remembered)
        self._editions[edition].setChecked(True)
        if documents:
            rows.addLayout(edition_row)
        else:
            for widget in (self.document_edition_label, *self._document_edition.buttons()):
                widget.setVisible(False)
        grid = QGridLayout()
        grid.setContentsMargins(24, 0, 0, 0)
        for n, kind in enumerate(documents):
            grid.addWidget(self._check(kind), n // 2, n % 2)
        rows.addLayout(grid)
        self.draft_note = QLabel(
            _(
                "The meeting is not held yet: the minutes are made as "
                "»Udkast til referat« (draft minutes)."
            )
        )
        self.draft_note.setWordWrap(True)
        self.draft_note.setContentsMargins(24, 0, 0, 0)
        # appears and goes with the meeting's status; its room stays, so nothing moves
        if any(k.output.minutes for k in documents):
            _keep_room(self.draft_note)
        rows.addWidget(self.draft_note)
        if packs:
            pack_row = QHBoxLayout()
            for kind in packs:
                pack_row.addWidget(self._check(kind))
            pack_row.addStretch(1)
            rows.addLayout(pack_row)
        if supplements:
            # one row, without a label: the dialog must fit a 768-pixel screen and stay
            # within 700 pixels wide; each box says what it is made of in its tooltip
            supplement_row = QHBoxLayout()
            for kind in supplements:
                supplement_row.addWidget(self._check(kind))
            supplement_row.addStretch(1)
            rows.addLayout(supplement_row)
        if not outputs:
            rows.addWidget(QLabel(_("No exports are installed in this version.")))
        # what will be written, by edition, with the file names (»(offentlig)« in them)
        self.selection_summary = QLabel()
        self.selection_summary.setTextFormat(Qt.TextFormat.RichText)
        # a fixed height, scrolled when long: a summary that grew by a line as a box was
        # ticked moved every box above it, and the next click missed its box
        # placed by the dialog, below the folder, in the slot it shares with the progress
        self.summary_area = fixed_height_area(self.selection_summary, SUMMARY_LINES)
        for key, check in self.checks.items():
            check.setChecked(key in keys)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._document_edition.buttonToggled.connect(self._edited)
        self.set_snapshot(snapshot)

    def _initial(
        self, snapshot: MeetingSnapshot, remembered: tuple[list[str], str] | None
    ) -> tuple[set[str], str]:
        """The last choices for a meeting in this phase, else the defaults."""
        defaults = DEFAULT_KEYS_HELD if phase(snapshot) == "held" else DEFAULT_KEYS
        known = {k.key for k in self.outputs}
        if remembered is not None:
            keys = set(remembered[0]) & known
            if keys:
                edition = remembered[1] if remembered[1] in self._editions else DEFAULT_EDITION
                return keys, edition
        return set(defaults), DEFAULT_EDITION

    def _check(self, kind: OutputKind) -> QCheckBox:
        check = QCheckBox(kind.label)
        check.toggled.connect(self._edited)
        self.checks[kind.key] = check
        return check

    def set_snapshot(self, snapshot: MeetingSnapshot) -> None:
        """The meeting as it is now (file names, draft minutes); the ticks stay."""
        self.snapshot = snapshot
        held = snapshot.meeting.status in _HELD
        minutes = any(k.output.minutes for k in self.outputs if not k.pack)
        self.draft_note.setVisible(not held and minutes)
        for kind in self.outputs:
            refusal = kind.output.refusal(snapshot) if kind.output.supplement else None
            check = self.checks[kind.key]
            check.setEnabled(refusal is None)
            if kind.output.supplement:
                check.setToolTip(
                    refusal  # Danish already
                    or _("Made of the changes since the agenda was sent, in the edition above.")
                )
        self._update_summary()

    def edition(self) -> str:
        return next(name for name, button in self._editions.items() if button.isChecked())

    def remembered(self) -> tuple[list[str], str]:
        """What to remember in the settings: the ticked outputs and the edition."""
        return [k for k, check in self.checks.items() if check.isChecked()], self.edition()

    def chosen_editions(self) -> set[bool]:
        """The editions of the ticked outputs: {True} is public only, {False} full only."""
        return {r.edition_public for r in self.requests()}

    def _edited(self, *_args: object) -> None:
        self._update_summary()
        self.edited.emit()

    def _update_summary(self) -> None:
        chosen = {True: [], False: []}  # type: dict[bool, list[str]]
        for request in self.requests():
            name = request.kind.output.file_name(self.snapshot, public=request.edition_public)
            chosen[request.edition_public].append(escape(name))
        lines = []
        if chosen[False] and chosen[True]:
            # first: the list below may be longer than its room and scroll
            lines.append(
                _(
                    "<b>Both editions are chosen.</b> Publish only the files with "
                    "»(offentlig)« in their names."
                )
            )
        if chosen[False]:
            lines.append(
                _("<b>Full edition (internal)</b>, not for the website: %(names)s")
                % {"names": ", ".join(chosen[False])}
            )
        if chosen[True]:
            lines.append(_("<b>Public edition</b>: %(names)s") % {"names": ", ".join(chosen[True])})
        self.selection_summary.setText("<br>".join(lines) or _("Nothing is chosen."))

    def requests(self) -> list[ExportRequest]:
        edition = self.edition()
        # both editions: the full one first, as the two pack boxes are ordered
        editions = {PUBLIC: (True,), COMPLETE: (False,), BOTH: (False, True)}[edition]
        chosen = [
            k
            for k in self.outputs
            if self.checks[k.key].isChecked() and self.checks[k.key].isEnabled()
        ]
        requests = []
        for kind in chosen:
            if kind.pack and kind.edition_public is not None:
                requests.append(ExportRequest(kind, True))  # the kind fixes the edition
            else:
                requests.extend(ExportRequest(kind, public) for public in editions)
        return requests


def _keep_room(widget: QWidget) -> None:
    policy = widget.sizePolicy()
    policy.setRetainSizeWhenHidden(True)
    widget.setSizePolicy(policy)
