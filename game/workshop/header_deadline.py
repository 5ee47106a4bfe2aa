"""A deadline for a connection's request headers: a client that trickles its headers
byte by byte (to hold connections open and starve the server) is cut off.

aiohttp limits the size of headers but not the time they take; this wraps each
connection's aiohttp protocol and closes the connection if its first request's
headers are not complete within the deadline. After them it only passes data on;
a kept-alive connection that then sits idle is closed by aiohttp's own keep-alive
timeout.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

#: Seconds a client has to send a request's headers.
HEADER_SECONDS = 10.0
END_OF_HEADERS = b"\r\n\r\n"


class HeaderDeadline(asyncio.Protocol):
    """One connection: aiohttp's protocol inside, with a deadline on the first headers."""

    def __init__(self, inner: asyncio.Protocol, seconds: float) -> None:
        self.inner = inner
        self.seconds = seconds
        self.transport: asyncio.BaseTransport | None = None
        self.timer: asyncio.TimerHandle | None = None
        self.tail = b""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport
        self.timer = asyncio.get_running_loop().call_later(self.seconds, self._expire)
        self.inner.connection_made(transport)

    def data_received(self, data: bytes) -> None:
        if self.timer is not None:
            if END_OF_HEADERS in self.tail + data:
                self._stop_timer()
            else:
                self.tail = (self.tail + data)[-3:]
        self.inner.data_received(data)

    def eof_received(self) -> bool | None:
        return self.inner.eof_received()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_timer()
        self.inner.connection_lost(exc)

    def pause_writing(self) -> None:
        self.inner.pause_writing()

    def resume_writing(self) -> None:
        self.inner.resume_writing()

    def _stop_timer(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None

    def _expire(self) -> None:
        self.timer = None
        if self.transport is not None and not self.transport.is_closing():
            self.transport.close()


def with_header_deadline(
    factory: Callable[[], Any], seconds: float = HEADER_SECONDS
) -> Callable[[], asyncio.Protocol]:
    """A protocol factory for `loop.create_server` that puts a deadline on headers."""
    return lambda: HeaderDeadline(factory(), seconds)
