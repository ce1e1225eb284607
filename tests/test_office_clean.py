"""Cleaning an Office file before conversion (no office suite here): external pictures,
templates and ODF links that would be fetched are gone, hyperlinks stay, tracked
changes are accepted, comments removed; a file with nothing to clean comes back as it
was, and a package that cannot be read is refused rather than converted unchecked."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest

from export.conversion.office_clean import OfficeContent, PackageNotCleaned, clean, survey
from tests import office_samples as samples
from tests.test_convert_office import fake_docx, minimal_xlsx, real_docx

URL = "http://127.0.0.1:9/billede.png"


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: package.read(name) for name in package.namelist()}


def _everything(data: bytes) -> bytes:
    return b"\n".join(_parts(data).values())


def test_an_external_picture_relationship_and_its_reference_are_removed():
    data = samples.docx_with_external_picture(URL)
    assert survey(data) == OfficeContent(external_images=(URL,))
    cleaned = clean(data)
    assert URL.encode() not in _everything(cleaned)
    assert b"r:link" not in _parts(cleaned)["word/document.xml"]
    assert survey(cleaned) == OfficeContent()
    # still a document Word's library opens, with its text
    texts = [p.text for p in docx.Document(io.BytesIO(cleaned)).paragraphs]
    assert "Notat med et billede" in texts and "Tekst efter billedet" in texts


def test_a_linked_template_is_removed_and_a_hyperlink_stays():
    data = samples.docx_with_linked_template("https://skabeloner.example/brev.dotx")
    document = docx.Document(io.BytesIO(data))
    document.part.relate_to("https://www.kl.dk/", docx.opc.constants.RELATIONSHIP_TYPE.HYPERLINK,
                            is_external=True)  # fmt: skip
    out = io.BytesIO()
    document.save(out)
    content = survey(out.getvalue())
    assert content.external_files == ("https://skabeloner.example/brev.dotx",)
    cleaned = _parts(clean(out.getvalue()))
    assert b"skabeloner.example" not in cleaned["word/_rels/settings.xml.rels"]
    assert b"attachedTemplate" not in cleaned["word/settings.xml"]
    assert b"https://www.kl.dk/" in cleaned["word/_rels/document.xml.rels"]  # never fetched


@pytest.mark.parametrize(
    "target",
    [URL, "file:///C:/Billeder/logo.png", "\\\\server\\deling\\logo.png", "../logo.png", "/tmp/x"],
)
def test_an_odf_picture_outside_the_package_is_removed_and_its_hyperlink_stays(target):
    data = samples.odt_with_external_picture(target)
    assert survey(data).external_images == (target,)
    cleaned = clean(data)
    content = _parts(cleaned)["content.xml"]
    assert target.encode() not in content
    assert b"https://www.kl.dk/" in content and b"ODT-notat med billede" in content
    with zipfile.ZipFile(io.BytesIO(cleaned)) as package:  # still a valid ODF package
        first = package.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED


def test_tracked_changes_are_accepted_deleted_text_gone_inserted_text_kept():
    data = samples.docx_with_tracked_changes("Beholdt", "SLETTET-HEMMELIGHED", "INDSAT")
    assert survey(data).tracked_changes
    cleaned = clean(data)
    assert b"SLETTET-HEMMELIGHED" not in _everything(cleaned)
    texts = [p.text for p in docx.Document(io.BytesIO(cleaned)).paragraphs]
    assert "Beholdt INDSAT" in texts
    assert not any("Hele afsnittet" in t for t in texts)
    assert texts[0] == "Indledning" and texts[-1] == "Afslutning"
    xml = _parts(cleaned)["word/document.xml"]
    for mark in (b"<w:del ", b"<w:ins ", b"<w:moveFrom ", b"w:delText"):
        assert mark not in xml


def test_an_odt_change_log_with_the_deleted_text_is_removed():
    data = samples.odt_with_tracked_deletion("Beholdt", "SLETTET-HEMMELIGHED")
    assert survey(data).tracked_changes
    content = _parts(clean(data))["content.xml"]
    assert b"SLETTET-HEMMELIGHED" not in content and b"Beholdt" in content
    assert b"slut." in content  # the text after a removed mark stays in place


def test_comments_are_removed_with_their_anchors():
    data = samples.docx_with_comment("Offentlig tekst", "KOMMENTAR-HEMMELIGHED")
    assert survey(data).comments
    cleaned = clean(data)
    assert b"KOMMENTAR-HEMMELIGHED" not in _everything(cleaned)
    assert b"commentReference" not in _parts(cleaned)["word/document.xml"]
    assert [p.text for p in docx.Document(io.BytesIO(cleaned)).paragraphs] == ["Offentlig tekst"]


def test_odt_comments_are_removed_and_the_text_around_them_stays():
    data = samples.odt_with_comment("Kommenteret tekst", "KOMMENTAR-HEMMELIGHED")
    assert survey(data) == OfficeContent(comments=True)
    content = _parts(clean(data))["content.xml"]
    assert b"KOMMENTAR-HEMMELIGHED" not in content and b"annotation" not in content
    assert b"Kommenteret tekst og mere." in content


@pytest.mark.parametrize(
    "data",
    [real_docx("Intet at rense"), minimal_xlsx([["a"]]), fake_docx("x"), b"{\\rtf1 gammel}"],
    ids=["docx", "xlsx", "odd-docx", "rtf"],
)
def test_a_file_with_nothing_to_clean_comes_back_byte_for_byte(data):
    assert clean(data) is data
    assert survey(data) == OfficeContent()


def test_a_package_that_cannot_be_read_is_refused():
    with pytest.raises(PackageNotCleaned):
        clean(real_docx("afskåret")[:3000])
    unreadable = io.BytesIO()
    with zipfile.ZipFile(unreadable, "w") as package:  # a revision mark in broken XML
        package.writestr("word/document.xml", "<w:document><w:del>SLETTET</w:document>")
    with pytest.raises(PackageNotCleaned):
        survey(unreadable.getvalue())


def _rewritten(data: bytes, part: str, change) -> bytes:  # type: ignore[no-untyped-def]
    """``data`` with one part's bytes passed through ``change``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            target.writestr(info, change(content) if info.filename == part else content)
    return out.getvalue()


def test_a_picture_pointing_at_a_hyperlink_or_an_absolute_target_is_cut_off():
    """Hostile shapes of the same thing: the picture names a hyperlink relationship
    (kept for the text's link, but not for the picture), or a relationship with an
    http target and no TargetMode."""
    data = samples.docx_with_external_picture(URL)
    as_hyperlink = _rewritten(
        data,
        "word/_rels/document.xml.rels",
        lambda xml: xml.replace(b"relationships/image", b"relationships/hyperlink"),
    )
    cleaned = _parts(clean(as_hyperlink))
    assert b"r:link" not in cleaned["word/document.xml"]
    assert URL.encode() in cleaned["word/_rels/document.xml.rels"]  # the link itself stays
    no_mode = _rewritten(
        data,
        "word/_rels/document.xml.rels",
        lambda xml: xml.replace(b' TargetMode="External"', b""),
    )
    assert b"TargetMode" not in _parts(no_mode)["word/_rels/document.xml.rels"]
    assert survey(no_mode).external_images == (URL,)
    assert URL.encode() not in _everything(clean(no_mode))


def test_a_utf16_part_is_cleaned_too():
    data = samples.docx_with_tracked_changes("Beholdt", "SLETTET-HEMMELIGHED", "INDSAT")
    utf16 = _rewritten(
        data,
        "word/document.xml",
        lambda xml: (
            xml.decode("utf-8")
            .replace("encoding='UTF-8'", "encoding='UTF-16'")
            .replace('encoding="UTF-8"', 'encoding="UTF-16"')
            .encode("utf-16")
        ),
    )
    assert "SLETTET".encode("utf-16-le") in _parts(utf16)["word/document.xml"]
    assert survey(utf16).tracked_changes
    assert b"SLETTET-HEMMELIGHED" not in _everything(clean(utf16))
