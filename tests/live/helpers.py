"""Driving a game through a real server: the host's REST calls (token auth), as a browser would."""

import json
import urllib.error
import urllib.request

from rest_framework.authtoken.models import Token


class HostApi:
    def __init__(self, base_url: str, user):
        self.base = base_url
        self.token = Token.objects.get_or_create(user=user)[0].key

    def post(self, path: str, body: dict | None = None) -> tuple[int, dict]:
        req = urllib.request.Request(  # noqa: S310 - loopback test server
            self.base + path,
            data=json.dumps(body or {}).encode(),
            method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Token {self.token}"},
        )
        try:
            with urllib.request.urlopen(req, timeout=20) as resp:  # noqa: S310
                return resp.status, json.loads(resp.read() or b"{}")
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"{}")

    def control(self, game_id: int, action: str, body: dict | None = None) -> dict:
        status, data = self.post(f"/api/live/games/{game_id}/{action}/", body)
        assert status == 200, (status, data)
        return data
