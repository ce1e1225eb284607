"""agenda.preflight: each rule on a meeting built here, with real files inspected by
export.inspection.inspect (PDFs from reportlab and pikepdf, a docx, an .exe)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from agenda.model import AgendaItem, Attachment, ItemKind, Meeting, MeetingStatus
from agenda.preflight import (
    MAX_BYTES,
    Finding,
    Severity,
    has_errors,
    override_record,
    preflight,
)
from export.inspection import inspect as inspect_module
from export.inspection.inspect import inspect_file
from tests import factories as f
from tests.test_inspect import (
    EXE,
    broken_xref_pdf,
    docx_file,
    encrypted_pdf,
    png_file,
    scanned_pdf,
    text_pdf,
    wrecked_pdf,
)

BEFORE = date(2024, 4, 1)  # the sample meeting is on 16 April 2024
HEADING = "1.1 Beslutningssag: Evaluering af klyngekontorer"
CPR = "160424-1234"


def decision(
    *bilag: Attachment, closed: bool = False, reference: str = "24/04521", **texts: str
) -> AgendaItem:
    texts = texts or {"indstilling": "Det indstilles, at KKR Sjælland godkender oplægget."}
    case = f.case("Evaluering af klyngekontorer", reference, attachments=bilag, **texts)
    return f.item("Evaluering af klyngekontorer", case_=case, closed=closed)


def meeting(*items: AgendaItem, **kw) -> Meeting:
    return f.meeting([("Sager", list(items))], **kw)


def run(
    meeting: Meeting,
    files: Mapping[str, bytes] = {},
    *,
    today: date = BEFORE,
    missing: tuple[str, ...] = (),
    tags: bool = False,
) -> list[Finding]:
    """Preflight as the app runs it: inspect every file whose bytes are present. The
    test PDFs have no tags: the ``untagged`` finding is left out unless ``tags`` asks
    (it is tested by itself)."""
    facts = {}
    for item in meeting.agenda.items():
        for a in item.attachments:
            if a.sha256 in files and a.sha256 not in missing:
                facts[a.sha256] = inspect_file(a.file_name, files[a.sha256])
    present = {sha for sha in files if sha not in missing}
    findings = preflight(meeting, facts, today=today, blobs_present=present)
    for finding in findings:  # never the full number, whatever the rule
        assert CPR not in finding.message and "1604241234" not in finding.message
    return [x for x in findings if tags or x.rule != "untagged"]


def bilag(title: str, data: bytes, name: str, **kw) -> tuple[Attachment, dict[str, bytes]]:
    a = f.attachment(title, data, name, **kw)
    return a, {a.sha256: data}


def rules(findings: list[Finding]) -> list[str]:
    return [finding.rule for finding in findings]


def only(findings: list[Finding], rule: str) -> Finding:
    [found] = [x for x in findings if x.rule == rule]
    return found


# -- a clean meeting -------------------------------------------------------------------


def test_sample_meeting_with_clean_bilag_has_no_findings() -> None:
    notat, files = bilag("Notat om klyngerne", text_pdf("Notat om klyngerne"), "notat.pdf")
    base = f.meeting()
    first = base.agenda.sections[1].items[0]
    with_bilag = replace(first, case=replace(first.case, attachments=(notat,)))
    sections = list(base.agenda.sections)
    sections[1] = replace(sections[1], items=(with_bilag, *sections[1].items[1:]))
    assert run(replace(base, agenda=replace(base.agenda, sections=tuple(sections))), files) == []


# -- items -----------------------------------------------------------------------------


def test_decision_without_recommendation_is_an_error() -> None:
    findings = run(meeting(decision(baggrund="Sagen er drøftet før.")))
    found = only(findings, "missing-recommendation")
    assert found.severity is Severity.ERROR
    assert found.item_heading == HEADING
    assert found.message.startswith(f"Punktet »{HEADING}« har ingen indstilling.")
    assert found.attachment_id is None


def test_recommendation_of_only_spaces_counts_as_missing() -> None:
    assert "missing-recommendation" in rules(run(meeting(decision(indstilling="  \n"))))


def test_information_item_needs_no_recommendation() -> None:
    case = f.case("Status", "24/01234", ItemKind.INFORMATION, baggrund="Til orientering.")
    findings = run(meeting(f.item("Status", ItemKind.INFORMATION, case_=case)))
    assert findings == []


@pytest.mark.parametrize("kind", [ItemKind.DECISION, ItemKind.DISCUSSION, ItemKind.THEME])
def test_case_item_without_case_number_is_a_warning(kind: ItemKind) -> None:
    case = f.case("Tema", "", kind)
    found = only(run(meeting(f.item("Tema", kind, case_=case))), "missing-case-number")
    assert found.severity is Severity.WARNING
    assert f"1.1 {kind.label}: Tema" in found.message and "sagsnummer" in found.message


def test_fixed_items_need_no_case_number() -> None:
    findings = run(
        meeting(
            f.item("Godkendelse af dagsorden", ItemKind.APPROVAL),
            f.item("Eventuelt", ItemKind.ANY_OTHER),
        )
    )
    assert findings == []


def test_closed_item_without_text_is_a_warning() -> None:
    item = f.item("Personalesag", ItemKind.INFORMATION, closed=True)
    found = only(run(meeting(item)), "closed-without-text")
    assert found.severity is Severity.WARNING and "lukket" in found.message
    assert "1.1 Orienteringssag: Personalesag" in found.message


def test_closed_item_with_text_is_fine() -> None:
    assert "closed-without-text" not in rules(run(meeting(decision(closed=True))))


# -- CPR numbers -----------------------------------------------------------------------


def test_cpr_in_open_case_text_is_an_error_and_masked() -> None:
    item = decision(
        indstilling="Det indstilles, at sagen godkendes.",
        sagsfremstilling=f"Borgeren (CPR {CPR}) har klaget.",
    )
    found = only(run(meeting(item)), "cpr-in-text")
    assert found.severity is Severity.ERROR
    assert "160424-xxxx" in found.message and "Sagsfremstilling" in found.message
    assert HEADING in found.message and "offentlige udgave" in found.message


def test_cpr_in_decision_of_minutes_is_found() -> None:
    item = replace(decision(), decision="Godkendt; borger 1604241234 orienteres.")
    assert only(run(meeting(item)), "cpr-in-text").message.startswith("Beslutningen")


def test_cpr_in_closed_item_is_not_a_finding() -> None:
    item = decision(closed=True, indstilling=f"Det indstilles, at {CPR} får tilskud.")
    assert "cpr-in-text" not in rules(run(meeting(item)))


def test_cpr_in_public_bilag_is_an_error_naming_it() -> None:
    pdf, files = bilag("Klage", text_pdf("Klage fra borger", f"CPR: {CPR}, 010180-4321"), "k.pdf")
    found = only(run(meeting(decision(pdf)), files), "cpr-in-attachment")
    assert found.severity is Severity.ERROR
    assert found.attachment_id == pdf.id and found.attachment_title == "Klage"
    assert "»Klage« (k.pdf)" in found.message and HEADING in found.message
    assert "2 CPR-numre (160424-xxxx, 010180-xxxx)" in found.message


def test_cpr_in_docx_bilag_is_found() -> None:
    doc, files = bilag("Notat", docx_file("Notat", table_cell=CPR), "notat.docx")
    assert "cpr-in-attachment" in rules(run(meeting(decision(doc)), files))


@pytest.mark.parametrize("closed", [False, True])
def test_cpr_in_bilag_kept_out_of_public_edition_is_not_an_error(closed: bool) -> None:
    pdf, files = bilag("Klage", text_pdf(f"CPR {CPR}"), "k.pdf", confidential=not closed)
    findings = run(meeting(decision(pdf, closed=closed)), files)
    assert "cpr-in-attachment" not in rules(findings)
    assert not has_errors(findings)


def test_partly_read_bilag_gets_a_note(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inspect_module, "TEXT_PAGES", 1)
    pdf, files = bilag("Rapport", text_pdf("side et", "side to"), "rapport.pdf")
    found = only(run(meeting(decision(pdf)), files), "cpr-check-partial")
    assert found.severity is Severity.INFO and "første 1 af 2 sider" in found.message


# -- files -----------------------------------------------------------------------------


def test_missing_bytes_are_an_error() -> None:
    pdf, files = bilag("Notat", text_pdf("Notat"), "notat.pdf")
    found = only(run(meeting(decision(pdf)), files, missing=(pdf.sha256,)), "missing-file")
    assert found.severity is Severity.ERROR
    assert "»Notat« (notat.pdf)" in found.message and "arbejdsområdet" in found.message


def test_facts_not_computed_is_a_warning() -> None:
    pdf, files = bilag("Notat", text_pdf("Notat"), "notat.pdf")
    findings = preflight(meeting(decision(pdf)), {}, today=BEFORE, blobs_present=set(files))
    assert only(findings, "not-inspected").severity is Severity.WARNING


def test_unsupported_type_is_an_error() -> None:
    exe, files = bilag("Program", EXE, "program.exe", media_type="application/octet-stream")
    found = only(run(meeting(decision(exe)), files), "unsupported-type")
    assert found.severity is Severity.ERROR
    assert "program.exe" in found.message and "PDF" in found.message


def test_encrypted_pdf_is_an_error() -> None:
    pdf, files = bilag("Låst", encrypted_pdf(user_password="hemmelig"), "låst.pdf")
    found = only(run(meeting(decision(pdf)), files), "encrypted")
    assert found.severity is Severity.ERROR and "adgangskode" in found.message
    assert "»Låst« (låst.pdf)" in found.message


def test_owner_password_only_is_no_finding() -> None:
    pdf, files = bilag("Begrænset", encrypted_pdf(user_password=""), "b.pdf")
    assert run(meeting(decision(pdf)), files) == []


def test_damaged_pdf_is_an_error_and_repaired_one_a_note() -> None:
    bad, bad_files = bilag("Ødelagt", wrecked_pdf(), "ødelagt.pdf")
    fixed, fixed_files = bilag("Repareret", broken_xref_pdf(), "repareret.pdf")
    findings = run(meeting(decision(bad, fixed)), bad_files | fixed_files)
    assert only(findings, "damaged").severity is Severity.ERROR
    assert "ødelagt.pdf" in only(findings, "damaged").message
    repaired = only(findings, "repaired")
    assert repaired.severity is Severity.INFO and repaired.attachment_id == fixed.id


@pytest.mark.parametrize(
    ("text_pages", "says"), [(1, "2 af 3 sider har ingen tekst"), (0, "ingen af siderne")]
)
def test_scanned_pdf_is_a_warning(text_pages: int, says: str) -> None:
    pdf, files = bilag("Scannet brev", scanned_pdf(2, text_pages=text_pages), "brev.pdf")
    found = only(run(meeting(decision(pdf)), files), "scanned")
    assert found.severity is Severity.WARNING
    assert says in found.message and "skærmlæsere" in found.message
    assert "tekstgenkendelse (OCR)" in found.message  # what to do: text first, then tags


def test_image_bilag_is_a_note() -> None:
    png, files = bilag("Foto", png_file(), "foto.png", media_type="image/png")
    found = only(run(meeting(decision(png)), files), "image-without-text")
    assert found.severity is Severity.INFO


@pytest.mark.slow
def test_bilag_over_20_mb_is_a_warning() -> None:
    data = "Referat af mødet\n".encode() * (MAX_BYTES // 18 + 10)
    big, files = bilag("Stort referat", data, "referat.txt", media_type="text/plain")
    found = only(run(meeting(decision(big)), files), "too-large")
    assert found.severity is Severity.WARNING and "20,0 MB" in found.message


def test_bilag_over_200_pages_is_a_warning() -> None:
    pdf, files = bilag("Rapport", text_pdf(*["Side"] * 201), "rapport.pdf")
    found = only(run(meeting(decision(pdf)), files), "too-many-pages")
    assert found.severity is Severity.WARNING and "201 sider" in found.message
    small, small_files = bilag("Rapport", text_pdf(*["Side"] * 200), "rapport.pdf")
    assert run(meeting(decision(small)), small_files) == []


def test_confidential_bilag_on_open_item_says_it_is_left_out() -> None:
    pdf, files = bilag("Tilbud", text_pdf("Tilbud"), "tilbud.pdf", confidential=True)
    found = only(run(meeting(decision(pdf)), files), "confidential-open-item")
    assert found.severity is Severity.INFO
    assert "udeladt af den offentlige udgave" in found.message
    closed = run(meeting(decision(pdf, closed=True)), files)
    assert "confidential-open-item" not in rules(closed)


def test_same_file_twice_is_a_warning_naming_both() -> None:
    data = text_pdf("Fælles bilag")
    first, files = bilag("Analyse", data, "analyse.pdf")
    again = f.attachment("Analysen igen", data, "kopi.pdf", confidential=True)
    other = f.item(
        "Budget",
        ItemKind.INFORMATION,
        case_=f.case("Budget", "24/00001", ItemKind.INFORMATION, attachments=(again,)),
    )
    found = only(run(meeting(decision(first), other), files), "duplicate-file")
    assert found.severity is Severity.WARNING and found.attachment_id == again.id
    assert "»Analysen igen« (kopi.pdf)" in found.message and "»Analyse«" in found.message
    assert HEADING in found.message and "fortrolig" in found.message


def test_same_file_confidential_on_one_item_public_on_another_is_an_error() -> None:
    data = text_pdf("Fælles bilag")
    public, files = bilag("Analyse", data, "analyse.pdf")
    secret = f.attachment("Analysen igen", data, "kopi.pdf", confidential=True)
    other = f.item(
        "Budget",
        ItemKind.INFORMATION,
        case_=f.case("Budget", "24/00001", ItemKind.INFORMATION, attachments=(secret,)),
    )
    for items in ((decision(public), other), (other, decision(public))):
        found = only(run(meeting(*items), files), "confidential-elsewhere")
        assert found.severity is Severity.ERROR and found.attachment_id == public.id
        assert "fortrolig som bilaget »Analysen igen« under punktet" in found.message
        assert "Markér bilaget som fortroligt her, eller fjern det" in found.message
    # the same item holding the file twice, once confidential
    both = decision(public, secret)
    found = only(run(meeting(both), files), "confidential-elsewhere")
    assert found.severity is Severity.ERROR and "under samme punkt" in found.message


# -- the meeting -----------------------------------------------------------------------


def test_past_meeting_still_draft_is_a_warning() -> None:
    found = only(run(meeting(decision()), today=date(2024, 4, 17)), "past-draft")
    assert found.severity is Severity.WARNING and found.item_id is None
    assert "tirsdag den 16. april 2024" in found.message and "kladde" in found.message


@pytest.mark.parametrize(
    ("today", "status"),
    [(date(2024, 4, 16), MeetingStatus.DRAFT), (date(2024, 5, 1), MeetingStatus.HELD)],
)
def test_meeting_today_or_held_is_fine(today: date, status: MeetingStatus) -> None:
    assert run(meeting(decision(), status=status), today=today) == []


# -- order, errors and the override ------------------------------------------------------


def test_errors_first_then_agenda_order() -> None:
    png, files = bilag("Foto", png_file(), "foto.png", media_type="image/png")
    exe, exe_files = bilag("Program", EXE, "program.exe")
    first = decision(png, reference="")  # warning (case number), info (image)
    second = f.item("Andet", case_=f.case("Andet", "24/2", baggrund="Uden indstilling"))
    third = decision(exe)  # error (file)
    findings = run(meeting(first, second, third), files | exe_files, today=date(2024, 5, 1))
    assert [(x.severity, x.rule, x.item_heading and x.item_heading[:3]) for x in findings] == [
        (Severity.ERROR, "missing-recommendation", "1.2"),
        (Severity.ERROR, "unsupported-type", "1.3"),
        (Severity.WARNING, "past-draft", None),
        (Severity.WARNING, "missing-case-number", "1.1"),
        (Severity.INFO, "image-without-text", "1.1"),
    ]
    assert has_errors(findings) and not has_errors(findings[2:])


def test_override_record_lists_every_error_without_cpr() -> None:
    pdf, files = bilag("Klage", text_pdf(f"CPR {CPR}"), "klage.pdf")
    findings = run(meeting(decision(pdf, reference="")), files)
    when = datetime(2024, 4, 9, 14, 30, tzinfo=UTC)
    record = override_record(findings, "jens", when, meeting_id=7)
    assert json.loads(json.dumps(record)) == record
    assert record["user"] == "jens" and record["when"] == "2024-04-09T14:30:00+00:00"
    assert record["meeting_id"] == 7
    assert (record["error_count"], record["warning_count"]) == (1, 1)
    [error] = record["errors"]
    assert error["rule"] == "cpr-in-attachment" and error["attachment_id"] == pdf.id
    assert error["item_heading"] == HEADING and error["attachment_title"] == "Klage"
    assert CPR not in json.dumps(record) and "1 fejl" in record["summary"]


def test_cpr_in_a_title_is_masked_everywhere() -> None:
    pdf, files = bilag(f"Klage fra {CPR}", text_pdf("Klage"), f"klage {CPR}.pdf")
    item = replace(decision(pdf), title=f"Sag om {CPR}")
    findings = run(meeting(item), files)  # run() asserts no message holds the number
    assert {x.rule for x in findings} == {"cpr-in-text", "cpr-in-attachment"}
    for finding in findings:
        assert finding.item_heading == "1.1 Beslutningssag: Sag om 160424-xxxx"
        assert CPR not in (finding.attachment_title or "")
    named = only(findings, "cpr-in-attachment")
    assert named.attachment_title == "Klage fra 160424-xxxx"
    assert named.message.startswith("Titlen eller filnavnet på bilaget »Klage fra 160424-xxxx«")


@pytest.mark.parametrize(
    ("change", "rule", "says"),
    [
        ({"encrypted_with_password": True, "convertible": False}, "encrypted", "adgangskode"),
        ({"damaged": True, "convertible": False}, "damaged", "beskadiget"),
        ({"convertible": False, "kind": "unknown"}, "unsupported-type", "filtype"),
    ],
)
def test_facts_without_a_problem_text_still_say_what_to_do(
    change: dict, rule: str, says: str
) -> None:
    """The rules are pure: facts from anywhere (a cache, a test) work, with a default text."""
    data = text_pdf("Notat")
    pdf, files = bilag("Notat", data, "notat.pdf")
    facts = replace(inspect_file("notat.pdf", data), **change)
    findings = preflight(
        meeting(decision(pdf)), {pdf.sha256: facts}, today=BEFORE, blobs_present=set(files)
    )
    found = only(findings, rule)
    assert found.severity is Severity.ERROR and says in found.message
    assert found.message.startswith(f"Bilaget »Notat« (notat.pdf) under punktet »{HEADING}«")
    assert len(findings) == 1


# -- accessibility ----------------------------------------------------------------------


def test_a_public_pdf_without_tags_says_how_to_save_one_with_them() -> None:
    from tests.pack_samples import tagged_pdf

    plain, files = bilag("Plan", text_pdf("Planens tekst"), "plan.pdf")
    tagged, more = bilag("Notat", tagged_pdf(["Notatets tekst"]), "notat.pdf")
    findings = run(meeting(decision(plain, tagged)), {**files, **more}, tags=True)
    found = only(findings, "untagged")
    assert found.attachment_title == "Plan" and found.severity is Severity.INFO
    assert "Filer → Gem som → PDF → Indstillinger → Dokumentstrukturkoder" in found.message
    # a Word bilag is converted with tags by the product: nothing to say about it
    word, docs = bilag("Oplæg", docx_file("Oplæg"), "oplæg.docx")
    assert not [f for f in run(meeting(decision(word)), docs, tags=True) if f.rule == "untagged"]
    # the facts say which is which
    assert inspect_file("notat.pdf", tagged_pdf(["x"])).tagged is True
    assert inspect_file("plan.pdf", text_pdf("x")).tagged is False


def test_a_confidential_or_scanned_pdf_gets_no_tag_finding() -> None:
    secret, files = bilag("Hemmelig", text_pdf("tekst"), "h.pdf", confidential=True)
    scan, more = bilag("Scanning", scanned_pdf(), "s.pdf")
    findings = run(meeting(decision(secret, scan)), {**files, **more}, tags=True)
    assert "untagged" not in rules(findings)
    assert "scanned" in rules(findings)  # which says it is not accessible, and what to do
