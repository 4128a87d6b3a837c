"""Reports: the volume, value and reasons of the losses, and how the win-back is going."""


def init_app(app) -> None:
    """Register the reports pages and their CSV downloads."""
    from winback_app.reports import routes

    app.register_blueprint(routes.bp)
