"""File downloads: one way to send a CSV (or a stream of its lines) as an attachment."""

from flask import Response


def csv_download(body, filename: str) -> Response:
    """``body`` (text or an iterable of lines) as ``filename``, never kept by a cache."""
    return Response(
        body,
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )
