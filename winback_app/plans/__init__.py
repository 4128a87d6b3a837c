"""Win-back plans built on "what's different now" evidence."""
