"""gui layer; see DESIGN.md §4."""
