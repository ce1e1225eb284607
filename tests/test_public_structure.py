"""The public edition of the demo meeting, exported as the app exports it (office suite
present), passes the structural checks: agenda and minutes PDF/UA with their items in
the agenda's order, their title the first heading (H1) and no heading level skipped in
any public output; the pack with every bilag under its Part, in order, its converted
Word bilag tagged, its reportlab PDFs not (so no PDF/UA claim, and the export says so);
nothing of the closed item or the confidential bilag in any title or alt text. The public
tillægsdagsorden is tagged as the agenda is, the supplement and revised packs as the pack."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest

from agenda.demo import DemoDocument, build_demo
from agenda.edition import attachments_for, is_published
from agenda.model import Attachment
from agenda.numbering import meeting_items
from agenda.snapshot import MeetingSnapshot
from export.document_content import document_kind
from export.outputs import OUTPUTS, write_outputs
from export.samples.demo_files import demo_file, media_type
from tests.pdf_structure import check, check_heading_levels
from tests.supplement_samples import SECRET, changed_meeting
from tests.test_supplements import PUBLIC_ITEMS

TODAY = date(2025, 3, 5)


@pytest.mark.slow
def test_the_demo_meetings_public_edition_passes_the_structural_checks(tmp_path, monkeypatch):
    monkeypatch.delenv("KKR_AGENDA_OFFICE", raising=False)
    blobs: dict[str, bytes] = {}
    kinds: dict[str, str] = {}

    def make(document: DemoDocument) -> Attachment:
        data = demo_file(document)
        sha = hashlib.sha256(data).hexdigest()
        blobs[sha] = data
        kinds[document.title] = document.file_name
        return Attachment(document.title, document.file_name, media_type(document),
                          len(data), sha, document.confidential)  # fmt: skip

    meetings = build_demo(TODAY, make)
    # the meeting with the closed item (the demo has one) and the most bilag
    held = max(
        meetings,
        key=lambda m: (any(i.closed for i in m.agenda.items()), len(meeting_items(m))),
    )
    snapshot = MeetingSnapshot(held, blobs=blobs)
    requests = [(OUTPUTS[k], True) for k in ("agenda-pdf", "minutes-pdf", "pack")]
    outcome = write_outputs(snapshot, tmp_path, requests)
    assert not outcome.problems
    agenda, minutes, pack = outcome.written

    numbered = meeting_items(held)
    closed = [n for n in numbered if n.item.closed]
    secret_bilag = [
        a.title for n in numbered if n.item.case for a in n.item.case.attachments if a.confidential
    ]
    assert closed  # the demo has one
    secrets = [n.item.title for n in closed] + secret_bilag

    public_headings = [
        n.heading if is_published(n.item) else f"{n.number} Lukket punkt" for n in numbered
    ]
    titles = (document_kind(held, minutes=False), document_kind(held, minutes=True))
    assert titles[0] == "Dagsorden" and "referat" in titles[1].lower()
    for path, title in zip((agenda, minutes), titles, strict=True):
        report = check(path)
        assert report.pdfua
        levels = check_heading_levels(report)
        assert levels[0] == (1, title)
        assert _items(levels) == [" ".join(h.split()) for h in public_headings]
        _no_secret(report, secrets)

    report = check(pack, fully_tagged=False)  # the demo's PDF bilag are reportlab's
    assert check_heading_levels(report)[0] == (1, "Bilagspakke")
    expected = [
        f"Bilag {k}: {a.title}"
        for n in numbered
        if is_published(n.item)
        for k, a in enumerate(attachments_for(n.item, public=True), start=1)
    ]
    assert [p.title for p in report.roles("Part")] == expected
    _no_secret(report, secrets)
    word = [t for t, name in kinds.items() if name.endswith(".docx")]
    tagged = [p for p in report.roles("Part") if any(k.role != "H1" for k in p.kids[4:])]
    assert any(p.title.split(": ", 1)[1] in word for p in tagged)  # converted with tags
    assert not report.pdfua
    (notice,) = [n for n in outcome.notices if "bilagspakke" in n]
    assert "Dokumentstrukturkoder" in notice


@pytest.mark.slow
def test_the_public_supplement_edition_passes_the_structural_checks(tmp_path, monkeypatch):
    """The tillægsdagsorden through the office suite (docx -> PDF/UA) as the agenda, and
    the supplement and revised packs: the same checks, nothing closed or confidential."""
    monkeypatch.delenv("KKR_AGENDA_OFFICE", raising=False)
    keys = ("supplement-agenda-pdf", "supplement-pack", "revised-pack")
    outcome = write_outputs(changed_meeting(), tmp_path, [(OUTPUTS[k], True) for k in keys])
    assert not outcome.problems
    agenda, supplement_pack, revised_pack = outcome.written
    assert not [n for n in outcome.notices if agenda.name in n]  # tagged: nothing to say
    report = check(agenda)
    assert report.pdfua
    levels = check_heading_levels(report)
    assert levels[0] == (1, "Tillægsdagsorden")
    assert _items(levels) == [heading for heading, _ in PUBLIC_ITEMS]
    _no_secret(report, [SECRET])
    for pack in (supplement_pack, revised_pack):
        report = check(pack, fully_tagged=False)
        check_heading_levels(report)
        _no_secret(report, [SECRET])


def _items(levels: list[tuple[int, str]]) -> list[str]:
    """The H2s after the first section's H1: the items (the front page's labels, H2
    under the title, come before it)."""
    first_section = next(n for n, (level, _) in enumerate(levels) if n and level == 1)
    return [text for level, text in levels[first_section:] if level == 2]


def _no_secret(report, secrets: list[str]) -> None:
    text = report.tree.all_text() + " ".join(report.strings)
    for secret in secrets:
        assert secret not in text, secret
