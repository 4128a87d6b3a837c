"""Solutions."""
