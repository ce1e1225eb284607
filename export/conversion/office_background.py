"""Office files converted in worker threads while the caller does the rest.

One thread per office suite; results come back through a queue as each file finishes.
Files Microsoft Office could not take go to LibreOffice when it is installed; a bug in
a converter fails its own files, never the export; leaving the block (done, cancelled,
an error) stops whatever still runs.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
import traceback
from collections.abc import Iterator, Mapping

from export.conversion import convert_com, convert_office
from export.conversion.convert_office import OfficeJob, OfficeSuite

#: How long leaving the block waits for the converters to stop (a kill takes up to 10 s).
JOIN_LIMIT = 30.0


@contextlib.contextmanager
def office_in_background(
    office: Mapping[OfficeSuite, Mapping[tuple[str, str], OfficeJob]], timeout: float
) -> Iterator[OfficeResults]:
    """Start the office conversions, hand over their results as they come, and make sure
    nothing keeps running when we leave (cancel, error): the stop flag kills them."""
    results = OfficeResults()
    threads = []
    for suite, jobs in office.items():
        convert = (
            convert_com.convert_with_msoffice
            if suite.converter == "msoffice"
            else convert_office.convert_with_libreoffice
        )
        thread = threading.Thread(
            target=_guarded,
            args=(convert, list(jobs.values()), suite, results, timeout),
            name=f"convert-{suite.converter}",
            daemon=True,
        )
        threads.append(thread)
        results.expected += len(jobs)
    for thread in threads:
        thread.start()
    try:
        yield results
    finally:
        results.stop.set()
        # A converter stuck where the stop flag cannot reach it (inside a COM call) is
        # left behind (a daemon thread) rather than holding the export up for ever.
        deadline = time.monotonic() + JOIN_LIMIT
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))


class OfficeResults:
    def __init__(self) -> None:
        self.queue: queue.Queue[tuple[OfficeJob, bytes | Exception, OfficeSuite]] = queue.Queue()
        self.stop = threading.Event()
        self.expected = 0

    def __call__(self, job: OfficeJob, result: bytes | Exception, suite: OfficeSuite) -> None:
        self.queue.put((job, result, suite))


def _guarded(
    convert, jobs: list[OfficeJob], suite: OfficeSuite, results: OfficeResults, timeout: float
) -> None:
    """Run one suite's conversions; every job is reported exactly once, whatever happens.
    Files Microsoft Office could not take (it would not start, or hung twice running)
    go to LibreOffice when that is installed."""
    reported: set[object] = set()
    fallback: list[OfficeJob] = []
    libreoffice = convert_office.find_libreoffice() if suite.converter == "msoffice" else None

    def on_done(job: OfficeJob, result: bytes | Exception, by: OfficeSuite = suite) -> None:
        if by is suite and libreoffice and isinstance(result, convert_com.OfficeUnavailable):
            fallback.append(job)
            return
        reported.add(job.key)
        results(job, result, by)

    try:
        convert(jobs, suite, on_done, results.stop, timeout=timeout)
        if fallback and not results.stop.is_set():
            convert_office.convert_with_libreoffice(
                fallback,
                libreoffice,
                lambda job, result: on_done(job, result, libreoffice),
                results.stop,
                timeout=timeout,
            )
    except Exception as error:  # a bug in a converter: its files fail, the rest go on
        detail = "".join(traceback.format_exception_only(error)).strip()
        for job in jobs:
            if job.key not in reported:
                failed = convert_office.conversion_failed(job.name, suite.name, detail)
                results(job, failed, suite)
    finally:
        for job in jobs:  # a converter that forgot a file must not hang us
            if job.key not in reported and not results.stop.is_set():
                results(job, convert_office.conversion_failed(job.name, suite.name), suite)
