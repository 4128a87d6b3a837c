"""Team login, users and roles."""


def init_app(app) -> None:
    """Register login and the users admin, the session's user loader and `flask users`."""
    from winback_app.auth import cli, routes, services
    from winback_app.auth.users import routes as users_routes
    from winback_app.extensions import login_manager

    login_manager.user_loader(services.load_session_user)
    app.register_blueprint(routes.bp)
    app.register_blueprint(users_routes.bp)
    app.cli.add_command(cli.users)
