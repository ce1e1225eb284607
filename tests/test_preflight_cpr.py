"""CPR numbers everywhere the public edition publishes: every string of the meeting and of
its open items (unknown fields too), and of public bilag the PDF form fields,
annotations and properties and every spreadsheet cell; each finding names the place.
Labelled numbers ("Konto 3100 0101901234", "Faktura 311299-0001") stay quiet."""

from __future__ import annotations

import io
from dataclasses import replace
from types import MappingProxyType

import pikepdf
import pytest

from agenda.model import Body, Participant, Section
from export.inspection import inspect_places
from export.inspection.inspect import inspect_file
from export.inspection.inspect_places import render_number
from tests import factories as f
from tests.test_cli import run as run_cli
from tests.test_inspect import docx_file, text_pdf, zip_package
from tests.test_preflight import CPR, bilag, decision, meeting, rules, run

OTHER = "010180-1233"  # passes modulus 11: a CPR number whatever the label
LABELLED = "Konto 3100 0101901234 og Faktura 311299-0001"  # valid dates, fail modulus 11


def extra(**values: object) -> MappingProxyType:
    return MappingProxyType(values)


def cpr_messages(findings) -> list[str]:
    return [x.message for x in findings if x.rule.startswith("cpr-in-")]


def one_cpr_message(findings, place: str) -> str:
    found = [m for m in cpr_messages(findings) if place in m]
    assert len(found) == 1, (place, cpr_messages(findings))
    return found[0]


# -- file makers ------------------------------------------------------------------------

_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def xlsx_file(
    sheets: dict[str, str], shared: list[str] = (), formats: dict[int, str] | None = None
) -> bytes:
    """A workbook written part by part (openpyxl is not installed): ``sheets`` maps a
    sheet's name to its ``<sheetData>`` rows; ``formats`` maps a cell style index (``s``)
    to a custom number format code (style 0 is General)."""
    formats = formats or {}
    names = list(sheets)
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for n in range(1, len(names) + 1)
    )
    parts = {
        "[Content_Types].xml": _XML
        + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats'
        '-officedocument.spreadsheetml.sheet.main+xml"/>' + overrides + "</Types>",
        "_rels/.rels": _XML
        + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>",
        "xl/workbook.xml": _XML
        + f'<workbook {_MAIN} xmlns:r="{_REL}"><sheets>'
        + "".join(
            f'<sheet name="{name}" sheetId="{n}" r:id="rId{n}"/>'
            for n, name in enumerate(names, start=1)
        )
        + "</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": _XML
        + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(
            f'<Relationship Id="rId{n}" Type="{_REL}/worksheet" Target="worksheets/sheet{n}.xml"/>'
            for n in range(1, len(names) + 1)
        )
        + "</Relationships>",
        "xl/sharedStrings.xml": _XML
        + f'<sst {_MAIN} count="{len(shared)}">'
        + "".join(f"<si><t>{s}</t></si>" for s in shared)
        + "</sst>",
        "xl/styles.xml": _XML
        + f"<styleSheet {_MAIN}><numFmts>"
        + "".join(
            f'<numFmt numFmtId="{164 + s}" formatCode="{code}"/>' for s, code in formats.items()
        )
        + '</numFmts><cellXfs><xf numFmtId="0"/>'
        + "".join(
            f'<xf numFmtId="{164 + s if s in formats else 0}" applyNumberFormat="1"/>'
            for s in range(1, max(formats, default=0) + 1)
        )
        + "</cellXfs></styleSheet>",
    }
    for n, rows in enumerate(sheets.values(), start=1):
        parts[f"xl/worksheets/sheet{n}.xml"] = (
            _XML + f"<worksheet {_MAIN}><sheetData>{rows}</sheetData></worksheet>"
        )
    return zip_package({name: text.encode() for name, text in parts.items()})


def form_pdf(fields: dict[str, object], *, comment: str = "", author: str = "") -> bytes:
    """A text PDF with an AcroForm: ``fields`` maps a field name to its value, or to a
    dict of child fields (a field with /Kids); ``comment`` and ``author`` make a text
    annotation on page 1."""
    pdf = pikepdf.open(io.BytesIO(text_pdf("Ansøgningsskema")))

    def field(name: str, value: object) -> pikepdf.Dictionary:
        made = pdf.make_indirect(pikepdf.Dictionary(T=pikepdf.String(name)))
        if isinstance(value, dict):
            made.Kids = pikepdf.Array([field(k, v) for k, v in value.items()])
        else:
            made.FT = pikepdf.Name.Tx
            made.V = pikepdf.String(str(value))
        return made

    pdf.Root.AcroForm = pikepdf.Dictionary(
        Fields=pikepdf.Array([field(k, v) for k, v in fields.items()])
    )
    if comment or author:
        note = pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Text,
            Rect=[72, 700, 92, 720],
            Contents=pikepdf.String(comment),
            T=pikepdf.String(author),
        )
        pdf.pages[0].Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(note)]))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


# -- the meeting's own strings -----------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "place"),
    [
        (lambda m: replace(m, title=f"Møde om {OTHER}"), "Mødets titel"),
        (lambda m: replace(m, location=f"Hos {OTHER}"), "Mødestedet"),
        (lambda m: replace(m, body=Body(name=f"KKR {OTHER}")), "Udvalgets navn"),
        (
            lambda m: replace(m, participants=(*m.participants, Participant(f"Ole {OTHER}"))),
            "Deltager 3 (navn)",
        ),
        (
            lambda m: replace(
                m, participants=(*m.participants, Participant("Ole", f"CPR {OTHER}"))
            ),
            "Deltager 3 (rolle)",
        ),
        (
            lambda m: replace(
                m, participants=(Participant("Ole", extra=extra(note=f"cpr {OTHER}")),)
            ),
            "Det ukendte felt »note« hos deltager 1",
        ),
        (
            lambda m: replace(m, extra=extra(organizer={"contacts": [{"cpr": OTHER}]})),
            "Det ukendte felt »organizer.contacts.1.cpr« på mødet",
        ),
        (
            lambda m: replace(m, body=Body(name="KKR", extra=extra(id=1604241234))),
            "Det ukendte felt »id« på udvalget",
        ),
    ],
)
def test_cpr_in_a_meeting_field_is_an_error_naming_it(change, place: str) -> None:
    message = one_cpr_message(run(change(meeting(decision()))), place)
    assert "offentlige udgave" in message and "-xxxx" in message


def test_cpr_in_a_section_name_or_its_unknown_fields() -> None:
    m = meeting(decision())
    sections = (
        Section("Indledning"),
        replace(m.agenda.sections[0], name=f"Sager om {OTHER}"),
        Section("Afslutning", extra=extra(header=f"Personnummer {CPR}")),
    )
    findings = run(replace(m, agenda=replace(m.agenda, sections=sections)))
    assert "Afsnit 2 (navn) indeholder et CPR-nummer (010180-xxxx)" in cpr_messages(findings)[0]
    one_cpr_message(findings, "Det ukendte felt »header« på afsnit 3")


# -- an open item's strings --------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "place"),
    [
        (lambda c: replace(c, reference=OTHER), "Sagsnummeret i punktet"),
        (lambda c: replace(c, officer=f"Jens, cpr {CPR}"), "Sagsbehandleren i punktet"),
        (lambda c: replace(c, extra=extra(hidden=f"{CPR}")), "»hidden« på sagen i punktet"),
    ],
)
def test_cpr_in_a_case_field_of_an_open_item(change, place: str) -> None:
    item = decision()
    item = replace(item, case=change(item.case))
    assert "punktet er åbent" in one_cpr_message(run(meeting(item)), place)
    closed = replace(item, closed=True)
    assert cpr_messages(run(meeting(closed))) == []  # not published: no finding


def test_cpr_in_unknown_fields_of_an_item() -> None:
    item = replace(decision(), extra=extra(sender={"cpr": int(CPR.replace("-", ""))}))
    one_cpr_message(run(meeting(item)), "Det ukendte felt »sender.cpr« på punktet")


@pytest.mark.parametrize("mark", ["\u00ad", "\u200b", "\u2060", "\ufeff", "\u202e"])
def test_a_number_with_invisible_characters_in_it_is_an_error(mark: str) -> None:
    """Printed, the invisible character is dropped and the number reads whole."""
    item = decision(sagsfremstilling=f"Borger 0101{mark}90-1235 har klaget.")
    message = one_cpr_message(run(meeting(item)), "punktet")
    assert "010190-xxxx" in message and "1235" not in message


def test_labelled_account_and_invoice_numbers_are_no_error() -> None:
    item = decision(
        sagsfremstilling=f"Beløbet overføres til {LABELLED}.",
        indstilling="Det indstilles, at KKR godkender.",
    )
    item = replace(item, case=replace(item.case, extra=extra(kontonr="3100 0101901234")))
    pdf, files = bilag("Faktura", text_pdf(LABELLED), "faktura.pdf")
    item = replace(item, case=replace(item.case, attachments=(pdf,)))
    assert cpr_messages(run(meeting(item), files)) == []


# -- public bilag: unknown fields, PDF forms and annotations, spreadsheet cells ----------


def test_cpr_in_an_unknown_field_of_a_public_bilag() -> None:
    pdf, files = bilag("Notat", text_pdf("Notat"), "notat.pdf")
    pdf = replace(pdf, extra=extra(afsender=f"CPR {CPR}"))
    message = one_cpr_message(run(meeting(decision(pdf)), files), "»afsender«")
    assert message.startswith("Det ukendte felt »afsender« på bilaget »Notat« (notat.pdf)")
    secret = replace(pdf, confidential=True)
    assert cpr_messages(run(meeting(decision(secret)), files)) == []


def test_pdf_form_fields_nested_kids_and_annotations_are_scanned() -> None:
    data = form_pdf(
        {"navn": f"Ole {CPR}", "person": {"nummer": OTHER}, "kontonr": "0101901234"},
        comment=f"Husk CPR {CPR}",
        author="Sagsbehandler 010203-1234",
    )
    pdf, files = bilag("Skema", data, "skema.pdf")
    findings = run(meeting(decision(pdf)), files)
    one_cpr_message(findings, "formularfelt »navn«")
    one_cpr_message(findings, "formularfelt »person.nummer«")
    one_cpr_message(findings, "kommentar på side 1")
    one_cpr_message(findings, "kommentarens forfatter på side 1")
    assert not any("kontonr" in m for m in cpr_messages(findings))  # labelled
    assert len(cpr_messages(findings)) == 4  # the page text repeats none of them


def test_pdf_properties_are_scanned() -> None:
    source = pikepdf.open(io.BytesIO(text_pdf("Notat")))
    source.docinfo["/Author"] = f"Ole {CPR}"
    out = io.BytesIO()
    source.save(out)
    pdf, files = bilag("Notat", out.getvalue(), "notat.pdf")
    one_cpr_message(run(meeting(decision(pdf)), files), "dokumentegenskaben »Author«")


def _sheet(*cells: str) -> str:
    return f'<row r="1">{"".join(cells)}</row>'


def test_spreadsheet_cells_are_scanned_and_named() -> None:
    data = xlsx_file(
        {
            "Oversigt": _sheet(
                '<c r="A1" t="s"><v>0</v></c>',
                '<c r="B3" t="s"><v>1</v></c>',
                f'<c r="C4" t="inlineStr"><is><t>Borger {OTHER}</t></is></c>',
            ),
            "Tal": _sheet(
                '<c r="A2" s="1"><v>1604241234</v></c>',  # 000000\-0000
                '<c r="B2" s="2"><v>101801233</v></c>',  # 000000-0000: the lost zero back
                '<c r="C2" s="3"><v>1604241234</v></c>',  # #,##0: 1.604.241.234
                '<c r="D2" t="s"><v>2</v></c>',
            ),
        },
        shared=["Navn", f"cpr {CPR}", LABELLED],
        formats={1: "000000\\-0000", 2: "000000-0000", 3: "#,##0"},
    )
    sheet, files = bilag("Oversigt", data, "oversigt.xlsx", media_type="")
    findings = run(meeting(decision(sheet)), files)
    assert sorted(cpr_messages(findings)) == sorted(
        one_cpr_message(findings, place)
        for place in ("ark 1, celle B3", "ark 1, celle C4", "ark 2, celle A2", "ark 2, celle B2")
    )
    message = one_cpr_message(findings, "celle B2")
    assert message.startswith("Bilaget »Oversigt« (oversigt.xlsx), ark 2, celle B2, under")
    assert "« indeholder et CPR-nummer (010180-xxxx) og kommer med" in message


def test_number_formats_render_as_excel_shows_them() -> None:
    assert render_number("1604241234", "000000\\-0000") == "160424-1234"
    assert render_number("101801233", '000000"-"0000') == "010180-1233"
    assert render_number("101801233", "0000000000") == "0101801233"
    assert render_number("1604241234", "General") == "1604241234"
    assert render_number("1604241234", "[Blue]000000\\-0000;@") == "160424-1234"
    assert render_number("1604241234", "#,##0") == ""
    assert render_number("1604241234.5", "0") == ""
    assert render_number("45397", "dd-mm-yyyy") == ""


def test_sheet_names_and_headers_and_office_properties_are_scanned() -> None:
    data = xlsx_file({f"Borger {OTHER}": _sheet()})
    sheet, files = bilag("Ark", data, "ark.xlsx", media_type="")
    one_cpr_message(run(meeting(decision(sheet)), files), "ark 1 (navnet)")
    doc = docx_file("Notat")
    with_author = zip_package(
        {
            **{n: d for n, d in _parts(doc).items() if n != "docProps/core.xml"},
            "docProps/core.xml": (
                '<cp:coreProperties xmlns:cp="c" xmlns:dc="d">'
                f"<dc:creator>Ole {CPR}</dc:creator></cp:coreProperties>"
            ).encode(),
        }
    )
    word, files = bilag("Notat", with_author, "notat.docx", media_type="")
    one_cpr_message(run(meeting(decision(word)), files), "dokumentegenskaben »creator«")
    custom = (
        '<Properties xmlns:vt="v"><property fmtid="{x}" pid="2" name="Kontonr">'
        '<vt:lpwstr>0101901234</vt:lpwstr></property><property fmtid="{x}" pid="3" '
        f'name="Borger"><vt:lpwstr>{OTHER}</vt:lpwstr></property></Properties>'
    )
    with_custom = zip_package({**_parts(doc), "docProps/custom.xml": custom.encode()})
    word, files = bilag("Notat", with_custom, "notat.docx", media_type="")
    findings = run(meeting(decision(word)), files)
    assert cpr_messages(findings) == [one_cpr_message(findings, "dokumentegenskaben »Borger«")]


def _parts(package: bytes) -> dict[str, bytes]:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(package)) as z:
        return {name: z.read(name) for name in z.namelist()}


def test_a_confidential_or_closed_spreadsheet_is_not_scanned() -> None:
    data = xlsx_file({"A": _sheet(f'<c r="A1" t="inlineStr"><is><t>{CPR}</t></is></c>')})
    for closed, confidential in ((False, True), (True, False)):
        sheet, files = bilag("A", data, "a.xlsx", media_type="", confidential=confidential)
        assert "cpr-in-attachment" not in rules(run(meeting(decision(sheet, closed=closed)), files))


def test_inspect_keeps_only_strings_that_may_hold_a_number() -> None:
    facts = inspect_file("skema.pdf", form_pdf({"navn": "Ole Hansen", "nr": OTHER}))
    assert facts.places == (("formularfelt »nr«", f"nr: {OTHER}"),)


# -- the CLI -----------------------------------------------------------------------------


@pytest.mark.slow
def test_cli_preflight_exits_1_naming_the_participant_role(tmp_path) -> None:
    from storage.workspace import open_workspace

    m = f.meeting(participants=(Participant("Mette Hansen", f"Formand, CPR {CPR}"),))
    with open_workspace(tmp_path / "w.kkrdb") as ws:
        saved = ws.save_meeting(m)
    proc = run_cli("preflight", "--workspace", tmp_path / "w.kkrdb", "--meeting", saved.id, code=1)
    assert "FEJL: Deltager 1 (rolle) indeholder et CPR-nummer (160424-xxxx)" in proc.stdout
    assert CPR not in proc.stdout + proc.stderr


# -- odd files: what can be read is still scanned ----------------------------------------


def test_a_form_with_a_field_loop_and_junk_still_has_its_good_fields_scanned() -> None:
    source = pikepdf.open(io.BytesIO(form_pdf({"cpr": CPR})))
    good = source.Root.AcroForm.Fields[0]
    loop = source.make_indirect(pikepdf.Dictionary(T=pikepdf.String("løkke")))
    loop.Kids = pikepdf.Array([loop, 7, pikepdf.Name.Junk])
    source.Root.AcroForm.Fields = pikepdf.Array([loop, 3, good])
    source.pages[0].obj.Annots = pikepdf.Name.NotAnArray
    out = io.BytesIO()
    source.save(out)
    facts = inspect_file("løkke.pdf", out.getvalue())
    assert facts.places == (("formularfelt »cpr«", f"cpr: {CPR}"),)


def test_a_broken_workbook_still_has_its_good_cells_scanned() -> None:
    data = xlsx_file(
        {
            "A": _sheet(
                '<c r="A1" t="s"><v>99</v></c>',  # no such shared string
                '<c r="B1" s="42"><v>1604241234</v></c>',  # no such style: General
                '<c r="C1" t="s"><v>x</v></c>',
                '<c r="D1" t="inlineStr"><is><t>cpr 010203',  # never closed
            ),
        },
        shared=[CPR],
    )
    facts = inspect_file("brudt.xlsx", data)
    assert not facts.damaged
    assert ("ark 1, celle B1", "1604241234") in facts.places


@pytest.mark.slow
def test_sheet_headers_are_scanned_and_unclosed_cells_cost_linear_time() -> None:
    rows = '<c r="A1"><v>1</v>' * 50_000  # never closed: each ends where the next starts
    footer = f"<headerFooter><oddFooter>&amp;L Borger {OTHER}</oddFooter></headerFooter>"
    data = xlsx_file({"A": _sheet(rows) + "</sheetData>" + footer + "<sheetData>"})
    facts = inspect_file("lang.xlsx", data)
    assert facts.places == (("ark 1, sidefod", f"&L Borger {OTHER}"),)


@pytest.mark.parametrize("kind", ["pdf", "xlsx"])
def test_too_many_places_is_a_partial_check(kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inspect_places, "MAX_PLACES", 2)
    if kind == "pdf":
        data = form_pdf({f"f{n}": f"{n:02d}0101901234" for n in range(5)})
    else:
        cells = "".join(f'<c r="A{n}"><v>1234567890{n}</v></c>' for n in range(5))
        data = xlsx_file({"A": _sheet(cells)})
    item, files = bilag("Mange", data, f"mange.{kind}", media_type="")
    findings = run(meeting(decision(item)), files)
    partial = [x for x in findings if x.rule == "cpr-check-partial"]
    assert len(partial) == 1 and "kun delvist" in partial[0].message
