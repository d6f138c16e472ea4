"""All websocket routes; each app keeps its own list in ``<app>/routing.py``."""

from contest.routing import websocket_urlpatterns as contest_ws
from core.realtime.routing import websocket_urlpatterns as core_ws

websocket_urlpatterns = [
    *core_ws,
    *contest_ws,
]
