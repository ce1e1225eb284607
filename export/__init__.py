"""export layer; see DESIGN.md §4."""
