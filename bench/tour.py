"""Screenshots of the main pages for the README's tour, taken from the demo data.

`make screenshots` runs this: it builds a fresh instance folder with the migrations and the
demo data, serves the app on a free 127.0.0.1 port from a thread, drives Chromium with
Playwright as the demo admin (and, for the survey, as a customer on a phone), and writes the
PNGs into bench/tour/ with 256 colours (Pillow comes with WeasyPrint). Nothing is fetched
from the internet: htmx comes from static/vendor/.
Chromium is CHROMIUM_PATH, else Debian's /usr/bin/chromium, else Playwright's own.
"""

import argparse
import io
import logging
import os
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from flask import url_for
from flask_migrate import upgrade
from PIL import Image
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright
from sqlalchemy import func, select
from werkzeug.serving import make_server

from winback_app import create_app, demo
from winback_app.accounts.models import Account, AccountReason
from winback_app.config import Config, ConfigError
from winback_app.demo import surveys as survey_demo
from winback_app.discovery.invitations import services as invitations
from winback_app.discovery.surveys.models import Survey
from winback_app.extensions import db
from winback_app.models import utcnow
from winback_app.outreach.attempts.models import Attempt
from winback_app.plans.models import Plan

OUT = Path(__file__).resolve().parent / "tour"
# The browser tests' flags (tests/browser/conftest.py): no sandbox, no background traffic.
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
A4 = {"width": 794, "height": 1123}  # at the 96 pixels per inch of CSS
PAPER_MARGINS = "16mm 16mm 18mm"  # the @page margins of static/print_plan.css
# The accounts list is pictured down to its eighth row.
ACCOUNT_ROWS = ".accounts-table tbody tr:nth-child(8)"
# The reports page is long: its top shows the period, the key figures and the first charts.
REPORT_HEIGHT = 1300
# Settings a reader's shell might change that would show in the pictures or reach outside.
FIXED_SETTINGS = {
    "HTMX_SOURCE": "local",
    "WINBACK_COMPANY_NAME": "Acme Supplies",
    "WINBACK_TIMEZONE": "UTC",
    "WINBACK_BASE_URL": "",
    "MAIL_SERVER": "",
    "MAIL_BACKGROUND_SENDER": False,
    "WINBACK_PROXY_COUNT": 0,
    "RATELIMIT_STORAGE_URI": "memory://",
}


class TourError(RuntimeError):
    """Something stopped the tour; the message says what."""


@dataclass(frozen=True)
class Shot:
    """One screenshot: the file, the page, and how much of it to keep.

    The picture is the viewport, unless ``until`` names an element: then the page down to
    ``margin`` pixels below it; or ``height`` pixels of the page; or with ``full_page``, the
    whole page (for pages known to be short).
    """

    name: str
    path: str
    viewport: dict = field(default_factory=lambda: DESKTOP)
    until: str | None = None
    margin: int = 24
    height: int | None = None
    full_page: bool = False
    print_media: bool = False


def build_app(instance: Path):
    """The app on a new SQLite database in ``instance``, migrated and seeded with the demo."""
    config = Config(
        str(instance),
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{instance / 'winback.sqlite3'}",
        **FIXED_SETTINGS,
    )
    app = create_app(config)
    with app.app_context():
        upgrade()
        demo.seed()
    return app


def story_account() -> Account:
    """The demo account with the fullest story: both views, a current plan, most attempts."""
    attempts = (
        select(func.count(Attempt.id)).where(Attempt.account_id == Account.id).scalar_subquery()
    )

    def has_view(view):
        return (
            select(AccountReason.id)
            .where(AccountReason.account_id == Account.id, AccountReason.view == view)
            .exists()
        )

    has_plan = select(Plan.id).where(Plan.account_id == Account.id, Plan.is_current).exists()
    account = db.session.scalar(
        select(Account)
        .where(has_view("customer"), has_view("team"), has_plan, attempts > 0)
        .order_by(attempts.desc(), Account.id)
        .limit(1)
    )
    if account is None:
        raise TourError("The demo data has no account with both views, attempts and a plan.")
    return account


def open_invitation() -> str:
    """A new private link to the open demo survey; returns its token.

    Only the token's hash is stored, so the demo's own links cannot be opened: this one is
    made the way an invitation round makes them, for the first contact it would invite.
    """
    survey = db.session.scalar(select(Survey).where(Survey.title == survey_demo.TITLE))
    if survey is None or survey.status != "open":
        raise TourError(f"The demo survey “{survey_demo.TITLE}” is missing or not open.")
    ids = list(db.session.scalars(select(Account.id).order_by(Account.id)))
    chosen = invitations.preview(survey, ids=ids[: invitations.MAX_ACCOUNTS])
    if not chosen.invite:
        raise TourError("No demo contact can be invited to the demo survey.")
    candidate = chosen.invite[0]
    invitation, token = invitations.new_invitation(
        survey, candidate.account.id, candidate.contact.id, utcnow(), sent=True
    )
    db.session.add(invitation)
    db.session.commit()
    return token


def plan_shots(app) -> tuple[list[Shot], Shot]:
    """The admin's screenshots in order, and the customer's survey on a phone."""
    with app.app_context():
        account = story_account()
        plan = db.session.scalar(select(Plan).where(Plan.account_id == account.id, Plan.is_current))
        token = open_invitation()
        with app.test_request_context():
            shots = [
                Shot("01-accounts.png", url_for("accounts.index"), until=ACCOUNT_ROWS, margin=0),
                Shot(
                    "02-account.png",
                    url_for("accounts.detail", account_id=account.id),
                    until="#plan",
                ),
                Shot("03-today.png", url_for("today.index")),
                Shot(
                    "05-plan-print.png",
                    url_for("printing.view", plan_id=plan.id),
                    viewport=A4,
                    full_page=True,
                    print_media=True,
                ),
            ]
            shots.append(
                Shot(
                    "06-reports.png",
                    url_for("reports.index", period="last_12_months"),
                    height=REPORT_HEIGHT,
                )
            )
            survey = Shot(
                "04-survey-phone.png",
                url_for("public.respond", token=token),
                viewport=PHONE,
            )
        db.session.remove()
    return shots, survey


@contextmanager
def serving(app):
    """Serve ``app`` on a free 127.0.0.1 port from a thread; yields its base URL."""
    # One line per request would bury the list of files written.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


def chromium_path() -> str | None:
    """CHROMIUM_PATH when set (it must exist), else Debian's, else None (Playwright's own)."""
    wanted = os.environ.get("CHROMIUM_PATH")
    if wanted:
        if not os.path.exists(wanted):
            raise TourError(f"CHROMIUM_PATH is {wanted}, which does not exist.")
        return wanted
    return "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None


def take(page, shot: Shot, out: Path) -> Path:
    """Open the shot's page, wait until htmx has loaded everything, and save the PNG."""
    page.set_viewport_size(shot.viewport)
    page.emulate_media(media="print" if shot.print_media else "screen")
    response = page.goto(shot.path)
    if response is None or not response.ok:
        status = response.status if response else "no response"
        raise TourError(f"{shot.path} answered {status}; {shot.name} not taken.")
    page.wait_for_load_state("networkidle")
    if shot.print_media:
        # A screenshot has no sheet of paper for the @page margins to apply to.
        # Set through the DOM: the page's CSP (rightly) refuses an added <style>.
        page.evaluate(
            "margins => { document.documentElement.style.padding = margins; }", PAPER_MARGINS
        )
    clip = None
    if shot.height:
        clip = {"x": 0, "y": 0, "width": shot.viewport["width"], "height": shot.height}
    elif shot.until:
        box = page.locator(shot.until).bounding_box()
        if box is None:
            raise TourError(f"{shot.path} has no {shot.until}; {shot.name} not taken.")
        clip = {
            "x": 0,
            "y": 0,
            "width": shot.viewport["width"],
            "height": box["y"] + box["height"] + shot.margin,
        }
    png = page.screenshot(full_page=shot.full_page or clip is not None, clip=clip, type="png")
    target = out / shot.name
    save_small(png, target)
    return target


def save_small(png: bytes, target: Path) -> None:
    """Save ``png`` with at most 256 colours: a third of the size, and the same to the eye.

    A flat interface has few colours; without dithering the text stays crisp.
    """
    with Image.open(io.BytesIO(png)) as image:
        small = image.convert("RGB").quantize(
            colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
        )
    small.save(target, optimize=True)


def new_page(browser, base_url: str, viewport: dict, errors: list, **options):
    """A fresh profile with one page that records console errors in ``errors``.

    Requests anywhere but the app are refused and count as errors: the pictures must show
    what an intranet without internet shows.
    """
    context = browser.new_context(
        base_url=base_url,
        viewport=viewport,
        device_scale_factor=1,
        locale="en-GB",
        timezone_id="UTC",
        **options,
    )
    context.set_default_timeout(15_000)

    def only_the_app(route):
        if route.request.url.startswith(base_url + "/"):
            route.continue_()
        else:
            errors.append(f"request outside the app refused: {route.request.url}")
            route.abort()

    context.route("**/*", only_the_app)
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return page


def log_in(page) -> None:
    """Log in as the demo admin through the real form."""
    email, password, _ = demo.logins()[0]
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/login" not in url)


def photograph(
    chromium: str | None, base_url: str, shots: list[Shot], survey: Shot, out: Path
) -> list[Path]:
    """Take every screenshot with the ``chromium`` executable; returns the files written."""
    errors: list[str] = []
    written = []
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(
                executable_path=chromium, args=LAUNCH_ARGS, headless=True
            )
        except PlaywrightError as error:
            raise TourError(
                "No Chromium to drive: install Debian's chromium (/usr/bin/chromium) or set "
                f"CHROMIUM_PATH ({str(error).splitlines()[0]})"
            ) from None
        try:
            admin = new_page(browser, base_url, DESKTOP, errors)
            log_in(admin)
            written += [take(admin, shot, out) for shot in shots]
            customer = new_page(browser, base_url, PHONE, errors, is_mobile=True, has_touch=True)
            written.append(take(customer, survey, out))
        finally:
            browser.close()
    if errors:
        raise TourError("The pages logged errors in the browser:\n  " + "\n  ".join(errors))
    return written


def run(out: Path) -> list[Path]:
    """Build the demo in a temporary instance folder, photograph it, remove the folder."""
    chromium = chromium_path()
    with tempfile.TemporaryDirectory(prefix="winback-tour-") as instance:
        app = build_app(Path(instance))
        try:
            shots, survey = plan_shots(app)
            out.mkdir(parents=True, exist_ok=True)
            with serving(app) as base_url:
                return photograph(chromium, base_url, shots, survey, out)
        finally:
            with app.app_context():
                db.engine.dispose()


def main(argv=None) -> int:
    """Take the screenshots and list the files; 1 when anything failed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"folder for the PNGs ({OUT})")
    args = parser.parse_args(argv)
    started = time.monotonic()
    try:
        written = run(args.out)
    except (TourError, ConfigError, PlaywrightError) as error:
        print(f"Tour failed: {error}", file=sys.stderr)
        return 1
    for path in sorted(written):
        print(f"  {path}  {path.stat().st_size // 1024} KB")
    print(f"{len(written)} screenshots in {time.monotonic() - started:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
