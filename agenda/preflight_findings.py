"""What preflight finds, and how findings are collected: shared by the item rules
(``preflight``) and the file rules (``preflight_files``). Pure: no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from agenda.cpr import CprMatch, mask_cpr
from agenda.model import Attachment, AttachmentId, ItemId
from agenda.numbering import NumberedItem

#: A bilag larger than this is hard to mail and to open on a tablet.
MAX_BYTES = 20 * 1024 * 1024
MAX_PAGES = 200


class Severity(Enum):
    """How bad a finding is; the value is the Danish word the user reads."""

    ERROR = "fejl"
    WARNING = "advarsel"
    INFO = "info"

    @property
    def label(self) -> str:
        return self.value


_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass(frozen=True, slots=True)
class FileFacts:
    """What the bytes of one attachment file are, as far as preflight cares.

    Computed by ``export.inspection.inspect.inspect_file`` (which needs the PDF libraries); kept
    here so the rules can be pure. Keyed by ``sha256`` in what ``preflight`` gets.
    """

    sha256: str
    size: int
    #: "pdf", "office", "image", "text" or "unknown" (what the bytes are, not the name).
    kind: str
    page_count: int | None
    #: Needs a password to open (a user password); an owner password alone does not count.
    encrypted_with_password: bool
    #: Cannot be read, not even repaired.
    damaged: bool
    #: Pages with images but no text layer (scanned); an image bilag counts its frames.
    pages_without_text: int
    #: The text of the file (the first pages of a long PDF), for the CPR scan.
    text: str
    #: Something the converters turn into PDF.
    convertible: bool
    #: A Danish sentence naming the file, for an encrypted, damaged or unsupported file.
    problem: str = ""
    #: A damaged PDF that opened after repair: the pack uses a repaired copy.
    repaired: bool = False
    #: False when ``text`` does not cover the whole file (long PDF, old binary format).
    text_complete: bool = True
    #: How many pages ``text`` covers (None for files without pages).
    text_pages: int | None = None
    #: Strings of the file outside its running text, each with where it is, in Danish
    #: ("formularfelt »navn«", "kommentar på side 2", "ark 1, celle B3"): scanned for CPR
    #: numbers one by one, so a finding can say where. A value may carry its label in
    #: front ("kontonr: …") for the CPR rule's context.
    places: tuple[tuple[str, str], ...] = ()
    #: PDF annotations from review (sticky notes, comments, highlights, ink): the public
    #: edition removes them.
    review_notes: int = 0
    #: PDF form field widgets: the public edition flattens them into the page.
    form_fields: int = 0
    #: An Office file's links to pictures (and other things) outside it: the conversion
    #: never fetches them, so they are missing from the pack (``export.conversion.office_clean``).
    external_images: tuple[str, ...] = ()
    external_files: tuple[str, ...] = ()
    #: An Office file with tracked changes (accepted in the pack) or comments (left out).
    tracked_changes: bool = False
    comments: bool = False
    #: A PDF with a structure tree (tags: headings, reading order, alt text), which the
    #: public pack keeps; None for what is not a PDF (office files are tagged when the
    #: product converts them).
    tagged: bool | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    severity: Severity
    #: Danish: what is wrong, where, and what to do. Never a full CPR number.
    message: str
    item_id: ItemId | None = None
    #: "2.5 Beslutningssag: Titel"; None for findings about the whole meeting.
    item_heading: str | None = None
    attachment_id: AttachmentId | None = None
    attachment_title: str | None = None
    #: A stable id of the rule ("missing-recommendation"), see the module's table.
    rule: str = ""


@dataclass(frozen=True, slots=True)
class Where:
    index: int
    numbered: NumberedItem
    position: int = -1
    attachment: Attachment | None = None

    @property
    def subject(self) -> str:
        """``Bilaget »Notat« (notat.pdf) under punktet »2.5 Beslutningssag: Titel«``."""
        a = self.attachment
        assert a is not None
        return f"Bilaget »{a.title}« ({a.file_name}) under punktet »{self.numbered.heading}«"


def cpr_count(matches: list[CprMatch]) -> str:
    """``et CPR-nummer (160424-xxxx)`` / ``3 CPR-numre (160424-xxxx, 010180-xxxx, …)``."""
    shown = list(dict.fromkeys(m.masked for m in matches))
    listed = ", ".join(shown[:3]) + (", …" if len(shown) > 3 else "")
    if len(matches) == 1:
        return f"et CPR-nummer ({listed})"
    return f"{len(matches)} CPR-numre ({listed})"


class Findings:
    def __init__(self) -> None:
        self._found: list[tuple[tuple[int, int, int, int], Finding]] = []

    def add(self, severity: Severity, rule: str, message: str, at: Where | None = None) -> None:
        attachment = at.attachment if at else None
        # a heading, title or file name may hold the CPR number itself: mask everything
        finding = Finding(
            severity=severity,
            message=mask_cpr(message),
            item_id=at.numbered.item.id if at else None,
            item_heading=mask_cpr(at.numbered.heading) if at else None,
            attachment_id=attachment.id if attachment else None,
            attachment_title=mask_cpr(attachment.title) if attachment else None,
            rule=rule,
        )
        index, position = (at.index, at.position) if at else (-1, -1)
        self._found.append(((_RANK[severity], index, position, len(self._found)), finding))

    def sorted(self) -> list[Finding]:
        return [finding for _, finding in sorted(self._found, key=lambda pair: pair[0])]
