"""The baseline of bench/answers.py: a plain Channels consumer, one transaction per answer.

What a straightforward implementation does: ``AsyncJsonWebsocketConsumer`` with Channels'
default dispatch (a ``close_old_connections`` thread hop per message), and each save run
through ``database_sync_to_async`` as its own transaction, calling the same service as the
REST fallback. Served by Daphne as ``bench.answers_baseline:application``; loopback only.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.db import database_sync_to_async  # noqa: E402
from channels.generic.websocket import AsyncJsonWebsocketConsumer  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import path  # noqa: E402
from django.utils import timezone  # noqa: E402

from contest import selectors, services  # noqa: E402
from contest.models import Round  # noqa: E402
from contest.presentation import ms  # noqa: E402
from core.errors import DomainError  # noqa: E402
from core.realtime.protocol import Msg  # noqa: E402


class PerAnswerConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        await self.accept()
        self.user = self.scope["user"]
        state = await database_sync_to_async(self._load)(int(self.scope["url_route"]["kwargs"]["round_id"]))
        await self.send_json({"type": Msg.ROUND_SNAPSHOT, "attempt": state})

    def _load(self, round_id: int):
        round_ = Round.objects.get(pk=round_id)
        attempt = services.attempt_running(user=self.user, round_=round_)
        self.attempt_id = attempt.pk if attempt else None
        return selectors.attempt_state(attempt) if attempt else None

    async def receive_json(self, content):
        received_at = timezone.now()
        try:
            result = await database_sync_to_async(services.answer_save)(
                user=self.user,
                attempt_id=self.attempt_id,
                version_id=content.get("question"),
                response=content.get("response"),
                received_at=received_at,
                source="ws",
            )
        except DomainError as exc:
            await self.send_json({"type": Msg.ERROR, "ref": content.get("ref"), **exc.as_dict()})
            return
        ack = {"type": Msg.ANSWER_SAVED, "ref": content.get("ref"), "question": result.version_id}
        await self.send_json({**ack, "saved_at": ms(result.saved_at)})


application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AuthMiddlewareStack(
            URLRouter([path("ws/contest/rounds/<int:round_id>/", PerAnswerConsumer.as_asgi())])
        ),
    }
)
