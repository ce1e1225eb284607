"""Names the app writes (exchange export bilag, output documents) are made by
``agenda.formatting.safe_file_name``: a name that is only an extension keeps a name,
invisible direction controls cannot disguise an extension, and Windows device names are
refused also when written with superscript digits."""

from __future__ import annotations

import pytest

from agenda.formatting import safe_file_name
from exchange.transfer import export_meeting
from storage.workspace import open_workspace
from tests import hostile
from tests import pack_samples as samples


@pytest.mark.parametrize(
    ("given", "written"),
    [
        ("..pdf", "uden navn.pdf"),
        (". .docx", "uden navn.docx"),
        ("faktura\u202efdp.exe", "fakturafdp.exe"),  # shows as "fakturaexe.pdf"
        ("\u202bbilag\u202c \u2066x\u2069\u200e\u200f.pdf", "bilag x.pdf"),
        ("COM¹.pdf", "_COM¹.pdf"),
        ("lpt³.txt", "_lpt³.txt"),
        ("CON .pdf", "_CON.pdf"),
        ("Com1ission.pdf", "Com1ission.pdf"),
        ("rapport.v2.pdf", "rapport.v2.pdf"),
    ],
)
def test_safe_file_name(given, written):
    assert safe_file_name(given) == written


def test_the_exchange_export_writes_such_names_safely(tmp_path):
    names = ["..pdf", "faktura\u202efdp.pdf", "COM².pdf"]
    snapshot, _ = samples.snapshot(
        [("Punkt", f"Bilag {n}", hostile.good_pdf(f"Side {n}"), {"file_name": name})
         for n, name in enumerate(names)]
    )  # fmt: skip
    with open_workspace(tmp_path / "arbejde.kkrdb") as ws:
        for data in snapshot.blobs.values():
            ws.store_blob(data)
        meeting = ws.save_meeting(snapshot.meeting)
        folder = export_meeting(ws, meeting.id, tmp_path / "ud")
    written = sorted(p.name for p in (folder / "bilag").iterdir())
    assert written == ["_COM².pdf", "fakturafdp.pdf", "uden navn.pdf"]
