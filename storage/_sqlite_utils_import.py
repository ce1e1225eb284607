"""Import sqlite-utils without numpy.

sqlite-utils imports numpy when it happens to be installed, to store numpy values, which
we never do; that import is most of the time it takes to open a workspace (~100 ms of the
window's start and every CLI command). Only this import is affected: numpy stays
importable for anyone who asks for it later.
"""

import sys

_hide_numpy = "numpy" not in sys.modules
if _hide_numpy:
    sys.modules["numpy"] = None  # type: ignore[assignment]  # "import numpy" -> ImportError
try:
    import sqlite_utils
finally:
    if _hide_numpy and sys.modules.get("numpy", 0) is None:
        del sys.modules["numpy"]

__all__ = ["sqlite_utils"]
