"""Preflight says what the conversion leaves out of an Office bilag: a picture or file
it links to (never fetched, so missing from the pack), tracked changes (accepted) and
comments (not printed); a file with none of these gets no such finding."""

from __future__ import annotations

import io
import zipfile

from agenda.preflight import Severity
from export.inspection.inspect import inspect_file
from tests import office_samples as samples
from tests.test_convert_office import real_docx
from tests.test_preflight import HEADING, bilag, decision, meeting, only, rules, run

URL = "http://billeder.example/kort.png"
RULES = {"external-picture", "external-file", "tracked-changes", "comments"}


def test_an_external_picture_is_a_warning_naming_the_file_and_the_address() -> None:
    doc, files = bilag("Kort", samples.docx_with_external_picture(URL), "kort.docx")
    found = only(run(meeting(decision(doc)), files), "external-picture")
    assert found.severity is Severity.WARNING and found.attachment_id == doc.id
    assert found.message.startswith(f"Bilaget »Kort« (kort.docx) under punktet »{HEADING}«")
    assert (
        f"henviser til et eksternt billede ({URL}); det bliver ikke hentet og mangler i "
        "bilagspakken. Indsæt billedet i dokumentet i stedet." in found.message
    )


def test_an_odt_picture_and_a_linked_template_are_named_too() -> None:
    odt, odt_files = bilag("Plan", samples.odt_with_external_picture(URL), "plan.odt")
    assert URL in only(run(meeting(decision(odt)), odt_files), "external-picture").message
    template = "https://skabeloner.example/brev.dotx"
    doc, files = bilag("Brev", samples.docx_with_linked_template(template), "brev.docx")
    found = only(run(meeting(decision(doc)), files), "external-file")
    assert found.severity is Severity.WARNING and template in found.message


def test_tracked_changes_and_comments_are_notes_saying_what_the_pack_does() -> None:
    changed = samples.docx_with_tracked_changes("Beholdt", "Slettet", "Indsat")
    doc, files = bilag("Indstilling", changed, "indstilling.docx")
    found = only(run(meeting(decision(doc)), files), "tracked-changes")
    assert found.severity is Severity.INFO
    assert "indeholder sporede ændringer; de er accepteret i bilagspakken" in found.message
    noted, files = bilag("Notat", samples.docx_with_comment("Tekst", "Husk"), "notat.docx")
    found = only(run(meeting(decision(noted)), files), "comments")
    assert found.severity is Severity.INFO
    assert "indeholder kommentarer; de kommer ikke med i bilagspakken" in found.message


def test_a_plain_docx_has_none_of_these_findings_and_its_facts_say_so() -> None:
    doc, files = bilag("Notat", real_docx("Et helt almindeligt notat"), "notat.docx")
    assert not RULES & set(rules(run(meeting(decision(doc)), files)))
    facts = inspect_file("notat.docx", files[doc.sha256])
    assert facts.external_images == facts.external_files == ()
    assert not facts.tracked_changes and not facts.comments


def test_a_package_the_cleaning_cannot_read_is_damaged_in_preflight_as_in_the_pack() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<w:document><w:del>SLETTET</w:document>")
    facts = inspect_file("rod.docx", out.getvalue())
    assert facts.damaged and "rod.docx" in facts.problem
