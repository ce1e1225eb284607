"""Tests never write into the real user's folders: backups go to a temporary folder
(also for the CLI subprocesses, which inherit the environment). ``launches`` counts
office starts. The fast loop (``-m "not slow"``) tries fewer examples per property
(tests/hypothesis_budget.py)."""

from __future__ import annotations

import os
import tempfile

import pytest


def pytest_configure(config: pytest.Config) -> None:
    from tests import hypothesis_budget

    hypothesis_budget.FAST = "not slow" in (config.getoption("markexpr") or "")


@pytest.fixture(autouse=True, scope="session")
def _backups_in_a_temporary_folder():
    with tempfile.TemporaryDirectory(prefix="kkr-test-backups-") as folder:
        old = os.environ.get("KKR_DAGSORDEN_BACKUP_DIR")
        os.environ["KKR_DAGSORDEN_BACKUP_DIR"] = folder
        yield
        if old is None:
            os.environ.pop("KKR_DAGSORDEN_BACKUP_DIR", None)
        else:
            os.environ["KKR_DAGSORDEN_BACKUP_DIR"] = old


@pytest.fixture(autouse=True, scope="session")
def _agenda_pdf_without_the_office():
    """The public agenda PDF goes through the office suite where one is installed: one
    soffice call per document, which every export test would pay (the CLI's
    subprocesses cold). It is tested by itself (tests/test_tagged_agenda.py, which
    lifts this); elsewhere the reportlab PDF stands in, with its notice."""
    old = os.environ.get("KKR_AGENDA_OFFICE")
    os.environ["KKR_AGENDA_OFFICE"] = "0"
    yield
    if old is None:
        os.environ.pop("KKR_AGENDA_OFFICE", None)
    else:
        os.environ["KKR_AGENDA_OFFICE"] = old


@pytest.fixture
def launches(monkeypatch):
    """Every soffice start, counted through the seam."""
    started: list[list[str]] = []
    from export.conversion import convert_office

    real = convert_office.launch

    def counting(command, **kwargs):
        started.append(list(command))
        return real(command, **kwargs)

    monkeypatch.setattr(convert_office, "launch", counting)
    return started
