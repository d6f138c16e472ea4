"""The time-sync socket through the real ASGI stack (origin check, auth, routing)."""

import time

import pytest
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator

from config.asgi import application
from core.realtime.protocol import SITE_GROUP, Event, Msg

pytestmark = pytest.mark.django_db(transaction=True)


def communicator(origin: bytes = b"http://127.0.0.1:8000"):
    return WebsocketCommunicator(application, "/ws/time/", headers=[(b"origin", origin), (b"host", b"127.0.0.1:8000")])


async def test_ping_gets_server_epoch_ms():
    ws = communicator()
    connected, _ = await ws.connect()
    assert connected
    before = time.time_ns() // 1_000_000
    await ws.send_json_to({"type": "ping", "id": 7})
    reply = await ws.receive_json_from(timeout=5)
    after = time.time_ns() // 1_000_000
    assert reply["type"] == Msg.PONG
    assert reply["id"] == 7
    assert before <= reply["server_now"] <= after
    await ws.disconnect()


async def test_foreign_origin_is_refused():
    ws = communicator(origin=b"http://evil.example")
    connected, _ = await ws.connect()
    assert not connected


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("not json", "bad_json"),
        ("[" * 5000 + "]" * 5000, "bad_json"),  # nested too deep for the parser: not a 1011 close
        ('["a list"]', "bad_message"),
        ('{"no": "type"}', "bad_message"),
        ('{"type": "answer.save"}', "unknown_type"),
        ("x" * 20000, "bad_frame"),
    ],
)
async def test_bad_frames_get_an_error_event_and_the_socket_stays_usable(frame, code):
    ws = communicator()
    assert (await ws.connect())[0]
    await ws.send_to(text_data=frame)
    error = await ws.receive_json_from(timeout=5)
    assert error["type"] == Msg.ERROR
    assert error["code"] == code
    assert error["message"]
    await ws.send_json_to({"type": "ping", "id": "after"})
    assert (await ws.receive_json_from(timeout=5))["id"] == "after"
    await ws.disconnect()


@pytest.mark.parametrize(
    ("cookie", "message"),
    [(b"", "Tin nhắn không phải JSON hợp lệ."), (b"django_language=en", "The message is not valid JSON.")],
)
async def test_error_messages_follow_the_page_language(cookie, message):
    headers = [(b"origin", b"http://127.0.0.1:8000"), (b"host", b"127.0.0.1:8000")]
    if cookie:
        headers.append((b"cookie", cookie))
    ws = WebsocketCommunicator(application, "/ws/time/", headers=headers)
    assert (await ws.connect())[0]
    await ws.send_to(text_data="{")
    assert (await ws.receive_json_from(timeout=5))["message"] == message
    await ws.disconnect()


async def test_site_notice_reaches_open_clocks_and_group_is_left_on_close():
    ws = communicator()
    assert (await ws.connect())[0]
    layer = get_channel_layer()
    await layer.group_send(SITE_GROUP, {"type": Event.SITE_NOTICE, "level": "warning", "text": "Bảo trì lúc 22:00"})
    notice = await ws.receive_json_from(timeout=5)
    assert notice == {
        "type": Msg.NOTICE,
        "level": "warning",
        "text": "Bảo trì lúc 22:00",
        "server_now": notice["server_now"],
    }
    await ws.disconnect()
    assert await ws.receive_nothing(timeout=0.2)
