"""All websocket routes; each app keeps its own list in ``<app>/routing.py``."""

from contest.routing import websocket_urlpatterns as contest_ws
from core.realtime.routing import websocket_urlpatterns as core_ws
from leaderboard.routing import websocket_urlpatterns as leaderboard_ws
from live.routing import websocket_urlpatterns as live_ws

websocket_urlpatterns = [
    *core_ws,
    *contest_ws,
    *live_ws,
    *leaderboard_ws,
]
