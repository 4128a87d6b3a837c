"""Taxonomy."""
