"""Office files that link to things outside themselves or carry tracked changes and
comments, made here (python-docx, or the ODF XML by hand), for the cleaning, preflight
and LibreOffice tests and the hostile corpus."""

from __future__ import annotations

import io
import zipfile

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from PIL import Image

_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_ATTACHED_TEMPLATE = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"
)
_WHO = 'w:author="Sagsbehandler" w:date="2024-04-02T10:00:00Z"'


def _png(color: str = "red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (16, 16), color).save(out, "PNG")
    return out.getvalue()


def _saved(document: docx.document.Document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_with_external_picture(url: str, text: str = "Notat med et billede") -> bytes:
    """A DOCX whose only picture is a relationship with ``TargetMode="External"``, as
    Word writes for "Insert picture > Link to file"."""
    document = docx.Document()
    document.add_paragraph(text)
    document.add_picture(io.BytesIO(_png()))
    link = document.part.relate_to(url, RT.IMAGE, is_external=True)
    blip = document.element.body.xpath(".//a:blip")[0]
    embedded = blip.get(qn("r:embed"))
    del blip.attrib[qn("r:embed")]
    blip.set(qn("r:link"), link)
    document.part.drop_rel(embedded)
    document.add_paragraph("Tekst efter billedet")
    return _saved(document)


def docx_with_linked_template(url: str, text: str = "Brev på skabelon") -> bytes:
    """A DOCX attached to a template on a server (settings.xml, external relationship)."""
    document = docx.Document()
    document.add_paragraph(text)
    part = document.part._settings_part
    link = part.relate_to(url, _ATTACHED_TEMPLATE, is_external=True)
    part.element.insert(
        0,
        parse_xml(
            f'<w:attachedTemplate {_W} xmlns:r="http://schemas.openxmlformats.org/'
            f'officeDocument/2006/relationships" r:id="{link}"/>'
        ),
    )
    return _saved(document)


def odt_with_external_picture(url: str, text: str = "ODT-notat med billede") -> bytes:
    """An ODT whose picture is ``draw:image xlink:href`` pointing at ``url``."""
    content = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
 xmlns:xlink="http://www.w3.org/1999/xlink"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" office:version="1.2">
<office:body><office:text><text:p>{text}</text:p>
<text:p><draw:frame draw:name="billede" text:anchor-type="as-char" svg:width="2cm"
 svg:height="2cm"><draw:image xlink:href="{url}" xlink:type="simple" xlink:show="embed"
 xlink:actuate="onLoad"/></draw:frame></text:p>
<text:p><text:a xlink:type="simple" xlink:href="https://www.kl.dk/">Læs mere</text:a></text:p>
</office:text></office:body></office:document-content>"""
    return _odt(content)


def odt_with_tracked_deletion(kept: str, deleted: str) -> bytes:
    """An ODT in which ``deleted`` was deleted with change tracking on: LibreOffice keeps
    it in the change log and shows it struck through."""
    content = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.2">
<office:body><office:text>
<text:tracked-changes text:track-changes="true">
<text:changed-region text:id="ct1"><text:deletion><office:change-info>
<dc:creator>Sagsbehandler</dc:creator><dc:date>2024-04-02T10:00:00</dc:date>
</office:change-info><text:p>{deleted}</text:p></text:deletion></text:changed-region>
</text:tracked-changes>
<text:p>{kept} <text:change text:change-id="ct1"/>slut.</text:p>
</office:text></office:body></office:document-content>"""
    return _odt(content)


def odt_with_comment(text: str, comment: str) -> bytes:
    """An ODT with a comment (``office:annotation``) on ``text``."""
    content = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.2">
<office:body><office:text><text:p><office:annotation office:name="n1">
<dc:creator>Sagsbehandler</dc:creator><text:p>{comment}</text:p>
</office:annotation>{text}<office:annotation-end
 office:name="n1"/> og mere.</text:p>
</office:text></office:body></office:document-content>"""
    return _odt(content)


def _odt(content: str) -> bytes:
    manifest = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
 manifest:version="1.2">
<manifest:file-entry manifest:full-path="/"
 manifest:media-type="application/vnd.oasis.opendocument.text"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        package.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        package.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def docx_with_tracked_changes(kept: str, deleted: str, inserted: str) -> bytes:
    """A DOCX with change tracking: ``deleted`` in a deleted run and again in a deleted
    paragraph and a moved-away run, ``inserted`` in an inserted run."""
    document = docx.Document()
    document.add_paragraph("Indledning")
    paragraph = document.add_paragraph()._p
    for xml in (
        f'<w:r {_W}><w:t xml:space="preserve">{kept} </w:t></w:r>',
        f'<w:del {_W} w:id="1" {_WHO}><w:r><w:delText xml:space="preserve">{deleted} '
        "</w:delText></w:r></w:del>",
        f'<w:ins {_W} w:id="2" {_WHO}><w:r><w:t>{inserted}</w:t></w:r></w:ins>',
    ):
        paragraph.append(parse_xml(xml))
    gone = document.add_paragraph()._p
    gone.append(parse_xml(f'<w:pPr {_W}><w:rPr><w:del w:id="3" {_WHO}/></w:rPr></w:pPr>'))
    gone.append(
        parse_xml(
            f'<w:del {_W} w:id="4" {_WHO}><w:r><w:delText>Hele afsnittet om {deleted}'
            "</w:delText></w:r></w:del>"
        )
    )
    moved = document.add_paragraph()._p
    moved.append(
        parse_xml(
            f'<w:moveFrom {_W} w:id="5" {_WHO}><w:r><w:t>Flyttet {deleted}</w:t></w:r></w:moveFrom>'
        )
    )
    document.add_paragraph("Afslutning")
    return _saved(document)


def docx_with_comment(text: str, comment: str) -> bytes:
    """A DOCX with a comment (Word's "New comment") on ``text``."""
    document = docx.Document()
    paragraph = document.add_paragraph(text)
    document.add_comment(paragraph.runs, text=comment, author="Sagsbehandler", initials="SB")
    return _saved(document)
