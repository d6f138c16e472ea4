"""DRF's throttles, counting by ``core.client.client_address`` and failing soft without Redis.

DRF's own ``get_ident`` believes ``X-Forwarded-For`` unless ``NUM_PROXIES`` is set, so a
client could name a fresh address on every request; and its cache calls raise when Redis is
down, refusing everyone. These count by the address the trusted proxies vouch for, and keep
their history in ``core.limits.store`` (Redis, or this process while Redis is unreachable).
"""

from rest_framework import throttling

from core.client import client_address
from core.limits import store


class _Soft:
    cache = store

    def get_ident(self, request):
        return client_address(request)


class AnonRateThrottle(_Soft, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(_Soft, throttling.UserRateThrottle):
    pass


class ScopedRateThrottle(_Soft, throttling.ScopedRateThrottle):
    pass
