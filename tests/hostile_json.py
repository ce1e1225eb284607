"""Hostile ``meeting.json`` values for ``tests/hostile.py``'s ``sources()``: values of the
wrong JSON type (``"public": "false"``, ``"version": true``, ``"present": "ja"``), what
is not JSON although Python's parser takes it (NaN, Infinity, 1e999) and lone
surrogates, at every level; a key given twice in one object and unknown fields that look
like confidentiality marks (``"closed": true``, ``"fortrolig": true``, ``"public": false``
on a section). Each must be refused naming the field and where it is: read loosely, a
wrong ``public`` would publish a closed item."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.hostile import HostileSource, _doc_with, _json, _with_files, good_pdf, meeting_doc

#: Where the one item of ``meeting_doc()`` is, as the messages name it.
ITEM = "afsnit 1 (»Sager«), punkt 1 (»Evaluering af klyngekontorer«)"
#: ``public`` values that are neither true nor false; read loosely, each would publish.
NOT_A_FLAG = {
    "string-false": "false",
    "string-true": "true",
    "zero": 0,
    "one": 1,
    "nej": "nej",
    "null": None,
    "empty-list": [],
    "empty-object": {},
}


def _raw_json(doc: dict, raw: str) -> Callable[[Path], Path]:
    """``doc`` with the value ``"@@"`` replaced by ``raw`` (what json.dumps cannot write)."""
    text = json.dumps(doc).replace('"@@"', raw)
    return _json(raw=text.encode())


def _ascii_json(doc: dict) -> Callable[[Path], Path]:
    """Written with \\u escapes: a lone surrogate stays ``\\ud800``, NaN stays NaN."""
    return _json(raw=json.dumps(doc).encode())


def _bilag_public(value: object) -> Callable[[Path], Path]:
    return _with_files(
        [{"name": "Rapport", "fileName": "bilag/r.pdf", "public": value}],
        {"bilag/r.pdf": good_pdf()},
    )


def strict_values() -> list[HostileSource]:
    """Each refused with a message naming the field and where it is."""
    s = HostileSource
    flag = "feltet »public« skal være true eller false, ikke"
    present = "deltager 1 (»Mette Hansen«): feltet »present«"
    member = {"name": "Mette Hansen", "role": "Formand"}
    found = []
    for key, value in NOT_A_FLAG.items():
        shown = json.dumps(value, ensure_ascii=False)
        found.append(
            s(
                f"item-public-{key}",
                _json(_doc_with(sections__0__items__0__public=value)),
                f"{ITEM}: {flag} {shown}",
            )
        )
        found.append(s(f"bilag-public-{key}", _bilag_public(value), f"bilag 1 (»Rapport«): {flag}"))
    for key, value in {"ja": "ja", "one": 1, "string-true": "true", "list": []}.items():
        found.append(
            s(
                f"present-{key}",
                _json(_doc_with(meeting__participants=[{**member, "present": value}])),
                f"{present} skal være true, false eller null",
            )
        )
    nan = float("nan")
    found += [
        s(
            "present-nan",
            _ascii_json(_doc_with(meeting__participants=[{**member, "present": nan}])),
            f"{present} er NaN",
        ),
        s("infinity-meeting", _ascii_json(_doc_with(**{"meeting__x-tal": float("inf")})),
          "feltet »meeting.x-tal« er Infinity"),
        s("minus-infinity-item",
          _ascii_json(_doc_with(**{"sections__0__items__0__x-vægt": float("-inf")})),
          f"{ITEM}: feltet »x-vægt« er -Infinity"),
        s("overflow-float", _raw_json(_doc_with(**{"x-stort": "@@"}), "1e999"),
          "feltet »x-stort« er 1e999"),
        s("huge-integer", _raw_json(_doc_with(**{"x-stort": "@@"}), "9" * 5000), "flere cifre"),
        s("surrogate-meeting-name", _ascii_json(_doc_with(meeting__name="Møde \ud800")),
          "feltet »meeting.name« indeholder et ugyldigt tegn (\\ud800"),
        s("surrogate-item-name",
          _ascii_json(_doc_with(sections__0__items__0__name="Sag \udfff")),
          "afsnit 1 (»Sager«), punkt 1: feltet »name« indeholder et ugyldigt tegn (\\udfff"),
        s("surrogate-text",
          _ascii_json(_doc_with(sections__0__items__0__paper={"texts": {"resume": "\ud83d"}})),
          f"{ITEM}: feltet »paper.texts.resume« indeholder et ugyldigt tegn"),
        s("surrogate-unknown-field",
          _ascii_json(_doc_with(**{"x-kilde": {"system": ["ESDH", "\udc00"]}})),
          "feltet »x-kilde.system[1]« indeholder et ugyldigt tegn"),
        s("surrogate-field-name", _ascii_json(_doc_with(**{"body__x-\ud800": 1})),
          "navnet på feltet »body.x-?« indeholder et ugyldigt tegn"),
        s("version-true", _json({**meeting_doc(), "version": True}),
          "feltet »version« skal være et helt tal, ikke true"),
        s("version-text", _json({**meeting_doc(), "version": "1"}), 'ikke "1"'),
        s("version-float", _json({**meeting_doc(), "version": 1.0}), "helt tal"),
        s("version-zero", _json({**meeting_doc(), "version": 0}), "»version« skal være 1"),
        s("version-missing", _json({k: v for k, v in meeting_doc().items() if k != "version"}),
          "feltet »version« mangler"),
        s("number-true", _json(_doc_with(sections__0__items__0__number=True)),
          f"{ITEM}: feltet »number« skal være tekst"),
        s("name-a-number", _json(_doc_with(sections__0__items__0__name=5)),
          "punkt 1: feltet »name« skal være tekst i anførselstegn, ikke 5"),
        s("resolution-false", _json(_doc_with(sections__0__items__0__resolution=False)),
          f"{ITEM}: feltet »resolution« skal være tekst"),
        s("text-a-number",
          _json(_doc_with(sections__0__items__0__paper={"name": "x", "texts": {"resume": 7}})),
          f"{ITEM}: feltet »paper.texts.resume« skal være tekst"),
        s("paper-a-list", _json(_doc_with(sections__0__items__0__paper=["x"])),
          f"{ITEM}: feltet »paper« skal være et objekt"),
        s("files-an-object", _json(_doc_with(sections__0__items__0__files={"a": 1})),
          f"{ITEM}: feltet »files« skal være en liste"),
        s("location-a-list", _json(_doc_with(meeting__location=["Køge"])),
          "feltet »meeting.location« skal være tekst"),
        s("body-name-true", _json(_doc_with(body__name=True)),
          "feltet »body.name« skal være tekst"),
        s("participants-an-object", _json(_doc_with(meeting__participants={"name": "x"})),
          "feltet »meeting.participants« skal være en liste"),
        s("section-a-number", _json(_doc_with(sections=[5])), "afsnit 1: skal være et objekt"),
        s("file-name-a-number",
          _with_files([{"name": "Rapport", "fileName": 7}], {}),
          "bilag 1 (»Rapport«): feltet »fileName« skal være tekst"),
    ]  # fmt: skip
    return found + _duplicate_keys() + _confidentiality_marks()


def _duplicate_keys() -> list[HostileSource]:
    """Python's parser keeps the last of two equal keys: ``false`` then ``true`` would
    publish the closed item."""
    s = HostileSource
    twice = "står to gange"
    files = [{"name": "Rapport", "fileName": "bilag/r.pdf", "public": "@@"}]
    return [
        s("duplicate-item-public",
          _raw_json(_doc_with(sections__0__items__0__public="@@"), 'false, "public": true'),
          f"{ITEM}: feltet »public« {twice}"),
        s("duplicate-bilag-public",
          _raw_json(meeting_doc(files), 'false, "public": true'),
          f"bilag 1 (»Rapport«): feltet »public« {twice}"),
        s("duplicate-meeting-name",
          _raw_json(_doc_with(meeting__location="@@"), '"Køge", "location": "Roskilde"'),
          f"feltet »location« {twice} i feltet »meeting«"),
        s("duplicate-top-level",
          _raw_json(_doc_with(version="@@"), '1, "version": 1'),
          f"feltet »version« {twice}."),
        s("duplicate-texts",
          _raw_json(_doc_with(sections__0__items__0__paper={"texts": {"resume": "@@"}}),
                    '"a", "resume": "b"'),
          f"{ITEM}: feltet »resume« {twice} i feltet »paper.texts«"),
    ]  # fmt: skip


def _confidentiality_marks() -> list[HostileSource]:
    """Unknown fields named like a confidentiality mark: kept but never obeyed, they
    would publish what their writer meant closed."""
    s = HostileSource
    mark = "er ikke en del af formatet, men ligner en markering af"
    bilag = [{"name": "Rapport", "fileName": "bilag/r.pdf", "public": True}]
    member = {"name": "Mette Hansen", "role": "Formand"}
    cases = {
        "item-closed": (_doc_with(sections__0__items__0__closed=True), f"{ITEM}: feltet »closed«"),
        "item-lukket": (_doc_with(sections__0__items__0__Lukket=True), f"{ITEM}: feltet »Lukket«"),
        "item-isClosed": (_doc_with(sections__0__items__0__isClosed=True), "»isClosed«"),
        "paper-public": (_doc_with(sections__0__items__0__paper={"name": "x", "public": False}),
                         f"{ITEM}: feltet »paper.public«"),
        "texts-fortrolig": (_doc_with(sections__0__items__0__paper={"texts": {"fortrolig": "j"}}),
                            f"{ITEM}: feltet »paper.texts.fortrolig«"),
        "section-public": (_doc_with(sections__0__public=False),
                           "afsnit 1 (»Sager«): feltet »public«"),
        "meeting-hemmelig": (_doc_with(meeting__hemmelig=True), "feltet »meeting.hemmelig«"),
        "participant-privat": (_doc_with(meeting__participants=[{**member, "privat": True}]),
                               "deltager 1 (»Mette Hansen«): feltet »privat«"),
        "document-secret": (_doc_with(SECRET=True), "feltet »SECRET«"),
        "nested-restricted": (_doc_with(**{"x-meta": {"access": {"restricted": True}}}),
                              "feltet »x-meta.access.restricted«"),
        "body-intern": (_doc_with(body__intern=True), "feltet »body.intern«"),
        "file-confidential": (meeting_doc([{**bilag[0], "confidential": True}]),
                              "bilag 1 (»Rapport«): feltet »confidential«"),
        "file-fortrolig": (meeting_doc([{**bilag[0], "Fortrolig": True}]),
                           "bilag 1 (»Rapport«): feltet »Fortrolig«"),
        "file-private": (meeting_doc([{**bilag[0], "is_private": True}]), "»is_private«"),
    }  # fmt: skip
    return [s(f"mark-{key}", _json(doc), f"{where} {mark}") for key, (doc, where) in cases.items()]
