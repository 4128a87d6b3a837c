"""Team login, users and roles."""
