"""The domain: pure Python, no Qt, no SQL, no document library."""

#: The one place the version is written; pyproject.toml and the Windows build read it.
__version__ = "0.1.0"
