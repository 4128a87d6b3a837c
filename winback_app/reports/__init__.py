"""Reports: what was lost, why, to whom, and how the win-back is going."""
