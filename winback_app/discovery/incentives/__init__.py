"""Incentives."""
