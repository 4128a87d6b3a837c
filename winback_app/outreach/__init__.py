"""Reaching lost accounts: attempts, call-backs, Today, the calendar feed, the call planner,
scripts and friendly losses."""


def init_app(app) -> None:
    """Register the outreach views, the account page's outreach panel, the scripts' merge
    fields and the call-backs that follow a saved contract."""
    from winback_app.accounts import panels, signals
    from winback_app.outreach import panel
    from winback_app.outreach.attempts import routes as attempts_routes
    from winback_app.outreach.calendar import routes as calendar_routes
    from winback_app.outreach.callbacks import routes as callbacks_routes
    from winback_app.outreach.callbacks import services as callbacks
    from winback_app.outreach.friendly import routes as friendly_routes
    from winback_app.outreach.planner import routes as planner_routes
    from winback_app.outreach.scripts import merge
    from winback_app.outreach.scripts import routes as scripts_routes
    from winback_app.outreach.today import routes as today_routes

    for module in (
        attempts_routes,
        callbacks_routes,
        today_routes,
        friendly_routes,
        calendar_routes,
        planner_routes,
        scripts_routes,
    ):
        app.register_blueprint(module.bp)
    panels.register(
        app,
        panels.Panel(
            "outreach",
            "outreach",
            frozenset({panels.ATTEMPTS, panels.CALLBACKS, panels.CONTACTS, panels.FACTS}),
            "outreach/_account_panel.html",
            panel.context,
        ),
    )
    merge.register_base_fields(app)
    signals.section_saved.connect(callbacks.on_account_saved)
