"""The strings of an attachment file that are not its running text, each with where it
is, for the preflight's CPR scan (``FileFacts.places``).

A public bilag goes out as it is (the public meeting export copies the file), so what a
reader of the page text never sees is published too: PDF form-field values
(``/AcroForm /Fields /V``, nested ``/Kids`` followed down), annotation comments and
their authors (``/Contents``, ``/T``), the document properties of PDFs and office
files; and in a spreadsheet every cell, named by sheet and cell, because a CPR number
typed as a number (``1604241234`` formatted ``000000-0000``) is in no text part at all.

Only strings with ten digits or more are kept (nothing shorter can hold a CPR number),
so a sheet of a million cells costs a list of the few that matter. Every reader is a
regex over the raw XML, like ``export.inspection.inspect``: no entity expansion, nothing to
exploit. Never raises for an odd file: what cannot be read is left out.
"""

from __future__ import annotations

import html
import posixpath
import re
import zipfile
from collections.abc import Callable, Iterator

import pikepdf

from agenda.cpr import may_hold_cpr
from export.pdf.image_metadata import jpeg_of_stream, metadata_texts

Places = list[tuple[str, str]]

#: More places than this and the file is reported as only partly checked.
MAX_PLACES = 10_000
#: Nested form fields deeper than this are not followed (a loop guard besides ``seen``).
_MAX_DEPTH = 32

# -- PDF --------------------------------------------------------------------------------


def pdf_places(pdf: pikepdf.Pdf) -> tuple[Places, bool]:
    """(places, complete): form fields, annotations and document properties. Not
    complete when a structure could not be read to its end or there were too many."""
    places: dict[tuple[str, str], None] = {}  # a field's /V and /DV are often the same
    complete = True
    readers: list[Callable[[pikepdf.Pdf], Iterator[tuple[str, str]]]] = [
        _pdf_properties,
        _form_fields,
        _annotations,
        _hidden_objects,
    ]
    for reader in readers:
        try:
            for place in reader(pdf):
                if may_hold_cpr(place[1]):
                    places[place] = None
                    if len(places) > MAX_PLACES:
                        return list(places)[:MAX_PLACES], False
        except (pikepdf.PdfError, RuntimeError, ValueError, TypeError, AttributeError):
            complete = False  # an odd structure: keep what was read, try the next reader
    return list(places), complete


def _pdf_properties(pdf: pikepdf.Pdf) -> Iterator[tuple[str, str]]:
    for key, value in pdf.docinfo.items():
        if isinstance(value, pikepdf.String) and not str(key).endswith("Date"):
            yield f"dokumentegenskaben »{str(key)[1:]}«", str(value)


def _form_fields(pdf: pikepdf.Pdf) -> Iterator[tuple[str, str]]:
    form = pdf.Root.get("/AcroForm")
    if not isinstance(form, pikepdf.Dictionary):
        return
    fields = form.get("/Fields")
    if isinstance(fields, pikepdf.Array):
        yield from _fields(fields, "", 0, set())


def _fields(
    fields: pikepdf.Array, parent: str, depth: int, seen: set[tuple[int, int]]
) -> Iterator[tuple[str, str]]:
    """Each field's full name (``person.navn``) with its value; a value is scanned
    behind its name ("kontonr: …"), which labels it for the CPR rule."""
    if depth > _MAX_DEPTH:
        return
    for field in fields:
        if not isinstance(field, pikepdf.Dictionary):
            continue
        if field.is_indirect:
            if field.objgen in seen:
                continue
            seen.add(field.objgen)
        part = _string(field.get("/T"))
        name = ".".join(p for p in (parent, part) if p)
        for key in ("/V", "/DV"):
            for value in _values(field.get(key)):
                yield f"formularfelt »{name or 'uden navn'}«", f"{name}: {value}"
        if part and not field.get("/V"):
            yield f"formularfelt »{name}« (navnet)", part
        kids = field.get("/Kids")
        if isinstance(kids, pikepdf.Array):
            yield from _fields(kids, name, depth + 1, seen)


def _values(value: object) -> Iterator[str]:
    if isinstance(value, pikepdf.Array):  # a list box with several choices
        for element in value:
            yield from _values(element)
    elif isinstance(value, pikepdf.String):
        yield str(value)
    elif isinstance(value, pikepdf.Name):
        yield str(value)[1:]  # a check box's or radio button's state


def _string(value: object) -> str:
    return str(value) if isinstance(value, pikepdf.String) else ""


def _annotations(pdf: pikepdf.Pdf) -> Iterator[tuple[str, str]]:
    for number, page in enumerate(pdf.pages, start=1):
        annotations = page.obj.get("/Annots")
        if not isinstance(annotations, pikepdf.Array):
            continue
        for annotation in annotations:
            if not isinstance(annotation, pikepdf.Dictionary):
                continue
            yield f"kommentar på side {number}", _string(annotation.get("/Contents"))
            if annotation.get("/Subtype") != pikepdf.Name.Widget:  # a widget's /T: a field
                yield f"kommentarens forfatter på side {number}", _string(annotation.get("/T"))


#: The most bytes of one embedded file read for the scan (its printable runs).
_EMBEDDED_BYTES = 2_000_000


def _hidden_objects(pdf: pikepdf.Pdf) -> Iterator[tuple[str, str]]:
    """Text a reader never sees on the page, wherever in the file it is: layer
    (optional content group) names, embedded and associated files (``/EF``, ``/AF``,
    a ``/GoToR`` link's file), and the metadata of JPEG images (EXIF, XMP, comments).
    The public edition's cleaner removes them all; a CPR number there is still a
    fejl, as the complete edition and the original keep them."""
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream):
            if obj.get("/Type") == "/EmbeddedFile":
                data = obj.read_bytes()[:_EMBEDDED_BYTES]
                yield "en vedhæftet fil i PDF'en", _printable(data)
                continue
            found = jpeg_of_stream(obj)
            for where, text in metadata_texts(found[0]) if found else ():
                yield f"et billedes metadata ({where})", text
        elif isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/OCG":
            yield "navnet på et lag (optional content)", _string(obj.get("/Name"))
        elif isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Filespec":
            for key in ("/F", "/UF", "/Desc"):
                yield "navnet på en vedhæftet fil", _string(obj.get(key))


def _printable(data: bytes) -> str:
    return "\n".join(run.decode("latin-1") for run in _RUNS.findall(data))


_RUNS = re.compile(rb"[\x20-\x7e\t]{6,}")


def image_places(data: bytes) -> Places:
    """The metadata of a JPEG or PNG file (EXIF, XMP, IPTC, comments, text chunks)
    that may hold a CPR number: the public edition strips it, the original keeps it."""
    return [
        (f"billedets metadata ({where})", text)
        for where, text in metadata_texts(data)
        if may_hold_cpr(text)
    ][:MAX_PLACES]


# -- office packages --------------------------------------------------------------------

_TAGS = re.compile(r"<[^>]*>")
#: A property of docProps/core.xml (``<dc:creator>``) or app.xml (``<Company>``).
_PROPERTY = re.compile(r"<([\w:]+)\b[^>]*>([^<]*)</\1>")


def office_places(package: zipfile.ZipFile, cap: int) -> tuple[Places, bool]:
    """(places, complete): the document properties (core, app, custom) of any office
    package, and every cell of a workbook. No part is read beyond ``cap`` bytes. Raises
    what zipfile raises on a broken package."""

    def read(name: str) -> bytes | None:
        try:
            with package.open(name) as part:
                return part.read(cap)
        except KeyError:
            return None

    places: Places = []
    for name in ("docProps/core.xml", "docProps/app.xml"):
        xml = read(name)
        for match in _PROPERTY.finditer(xml.decode("utf-8", "replace") if xml else ""):
            local = match[1].rsplit(":", 1)[-1]
            places.append((f"dokumentegenskaben »{local}«", html.unescape(match[2])))
    custom = read("docProps/custom.xml")
    for tag, inner in _elements(custom.decode("utf-8", "replace") if custom else "", "property"):
        name = _attributes(tag).get("name", "")
        places.append((f"dokumentegenskaben »{name}«", f"{name}: {_text(inner)}"))
    if read("xl/workbook.xml") is not None:
        places += _workbook_places(read)
    kept = [(place, text) for place, text in places if may_hold_cpr(text)]
    return kept[:MAX_PLACES], len(kept) <= MAX_PLACES


_SHEET = re.compile(r"<(?:\w+:)?sheet\b([^>]*)/?>")
_RELATIONSHIP = re.compile(r"<(?:\w+:)?Relationship\b([^>]*)/?>")
_ATTRIBUTE = re.compile(r"([\w:]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_PHONETIC = re.compile(r"<(?:\w+:)?rPh\b.*?</(?:\w+:)?rPh>", re.S)
_VALUE = re.compile(r"<(?:\w+:)?v\b[^>]*>(.*?)</(?:\w+:)?v>", re.S)
_INLINE = re.compile(r"<(?:\w+:)?is\b[^>]*>(.*?)</(?:\w+:)?is>", re.S)
_NUMBER_FORMAT = re.compile(r"<(?:\w+:)?numFmt\b([^>]*)/?>")
_CELL_FORMATS = re.compile(r"<(?:\w+:)?cellXfs\b[^>]*>(.*?)</(?:\w+:)?cellXfs>", re.S)
_FORMAT = re.compile(r"<(?:\w+:)?xf\b([^>]*?)/?>")


def _elements(xml: str, tag: str) -> Iterator[tuple[str, str]]:
    """(attributes, inner XML) of each ``<tag>``. An element ends at its end tag or, in a
    broken part, where the next one starts: linear, however the part is broken (a lazy
    ``<c>(.*?)</c>`` would scan to the end again for every unclosed cell)."""
    starts = re.compile(rf"<(?:\w+:)?{tag}\b([^>]*?)(/?)>")
    ends = re.compile(rf"</(?:\w+:)?{tag}>")
    current = starts.search(xml)
    while current is not None:
        following = starts.search(xml, current.end())
        stop = following.start() if following else len(xml)
        if current[2]:
            yield current[1], ""
        else:
            close = ends.search(xml, current.end(), stop)
            yield current[1], xml[current.end() : close.start() if close else stop]
        current = following


def _attributes(tag: str) -> dict[str, str]:
    """``r:id="rId1"`` -> ``{"id": "rId1"}`` (prefixes dropped), entities resolved."""
    return {
        name.rsplit(":", 1)[-1]: html.unescape(double if double else single)
        for name, double, single in _ATTRIBUTE.findall(tag)
    }


def _text(xml: str) -> str:
    return html.unescape(_TAGS.sub("", _PHONETIC.sub("", xml)))


def _workbook_places(read: Callable[[str], bytes | None]) -> Places:
    def part(name: str) -> str:
        data = read(name)
        return data.decode("utf-8", "replace") if data is not None else ""

    targets = {}
    for match in _RELATIONSHIP.finditer(part("xl/_rels/workbook.xml.rels")):
        attributes = _attributes(match[1])
        target = attributes.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        targets[attributes.get("Id")] = posixpath.normpath(path)
    shared = [_text(inner) for _, inner in _elements(part("xl/sharedStrings.xml"), "si")]
    formats = _cell_number_formats(part("xl/styles.xml"))
    places: Places = []
    sheets = [_attributes(m[1]) for m in _SHEET.finditer(part("xl/workbook.xml"))]
    for number, sheet in enumerate(sheets, start=1):
        places.append((f"ark {number} (navnet)", sheet.get("name", "")))
        target = targets.get(sheet.get("id"))
        if target:
            places += _sheet_places(f"ark {number}", part(target), shared, formats)
    return places


def _sheet_places(
    sheet: str, xml: str, shared: list[str], formats: list[str]
) -> Iterator[tuple[str, str]]:
    for page in ("odd", "even", "first"):
        for part, where in (("Header", "sidehoved"), ("Footer", "sidefod")):
            for _, inner in _elements(xml, page + part):
                yield f"{sheet}, {where}", _text(inner)
    for tag, inner in _elements(xml, "c"):
        attributes = _attributes(tag)
        text = _cell_text(attributes, inner, shared, formats)
        if text:
            cell = attributes.get("r")
            yield (f"{sheet}, celle {cell}" if cell else sheet), text


def _cell_text(attributes: dict[str, str], inner: str, shared: list[str], formats: list[str]):
    """What the cell shows: a shared or inline string, or a number rendered with its
    number format; "" for booleans, errors and empty cells."""
    kind = attributes.get("t", "n")
    if kind == "inlineStr":
        found = _INLINE.search(inner)
        return _text(found[1]) if found else ""
    value = _VALUE.search(inner)
    if value is None:
        return ""
    raw = html.unescape(value[1]).strip()
    if kind == "s":
        index = int(raw) if raw.isdigit() else -1
        return shared[index] if 0 <= index < len(shared) else ""
    if kind == "str":  # a formula's text result
        return raw
    if kind != "n":
        return ""
    style = attributes.get("s", "0")
    code = formats[int(style)] if style.isdigit() and int(style) < len(formats) else "General"
    return render_number(raw, code)


#: Built-in number formats (ECMA-376, 18.8.30) that show a whole number's digits as
#: they are; the others (decimals, thousands, percent, dates, fractions) do not.
_BUILT_IN = {"0": "General", "1": "0", "49": "@"}
_DIFFERENT_BUILT_IN = frozenset(str(n) for n in range(2, 49))


def _cell_number_formats(styles: str) -> list[str]:
    """The number format code of each cell format (the index a cell's ``s`` names)."""
    custom = {}
    for match in _NUMBER_FORMAT.finditer(styles):
        attributes = _attributes(match[1])
        custom[attributes.get("numFmtId", "")] = attributes.get("formatCode", "General")
    cell_formats = _CELL_FORMATS.search(styles)
    if cell_formats is None:
        return []
    codes = []
    for match in _FORMAT.finditer(cell_formats[1]):
        fmt = _attributes(match[1]).get("numFmtId", "0")
        if fmt in custom:
            codes.append(custom[fmt])
        elif fmt in _DIFFERENT_BUILT_IN:
            codes.append("")  # shows no run of ten digits
        else:
            codes.append(_BUILT_IN.get(fmt, "General"))
    return codes


_FORMAT_TOKEN = re.compile(r'"[^"]*"|\\.|_.|\*.|\[[^\]]*\]|.', re.S)
#: Characters a format code shows as themselves without quotes.
_LITERAL = set(" -+()$:!^&'~{}<>=")


def render_number(raw: str, code: str) -> str:
    """A cell's number as the format ``code`` shows it, for whole numbers and codes made
    of digit placeholders and literals (``000000\\-0000``, ``"000000-0000"`` quoted,
    ``0000000000``); the number as written for General; "" for a code that shows
    something else (decimals, thousands separators, dates), where no CPR shape appears."""
    try:
        number = float(raw)
    except ValueError:
        return ""
    if not number.is_integer() or abs(number) >= 1e15:
        return ""
    digits = str(abs(int(number)))
    section = code.split(";")[0]
    if section.strip().lower() in ("general", "@", ""):
        return digits if code else ""
    shown: list[tuple[bool, str]] = []  # (a digit placeholder, its character or text)
    for token in _FORMAT_TOKEN.findall(section):
        if token in ("0", "#", "?"):
            shown.append((True, token))
        elif token.startswith('"'):
            shown.append((False, token[1:-1]))
        elif token.startswith("\\"):
            shown.append((False, token[1:]))
        elif token.startswith("_"):
            shown.append((False, " "))
        elif token.startswith(("*", "[")):
            continue  # fill character, colour or condition
        elif token in _LITERAL:
            shown.append((False, token))
        else:
            return ""  # a decimal point, separator, percent, date part: not a CPR shape
    out = [text for _, text in shown]
    placeholders = [i for i, (digit, _) in enumerate(shown) if digit]
    # digits fill the placeholders from the right: "0" shows a zero where none is left,
    # "#" and "?" nothing; the digits left over go in front of the first placeholder
    rest = digits
    for position in reversed(placeholders):
        out[position] = rest[-1] if rest else ("0" if out[position] == "0" else "")
        rest = rest[:-1]
    if placeholders:
        out[placeholders[0]] = rest + out[placeholders[0]]
    return "".join(out)
