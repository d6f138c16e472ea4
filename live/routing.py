"""Websocket routes of the live app."""

websocket_urlpatterns: list = []
