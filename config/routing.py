"""All websocket routes; each app keeps its own list in ``<app>/routing.py``."""

from core.realtime.routing import websocket_urlpatterns as core_ws

websocket_urlpatterns = [
    *core_ws,
]
