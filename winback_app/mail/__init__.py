"""Email: the outbox, its sender with retries, and the admin's Outbox page."""


def init_app(app) -> None:
    """Register the Outbox page and `flask outbox`; start the background sender when set."""
    from winback_app.mail import cli, outbox, routes, sender

    app.register_blueprint(routes.bp)
    app.cli.add_command(cli.outbox_cli)
    if app.config.get("MAIL_BACKGROUND_SENDER"):
        sender.start_background(app, outbox.send_due)
