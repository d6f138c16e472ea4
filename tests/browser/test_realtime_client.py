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


def test_refusals_after_open_keep_backing_off(live_server_asgi, page):
    """A socket accepted then closed 4503 (the database or Redis away) must not retry at the
    first back-off step for ever: the open resets the back-off, the refusals count it up."""
    page.goto(live_server_asgi.url + "/")
    waits = page.evaluate(
        """async () => {
            const rt = await import('/static/js/realtime.js');
            // A stand-in for the browser's WebSocket: every socket opens, then is closed 4503,
            // as a worker answers while its database is down.
            class Refusing extends EventTarget {
                constructor() {
                    super();
                    this.readyState = 0;
                    setTimeout(() => { this.readyState = 1; this.dispatchEvent(new Event('open'));
                        const m = new MessageEvent('message', { data: JSON.stringify(
                            { type: 'error', code: 'unavailable', retryable: true }) });
                        this.dispatchEvent(m);
                        this.readyState = 3;
                        const c = new Event('close'); c.code = 4503; this.dispatchEvent(c); }, 0);
                }
                send() {}
                close() {}
            }
            Refusing.OPEN = 1;
            const real = window.WebSocket;
            window.WebSocket = Refusing;
            const waits = [];
            const ch = new rt.Channel('/ws/time/', { onStatus: (s, d) => { if (s === 'waiting') waits.push(d); } });
            await new Promise((r) => setTimeout(r, 4000));
            ch.close();
            window.WebSocket = real;
            return waits;
        }"""
    )
    assert len(waits) >= 3, waits
    assert waits[0] >= 250 and waits[1] >= 500 and waits[2] >= 1000, waits  # doubling: 0.25-0.5, 0.5-1, 1-2 s
