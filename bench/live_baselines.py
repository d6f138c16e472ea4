"""The two baselines of bench/live.py, measured with the same clients and the same message.

1. ``python bench/live_baselines.py bare --port P``: a bare ``websockets`` server. A socket
   that sends ``go`` (with the frame to send) makes it stamp ``server_now`` and
   ``websockets.broadcast`` the text to every other socket: the limit.
2. ``daphne bench.live_baselines:application``: a plain Channels consumer that joins a group;
   ``go`` makes it ``group_send`` the payload, and each consumer's handler JSON-encodes it and
   sends it, through Channels' default dispatch: what most Channels apps do.

Loopback only.
"""

import argparse
import asyncio
import json
import os
import resource
import sys
import time


def now_ms() -> int:
    return time.time_ns() // 1_000_000


# --- 1. bare websockets -------------------------------------------------------------------
async def bare(port: int) -> None:
    import websockets
    from websockets.asyncio.server import broadcast, serve

    clients = set()

    async def handler(ws):
        clients.add(ws)
        try:
            async for message in ws:
                body = json.loads(message)
                if body.get("go"):
                    payload = body["payload"]
                    payload["server_now"] = now_ms()
                    broadcast([c for c in clients if c is not ws], json.dumps(payload, separators=(",", ":")))
        except websockets.ConnectionClosed:
            pass
        finally:
            clients.discard(ws)

    async with serve(handler, "127.0.0.1", port, compression=None, max_size=2**20, backlog=2048):
        print("ready", flush=True)
        await asyncio.Future()


# --- 2. plain Channels group_send -----------------------------------------------------------
application = None
if __name__ != "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.asgi import get_asgi_application

    django_asgi_app = get_asgi_application()
    from channels.generic.websocket import AsyncWebsocketConsumer
    from channels.routing import ProtocolTypeRouter, URLRouter
    from django.urls import path

    GROUP = "bench-live"

    class GroupConsumer(AsyncWebsocketConsumer):
        async def connect(self):
            await self.channel_layer.group_add(GROUP, self.channel_name)
            await self.accept()

        async def disconnect(self, code):
            await self.channel_layer.group_discard(GROUP, self.channel_name)

        async def receive(self, text_data=None, bytes_data=None):
            body = json.loads(text_data)
            if body.get("go"):
                event = {"type": "bench.frame", "payload": body["payload"], "server_now": now_ms()}
                await self.channel_layer.group_send(GROUP, event)

        async def bench_frame(self, event):
            await self.send(text_data=json.dumps({**event["payload"], "server_now": event["server_now"]}))

    application = ProtocolTypeRouter(
        {"http": django_asgi_app, "websocket": URLRouter([path("ws/bench/", GroupConsumer.as_asgi())])}
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=["bare"])
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    sys.exit(asyncio.run(bare(args.port)))
