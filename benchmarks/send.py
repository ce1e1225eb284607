""" "Udsend" of a 15-bilag meeting against one export of the same files, in the same run,
and how much the workspace grows per sent version.

The meeting: 8 case items with 15 PDF bilag (4-12 pages each, one confidential, one closed
item). Floor: one export of exactly what a send writes (agenda docx and pdf, the complete
and the public bilagspakke through ``export.outputs.write_outputs``, and the meeting in the
exchange format through ``exchange.transfer.export_meeting``) into a folder. Send:
``app.records.send_meeting`` on the same workspace (which does that export into a
temporary folder, then stores every file by SHA-256 with the version). Goal: send <= one
export plus storing the files (ratio a little over 1).

Size: the workspace file (after a WAL checkpoint) before the first send, after it, and
after a second send of the unchanged meeting: files stored once by hash, so the second
grows it only by the files whose bytes differ from the first and the version's rows. (Found
in this run: the bilag and the complete pack come out byte-identical and are not stored
again; the agenda docx/pdf and the public pack differ from run to run, and meeting.json
lists the versions before it.)

    python3 benchmarks/send.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from agenda.model import MeetingStatus  # noqa: E402
from app.records import agenda_files, send_meeting  # noqa: E402
from storage.workspace import SqliteWorkspace, open_workspace  # noqa: E402
from tests.factories import attachment, case, item, meeting  # noqa: E402
from tests.pack_samples import pdf_pages  # noqa: E402


def clock() -> datetime:
    return datetime.now(UTC)


def fifteen_bilag(ws: SqliteWorkspace, tag: str) -> int:
    items = []
    n = 0
    for c in range(8):
        bilag = []
        for _ in range(2 if c < 7 else 1):
            n += 1
            data = pdf_pages([f"{tag} sag {c + 1} bilag {n} side {p}" for p in range(4 + n % 9)])
            ws.store_blob(data)
            bilag.append(attachment(f"Bilag {n}", data, f"bilag-{n}.pdf", confidential=n == 5))
        items.append(
            item(
                f"Sag {c + 1} om det regionale samarbejde",
                case_=case(f"Sag {c + 1} {tag}", f"24/{tag}{c:03d}", attachments=tuple(bilag)),
                closed=c == 6,
            )
        )
    m = meeting(
        [("Indledning", [item("Godkendelse af dagsorden")]), ("Sager", items)],
        status=MeetingStatus.DRAFT,
    )
    return ws.save_meeting(m).id  # type: ignore[return-value]


def file_size(ws: SqliteWorkspace) -> int:
    ws.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return ws.path.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    from agenda.tasks import NullTaskState

    floors, sends, growth_first, growth_second, stored, new_bytes = [], [], [], [], [], []
    for r in range(args.rounds):
        with tempfile.TemporaryDirectory() as tmp, open_workspace(Path(tmp) / "w.kkrdb") as ws:
            meeting_id = fifteen_bilag(ws, f"{r:02d}")
            m = ws.meeting(meeting_id)
            # a first export indexes the bilag's text; neither timed run should pay it
            agenda_files(ws, m, Path(tmp) / "opvarmning", NullTaskState())
            t = time.perf_counter()
            written, _ = agenda_files(ws, m, Path(tmp) / "eksport", NullTaskState())
            floors.append(time.perf_counter() - t)
            stored.append(sum(p.stat().st_size for p in written))

            before = file_size(ws)
            t = time.perf_counter()
            v1 = send_meeting(ws, meeting_id, "Til medlemmerne", "bench", clock).version
            sends.append(time.perf_counter() - t)
            after_first = file_size(ws)
            v2 = send_meeting(ws, meeting_id, "Igen, uændret", "bench", clock).version
            after_second = file_size(ws)
            known = {f.sha256 for f in v1.files}
            new_bytes.append(sum(f.size for f in v2.files if f.sha256 not in known))
            growth_first.append(after_first - before)
            growth_second.append(after_second - after_first)
    floor, send = statistics.median(floors), statistics.median(sends)
    kib = 1024
    print(f"export of what a send writes (floor): {floor * 1000:8.0f} ms")
    print(f"send_meeting (export + store)       : {send * 1000:8.0f} ms")
    print(f"ratio send / export                 : {send / floor:8.2f}")
    print(f"files written per send              : {statistics.median(stored) / kib:8.0f} KiB")
    first, second = statistics.median(growth_first), statistics.median(growth_second)
    print(f"workspace growth, first send        : {first / kib:8.0f} KiB")
    print(f"workspace growth, second send       : {second / kib:8.0f} KiB")
    changed = statistics.median(new_bytes) / kib
    print(f"second send, files not stored before: {changed:8.0f} KiB")


if __name__ == "__main__":
    main()
