"""The export dialog's "Hvad skal laves": which documents, and in which edition.

Agenda and minutes share one edition, chosen with two radio buttons named for what they
hold; each bilagspakke box names its edition. Below, the files that will be written are
listed under their edition, so the edition of every ticked output can be read off.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from agenda.model import MeetingStatus
from agenda.snapshot import MeetingSnapshot
from gui.export_job import ExportRequest, OutputKind
from gui.i18n import _

#: What the dialog ticks when it opens: one edition only, the public one. Never the full
#: (internal) edition of one document next to the public edition of another: a secretary
#: who sends "what the default made" to the website would publish the closed items. If the
#: default is wrong for the job, the worst case is a member missing a closed item, not a
#: closed item on the website.
DEFAULT_KEYS = ("agenda-pdf", "pack-public")
DEFAULT_DOCUMENTS_PUBLIC = True

_HELD = frozenset({MeetingStatus.HELD, MeetingStatus.MINUTES_APPROVED})


class ExportChoices(QGroupBox):
    def __init__(
        self,
        snapshot: MeetingSnapshot,
        outputs: list[OutputKind],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(_("What to make"), parent)
        self.snapshot = snapshot
        self.outputs = outputs
        rows = QVBoxLayout(self)
        self.checks: dict[str, QCheckBox] = {}
        documents = [k for k in outputs if not k.pack]
        packs = [k for k in outputs if k.pack]
        # Agenda and minutes: one edition for all of them, chosen first, in words
        self.complete_documents = QRadioButton(_("Full edition (internal, with the closed items)"))
        self.public_documents = QRadioButton(
            _("Public edition (without closed items and confidential bilag)")
        )
        self._document_edition = QButtonGroup(self)
        edition_row = QVBoxLayout()
        self.document_edition_label = QLabel(_("Agenda and minutes in:"))
        edition_row.addWidget(self.document_edition_label)
        for button in (self.complete_documents, self.public_documents):
            self._document_edition.addButton(button)
            edition_row.addWidget(button)
        (self.public_documents if DEFAULT_DOCUMENTS_PUBLIC else self.complete_documents).setChecked(
            True
        )
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
        held = snapshot.meeting.status in _HELD
        self.draft_note.setVisible(not held and any(k.output.minutes for k in documents))
        rows.addWidget(self.draft_note)
        if packs:
            pack_row = QHBoxLayout()
            for kind in packs:
                pack_row.addWidget(self._check(kind))
            pack_row.addStretch(1)
            rows.addLayout(pack_row)
        if not outputs:
            rows.addWidget(QLabel(_("No exports are installed in this version.")))
        # what will be written, by edition, with the file names (»(offentlig)« in them)
        self.selection_summary = QLabel()
        self.selection_summary.setWordWrap(True)
        self.selection_summary.setTextFormat(Qt.TextFormat.RichText)
        rows.addWidget(self.selection_summary)
        self._document_edition.buttonToggled.connect(self._update_summary)
        self._update_summary()

    def _check(self, kind: OutputKind) -> QCheckBox:
        check = QCheckBox(kind.label)
        check.setChecked(kind.key in DEFAULT_KEYS)
        check.toggled.connect(self._update_summary)
        self.checks[kind.key] = check
        return check

    def chosen_editions(self) -> set[bool]:
        """The editions of the ticked outputs: {True} is public only, {False} full only."""
        return {r.edition_public for r in self.requests()}

    def _update_summary(self, *_args: object) -> None:
        chosen = {True: [], False: []}  # type: dict[bool, list[str]]
        for request in self.requests():
            name = request.kind.output.file_name(self.snapshot, public=request.edition_public)
            chosen[request.edition_public].append(escape(name))
        lines = []
        if chosen[False]:
            lines.append(
                _("<b>Full edition (internal)</b>, not for the website: %(names)s")
                % {"names": ", ".join(chosen[False])}
            )
        if chosen[True]:
            lines.append(_("<b>Public edition</b>: %(names)s") % {"names": ", ".join(chosen[True])})
        if chosen[False] and chosen[True]:
            lines.append(
                _(
                    "<b>Both editions are chosen.</b> Publish only the files with "
                    "»(offentlig)« in their names."
                )
            )
        self.selection_summary.setText("<br>".join(lines) or _("Nothing is chosen."))

    def requests(self) -> list[ExportRequest]:
        public = self.public_documents.isChecked()
        return [ExportRequest(k, public) for k in self.outputs if self.checks[k.key].isChecked()]
