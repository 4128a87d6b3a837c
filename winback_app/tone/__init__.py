"""The tone check: words that run down a competitor or argue with the customer's reason."""


def init_app(app) -> None:
    """Register the admin's list of tone phrases."""
    from winback_app.tone import routes

    app.register_blueprint(routes.bp)
