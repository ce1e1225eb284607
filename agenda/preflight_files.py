"""Preflight rules on one attachment file: can it be read and converted, is it too
large or scanned, does a public bilag hold a CPR number, is it attached twice. The
facts come from ``export.inspection.inspect`` (``FileFacts``); the rules stay pure."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from babel.numbers import format_decimal

from agenda.cpr import find_cpr_numbers
from agenda.formatting import LOCALE
from agenda.model import Attachment
from agenda.preflight_cpr import FROM_IMPORT, extra_strings
from agenda.preflight_findings import (
    MAX_BYTES,
    MAX_PAGES,
    FileFacts,
    Findings,
    Severity,
    Where,
    cpr_count,
)
from agenda.preflight_office import office_rules


def file_rules(
    out: Findings,
    where: Where,
    facts: Mapping[str, FileFacts],
    blobs_present: Collection[str],
    public: bool,
) -> None:
    attachment = where.attachment
    assert attachment is not None
    subject = where.subject
    if where.numbered.item.closed is False and attachment.confidential:
        out.add(
            Severity.INFO,
            "confidential-open-item",
            f"{subject} er fortroligt og bliver udeladt af den offentlige udgave; det kommer "
            "kun med i den fulde udgave til medlemmerne. Fjern markeringen »Fortroligt«, "
            "hvis bilaget må offentliggøres.",
            where,
        )
    if public:
        _cpr_in_name(out, where)
    if attachment.sha256 not in blobs_present:
        out.add(
            Severity.ERROR,
            "missing-file",
            f"{subject} mangler: filen findes ikke i arbejdsområdet. Tilføj filen til sagen igen.",
            where,
        )
        return
    fact = facts.get(attachment.sha256)
    if fact is None:
        out.add(
            Severity.WARNING,
            "not-inspected",
            f"{subject} er ikke blevet undersøgt, så det er hverken tjekket for CPR-numre, "
            "adgangskode eller skader. Kør kontrollen igen.",
            where,
        )
        return
    _size_rules(out, where, fact, attachment)
    unreadable = _unreadable(fact)
    if unreadable is not None:
        rule, default = unreadable
        out.add(
            Severity.ERROR,
            rule,
            f"{subject} kan ikke komme med i bilagspakken. {fact.problem or default}",
            where,
        )
        return
    if fact.repaired:
        out.add(
            Severity.INFO,
            "repaired",
            f"{subject} var en beskadiget PDF; bilagspakken bruger en repareret kopi. Se "
            "efter, at alle sider er med, eller hent filen igen.",
            where,
        )
    _text_layer_rules(out, where, fact)
    office_rules(out, where, fact)
    if public:
        _cpr_rules(out, where, fact)
        _review_rules(out, where, fact)
        _tag_rules(out, where, fact)


def _unreadable(fact: FileFacts) -> tuple[str, str] | None:
    """(rule, what to say when the facts carry no ``problem``) for a file the pack cannot
    use at all."""
    if fact.encrypted_with_password:
        return "encrypted", (
            "Filen er beskyttet med adgangskode. Gem den uden adgangskode og tilføj den igen."
        )
    if fact.damaged:
        return "damaged", "Filen er beskadiget og kan ikke læses. Hent den igen."
    if not fact.convertible:
        return "unsupported-type", (
            "Det er en filtype, der ikke kan laves om til PDF. Gem den som PDF, Word, "
            "Excel, PowerPoint, billede eller tekst, og tilføj den igen."
        )
    return None


def _size_rules(out: Findings, where: Where, fact: FileFacts, attachment: Attachment) -> None:
    size = fact.size or attachment.size
    if size > MAX_BYTES:
        mb = format_decimal(size / (1024 * 1024), "#,##0.0", locale=LOCALE)
        out.add(
            Severity.WARNING,
            "too-large",
            f"{where.subject} fylder {mb} MB (over {MAX_BYTES // (1024 * 1024)} MB). "
            "Bilagspakken bliver tung at sende og åbne; gem en mindre udgave (fx PDF med "
            "lavere billedkvalitet), eller del bilaget som link.",
            where,
        )
    if fact.page_count is not None and fact.page_count > MAX_PAGES:
        out.add(
            Severity.WARNING,
            "too-many-pages",
            f"{where.subject} har {fact.page_count} sider (over {MAX_PAGES}). Overvej at "
            "vedlægge et uddrag og henvise til resten.",
            where,
        )


def _text_layer_rules(out: Findings, where: Where, fact: FileFacts) -> None:
    if fact.pages_without_text <= 0:
        return
    if fact.kind == "image":
        out.add(
            Severity.INFO,
            "image-without-text",
            f"{where.subject} er et billede uden tekst og er ikke tilgængeligt for "
            "skærmlæsere. Er det et scannet dokument, så brug hellere en PDF med tekst.",
            where,
        )
        return
    pages = fact.page_count or fact.pages_without_text
    scope = (
        "ingen af siderne har tekst"
        if fact.pages_without_text >= pages
        else f"{fact.pages_without_text} af {pages} sider har ingen tekst"
    )
    out.add(
        Severity.WARNING,
        "scanned",
        f"{where.subject} er scannet: {scope}, kun billeder. Det er ikke tilgængeligt "
        "for skærmlæsere, og siderne kan ikke tjekkes for CPR-numre. Bed om en PDF med "
        "tekst, eller kør tekstgenkendelse (OCR) på filen og tilføj den igen.",
        where,
    )


def _cpr_in_name(out: Findings, where: Where) -> None:
    """The title shows in the public agenda's bilag list and on the separator page; the
    file name and unknown fields go into the public meeting export."""
    attachment = where.attachment
    assert attachment is not None
    subject = f"{where.subject[0].lower()}{where.subject[1:]}"
    named = find_cpr_numbers(f"{attachment.title}\n{attachment.file_name}")
    if named:
        out.add(
            Severity.ERROR,
            "cpr-in-attachment",
            f"Titlen eller filnavnet på {subject} indeholder {cpr_count(named)} og kommer "
            "med i den offentlige udgave. Giv bilaget en titel og et filnavn uden "
            "CPR-nummer, eller markér det som fortroligt.",
            where,
        )
    for path, text in extra_strings(attachment.extra):
        matches = find_cpr_numbers(text)
        if matches:
            out.add(
                Severity.ERROR,
                "cpr-in-attachment",
                f"Det ukendte felt »{path}« på {subject} indeholder {cpr_count(matches)} "
                f"og kommer med i den offentlige udgave. {FROM_IMPORT}",
                where,
            )


def _cpr_rules(out: Findings, where: Where, fact: FileFacts) -> None:
    """Each named place of the file (form field, annotation, cell) on its own, then the
    running text for the numbers no place has reported already."""
    a = where.attachment
    assert a is not None
    reported: set[str] = set()
    for place, text in fact.places:
        matches = find_cpr_numbers(text)
        if matches:
            reported.update(m.masked for m in matches)
            out.add(
                Severity.ERROR,
                "cpr-in-attachment",
                f"Bilaget »{a.title}« ({a.file_name}), {place}, under punktet "
                f"»{where.numbered.heading}« indeholder {cpr_count(matches)} og kommer med "
                "i den offentlige udgave. Fjern CPR-nummeret fra filen og tilføj den "
                "igen, eller markér bilaget som fortroligt.",
                where,
            )
    matches = [m for m in find_cpr_numbers(fact.text) if m.masked not in reported]
    if matches:
        out.add(
            Severity.ERROR,
            "cpr-in-attachment",
            f"{where.subject} indeholder {cpr_count(matches)} og kommer med i den "
            "offentlige udgave. Fjern CPR-nummeret fra filen og tilføj den igen, eller "
            "markér bilaget som fortroligt.",
            where,
        )
    if not fact.text_complete:
        if fact.text_pages is not None and fact.page_count and fact.text_pages < fact.page_count:
            scope = f"kun de første {fact.text_pages} af {fact.page_count} sider"
        else:
            scope = "kun delvist, fordi filformatet ikke kan læses helt"
        out.add(
            Severity.INFO,
            "cpr-check-partial",
            f"{where.subject} er {scope} tjekket for CPR-numre. Gennemse resten selv, før "
            "den offentlige udgave sendes.",
            where,
        )


def _review_rules(out: Findings, where: Where, fact: FileFacts) -> None:
    """What the public edition takes off a PDF's pages (export.pdf.pdf_clean), said ahead."""
    if fact.review_notes:
        out.add(
            Severity.INFO,
            "review-notes",
            f"{where.subject} har noter/kommentarer fra gennemsyn ({fact.review_notes}); de "
            "fjernes i den offentlige udgave.",
            where,
        )
    if fact.form_fields:
        out.add(
            Severity.INFO,
            "form-fields",
            f"{where.subject} har formularfelter ({fact.form_fields}); i den offentlige "
            "udgave står det, der er udfyldt, som almindelig tekst på siden, og skjulte "
            "felter fjernes.",
            where,
        )


def _tag_rules(out: Findings, where: Where, fact: FileFacts) -> None:
    """A public PDF without tags: its pages reach the pack, but no screen reader can
    follow them, and the pack cannot claim to be accessible. A scan is said by the
    ``scanned`` rule (it needs text first)."""
    if fact.tagged is not False or fact.kind != "pdf":
        return
    if fact.page_count and fact.pages_without_text >= fact.page_count:
        return
    out.add(
        Severity.INFO,
        "untagged",
        f"{where.subject} er en PDF uden tilgængelighedsmærker (tags), så skærmlæsere "
        "ikke kan følge overskrifter og læserækkefølge, og den offentlige bilagspakke "
        "bliver ikke fuldt tilgængelig. Gem den som tilgængelig PDF fra Word: Filer → "
        "Gem som → PDF → Indstillinger → Dokumentstrukturkoder, og tilføj den igen "
        "(eller tilføj Word-filen, som så laves om med mærker).",
        where,
    )


def duplicate_file(out: Findings, where: Where, earlier: Where) -> None:
    first = earlier.attachment
    assert first is not None and where.attachment is not None
    same_item = earlier.index == where.index
    place = "under samme punkt" if same_item else f"under punktet »{earlier.numbered.heading}«"
    note = ""
    if where.attachment.confidential != first.confidential:
        note = (
            " Det ene er markeret fortroligt, det andet ikke, så filen kan alligevel komme "
            "med i den offentlige udgave."
        )
    out.add(
        Severity.WARNING,
        "duplicate-file",
        f"{where.subject} er den samme fil som bilaget »{first.title}« {place}, så den "
        f"kommer med to gange i bilagspakken.{note} Fjern det ene bilag, hvis det ikke er "
        "meningen.",
        where,
    )
