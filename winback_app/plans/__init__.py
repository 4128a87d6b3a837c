"""Win-back plans and the evidence library (what's different now): sections, solutions,
action items, status, and the printable plan."""


def init_app(app) -> None:
    """Register the plan and evidence views and the account page's plan panel."""
    from winback_app.accounts import panels
    from winback_app.plans import panel, routes
    from winback_app.plans.actions import routes as actions_routes
    from winback_app.plans.evidence import routes as evidence_routes
    from winback_app.plans.printing import routes as printing_routes
    from winback_app.plans.solutions import routes as solutions_routes

    for module in (routes, solutions_routes, actions_routes, printing_routes, evidence_routes):
        app.register_blueprint(module.bp)
    panels.register(
        app,
        panels.Panel(
            "plan", "plan", frozenset({panels.PLAN}), "plans/_account_plan.html", panel.context
        ),
    )
