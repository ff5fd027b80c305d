"""Pages of the Inspector panel (one acquisition, a selection, a conflict, an order)."""
