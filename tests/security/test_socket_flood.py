"""A socket flooding thousands of messages a second, through a real Daphne: it is throttled
(``rate_limited``, then closed 4429) and another player's socket on the same worker keeps
being answered meanwhile."""

import json
import threading
import time

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from core.realtime.protocol import CLOSE_RATE_LIMITED

pytestmark = pytest.mark.django_db(transaction=True)

FLOOD = 10_000


def _socket(base):
    return connect(base.replace("http", "ws", 1) + "/ws/time/", origin=base, open_timeout=10, max_size=2**20)


def test_a_flooding_socket_is_throttled_and_others_stay_answered(live_server_asgi):
    base = live_server_asgi.url
    flooder, other = _socket(base), _socket(base)
    seen = {"pong": 0, "rate_limited": 0, "other": 0, "close": None}

    def read_flooder():
        try:
            while True:
                message = json.loads(flooder.recv(timeout=10))
                if message["type"] == "pong":
                    seen["pong"] += 1
                elif message.get("code") == "rate_limited":
                    seen["rate_limited"] += 1
                else:
                    seen["other"] += 1
        except ConnectionClosed as exc:
            seen["close"] = exc.rcvd.code if exc.rcvd else None
        except TimeoutError:
            pass

    reader = threading.Thread(target=read_flooder)
    reader.start()
    sent, started = 0, time.monotonic()
    frame = json.dumps({"type": "ping", "id": 1})

    def flood():
        nonlocal sent
        try:
            for _ in range(FLOOD):
                flooder.send(frame)
                sent += 1
        except ConnectionClosed:
            pass

    writer = threading.Thread(target=flood)
    writer.start()
    # Meanwhile another player pings: every ping is answered within a generous timeout.
    answered = 0
    while writer.is_alive() or answered < 5:
        other.send(json.dumps({"type": "ping", "id": answered}))
        reply = json.loads(other.recv(timeout=10))
        assert reply["type"] == "pong" and reply["id"] == answered
        answered += 1
        time.sleep(0.05)
    writer.join()
    elapsed = time.monotonic() - started
    reader.join(timeout=15)
    flooder.close()
    other.close()
    print(
        f"flood: sent {sent} frames in {elapsed:.2f} s ({sent / elapsed:.0f}/s); the flooder got "
        f"{seen['pong']} pongs, {seen['rate_limited']} rate_limited, {seen['other']} other, close {seen['close']}; "
        f"the other socket got {answered} pongs"
    )
    assert seen["rate_limited"] >= 1, seen
    assert seen["close"] == CLOSE_RATE_LIMITED, seen
    assert seen["pong"] < FLOOD, seen
