"""The local web app and HTTP API: upload or paste articles, read briefings, fetch them as JSON.

``create_app(db_path)`` builds the ASGI app; ``serve(...)`` runs it with
uvicorn (``storybrief serve``).  See :mod:`storybrief.web.app` for the routes.
"""

from .app import App, create_app, serve
from .intake import WebLimits

__all__ = ["App", "WebLimits", "create_app", "serve"]
