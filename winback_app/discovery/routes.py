"""The Discovery overview, the account page's interviews panel, completing action items (from
Today, the account page, an interview or the overview), and the listing the interview views
share."""

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload

from winback_app import htmx
from winback_app.discovery import action_items
from winback_app.discovery.guides import services as guides
from winback_app.discovery.interviews import services as interviews
from winback_app.discovery.interviews.models import INTERVIEW_STATUSES, Interview
from winback_app.extensions import db
from winback_app.formatting import today_local
from winback_app.pagination import paginate
from winback_app.security import safe_next_path

bp = Blueprint("discovery", __name__, url_prefix="/discovery")

HUB_ROWS = 8
PANEL_ROWS = 20

LIST_OPTIONS = (
    joinedload(Interview.account),
    joinedload(Interview.contact),
    joinedload(Interview.guide),
    joinedload(Interview.interviewer),
    joinedload(Interview.partner),
)
# Upcoming: soonest first; held: latest first; all: newest scheduled first.
SHOWN = {
    "upcoming": (Interview.status.in_(interviews.OPEN), Interview.scheduled_at.asc()),
    "held": (Interview.status == "held", Interview.ended_at.desc()),
    "all": (None, Interview.scheduled_at.desc()),
}


def _shown(show: str, account_id: int | None = None) -> Select:
    """The interviews ``show`` lists (a key of SHOWN), perhaps of one account only, in order."""
    where, order = SHOWN[show]
    query = select(Interview)
    if where is not None:
        query = query.where(where)
    if account_id is not None:
        query = query.where(Interview.account_id == account_id)
    return query.options(*LIST_OPTIONS).order_by(order, Interview.id.desc())


def listing(show: str, limit: int, account_id: int | None = None) -> tuple[list[Interview], int]:
    """The first ``limit`` interviews ``show`` lists and how many there are in all.

    The overview and the account page show a few rows and a total, never pages, so the total
    comes along as a window count: each box costs one query rather than paginate's two.
    """
    query = _shown(show, account_id).add_columns(func.count().over()).limit(limit)
    rows = db.session.execute(query).all()
    return [interview for interview, _ in rows], rows[0][1] if rows else 0


def interview_page(show: str, number: int, per_page: int) -> Pagination:
    """One page of the interviews ``show`` lists. Counted apart, unlike the boxes above: a
    window count comes back only with rows, so a page past the end would have no total."""
    return paginate(_shown(show), number, per_page)


@bp.route("/")
def index():
    """Upcoming and recent interviews, the guides, the user's open action items, and the way
    to surveys and incentives."""
    upcoming, upcoming_total = listing("upcoming", HUB_ROWS)
    recent, held_total = listing("held", HUB_ROWS)
    return htmx.render(
        "discovery/index.html",
        upcoming=upcoming,
        upcoming_total=upcoming_total,
        recent=recent,
        held_total=held_total,
        guides=guides.list_guides(include_retired=False),
        budget=guides.budget,
        order_warnings=guides.order_warnings,
        my_items=action_items.open_for(current_user, limit=HUB_ROWS),
        statuses=INTERVIEW_STATUSES,
        today=today_local(),
    )


@bp.route("/action-items/<int:item_id>/done", methods=["POST"])
def complete_action_item(item_id):
    """Mark an action item done: the row updated in place, or back where the button was."""
    item = action_items.load(item_id) or abort(404)
    action_items.complete(item)
    message = f"Done: {item.what}"
    back = safe_next_path(request.form.get("next"))
    if not htmx.is_partial():
        flash(message, "success")
        return redirect(back or url_for("today.index"), 303)
    item = action_items.load(item_id)
    response = htmx.render("discovery/_action_item.html", item=item, today=today_local(), back=back)
    return htmx.trigger(response, "flash", {"message": message})


def account_panel(account) -> dict:
    """The account page's interviews panel: its interviews and open action items."""
    found, total = listing("all", PANEL_ROWS, account_id=account.id)
    return {
        "account_interviews": found,
        "account_interviews_total": total,
        "account_action_items": action_items.for_account(account.id),
        "interview_statuses": INTERVIEW_STATUSES,
        "today": today_local(),
    }
