"""DRF's throttles, counting by ``core.client.client_address`` and failing soft without Redis.

DRF's own ``get_ident`` believes ``X-Forwarded-For`` unless ``NUM_PROXIES`` is set, so a
client could name a fresh address on every request; and its cache calls raise when Redis is
down, refusing everyone. These count by the address the trusted proxies vouch for, and keep
their history in ``core.limits.store`` (Redis, or this process while Redis is unreachable).
"""

from rest_framework import throttling

from config.env import parse_rate
from core.client import client_address
from core.limits import store


class _Soft:
    cache = store

    def get_ident(self, request):
        return client_address(request)

    def parse_rate(self, rate):
        """The settings' rate syntax (config.env.parse_rate), which also takes "5/15m"."""
        return (None, None) if rate is None else parse_rate(rate)


class AnonRateThrottle(_Soft, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(_Soft, throttling.UserRateThrottle):
    pass


class ScopedRateThrottle(_Soft, throttling.ScopedRateThrottle):
    pass
