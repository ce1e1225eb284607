"""storage layer; see DESIGN.md §4."""
