"""Pages that belong to no one domain: home and the health check."""
