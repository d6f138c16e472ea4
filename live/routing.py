"""Websocket routes of the live app."""

from django.urls import path

from live.consumers import PlayerConsumer, ScreenConsumer

websocket_urlpatterns: list = [
    path("ws/live/<int:game_id>/play/", PlayerConsumer.as_asgi()),
    path("ws/live/<int:game_id>/host/", ScreenConsumer.as_asgi()),
    path("ws/live/<int:game_id>/screen/", ScreenConsumer.as_asgi()),
]
