"""RFC 6455 framing for the bench clients, which speak raw websocket over asyncio Protocols
so that the load generator costs far less per message than the servers it measures."""

import struct

TEXT = 0x1
PONG = 0xA


def frame(payload: bytes, opcode: int = TEXT) -> bytes:
    """A masked final frame, text by default (clients must mask; a zero key keeps the payload
    as is)."""
    n = len(payload)
    first = 0x80 | opcode
    if n < 126:
        header = struct.pack("!BB", first, 0x80 | n)
    elif n < 65536:
        header = struct.pack("!BBH", first, 0x80 | 126, n)
    else:
        header = struct.pack("!BBQ", first, 0x80 | 127, n)
    return header + b"\0\0\0\0" + payload
