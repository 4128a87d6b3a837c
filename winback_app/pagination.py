"""One way to page a list: Flask-SQLAlchemy's ``db.paginate``, the page kept within the list.

Every paged list gets its page from ``paginate`` and shows it with the ``pager`` macro of
``templates/_macros/pager.html``.
"""

import math

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, func, select

from winback_app.extensions import db


def paginate(query: Select, page: int, per_page: int, count: Select | None = None) -> Pagination:
    """Page ``page`` of ``query``'s rows, ``per_page`` to a page, and how many rows there are.

    The rows are counted first, so a page number past the end (a stale bookmark, a list that
    shrank since) shows the last page rather than an empty one or db.paginate's 404. ``count``
    is a cheaper SELECT of the same rows to count, without the joins only the rows shown need;
    by default ``query`` itself is counted.
    """
    counted = (query if count is None else count).order_by(None).subquery()
    total = db.session.scalar(select(func.count()).select_from(counted))
    last = max(1, math.ceil(total / per_page))
    found = db.paginate(
        query,
        page=min(max(page, 1), last),
        per_page=per_page,
        max_per_page=None,
        error_out=False,
        count=False,
    )
    found.total = total
    return found
