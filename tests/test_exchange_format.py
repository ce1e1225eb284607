"""Bilag files of an imported folder are the meeting's own regular files.

A folder may hold symbolic links (unpacked from an archive, or planted): a bilag that is a
link out of the meeting's folder would pull any file the user can read (a private key, a
document of another case) into the workspace and on into the next export. A FIFO or device
would hang the import. Both are refused in Danish, with nothing imported.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from agenda.errors import ExchangeError
from exchange.transfer import import_meeting
from storage.workspace import open_workspace
from tests.factories import row_counts

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _folder(where: Path) -> Path:
    (where / "bilag").mkdir(parents=True)
    doc = {
        "format": "kkr-dagsorden/meeting",
        "version": 1,
        "body": {"name": "KKR Sjælland"},
        "meeting": {"name": "Møde i KKR Sjælland", "start": "2024-04-16T10:00:00+02:00"},
        "sections": [
            {
                "name": "Sager",
                "items": [
                    {
                        "kind": "decision",
                        "name": "Kollektiv trafik i Hillerød",
                        "paper": {"reference": "24/01234"},
                        "files": [{"name": "Notat", "fileName": "bilag/notat.pdf"}],
                    }
                ],
            }
        ],
    }
    (where / "meeting.json").write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    return where


@pytest.fixture
def ws(tmp_path):
    with open_workspace(tmp_path / "w.kkrdb") as workspace:
        yield workspace


def test_a_bilag_that_links_out_of_the_folder_is_refused(ws, tmp_path):
    secret = tmp_path / "privat.pdf"
    secret.write_bytes(PDF + b"% hemmeligt\n")
    folder = _folder(tmp_path / "ind")
    (folder / "bilag" / "notat.pdf").symlink_to(secret)
    before = row_counts(ws.path)
    with pytest.raises(ExchangeError) as caught:
        import_meeting(ws, folder)
    assert "uden for mødets mappe" in caught.value.message
    assert "bilag/notat.pdf" in caught.value.message and "Hillerød" in caught.value.message
    assert row_counts(ws.path) == before


def test_a_link_to_another_file_inside_the_folder_is_read(ws, tmp_path):
    folder = _folder(tmp_path / "ind")
    (folder / "bilag" / "original.pdf").write_bytes(PDF)
    (folder / "bilag" / "notat.pdf").symlink_to(folder / "bilag" / "original.pdf")
    meeting = import_meeting(ws, folder)
    [bilag] = meeting.agenda.items()[0].case.attachments
    assert ws.blob(bilag.sha256) == PDF


def test_a_bilag_that_is_a_fifo_is_refused_without_hanging(ws, tmp_path):
    folder = _folder(tmp_path / "ind")
    os.mkfifo(folder / "bilag" / "notat.pdf")  # reading it would wait for a writer forever
    before = row_counts(ws.path)
    with pytest.raises(ExchangeError, match="ikke en almindelig fil"):
        import_meeting(ws, folder)
    assert row_counts(ws.path) == before
