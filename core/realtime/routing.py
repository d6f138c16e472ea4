from django.urls import path

from core.realtime.consumers import TimeConsumer

websocket_urlpatterns = [
    path("ws/time/", TimeConsumer.as_asgi()),
]
