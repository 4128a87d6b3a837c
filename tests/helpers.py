"""Helpers for route tests."""

# What htmx 4 sends for a request that swaps part of a page.
PARTIAL = {"HX-Request": "true", "HX-Request-Type": "partial"}


def logged_in_client(app, user):
    """A client with ``user``'s session, as after logging in."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    return client
