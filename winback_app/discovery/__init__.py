"""Discovery: interview guides and the question bank, interviews, surveys with their private
invitations and public answer pages, and thank-you incentives."""


def init_app(app) -> None:
    """Register the discovery views, its three account-page panels, the survey merge fields,
    the outbox listeners that stamp invitations, and `flask surveys`."""
    from winback_app.accounts import panels
    from winback_app.discovery import routes
    from winback_app.discovery.guides import routes as guides_routes
    from winback_app.discovery.incentives import routes as incentives_routes
    from winback_app.discovery.interviews import routes as interviews_routes
    from winback_app.discovery.invitations import cli
    from winback_app.discovery.invitations import mail as invitation_mail
    from winback_app.discovery.invitations import routes as invitations_routes
    from winback_app.discovery.invitations import services as invitations
    from winback_app.discovery.public import routes as public_routes
    from winback_app.discovery.surveys import results
    from winback_app.discovery.surveys import routes as surveys_routes
    from winback_app.mail import signals

    for module in (
        routes,
        guides_routes,
        interviews_routes,
        surveys_routes,
        invitations_routes,
        incentives_routes,
        public_routes,
    ):
        app.register_blueprint(module.bp)
    for panel in (
        panels.Panel(
            "interviews",
            "interviews",
            frozenset({panels.INTERVIEWS, panels.CONTACTS}),
            "discovery/_account_interviews.html",
            routes.account_panel,
        ),
        panels.Panel(
            "incentives",
            "incentives",
            frozenset({panels.INCENTIVES, panels.CONTACTS}),
            "discovery/_account_incentives.html",
            incentives_routes.account_panel,
        ),
        panels.Panel(
            "survey_responses",
            "survey-responses",
            frozenset({panels.RESPONSES, panels.REASONS}),
            "discovery/_account_responses.html",
            results.account_panel,
        ),
    ):
        panels.register(app, panel)
    invitation_mail.register_fields(app)
    signals.message_sending.connect(invitations.fill_link)
    signals.message_sent.connect(invitations.stamp_sent)
    signals.message_bounced.connect(invitations.stamp_bounced)
    app.cli.add_command(cli.surveys_cli)
