"""Websocket routes of the leaderboard app."""

from django.urls import path

from leaderboard.consumers import BoardConsumer, ContestBoardConsumer

websocket_urlpatterns = [
    path("ws/leaderboard/rounds/<int:pk>/", BoardConsumer.as_asgi()),
    path("ws/leaderboard/contests/<int:pk>/", ContestBoardConsumer.as_asgi()),
]
