"""Websocket routes of the contest app (see docs/realtime.md)."""

from django.urls import path

from contest.consumers import MonitorConsumer, RoundConsumer

websocket_urlpatterns = [
    path("ws/contest/rounds/<int:round_id>/", RoundConsumer.as_asgi()),
    path("ws/contest/rounds/<int:round_id>/monitor/", MonitorConsumer.as_asgi()),
]
