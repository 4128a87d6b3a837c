"""Pages that belong to no one domain (home, the health check), the team's settings used by
every domain, and the backup command."""


def init_app(app) -> None:
    """Register the home page, the health check, the settings page and `flask backup`."""
    from winback_app.core import cli, routes
    from winback_app.core.settings import routes as settings_routes

    app.register_blueprint(routes.bp)
    app.register_blueprint(settings_routes.bp)
    app.cli.add_command(cli.backup)
