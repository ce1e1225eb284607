"""The real LibreOffice, through the product's conversion and the public bilagspakke:
a DOCX and an ODT whose pictures live on a web server (here one on 127.0.0.1 that
counts what it is asked) and a DOCX whose picture is a file on this computer make no
request and put no picture in the pack, while their text is there; tracked deletions
never print. The profile's settings alone block the fetch too; a control run of a bare
LibreOffice on the same files shows the server does see it, so the zero is not the
test's own blindness."""

from __future__ import annotations

import http.server
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pypdf
import pytest

from export.conversion import convert_office
from export.conversion.office_settings import apply_settings
from export.pack.build import build_pack
from tests import office_samples as samples
from tests import pack_samples

pytestmark = pytest.mark.slow


class _Counting(http.server.BaseHTTPRequestHandler):
    requests: list[str]
    picture = samples._png("blue")

    def parse_request(self) -> bool:
        parsed = super().parse_request()
        self.requests.append(f"{self.command} {self.path}")  # whatever the method
        return parsed

    def _answer(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(self.picture)))
        self.end_headers()
        if self.command == "GET":
            self.wfile.write(self.picture)

    do_GET = do_HEAD = do_OPTIONS = do_PROPFIND = do_POST = _answer

    def log_message(self, *args: object) -> None:  # quiet
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    requests: list[str] = []
    handler = type("Handler", (_Counting,), {"requests": requests})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", requests
    finally:
        httpd.shutdown()
        httpd.server_close()


def _images(path: Path) -> int:
    with pikepdf.open(path) as pdf:
        return sum(len(page.get_images()) for page in pdf.pages)


def _text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(path).pages)


def test_no_picture_is_fetched_and_none_comes_into_the_public_pack(server, tmp_path):
    assert convert_office.find_libreoffice() is not None, "CI installs LibreOffice"
    base, requests = server
    local = tmp_path / "privat-billede.png"
    local.write_bytes(samples._png("green"))
    files = {
        "notat.docx": samples.docx_with_external_picture(f"{base}/docx.png", "Notat Ærø"),
        "notat.odt": samples.odt_with_external_picture(f"{base}/odt.png", "Referat Præstø"),
        "lokalt.docx": samples.docx_with_external_picture(local.as_uri(), "Lokal Rødby"),
        "skabelon.docx": samples.docx_with_linked_template(f"{base}/brev.dotx", "Brev Tønder"),
    }
    snapshot, _ = pack_samples.snapshot(
        [("Sag", name, data, {"file_name": name}) for name, data in files.items()]
    )
    result = build_pack(snapshot, tmp_path / "offentlig.pdf", public=True)
    assert not result.problems
    assert requests == []
    text = _text(result.path)
    for words in ("Notat Ærø", "Referat Præstø", "Lokal Rødby", "Brev Tønder", "Læs mere"):
        assert words in text
    assert _images(result.path) == 0

    # The profile's settings alone (the only defence for a .doc or .rtf, which cannot be
    # cleaned) keep LibreOffice from fetching; a bare profile does fetch: the control.
    folder = tmp_path / "kontrol"
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    guarded = tmp_path / "profil-med-indstillinger"
    apply_settings(guarded)
    _soffice(guarded, folder, "med-indstillinger")
    assert requests == []
    assert _images(folder / "med-indstillinger" / "lokalt.pdf") == 0
    _soffice(tmp_path / "bar-profil", folder, "bar")
    assert any("docx.png" in r for r in requests) and any("odt.png" in r for r in requests)
    assert _images(folder / "bar" / "lokalt.pdf") == 1


def _soffice(profile: Path, folder: Path, out: str, *, to: str = "pdf") -> None:
    """The raw files of ``folder`` through soffice itself, not the product's conversion."""
    suite = convert_office.find_libreoffice()
    subprocess.run(
        [str(suite.executable), "--headless", "--norestore",
         f"-env:UserInstallation={profile.as_uri()}",
         "--convert-to", to, "--outdir", str(folder / out),
         *(str(path) for path in sorted(folder.glob("*.*")))],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        timeout=120, check=False,
    )  # fmt: skip


def test_tracked_deletions_never_print_in_the_pack(tmp_path):
    files = {
        "indstilling.docx": samples.docx_with_tracked_changes(
            "Beholdt tekst", "SLETTET-HEMMELIGHED", "INDSAT-TEKST"
        ),
        "notat.odt": samples.odt_with_tracked_deletion("Gældende tekst", "ODT-HEMMELIGHED"),
        "kommentar.docx": samples.docx_with_comment("Kommenteret tekst", "KOMMENTAR-NOTE"),
    }
    snapshot, _ = pack_samples.snapshot(
        [("Sag", name, data, {"file_name": name}) for name, data in files.items()]
    )
    result = build_pack(snapshot, tmp_path / "offentlig.pdf", public=True)
    assert not result.problems
    text = _text(result.path)
    assert "Beholdt tekst" in text and "INDSAT-TEKST" in text
    assert "Gældende tekst" in text and "Kommenteret tekst" in text
    for secret in ("SLETTET-HEMMELIGHED", "ODT-HEMMELIGHED", "KOMMENTAR-NOTE"):
        assert secret not in text
    with pikepdf.open(result.path) as pdf:  # nor anywhere else in the file
        streams = b"".join(
            obj.read_bytes() for obj in pdf.objects if isinstance(obj, pikepdf.Stream)
        )
    assert b"SLETTET" not in streams and b"KOMMENTAR-NOTE" not in streams


def test_an_old_word_file_the_cleaning_cannot_touch_makes_no_request_either(server, tmp_path):
    """A .doc keeps a linked picture as a link; only the profile's settings stand
    between it and the network (without the proxy, LibreOffice asked the server)."""
    base, requests = server
    folder = tmp_path / "doc"
    folder.mkdir()
    (folder / "linket.docx").write_bytes(
        samples.docx_with_external_picture(f"{base}/gammel.png", "Gammelt Word-notat")
    )
    guarded = tmp_path / "profil"
    apply_settings(guarded)
    _soffice(guarded, folder, "doc", to="doc")
    old_word = (folder / "doc" / "linket.doc").read_bytes()
    assert f"{base}/gammel.png".encode() in old_word  # the link survived into the .doc
    snapshot, _ = pack_samples.snapshot([("Sag", "Notat", old_word, {"file_name": "notat.doc"})])
    result = build_pack(snapshot, tmp_path / "offentlig.pdf", public=True)
    assert not result.problems
    assert "Gammelt Word-notat" in _text(result.path)
    assert requests == []
    control = tmp_path / "kontrol"
    control.mkdir()
    (control / "notat.doc").write_bytes(old_word)
    _soffice(tmp_path / "bar-profil", control, "ud")
    assert any("gammel.png" in r for r in requests)
