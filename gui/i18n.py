"""The user reads Danish: our own strings through gettext, Qt's through qtbase_da.

Message ids are English in the code (``_("Undo")``); ``resources/locale/da`` holds the
Babel catalog. The compiled ``.mo`` is built at setup time by
``scripts/compile_translations.py``; when it is missing (a fresh checkout) the ``.po``
is compiled in memory here, so the UI is never half English.
"""

from __future__ import annotations

import gettext
import io
from pathlib import Path

from gui.resources import resource_dir

DOMAIN = "messages"
LANGUAGE = "da"

_translations: gettext.NullTranslations = gettext.NullTranslations()


def _(message: str) -> str:
    return _translations.gettext(message)


def N_(message: str) -> str:  # gettext's name: pybabel extracts it
    """Marks a message for the catalog; translated later, where it is used."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations.ngettext(singular, plural, n)


def load_catalog(locale_dir: Path | None = None) -> gettext.NullTranslations:
    """The Danish catalog: the compiled .mo, else the .po compiled in memory."""
    base = (locale_dir or resource_dir() / "locale") / LANGUAGE / "LC_MESSAGES"
    mo = base / f"{DOMAIN}.mo"
    po = base / f"{DOMAIN}.po"
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as fp:
            return gettext.GNUTranslations(fp)
    if po.exists():
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        with po.open("rb") as fp:
            catalog = read_po(fp, locale=LANGUAGE)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        return gettext.GNUTranslations(buffer)
    return gettext.NullTranslations()


def install(locale_dir: Path | None = None) -> None:
    """Load our catalog; call before any widget is built."""
    global _translations
    _translations = load_catalog(locale_dir)


_qt_translators: list = []

#: Qt strings that qtbase_da.qm leaves in English (Qt 6's file dialog labels carry a
#: mnemonic its catalog lacks); their Danish comes from our own catalog.
QT_GAPS = frozenset(
    {
        ("QFileDialog", N_("&Look in:")),
        ("QFileDialog", N_("Files of &type:")),
        ("QFileDialog", N_("All Files (*.*)")),
    }
)


def _qt_gap_translator(parent):  # type: ignore[no-untyped-def]
    """A translator asked after qtbase_da: answers only ``QT_GAPS``, else passes."""
    from PySide6.QtCore import QTranslator

    class QtGaps(QTranslator):
        def translate(self, context, source, disambiguation=None, n=-1):  # type: ignore[no-untyped-def]
            if (context, source) in QT_GAPS:
                translated = _(source)
                return translated if translated != source else None
            return None  # not ours: Qt's English stands

        def isEmpty(self) -> bool:
            return False

    return QtGaps(parent)


def install_qt_translations(app) -> list:  # type: ignore[no-untyped-def]
    """Qt's own strings (OK/Cancel, calendar, context menus) in Danish. The translators
    are kept here: Qt does not hold a Python reference to them."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    QLocale.setDefault(QLocale(QLocale.Language.Danish, QLocale.Country.Denmark))
    path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    # installed first, so asked last: only for what qtbase_da has no answer to (no
    # Python call for every string Qt translates)
    gaps = _qt_gap_translator(app)
    app.installTranslator(gaps)
    translators = [gaps]
    for name in ("qtbase_da",):
        translator = QTranslator(app)
        if translator.load(name, path) or translator.load(
            name, str(resource_dir() / "locale" / "qt")
        ):
            app.installTranslator(translator)
            translators.append(translator)
    _qt_translators.extend(translators)
    return translators
