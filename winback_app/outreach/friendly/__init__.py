"""Friendly losses: accounts whose contact agreed to follow-ups."""
