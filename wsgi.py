"""Entry points: gunicorn "wsgi:app", flask --app wsgi, and the worker "huey_consumer wsgi.huey"."""

from portal import create_app
from portal.jobs import huey  # noqa: F401 - configured by create_app for the worker

app = create_app()
