"""The index types every model here shares."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex

#: What Qt passes a model: either kind of index.
Index = QModelIndex | QPersistentModelIndex
#: The invisible root, as a default argument.
ROOT = QModelIndex()
