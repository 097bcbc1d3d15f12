"""A tiny health endpoint (`GET /healthz` → 200 "ok", or 200 "degraded" when nothing can be
stored: the bot still answers, crisis messages first) for container and proxy health checks.

Plain asyncio: it must not depend on the webhook server (polling mode has none) and reads nothing
from the request beyond its first line.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

logger = logging.getLogger(__name__)


class HealthServer:
    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port
        self._server: asyncio.Server | None = None
        self.state: Callable[[], str] = lambda: "ok"

    async def start(self) -> None:
        try:
            self._server = await asyncio.start_server(self._handle, self.host, self.port)
        except OSError as exc:
            logger.warning("health_unavailable port=%d error=%s", self.port, type(exc).__name__)
            return
        socket = self._server.sockets[0].getsockname()
        self.port = int(socket[1])
        logger.info("health_listening port=%d", self.port)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            line = await asyncio.wait_for(reader.readline(), timeout=5)
            ok = line.split(b" ")[:2] in ([b"GET", b"/healthz"], [b"HEAD", b"/healthz"])
            body = (self.state() if ok else "not found").encode() + b"\n"
            status = b"200 OK" if ok else b"404 Not Found"
            writer.write(
                b"HTTP/1.1 "
                + status
                + b"\r\nContent-Type: text/plain\r\nContent-Length: "
                + str(len(body)).encode()
                + b"\r\nConnection: close\r\n\r\n"
                + body
            )
            await writer.drain()
        except (TimeoutError, ConnectionError):
            pass
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()
