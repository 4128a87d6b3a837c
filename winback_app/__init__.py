"""Winback: win back lost customers. The application factory lives here."""

import os
from pathlib import Path

from flask import Flask
from sqlalchemy import event
from werkzeug.middleware.proxy_fix import ProxyFix

from . import config as settings
from . import errors, formatting, security
from .extensions import csrf, db, limiter, login_manager, migrate
from .models import render_migration_item

ROOT = Path(__file__).resolve().parent.parent

# Navigation, in order: (label, endpoint, admin only). An entry shows once its blueprint
# exists, so each domain appears in the menu the day it is built.
NAVIGATION = (
    ("Today", "outreach.today", False),
    ("Accounts", "accounts.index", False),
    ("Discovery", "discovery.index", False),
    ("Plans", "plans.index", False),
    ("Reports", "reports.index", False),
    ("Admin", "users.index", True),
)


def create_app(config: dict | None = None) -> Flask:
    """Build the app: settings, extensions, blueprints, error handlers, CLI commands.

    ``config`` replaces the settings read from the environment (the tests pass their own);
    its optional ``INSTANCE_PATH`` moves the instance folder.
    """
    config = dict(config or {})
    instance_path = config.pop("INSTANCE_PATH", None) or os.environ.get("WINBACK_INSTANCE_PATH")
    app = Flask(
        __name__,
        instance_path=str(Path(instance_path or ROOT / "instance").resolve()),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.update(settings.FIXED)
    app.config.update(config or settings.from_environment(app.instance_path))

    if app.config["WINBACK_PROXY_COUNT"]:
        count = app.config["WINBACK_PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
    app.session_interface = security.SessionInterface()

    _init_extensions(app)
    _register_blueprints(app)
    errors.register(app)
    _register_template_globals(app)
    _register_commands(app)
    if app.config.get("MAIL_BACKGROUND_SENDER"):
        from .mail import outbox, sender

        sender.start_background(app, outbox.send_due)
    return app


def _init_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(ROOT / "migrations"),
        render_as_batch=True,  # SQLite alters tables by copying them
        compare_type=True,
        render_item=render_migration_item,
    )
    # The access wall runs before CSRF, so an anonymous POST is sent to log in, not told
    # its token is wrong.
    app.before_request(security.enforce_access)
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    app.after_request(security.set_security_headers)

    from .auth.services import load_session_user

    login_manager.user_loader(load_session_user)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            event.listen(db.engine, "connect", _sqlite_pragmas)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # WAL lets readers and a writer work at once; the busy timeout makes a second writer wait
    # instead of failing with "database is locked"; SQLite leaves foreign keys off by default.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _register_blueprints(app: Flask) -> None:
    from .accounts import routes as accounts_routes
    from .accounts import routes_admin as taxonomy_admin
    from .auth import admin as users_admin
    from .auth import routes as auth_routes
    from .core import routes as core_routes
    from .discovery import routes as discovery_routes
    from .discovery import routes_public as survey_public
    from .mail import routes as mail_routes
    from .outreach import routes as outreach_routes
    from .plans import routes as plans_routes
    from .reports import routes as reports_routes

    for module in (
        core_routes,
        auth_routes,
        users_admin,
        accounts_routes,
        taxonomy_admin,
        outreach_routes,
        discovery_routes,
        survey_public,
        mail_routes,
        plans_routes,
        reports_routes,
    ):
        app.register_blueprint(module.bp)
    app.register_blueprint(plans_routes.evidence_bp)


def _register_template_globals(app: Flask) -> None:
    htmx_asset = security.htmx_asset(app.static_folder)

    @app.context_processor
    def layout_context():
        return {
            "company_name": app.config["WINBACK_COMPANY_NAME"],
            "htmx_source": app.config["HTMX_SOURCE"],
            "htmx_asset": htmx_asset,
            "navigation": [
                (label, endpoint)
                for label, endpoint, admin_only in NAVIGATION
                if endpoint in app.view_functions
            ],
            "admin_navigation": {e for _, e, admin_only in NAVIGATION if admin_only},
        }

    app.jinja_env.globals["csp_nonce"] = security.csp_nonce
    # Lets a page link to a feature only when its view exists (e.g. in shared navigation).
    app.jinja_env.globals["has_endpoint"] = lambda name: name in app.view_functions
    formatting.register(app)


def _register_commands(app: Flask) -> None:
    from . import cli
    from .auth import cli as users_cli
    from .discovery.cli import surveys_cli
    from .mail.cli import outbox_cli

    app.cli.add_command(users_cli.users)
    app.cli.add_command(cli.seed_demo)
    app.cli.add_command(cli.seed_bench)
    app.cli.add_command(cli.backup)
    app.cli.add_command(outbox_cli)
    app.cli.add_command(surveys_cli)
