"""Websocket routes of the contest app."""

websocket_urlpatterns: list = []
