"""Preflight rules on what the conversion leaves out of an Office bilag: pictures and
files it links to (never fetched, so missing from the pack), tracked changes (accepted:
deletions do not print) and comments (not printed). Facts from ``export.inspection.inspect``; the
cleaning itself is ``export.conversion.office_clean``."""

from __future__ import annotations

from agenda.preflight_findings import FileFacts, Findings, Severity, Where

#: Addresses named in one message at most; the rest are counted.
_SHOWN = 3


def office_rules(out: Findings, where: Where, fact: FileFacts) -> None:
    subject = where.subject
    if fact.external_images:
        out.add(
            Severity.WARNING,
            "external-picture",
            f"{subject} henviser til {_pictures(fact.external_images)} "
            f"({_listed(fact.external_images)}); det bliver ikke hentet og mangler i "
            "bilagspakken. Indsæt billedet i dokumentet i stedet.",
            where,
        )
    if fact.external_files:
        out.add(
            Severity.WARNING,
            "external-file",
            f"{subject} henviser til indhold i en anden fil ({_listed(fact.external_files)}), "
            "fx en skabelon eller et sammenkædet objekt; det bliver ikke hentet og mangler "
            "i bilagspakken. Indsæt indholdet i dokumentet i stedet, hvis det skal med.",
            where,
        )
    if fact.tracked_changes:
        out.add(
            Severity.INFO,
            "tracked-changes",
            f"{subject} indeholder sporede ændringer; de er accepteret i bilagspakken, så "
            "slettet tekst ikke kommer med. Gennemse ændringerne i filen, hvis du er i tvivl.",
            where,
        )
    if fact.comments:
        out.add(
            Severity.INFO,
            "comments",
            f"{subject} indeholder kommentarer; de kommer ikke med i bilagspakken.",
            where,
        )


def _pictures(addresses: tuple[str, ...]) -> str:
    return "et eksternt billede" if len(addresses) == 1 else f"{len(addresses)} eksterne billeder"


def _listed(addresses: tuple[str, ...]) -> str:
    shown = ", ".join(addresses[:_SHOWN])
    return shown + (f" og {len(addresses) - _SHOWN} flere" if len(addresses) > _SHOWN else "")
