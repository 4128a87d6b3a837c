"""Lost accounts: the list, an account's page, reasons and competitors, contacts, the CSV
import and export, and history."""


def init_app(app) -> None:
    """Register the account views, the account page's own regions, and the rule that stamps
    the won-back date on a save."""
    from winback_app.accounts import page, panels, routes, services, signals
    from winback_app.accounts.contacts import routes as contacts_routes
    from winback_app.accounts.imports import routes as imports_routes
    from winback_app.accounts.taxonomy import routes as taxonomy_routes

    for blueprint in (routes.bp, contacts_routes.bp, imports_routes.bp, taxonomy_routes.bp):
        app.register_blueprint(blueprint)
    for region in page.OWN_REGIONS:
        panels.register(app, region)
    # blinker keeps one connection per receiver, so a second app connects nothing twice.
    signals.section_saved.connect(services.stamp_won_back)
