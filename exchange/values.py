"""Strict reading of the values in a ``meeting.json`` (``docs/meeting-format.md``).

Every field the format defines is read through ``Fields``, with its JSON type checked
exactly: ``true`` is not the number 1 (Python's bool is an int), ``"false"`` is not
false, and ``public`` fails closed – only JSON ``true`` publishes. Each refusal names the
file, the place (``afsnit 2 (»Sager«), punkt 3 (»…«)``) and the field, in Danish.

``load_document`` parses the file and refuses what is not JSON although Python's parser
takes it (NaN, Infinity, a number too large for a float) and strings that cannot be
stored or written as UTF-8 (a lone surrogate such as ``\\ud800``), wherever they are,
unknown fields included: they would be kept and written back into every export. It
refuses, too, what would fail open: an object with the same key twice (Python's parser
keeps the last, so ``"public": false, "public": true`` would publish) and an unknown field
whose name looks like a confidentiality mark (``"closed": true`` on an item, ``"fortrolig":
true`` on a file, ``"public": false`` on a section): the format reads only ``public`` on an
item or a file, so such a field would be kept but never obeyed.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

from agenda.errors import ExchangeError

TEXT = "tekst i anførselstegn"
OBJECT = "et objekt ({…})"
LIST = "en liste ([…])"


def json_name(where: Path) -> str:
    """``/x/meeting.json``, or ``meeting.json i /x/møde.zip`` for a folder or a zip."""
    return str(where) if where.name == "meeting.json" else f"meeting.json i {where}"


def _head(where: Path, place: str) -> str:
    return f"{json_name(where)}: {place}: " if place else f"{json_name(where)}: "


def _shown(value: Any) -> str:
    shown = json.dumps(value, ensure_ascii=False, default=str)
    return shown if len(shown) <= 40 else shown[:40] + " …"


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def named(kind: str, number: int, doc: Any) -> str:
    """``punkt 3 (»Godkendelse af dagsorden«)``; without the name when it has none."""
    name = doc.get("name") if isinstance(doc, dict) else None
    label = f"{kind} {number}"
    if isinstance(name, str) and name.strip() and _encodable(name):
        label += f" (»{name[:60]}«)"
    return label


def within(place: str, inner: str) -> str:
    return f"{place}, {inner}" if place else inner


def wrong(where: Path, place: str, field: str, expected: str, value: Any, hint: str = "") -> str:
    hint = f" {hint}" if hint else ""
    return (
        f"{_head(where, place)}feltet »{field}« skal være {expected}, ikke {_shown(value)}."
        f"{hint} Ret filen efter formatbeskrivelsen, og prøv igen."
    )


class Fields:
    """One JSON object of the file, read strictly. ``place`` says where it is in the
    meeting, ``prefix`` how its fields are named there (``paper.`` under an item)."""

    def __init__(self, doc: dict, where: Path, place: str = "", prefix: str = "") -> None:
        self.doc = doc
        self.where = where
        self.place = place
        self.prefix = prefix

    @classmethod
    def element(cls, doc: Any, where: Path, place: str) -> Fields:
        """An element of a list (a section, an item, a bilag, a participant)."""
        if not isinstance(doc, dict):
            raise ExchangeError(
                f"{_head(where, place)}skal være {OBJECT}, ikke {_shown(doc)}. Ret filen "
                "efter formatbeskrivelsen, og prøv igen.",
                path=str(where),
            )
        return cls(doc, where, place)

    def _error(self, key: str, expected: str, hint: str = "") -> ExchangeError:
        message = wrong(self.where, self.place, self.prefix + key, expected, self.doc[key], hint)
        return ExchangeError(message, path=str(self.where))

    def has(self, key: str) -> bool:
        return key in self.doc

    def text(self, key: str) -> str:
        """Required: text with something in it."""
        value = self.doc.get(key)
        if isinstance(value, str) and value.strip():
            return value
        if value is None or isinstance(value, str):
            raise ExchangeError(
                f"{_head(self.where, self.place)}feltet »{self.prefix}{key}« mangler eller er "
                "tomt. Udfyld det, og prøv igen.",
                path=str(self.where),
            )
        raise self._error(key, TEXT)

    def optional_text(self, key: str) -> str:
        """Text, or ``null``/missing for none (``""``)."""
        value = self.doc.get(key)
        if value is None:
            return ""
        if isinstance(value, str):
            return value
        raise self._error(key, TEXT)

    def public(self) -> bool:
        """``public``: what decides the public edition fails closed. ``true`` publishes,
        ``false`` and a missing field do not, anything else is refused: ``"false"``,
        ``0`` or ``"nej"`` would otherwise be read as whatever the reader guessed."""
        value = self.doc.get("public", False)
        if isinstance(value, bool):
            return value
        raise self._error(
            "public",
            "true eller false",
            "Skriv true eller false uden anførselstegn: kun true gør det offentligt; false "
            "(eller intet felt) holder det lukket.",
        )

    def attendance(self) -> bool | None:
        """``present``: ``null`` (not recorded), ``true`` or ``false``."""
        value = self.doc.get("present")
        if value is None or isinstance(value, bool):
            return value
        raise self._error(
            "present",
            "true, false eller null",
            "Skriv det uden anførselstegn: true er til stede, false er afbud, null er endnu "
            "ikke noteret.",
        )

    def whole_number(self, key: str) -> int:
        value = self.doc.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if key not in self.doc:
            raise ExchangeError(
                f"{_head(self.where, self.place)}feltet »{self.prefix}{key}« mangler. "
                "Udfyld det, og prøv igen.",
                path=str(self.where),
            )
        raise self._error(key, "et helt tal", "Skriv tallet uden anførselstegn og decimaler.")

    def item_number(self) -> str | None:
        """``number``: ``"2.1"``, or ``5`` when numbering is flat; only checked."""
        value = self.doc.get("number")
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        raise self._error("number", f'{TEXT} (fx "2.1")')

    def object(self, key: str, prefix: str) -> Fields:
        value = self.doc.get(key)
        if isinstance(value, dict):
            return Fields(value, self.where, self.place, prefix)
        if value is None:
            raise ExchangeError(
                f"{_head(self.where, self.place)}feltet »{self.prefix}{key}« mangler. "
                "Udfyld det efter formatbeskrivelsen, og prøv igen.",
                path=str(self.where),
            )
        raise self._error(key, OBJECT)

    def optional_object(self, key: str, prefix: str) -> Fields | None:
        if self.doc.get(key) is None:
            return None
        return self.object(key, prefix)

    def list(self, key: str) -> list:
        value = self.doc.get(key)
        if isinstance(value, list):
            return value
        if value is None:
            raise ExchangeError(
                f"{_head(self.where, self.place)}feltet »{self.prefix}{key}« mangler. "
                "Udfyld det efter formatbeskrivelsen, og prøv igen.",
                path=str(self.where),
            )
        raise self._error(key, LIST)

    def optional_list(self, key: str) -> list:
        return [] if self.doc.get(key) is None else self.list(key)


# -- the document as a whole ------------------------------------------------------------


class _NotANumber:
    """What the parser made of NaN, Infinity or 1e999: found and named by the walk."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


def _float(text: str) -> float | _NotANumber:
    value = float(text)
    return value if math.isfinite(value) else _NotANumber(text)


class _Duplicated(dict):
    """An object that had ``key`` twice: found and named by the walk (the parser's hook
    does not know where it is)."""

    __slots__ = ("key",)

    def __init__(self, pairs: list[tuple[str, Any]], key: str) -> None:
        super().__init__(pairs)
        self.key = key


def _object(pairs: list[tuple[str, Any]]) -> dict:
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            return _Duplicated(pairs, key)
        seen.add(key)
    return dict(pairs)


def load_document(raw: bytes, where: Path) -> Any:
    """The parsed JSON of ``raw``; every value in it is a value JSON has and UTF-8 can
    hold, no object has a key twice, and no unknown field looks like a confidentiality
    mark (see the module's docstring)."""
    try:
        doc = json.loads(
            raw.decode("utf-8-sig"),
            parse_constant=_NotANumber,
            parse_float=_float,
            object_pairs_hook=_object,
        )
    except UnicodeDecodeError as error:
        raise ExchangeError(
            f"{where} er ikke gemt som UTF-8-tekst. Gem filen som UTF-8.", path=str(where)
        ) from error
    except json.JSONDecodeError as error:
        raise ExchangeError(
            f"{json_name(where)} er ikke gyldig JSON (linje {error.lineno}, kolonne "
            f"{error.colno}). Ret filen, og prøv igen.",
            path=str(where),
        ) from error
    except ValueError as error:  # an integer of more than 4,300 digits
        raise ExchangeError(
            f"{json_name(where)} har et tal med flere cifre, end nogen værdi i en møde-fil "
            "har. Ret filen, og prøv igen.",
            path=str(where),
        ) from error
    _check_values(doc, (), doc, where)
    _refuse_marks(doc, "document", (), (), doc, where)
    return doc


def _check_values(value: Any, path: tuple, doc: Any, where: Path) -> None:
    if isinstance(value, str):
        if not _encodable(value):
            raise _bad_text(value, path, doc, where)
    elif isinstance(value, _NotANumber):
        place, field = locate(path, doc)
        raise ExchangeError(
            f"{_head(where, place)}feltet »{field}« er {value.text}, som ikke er et tal i "
            "JSON og ikke kan gemmes. Ret værdien, og prøv igen.",
            path=str(where),
        )
    elif isinstance(value, dict):
        if isinstance(value, _Duplicated):
            place, field = locate(path, doc)
            inside = "" if field == "(hele feltet)" else f" i feltet »{field}«"
            raise ExchangeError(
                f"{_head(where, place)}feltet »{value.key}« står to gange{inside}. Kun "
                "den ene værdi kan gælde, og det er ikke til at sige hvilken: slet det ene, "
                "og prøv igen.",
                path=str(where),
            )
        for key, inner in value.items():
            if not _encodable(key):
                raise _bad_text(key, (*path, key), doc, where, is_name=True)
            _check_values(inner, (*path, key), doc, where)
    elif isinstance(value, list):
        for n, inner in enumerate(value):
            _check_values(inner, (*path, n), doc, where)


def _bad_text(text: str, path: tuple, doc: Any, where: Path, *, is_name: bool = False) -> Exception:
    bad = next(c for c in text if 0xD800 <= ord(c) <= 0xDFFF)
    place, field = locate(path, doc)
    what = "navnet på feltet" if is_name else "feltet"
    return ExchangeError(
        f"{_head(where, place)}{what} »{field}« indeholder et ugyldigt tegn (\\u{ord(bad):04x}, "
        "en halv UTF-16-surrogat, som ikke kan gemmes som tekst). Ret teksten i filen, og "
        "prøv igen.",
        path=str(where),
    )


#: Words of a field name that mark something confidential (compared in lower case, the
#: name split at capitals and at anything not a letter): ``isClosed``, ``lukket_punkt``.
_MARKS = frozenset({
    "closed", "lukket", "lukkede", "confidential", "fortrolig", "fortroligt", "fortrolige",
    "hemmelig", "hemmeligt", "secret", "private", "privat", "offentlig", "offentligt",
    "public", "restricted", "intern", "internal",
})  # fmt: skip
#: The one place each level of the format reads a confidentiality mark.
_DOCUMENTED = {("item", "public"), ("file", "public")}


def _words(name: str) -> set[str]:
    spaced = re.sub(r"(?<=[a-zæøå0-9])(?=[A-ZÆØÅ])", " ", name)
    return {w for w in re.split(r"[^a-zæøåA-ZÆØÅ]+", spaced.lower()) if w}


def _refuse_marks(
    value: Any, level: str, fields: tuple, path: tuple, doc: Any, where: Path
) -> None:
    """Refuse an unknown field whose name looks like a confidentiality mark, at any
    depth: the reader would keep it and never obey it (fail closed)."""
    if isinstance(value, dict):
        for key, inner in value.items():
            if (
                isinstance(key, str)
                and _words(key) & _MARKS
                and (fields or (level, key) not in _DOCUMENTED)
            ):
                place, field = locate((*path, key), doc)
                raise ExchangeError(
                    f"{_head(where, place)}feltet »{field}« er ikke en del af formatet, men "
                    "ligner en markering af, at noget er lukket eller fortroligt, og det "
                    "ville ikke blive fulgt. Formatet kender kun »public«: false på et punkt "
                    "(lukket punkt) eller et bilag (fortroligt bilag): skriv det dér, og "
                    "fjern feltet, før filen importeres.",
                    path=str(where),
                )
            _refuse_marks(inner, level, (*fields, key), (*path, key), doc, where)
    elif isinstance(value, list):
        listed = _NAMED_LISTS.get((level, fields))
        for n, inner in enumerate(value):
            if listed is not None:
                _refuse_marks(inner, listed[1], (), (*path, n), doc, where)
            else:
                _refuse_marks(inner, level, (*fields, n), (*path, n), doc, where)


#: Lists whose elements are named as the reader knows them, by (level, field path).
_NAMED_LISTS = {
    ("document", ("sections",)): ("afsnit", "section"),
    ("document", ("meeting", "participants")): ("deltager", "participant"),
    ("section", ("items",)): ("punkt", "item"),
    ("item", ("files",)): ("bilag", "file"),
}


def locate(path: tuple, doc: Any) -> tuple[str, str]:
    """Where ``path`` (keys and indexes from the top) is, in the words of the messages:
    ``("afsnit 2 (»Sager«), punkt 1 (»…«)", "paper.texts.resume")``."""
    places: list[str] = []
    fields: list[str] = []
    level, node = "document", doc
    for key in path:
        listed = _NAMED_LISTS.get((level, tuple(fields))) if isinstance(key, int) else None
        node = node[key] if isinstance(node, (dict, list)) else None
        if listed is not None:
            kind, level = listed
            places.append(named(kind, key + 1, node))
            fields = []
        elif isinstance(key, int):
            fields.append(f"[{key}]")
        else:
            fields.append(key if _encodable(key) else key.encode("utf-8", "replace").decode())
    field = ".".join(fields).replace(".[", "[")
    return ", ".join(places), field or "(hele feltet)"
