"""RFC 6455 framing for the bench clients, which speak raw websocket over asyncio Protocols
so that the load generator costs far less per message than the servers it measures."""

import struct


def frame(payload: bytes) -> bytes:
    """A masked text frame (clients must mask; a zero key keeps the payload as is)."""
    n = len(payload)
    if n < 126:
        header = struct.pack("!BB", 0x81, 0x80 | n)
    elif n < 65536:
        header = struct.pack("!BBH", 0x81, 0x80 | 126, n)
    else:
        header = struct.pack("!BBQ", 0x81, 0x80 | 127, n)
    return header + b"\0\0\0\0" + payload
