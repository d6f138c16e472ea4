"""A websocket message carrying a NUL (escaped or raw) gets an error event before any handler
runs, as a REST body does (PostgreSQL refuses NUL in text)."""

import pytest
from channels.testing import WebsocketCommunicator

from config.asgi import application
from core.realtime.protocol import Msg


@pytest.mark.parametrize(
    ("frame", "code"),
    [('{"type": "ping", "id": "a\\u0000"}', "bad_message"), ('{"type": "ping", "id": "a\x00"}', "bad_json")],
)
async def test_nul_in_a_frame_is_refused(frame, code):
    ws = WebsocketCommunicator(
        application, "/ws/time/", headers=[(b"origin", b"http://127.0.0.1:8000"), (b"host", b"127.0.0.1:8000")]
    )
    assert (await ws.connect())[0]
    await ws.send_to(text_data=frame)
    error = await ws.receive_json_from(timeout=5)
    assert (error["type"], error["code"]) == (Msg.ERROR, code)
    await ws.send_json_to({"type": "ping", "id": "after"})
    assert (await ws.receive_json_from(timeout=5))["id"] == "after"
    await ws.disconnect()
