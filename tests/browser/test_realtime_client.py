"""The realtime client module in a real browser: back-off bounds, reconnect, 44xx refusal."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_backoff_is_jittered_and_capped(live_server_asgi, page):
    page.goto(live_server_asgi.url + "/")
    bounds = page.evaluate(
        """async () => {
            const rt = await import('/static/js/realtime.js');
            const out = [];
            for (let i = 0; i < 8; i++) out.push([rt.backoffDelay(i, () => 0), rt.backoffDelay(i, () => 1)]);
            return out;
        }"""
    )
    assert bounds[0] == [250, 500]
    assert bounds[1] == [500, 1000]
    assert bounds[7] == [7500, 15000]  # capped at 15 s, never below half of it


def test_channel_reconnects_after_a_drop_and_stops_on_refusal(live_server_asgi, page):
    page.goto(live_server_asgi.url + "/")
    statuses = page.evaluate(
        """async () => {
            const rt = await import('/static/js/realtime.js');
            const seen = [];
            const ch = new rt.Channel('/ws/time/', { onStatus: (s) => seen.push(s) });
            const pong = () => new Promise((resolve) => ch.on('pong', resolve));
            const first = pong(); ch.send({ type: 'ping', id: 1 }); await first;
            ch.ws.close();                       // the network drops (not a user close)
            await new Promise((r) => setTimeout(r, 1500));
            const second = pong(); ch.send({ type: 'ping', id: 2 }); const p2 = await second;
            const closed = new Promise((resolve) => ch.on('close', resolve));
            ch.close();
            await closed;
            return { seen, id: p2.id };
        }"""
    )
    assert statuses["id"] == 2
    seen = statuses["seen"]
    assert seen[0] == "connecting"
    assert "waiting" in seen and "reconnecting" in seen
    assert seen.count("open") == 2
    assert seen[-1] == "closed"


def test_foreign_path_is_not_retried_forever(live_server_asgi, page):
    page.goto(live_server_asgi.url + "/")
    result = page.evaluate(
        """async () => {
            const rt = await import('/static/js/realtime.js');
            const ws = new WebSocket(rt.wsUrl('/ws/no-such-endpoint/'));
            return await new Promise((resolve) => ws.addEventListener('close', (e) => resolve(e.code)));
        }"""
    )
    assert result != 1000  # refused by the router, not a clean close
