"""Searching the cases, and keeping the search index fed with the bilag's text.

``search`` is what the command line's ``search`` and the window's case library call.
The text of PDF bilag is read anywhere (``extract_texts``, a worker in the window) and
stored on the workspace's thread (``app.snapshots.store_export_results``).
"""

from __future__ import annotations

from collections.abc import Mapping

from agenda.repository import SearchHit, WorkspaceRepository
from agenda.tasks import NullTaskState, TaskState, check

#: of a 2,000-page bilag its first 300 pages go into the search index
INDEXED_PAGES = 300


def search(workspace: WorkspaceRepository, query: str, limit: int = 50) -> list[SearchHit]:
    """Cases matching ``query``, best first: a case number first, then the words."""
    return workspace.search_cases(query, limit)


def extract_texts(pdfs: Mapping[str, bytes], state: TaskState | None = None) -> dict[str, str]:
    """The text of each PDF for the search index (of a 2,000-page one its first 300
    pages, as an import), by SHA-256. Anywhere (a worker); Cancel between files."""
    from export.pdf.text_extract import extract_text

    state = state or NullTaskState()
    texts: dict[str, str] = {}
    for done, (sha, pdf) in enumerate(pdfs.items()):
        check(state)
        state.report(done, len(pdfs), "")
        texts[sha] = extract_text(pdf, max_pages=INDEXED_PAGES)
    return texts
