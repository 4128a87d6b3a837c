"""Winback: win back lost customers. The application factory lives here."""

from pathlib import Path

from flask import Flask
from sqlalchemy import event
from werkzeug.middleware.proxy_fix import ProxyFix

from winback_app import (
    accounts,
    auth,
    core,
    demo,
    discovery,
    errors,
    formatting,
    mail,
    outreach,
    plans,
    reports,
    security,
    tone,
)
from winback_app.config import Config
from winback_app.extensions import csrf, db, limiter, login_manager, migrate
from winback_app.models import render_migration_item

ROOT = Path(__file__).resolve().parent.parent

# Navigation, in order: (label, endpoint, the URL prefixes it stands for, admin only).
NAVIGATION = (
    ("Today", "today.index", ("/today", "/outreach/", "/calendar/"), False),
    ("Accounts", "accounts.index", ("/accounts/",), False),
    ("Discovery", "discovery.index", ("/discovery/",), False),
    ("Plans", "plans.index", ("/plans/", "/evidence/"), False),
    ("Reports", "reports.index", ("/reports/",), False),
    ("Admin", "users.index", ("/admin/",), True),
)


def create_app(config: Config | None = None) -> Flask:
    """Build the app: settings, extensions, error handlers, then each domain in turn.

    ``config`` defaults to the settings read from the environment; the tests pass a
    ``TestConfig``. Its ``INSTANCE_PATH`` is the instance folder.
    """
    config = config or Config()
    app = Flask(
        __name__,
        instance_path=config.INSTANCE_PATH,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_object(config)

    if app.config["WINBACK_PROXY_COUNT"]:
        count = app.config["WINBACK_PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
    app.session_interface = security.SessionInterface()

    _init_extensions(app)
    errors.register(app)
    _register_template_globals(app)
    # Each domain registers its blueprints, commands, signal handlers, merge fields and
    # account-page panels here and nowhere else; the order is the account page's panel order.
    core.init_app(app)
    auth.init_app(app)
    accounts.init_app(app)
    outreach.init_app(app)
    plans.init_app(app)
    discovery.init_app(app)
    tone.init_app(app)
    mail.init_app(app)
    reports.init_app(app)
    demo.init_app(app)
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


def _register_template_globals(app: Flask) -> None:
    htmx_asset = security.htmx_asset(app.static_folder)

    @app.context_processor
    def layout_context():
        return {
            "company_name": app.config["WINBACK_COMPANY_NAME"],
            "htmx_source": app.config["HTMX_SOURCE"],
            "htmx_asset": htmx_asset,
            "navigation": NAVIGATION,
        }

    app.jinja_env.globals["csp_nonce"] = security.csp_nonce
    # Lets a page link to a feature only when its view exists (e.g. in shared navigation).
    app.jinja_env.globals["has_endpoint"] = lambda name: name in app.view_functions
    formatting.register(app)
