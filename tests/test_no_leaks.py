"""No leaks: hypothesis makes meetings whose closed items and confidential bilag carry a
unique marker word – in item and case titles, case texts, decisions, case numbers, bilag
titles, bilag file names and bilag content; public bilag may hide it where a reader
does not look (tests/hostile.py ``reviewed_pdf``) – and the public edition of every output
never holds it anywhere a reader or a tool could find it:

- PDF (agenda, minutes, bilagspakke): page text, every string object (outline titles,
  link targets, annotation contents, document info, the structure tree's titles, alt
  texts and IDs), every decoded stream (content, XMP metadata, embedded files, fonts'
  ToUnicode maps); a reviewed public bilag may be tagged, its sticky note also an
  ``Annot`` element of its tree that says the marker (the public pack keeps the tree);
- docx (agenda, minutes): every part of the zip as raw XML – body, headers, footers,
  comments, core, app and custom properties – and the part names;
- the public exchange export: meeting.json, the file names, and no confidential bytes;
  nor any unknown field another system added, on any level;
- the output file names themselves.

A test of the detector runs the complete edition and finds the marker everywhere.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from types import MappingProxyType

import pikepdf
import pypdf
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from agenda.model import (
    AgendaItem,
    Attachment,
    Case,
    ItemKind,
    Participant,
    Section,
    TextSection,
)
from agenda.snapshot import MeetingSnapshot
from exchange.transfer import export_meeting
from export.outputs import OUTPUTS, write_outputs
from export.pdf.pdf_clean import public_file_bytes
from storage.workspace import open_workspace
from tests import factories, hostile
from tests.hypothesis_budget import examples

_CONSONANTS = "bcdfghjklmnpqrstvwxz"


def _pdf_with(text: str) -> bytes:
    return hostile.good_pdf(f"Bilagets tekst: {text}", f"Side to nævner {text} igen")


def _tagged_review(data: bytes, word: str) -> bytes:
    """``data`` (a reviewed PDF) tagged: its page text a P element, and its sticky note an
    Annot element whose /Alt, /T, /ActualText and ID say ``word``."""
    D, N, S, A = pikepdf.Dictionary, pikepdf.Name, pikepdf.String, pikepdf.Array
    with pikepdf.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        page.contents_add(pdf.make_stream(b"/P <</MCID 0>> BDC\n"), prepend=True)
        page.contents_add(pdf.make_stream(b"\nEMC\n"))
        root = pdf.make_indirect(D(Type=N.StructTreeRoot))
        document = pdf.make_indirect(D(Type=N.StructElem, S=N.Document, P=root, K=A()))
        text = pdf.make_indirect(D(Type=N.StructElem, S=N.P, P=document, Pg=page.obj, K=0))
        document.K.append(text)
        nums = A([0, A([text])])
        for annot in page.obj.get("/Annots") or ():
            if annot.get("/Subtype") == "/Text":
                holder = pdf.make_indirect(
                    D(Type=N.StructElem, S=N.Annot, P=document, Pg=page.obj,
                      K=A([D(Type=N.OBJR, Obj=annot)]), Alt=S(word), T=S(word),
                      ActualText=S(word), ID=S(word))
                )  # fmt: skip
                document.K.append(holder)
                annot.StructParent = 1
                nums.extend([1, holder])
                root.IDTree = D(Names=A([S(word), holder]))
        root.K = A([document])
        root.ParentTree = pdf.make_indirect(D(Nums=nums))
        page.obj.StructParents = 0
        pdf.Root.StructTreeRoot = root
        pdf.Root.MarkInfo = D(Marked=True)
        out = io.BytesIO()
        pdf.save(out)
    return out.getvalue()


def _bilag(title: str, file_name: str, data: bytes, *, confidential: bool) -> Attachment:
    return factories.attachment(title, data, file_name, confidential=confidential)


@st.composite
def secret_meetings(draw: st.DrawFn) -> tuple[MeetingSnapshot, str]:
    """A meeting whose closed items and confidential bilag say the marker; open items and
    public bilag never do."""
    marker = "Qz" + draw(st.text(alphabet=_CONSONANTS, min_size=8, max_size=10))
    shapes = draw(
        st.lists(
            st.tuples(
                st.booleans(),  # closed item
                st.lists(st.booleans(), min_size=0, max_size=3),  # bilag: confidential?
                st.booleans(),  # has a decision
            ),
            min_size=1,
            max_size=4,
        ).filter(lambda s: any(closed or any(b) for closed, b, _ in s))
    )
    # public bilag that came back from review: metadata, notes, form values, an
    # embedded file and an earlier revision that the public edition must not carry
    reviewed = draw(st.booleans())
    tagged = draw(st.booleans())
    blobs: dict[str, bytes] = {}
    items = []
    for n, (closed, bilag_shape, decided) in enumerate(shapes, start=1):
        secret_item = f"{marker}sag{n}" if closed else ""
        title = f"Ansættelse {secret_item}" if closed else f"Trafikplan for område {n}"
        attachments = []
        for m, confidential in enumerate(bilag_shape, start=1):
            secret = closed or confidential
            word = f"{marker}bilag{n}x{m}"
            if secret:
                data = _pdf_with(word)
            elif reviewed:  # shows harmless text; hides the marker everywhere else
                data = hostile.reviewed_pdf(f"{marker}gennemsyn{n}x{m}")
                if tagged:
                    data = _tagged_review(data, f"{marker}struktur{n}x{m}")
            else:
                data = _pdf_with(f"åben tekst {n}.{m}")
            attachment = _bilag(
                f"Fortroligt notat {word}" if secret else f"Notat {n}.{m}",
                f"{word}.pdf" if secret else f"notat-{n}-{m}.pdf",
                data,
                confidential=confidential,
            )
            blobs[attachment.sha256] = data
            attachments.append(attachment)
        texts = (
            {s: f"{s.label} om {marker}tekst{n}." for s in TextSection}
            if closed
            else {TextSection.RESUME: f"Resumé af trafikplan {n}."}
        )
        case = Case(
            title=title,
            reference=f"24/{n:05d}",
            officer=f"{marker}sagsbehandler" if closed else "Jens Jensen",
            texts=texts,
            attachments=tuple(attachments),
        )
        decision = ""
        if decided:
            decision = f"Besluttet: {marker}beslutning{n}" if closed else "Godkendt."
        items.append(
            AgendaItem(ItemKind.DECISION, title, case=case, closed=closed, decision=decision)
        )
    meeting = factories.meeting(
        [
            ("Indledning", [factories.item("Godkendelse af dagsorden", ItemKind.APPROVAL)]),
            ("Sager", items),
        ]
    )
    return MeetingSnapshot(meeting, blobs=blobs), marker


# -- where a marker could hide ---------------------------------------------------------


def pdf_findings(data: bytes, marker: str) -> list[str]:
    needle = marker.lower()
    found = []
    for n, page in enumerate(pypdf.PdfReader(io.BytesIO(data)).pages, start=1):
        if needle in (page.extract_text() or "").lower():
            found.append(f"text of page {n}")
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for obj in pdf.objects:
            found += _object_findings(obj, needle)
        found += _object_findings(pdf.trailer, needle)
        if "/Outlines" in pdf.Root:
            with pdf.open_outline() as outline:
                titles = [str(item.title) for item in _walk(outline.root)]
            found += [f"outline: {t}" for t in titles if needle in t.lower()]
    return found


def _walk(items):  # type: ignore[no-untyped-def]
    for item in items:
        yield item
        yield from _walk(item.children)


def _object_findings(obj: object, needle: str, top: bool = True) -> list[str]:
    """Strings, names and decoded streams of one object and its direct parts; indirect
    references are not followed (every object is visited from ``pdf.objects``)."""
    found: list[str] = []
    if not top and getattr(obj, "is_indirect", False):
        return found
    if isinstance(obj, pikepdf.Stream):
        try:
            raw = obj.read_bytes()
        except pikepdf.PdfError:
            raw = obj.read_raw_bytes()
        if needle.encode() in raw.lower() or needle.encode("utf-16-be") in raw.lower():
            found.append(f"stream {obj.objgen}")
        obj = obj.stream_dict
    if isinstance(obj, pikepdf.Dictionary):
        for key, value in obj.items():
            if needle in str(key).lower():
                found.append(f"key {key}")
            found += _object_findings(value, needle, top=False)
    elif isinstance(obj, pikepdf.Array):
        for value in obj:
            found += _object_findings(value, needle, top=False)
    elif isinstance(obj, pikepdf.String):
        if needle in str(obj).lower() or needle.encode() in bytes(obj).lower():
            found.append(f"string {str(obj)[:60]}")
    elif isinstance(obj, pikepdf.Name) and needle in str(obj).lower():
        found.append(f"name {obj}")
    return found


def docx_findings(data: bytes, marker: str) -> list[str]:
    needle = marker.lower()
    found = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if needle in name.lower():
                found.append(f"part name {name}")
            content = archive.read(name)
            text = content.decode("utf-8", "replace").lower()
            if needle in text or needle.encode() in content.lower():
                found.append(f"part {name}")
    return found


def exchange_findings(folder: Path, marker: str, secret_blobs: set[bytes]) -> list[str]:
    needle = marker.lower()
    found = []
    for path in folder.rglob("*"):
        if needle in path.name.lower():
            found.append(f"file name {path.name}")
        if path.is_file():
            data = path.read_bytes()
            if needle.encode() in data.lower():
                found.append(f"bytes of {path.name}")
            if data.startswith(b"%PDF-"):  # compressed streams and strings, decoded
                found += [f"{path.name}: {w}" for w in pdf_findings(data, marker)]
            if data in secret_blobs:
                found.append(f"confidential bilag as {path.name}")
    return found


def _secret_blobs(snapshot: MeetingSnapshot) -> set[bytes]:
    return {
        snapshot.blobs[a.sha256]
        for item in snapshot.meeting.agenda.items()
        for a in item.attachments
        if item.closed or a.confidential
    }


def _sent_empty(snapshot: MeetingSnapshot) -> MeetingSnapshot:
    empty = replace(snapshot.meeting, agenda=replace(snapshot.meeting.agenda, sections=()))
    return replace(snapshot, sent=empty, sent_at=datetime(2024, 4, 9))


def _all_findings(snapshot: MeetingSnapshot, marker: str, root: Path, *, public: bool) -> dict:
    """Every output of the edition, checked; {output: [where the marker is]}."""
    out = root / "ud"
    requests = [(OUTPUTS[k], public) for k in OUTPUTS]
    # sent before it had any item: the supplements hold everything, and are checked too
    outcome = write_outputs(_sent_empty(snapshot), out, requests)
    # a public edition with no bilag left has no pack: that is the only problem allowed
    assert all("udgaven har ingen bilag" in p for p in outcome.problems), outcome.problems
    assert len(outcome.written) + len(outcome.problems) == len(OUTPUTS)
    findings: dict[str, list[str]] = {}
    for path in outcome.written:
        data = path.read_bytes()
        where = pdf_findings(data, marker) if path.suffix == ".pdf" else docx_findings(data, marker)
        if marker.lower() in path.name.lower():
            where.append("file name")
        findings[path.name] = where
    ws_path = root / "arbejde.kkrdb"
    with open_workspace(ws_path) as ws:
        for data in snapshot.blobs.values():
            ws.store_blob(data)
        meeting_id = ws.save_meeting(snapshot.meeting).id
        clean = public_file_bytes if public else None
        folder = export_meeting(
            ws, meeting_id, root / "udveksling", public=public, clean_file=clean
        )
        archive = export_meeting(
            ws, meeting_id, root / "udveksling", zip=True, public=public, clean_file=clean
        )
    secret = _secret_blobs(snapshot)
    findings["exchange folder"] = exchange_findings(folder, marker, secret)
    with zipfile.ZipFile(archive) as z:
        findings["exchange zip"] = [f"{n}" for n in z.namelist() if marker.lower() in n.lower()] + [
            f"bytes of {n}" for n in z.namelist() if marker.lower().encode() in z.read(n).lower()
        ]
    return findings


@pytest.mark.slow
@settings(
    max_examples=examples(12),
    deadline=None,
    # each example writes nine documents: shrinking would take minutes; the failing
    # example is printed as it is
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=secret_meetings())
def test_the_public_edition_never_holds_a_marker(case, tmp_path_factory):
    snapshot, marker = case
    root = tmp_path_factory.mktemp("offentlig")
    findings = _all_findings(snapshot, marker, root, public=True)
    leaks = {name: where for name, where in findings.items() if where}
    assert not leaks, (marker, leaks)


@pytest.mark.slow
def test_the_detector_finds_the_marker_in_the_complete_edition(tmp_path):
    """The checks above could pass by looking nowhere: the complete edition, made from a
    meeting with a closed item and a confidential bilag, is found out everywhere."""
    marker = "Qzmarkorord"
    data = _pdf_with(f"{marker}bilag")
    secret = _bilag(f"Notat {marker}titel", f"{marker}fil.pdf", data, confidential=True)
    open_data = _pdf_with("åben")
    open_bilag = _bilag("Åbent notat", "aabent.pdf", open_data, confidential=False)
    closed_case = Case(
        title=f"Lukket {marker}sag",
        reference="24/00001",
        texts={TextSection.INDSTILLING: f"Det indstilles, at {marker}tekst godkendes."},
    )
    open_case = Case(title="Trafikplan", reference="24/00002", attachments=(secret, open_bilag))
    meeting = factories.meeting(
        [
            (
                "Sager",
                [
                    AgendaItem(ItemKind.DECISION, "Trafikplan", case=open_case),
                    AgendaItem(
                        ItemKind.DECISION,
                        f"Lukket {marker}sag",
                        case=closed_case,
                        closed=True,
                        decision=f"{marker}beslutning",
                    ),
                ],
            )
        ]
    )
    blobs = {secret.sha256: data, open_bilag.sha256: open_data}
    snapshot = MeetingSnapshot(meeting, blobs=blobs)
    findings = _all_findings(snapshot, marker, tmp_path, public=False)
    for name, where in findings.items():
        assert where, f"the marker was not found in the complete {name}"
    pack = next(n for n in findings if n.startswith("Bilagspakke"))
    kinds = " ".join(findings[pack])
    assert "text of page" in kinds and "outline" in kinds
    assert any("confidential bilag" in w for w in findings["exchange folder"])
    # and the public edition of the same meeting is clean
    public = _all_findings(snapshot, marker, tmp_path / "offentlig", public=True)
    assert {n: w for n, w in public.items() if w} == {}
    assert hashlib.sha256(data).hexdigest() == secret.sha256


_LEVELS = ("doc", "meeting", "body", "p", "section", "item", "paper", "texts", "file")


def _marked_extras(marker: str, level: str) -> MappingProxyType:
    return MappingProxyType({f"x-{level}": f"{marker}{level}", f"{marker}-felt": [1, {"a": level}]})


def test_no_unknown_field_reaches_the_public_exchange_export(tmp_path):
    """Fields another system added (kept for the round trip) may hold anything: on every
    level of meeting.json they carry the marker, and so does the name of a section that
    holds only closed items. The public export has none of it; the complete one all."""
    marker = "Qzukendtfelt"
    data = _pdf_with("åben tekst")
    bilag = _bilag("Notat", "notat.pdf", data, confidential=False)
    bilag = replace(bilag, extra=_marked_extras(marker, "file"))
    case = Case(
        title="Trafikplan",
        reference="24/00002",
        texts={TextSection.RESUME: "Resumé af trafikplanen."},
        attachments=(bilag,),
        extra=MappingProxyType(
            {**_marked_extras(marker, "paper"), "$texts": {"x-tekst": f"{marker}texts"}}
        ),
    )
    open_item = replace(
        AgendaItem(ItemKind.DECISION, "Trafikplan", case=case), extra=_marked_extras(marker, "item")
    )
    closed = AgendaItem(ItemKind.DECISION, "Personalesag", closed=True)
    meeting = factories.meeting(
        [("Sager", [open_item]), (f"Lukket {marker}afsnit", [closed])],
        participants=(Participant("Mette Hansen", "Formand", True, _marked_extras(marker, "p")),),
        extra=MappingProxyType(
            {**_marked_extras(marker, "meeting"), "$document": dict(_marked_extras(marker, "doc"))}
        ),
    )
    sections = tuple(
        replace(s, extra=_marked_extras(marker, "section")) for s in meeting.agenda.sections
    )
    meeting = replace(
        meeting,
        body=replace(meeting.body, extra=_marked_extras(marker, "body")),
        agenda=replace(meeting.agenda, sections=sections),
    )
    found = {}
    with open_workspace(tmp_path / "arbejde.kkrdb") as ws:
        ws.store_blob(data)
        meeting_id = ws.save_meeting(meeting).id
        for public in (True, False):
            folder = export_meeting(
                ws, meeting_id, tmp_path / "ud", public=public, clean_file=public_file_bytes
            )
            found[public] = exchange_findings(folder, marker, set())
            text = (folder / "meeting.json").read_text("utf-8")
            found[public] += [level for level in _LEVELS if f"{marker}{level}" in text]
    assert found[True] == []
    assert set(found[False]) == {"bytes of meeting.json", *_LEVELS}


# -- supplements: changes after sending -------------------------------------------------

_SUPPLEMENTS = (
    "supplement-agenda-docx",
    "supplement-agenda-pdf",
    "supplement-pack",
    "revised-pack",
)
#: What becomes of an item after sending, and of a bilag of an item that stays open.
_ITEM_FATES = (
    "stays_open",
    "closed_after",
    "closed_before",
    "removed_closed",
    "new_closed",
    "new_open",
)
_BILAG_FATES = (
    "public",
    "confidential_after",
    "confidential_before",
    "new_confidential",
    "new_public",
    "replaced_confidential",
    "public_replaced_by_confidential",
)


@st.composite
def changed_after_sending(draw: st.DrawFn) -> tuple[MeetingSnapshot, str]:
    """A sent meeting and its current version. Whatever is closed or confidential NOW,
    and whatever was closed when sent, says the marker (in titles, texts, case numbers,
    bilag titles, file names and content) – also an item that was open when sent and a
    bilag that was public when sent, which the public had then: after the change, no
    public supplement may say anything of them."""
    marker = "Qz" + draw(st.text(alphabet=_CONSONANTS, min_size=8, max_size=10))
    shapes = draw(
        st.lists(
            st.tuples(
                st.sampled_from(_ITEM_FATES),
                st.lists(st.sampled_from(_BILAG_FATES), max_size=3),
            ),
            min_size=1,
            max_size=4,
        ).filter(
            lambda s: any(
                fate != "stays_open" or set(b) - {"public", "new_public"} for fate, b in s
            )
        )
    )
    blobs: dict[str, bytes] = {}

    def bilag(title: str, word: str, *, secret: bool, confidential: bool = False) -> Attachment:
        data = _pdf_with(word if secret else f"åben tekst {word}")
        name = f"{word}.pdf" if secret else f"notat-{word}.pdf"
        attachment = _bilag(f"Notat {word}", name, data, confidential=confidential)
        blobs[attachment.sha256] = data
        return attachment

    sent_items, now_items = [], []
    for n, (fate, bilag_fates) in enumerate(shapes, start=1):
        secret_item = fate != "stays_open" and fate != "new_open"
        word = f"{marker}sag{n}" if secret_item else f"trafik{n}"
        then_files, now_files = [], []
        for m, bfate in enumerate(bilag_fates, start=1):
            secret = secret_item or bfate not in ("public", "new_public")
            label = f"{marker}bilag{n}x{m}" if secret else f"aaben{n}x{m}"
            if bfate in (
                "public",
                "confidential_after",
                "confidential_before",
                "replaced_confidential",
                "public_replaced_by_confidential",
            ):
                before = bilag(
                    label,
                    label,
                    secret=secret,
                    confidential=bfate in ("confidential_before", "replaced_confidential"),
                )
                then_files.append(before)
                if bfate == "confidential_after":
                    now_files.append(replace(before, confidential=True))
                elif bfate == "replaced_confidential":
                    new = bilag(label, f"{label}ny", secret=True, confidential=True)
                    now_files.append(replace(new, id=before.id))
                elif bfate == "public_replaced_by_confidential":
                    now_files.append(bilag(label, f"{label}ny", secret=True, confidential=True))
                else:
                    now_files.append(before)
            else:
                now_files.append(
                    bilag(label, label, secret=secret, confidential=bfate == "new_confidential")
                )
        texts = {s: f"{s.label} om {word}." for s in TextSection}
        case = Case(
            title=f"Sag {word}", reference=f"24/{n:05d}", texts=texts, attachments=tuple(then_files)
        )
        then = AgendaItem(
            ItemKind.DECISION,
            f"Sag {word}",
            case=case,
            closed=fate in ("closed_before", "removed_closed"),
        )
        changed_text = {TextSection.INDSTILLING: f"Ny indstilling om {word}."}
        now = replace(
            then,
            case=replace(
                case.with_texts(**{k.value: v for k, v in changed_text.items()}),
                attachments=tuple(now_files),
            ),
            closed=fate in ("closed_before", "closed_after", "new_closed"),
        )
        if fate not in ("new_closed", "new_open"):
            sent_items.append(then)
        if fate != "removed_closed":
            now_items.append(now)
    opening = factories.item("Godkendelse af dagsorden", ItemKind.APPROVAL)
    sent = factories.meeting([("Indledning", [opening]), ("Sager", sent_items)])
    sections = list(sent.agenda.sections)
    sections[1] = replace(sections[1], items=tuple(now_items))
    if draw(st.booleans()):  # a new section of closed items only: not even its name
        closed = AgendaItem(ItemKind.DECISION, f"Sag {marker}afsnitssag", closed=True)
        sections.append(Section(f"Afsnit {marker}afsnit", (closed,)))
    now = replace(sent, agenda=replace(sent.agenda, sections=tuple(sections)))
    return MeetingSnapshot(now, blobs=blobs, sent=sent, sent_at=datetime(2024, 4, 9)), marker


def _supplement_findings(snapshot: MeetingSnapshot, marker: str, out: Path, *, public: bool):
    outcome = write_outputs(snapshot, out, [(OUTPUTS[k], public) for k in _SUPPLEMENTS])
    # a public edition with no new bilag has no tillægsbilag: the only problem allowed
    assert all("udgaven har ingen bilag" in p for p in outcome.problems), outcome.problems
    assert outcome.written, outcome.problems
    findings = {}
    for path in outcome.written:
        data = path.read_bytes()
        where = pdf_findings(data, marker) if path.suffix == ".pdf" else docx_findings(data, marker)
        if marker.lower() in path.name.lower():
            where.append("file name")
        findings[path.name] = where
    return findings


@settings(
    max_examples=examples(10),
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=changed_after_sending())
def test_no_public_supplement_holds_what_was_closed_or_made_confidential(case, tmp_path_factory):
    """Items closed after sending, bilag made confidential after sending, replaced by a
    confidential file, new closed items and confidential bilag: nothing of them in the
    public tillægsdagsorden (docx, pdf), tillægsbilag or revised pack."""
    snapshot, marker = case
    findings = _supplement_findings(
        snapshot, marker, tmp_path_factory.mktemp("tillaeg") / "ud", public=True
    )
    leaks = {name: where for name, where in findings.items() if where}
    assert not leaks, (marker, leaks)


def test_the_detector_finds_the_marker_in_the_complete_supplements(tmp_path):
    """The check above looks where the marker would be: each complete supplement of a
    meeting with every fate has it (the revised pack's change page and bilag, the
    tillægsbilag's new confidential bilag, the tillægsdagsorden's closed items)."""
    marker = "Qzmarkorord"
    sent = factories.meeting(
        [("Sager", [AgendaItem(ItemKind.DECISION, "Trafikplan", case=Case("Trafikplan"))])]
    )
    data = _pdf_with(f"{marker}bilag")
    secret = _bilag(f"Notat {marker}titel", f"{marker}fil.pdf", data, confidential=True)
    closed = AgendaItem(
        ItemKind.DECISION,
        f"Lukket {marker}sag",
        closed=True,
        case=Case(f"Lukket {marker}sag", attachments=(secret,)),
    )
    sections = (replace(sent.agenda.sections[0], items=(*sent.agenda.sections[0].items, closed)),)
    now = replace(sent, agenda=replace(sent.agenda, sections=sections))
    snapshot = MeetingSnapshot(
        now, blobs={secret.sha256: data}, sent=sent, sent_at=datetime(2024, 4, 9)
    )
    findings = _supplement_findings(snapshot, marker, tmp_path / "fuld", public=False)
    assert len(findings) == len(_SUPPLEMENTS)
    for name, where in findings.items():
        assert where, f"the marker was not found in the complete {name}"
    public = _supplement_findings(snapshot, marker, tmp_path / "offentlig", public=True)
    assert {n: w for n, w in public.items() if w} == {}
