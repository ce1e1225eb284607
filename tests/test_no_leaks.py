"""No leaks: hypothesis makes meetings whose closed items and confidential bilag carry a
unique marker word – in item and case titles, case texts, decisions, case numbers, bilag
titles, bilag file names and bilag content; public bilag may hide it where a reader
does not look (tests/hostile.py ``reviewed_pdf``) – and the public edition of every output
never holds it anywhere a reader or a tool could find it:

- PDF (agenda, minutes, bilagspakke): page text, every string object (outline titles,
  link targets, annotation contents, document info), every decoded stream (content,
  XMP metadata, embedded files, fonts' ToUnicode maps);
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
from pathlib import Path
from types import MappingProxyType

import pikepdf
import pypdf
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from agenda.model import AgendaItem, Attachment, Case, ItemKind, Participant, TextSection
from agenda.snapshot import MeetingSnapshot
from exchange.transfer import export_meeting
from export.outputs import OUTPUTS, write_outputs
from export.pdf.pdf_clean import public_file_bytes
from storage.workspace import open_workspace
from tests import factories, hostile

_CONSONANTS = "bcdfghjklmnpqrstvwxz"


def _pdf_with(text: str) -> bytes:
    return hostile.good_pdf(f"Bilagets tekst: {text}", f"Side to nævner {text} igen")


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


def _all_findings(snapshot: MeetingSnapshot, marker: str, root: Path, *, public: bool) -> dict:
    """Every output of the edition, checked; {output: [where the marker is]}."""
    out = root / "ud"
    requests = [(OUTPUTS[k], public) for k in OUTPUTS]
    outcome = write_outputs(snapshot, out, requests)
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
    max_examples=12,
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
