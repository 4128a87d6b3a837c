"""Entry point for `flask run` and gunicorn (`gunicorn wsgi:app`)."""

from winback_app import create_app

app = create_app()
