"""The client's address: the one place that decides which address a request comes from.

Every limiter (sign-in guessing, PIN guessing, DRF's throttles) counts by this address, so a
client that sends a made-up ``X-Forwarded-For`` must not get a fresh count with each request.

The rule: the peer of the TCP connection is the client, unless that peer is a proxy named in
``TRUSTED_PROXIES`` (addresses or networks, e.g. ``127.0.0.1,10.0.0.0/8``). Then the
``X-Forwarded-For`` header is read from the right, skipping every trusted proxy, and the first
address that is not one is the client: that is the address the outermost trusted proxy saw.
Anything a client wrote to the left of it is ignored. With ``TRUSTED_PROXIES`` empty (bare
Daphne, ``make run``) the header is never read.
"""

import functools
import ipaddress

from django.conf import settings

UNKNOWN = "unknown"
_HEADER = "HTTP_X_FORWARDED_FOR"
_SCOPE_HEADER = b"x-forwarded-for"


@functools.lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(e.strip(), strict=False) for e in entries if e.strip())


def _trusted(address: str) -> bool:
    nets = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()) or ()))
    if not nets:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in nets)


def _normal(address: str) -> str | None:
    """The address in its canonical text, or None when it is not an IP address."""
    address = address.strip()
    if address.startswith("[") and "]" in address:  # "[::1]:1234"
        address = address[1 : address.index("]")]
    elif address.count(":") == 1:  # "1.2.3.4:5678"
        address = address.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def resolve(peer: str, forwarded_for: str = "") -> str:
    """The client address, given the connection's peer and its ``X-Forwarded-For`` value."""
    client = _normal(peer or "") or UNKNOWN
    if client == UNKNOWN or not _trusted(client) or not forwarded_for:
        return client
    for hop in reversed(forwarded_for.split(",")):
        address = _normal(hop)
        if address is None:
            return client  # a garbled hop: trust nothing left of it
        client = address
        if not _trusted(address):
            return address
    return client


def client_address(request_or_scope) -> str:
    """The client address of a Django/DRF request, its ``META`` or an ASGI scope."""
    meta = getattr(request_or_scope, "META", None)
    if meta is not None:
        return resolve(str(meta.get("REMOTE_ADDR") or ""), str(meta.get(_HEADER) or ""))
    scope = request_or_scope
    if isinstance(scope, dict) and "client" in scope:
        peer = (scope.get("client") or ("", 0))[0] or ""
        forwarded = b",".join(v for k, v in scope.get("headers") or () if k.lower() == _SCOPE_HEADER)
        return resolve(str(peer), forwarded.decode("latin-1"))
    return resolve(str(scope.get("REMOTE_ADDR") or ""), str(scope.get(_HEADER) or ""))
