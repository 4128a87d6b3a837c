"""A plan's action items: add one, tick it done."""
