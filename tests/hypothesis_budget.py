"""How many examples a property test tries: all of them in the full run (CI), a fifth in
the fast loop (``-m "not slow"``, told by tests/conftest.py), so the loop stays quick and
CI keeps the depth. ``@settings(max_examples=examples(300))``."""

from __future__ import annotations

#: Set by tests/conftest.py before the test modules are imported.
FAST = False


def examples(full: int) -> int:
    return max(10, full // 5) if FAST else full
