"""Errors reach the user the right way; the UI and Qt's own strings are Danish."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from agenda.errors import UserFacingError
from gui import errors, i18n
from gui.errors import CrashDialog, guarded


class Panel(QWidget):
    @guarded
    def expected(self) -> None:
        raise UserFacingError("Filen budget.xlsx er låst. Luk den i Excel, og prøv igen.")

    @guarded
    def bug(self, checked: bool = False) -> None:
        raise ZeroDivisionError("a bug")


def test_user_facing_error_is_a_message_box(qtbot, message_boxes):
    panel = Panel()
    qtbot.addWidget(panel)
    panel.expected()
    boxes, crashes = message_boxes
    assert boxes == [("warning", "Filen budget.xlsx er låst. Luk den i Excel, og prøv igen.")]
    assert not crashes


def test_a_bug_opens_the_crash_dialog_and_is_logged(qtbot, message_boxes, tmp_path):
    log_file = errors.setup_logging(tmp_path)
    try:
        panel = Panel()
        qtbot.addWidget(panel)
        panel.bug(True)  # as a clicked(bool) signal would call it
        boxes, crashes = message_boxes
        assert not boxes
        assert len(crashes) == 1 and "ZeroDivisionError: a bug" in crashes[0]
        assert "ZeroDivisionError: a bug" in log_file.read_text(encoding="utf-8")
    finally:
        for handler in list(errors.log.handlers):
            errors.log.removeHandler(handler)
            handler.close()
        logging.shutdown()


def test_crash_dialog_copies_its_details(qtbot):
    dialog = CrashDialog("Traceback: noget gik galt")
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Der opstod en uventet fejl"
    copy = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Kopiér detaljer")
    copy.click()
    assert QApplication.clipboard().text() == "Traceback: noget gik galt"


def test_excepthook_shows_unexpected_errors(qtbot, message_boxes):
    try:
        raise KeyError("mangler")
    except KeyError as error:
        errors.excepthook(type(error), error, error.__traceback__)
    assert "KeyError: 'mangler'" in message_boxes[1][0]


def test_catalog_is_danish_even_without_a_compiled_mo(tmp_path):
    po_dir = tmp_path / "da" / "LC_MESSAGES"
    po_dir.mkdir(parents=True)
    source = i18n.resource_dir() / "locale" / "da" / "LC_MESSAGES" / "messages.po"
    (po_dir / "messages.po").write_bytes(source.read_bytes())
    catalog = i18n.load_catalog(tmp_path)
    assert catalog.gettext("Undo") == "Fortryd"
    assert catalog.gettext("Redo") == "Gentag"  # as Danish Office says it
    assert catalog.ngettext("%(n)d attachment", "%(n)d attachments", 2) == "%(n)d bilag"


def test_every_message_is_translated():
    from babel.messages.pofile import read_po

    source = i18n.resource_dir() / "locale" / "da" / "LC_MESSAGES" / "messages.po"
    with source.open("rb") as fp:
        catalog = read_po(fp)
    untranslated = [m.id for m in catalog if m.id and not m.string]
    assert untranslated == []


def test_qt_strings_are_danish(qapp):
    i18n.install_qt_translations(qapp)
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Annuller"
