"""The domain: pure Python, no Qt, no SQL, no document library."""
