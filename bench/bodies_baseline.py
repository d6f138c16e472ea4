"""Daphne's application without the body limits (core.bodylimits not installed): the "before"
of bench/bodies.py. Never served in production."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from django.core.asgi import get_asgi_application

application = get_asgi_application()
