"""Telegram's webhook, served by plain asyncio instead of the library's server, for three reasons:

- **The secret first.** A request without Telegram's secret header is refused from its headers:
  the body is never read (the library's server reads the whole body before checking).
- **Answered only once handled.** Telegram gets its 200 after the update's reply has been sent
  (or after ANSWER_WITHIN, Telegram's patience being finite). If the bot dies first, Telegram
  delivers the update again after the restart: nothing fetched is lost (the library's server
  answers at once and queues the update in memory, where a crash loses it).
- **A repeat is answered once, across restarts too.** A handled update's id is written to the
  store before the 200 (store.py: ids only, for 24 hours) and read back at start.

What can still be lost or doubled: an update handled, whose id write failed (a broken disk), is
answered again if Telegram repeats it; an update handled when the process dies before the id is
written (a millisecond's window) too. At least once, never silently dropped.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
from collections.abc import Callable

from telegram import Update
from telegram.ext import Application

from bot.channels.telegram.ledger import REMEMBERED, Ledger
from bot.channels.telegram.poison import log_skipped
from bot.store import Store

logger = logging.getLogger(__name__)

SECRET_HEADER = b"x-telegram-bot-api-secret-token"
MAX_BODY = 1 << 20  # bytes; an update is a few kilobytes (Caddy caps bodies at 1 MB too)
MAX_HEADER_LINES = 64
LINE_LIMIT = 8192  # bytes per request or header line
READ_TIME = 10.0  # seconds for the headers or the body of one request
IDLE_TIME = 75.0  # seconds a kept-alive connection may wait for its next request
ANSWER_WITHIN = 50.0  # seconds: Telegram gives up on a request after about a minute

_REASONS = {
    200: b"OK",
    400: b"Bad Request",
    403: b"Forbidden",
    404: b"Not Found",
    405: b"Method Not Allowed",
    411: b"Length Required",
    413: b"Content Too Large",
}


class _RefusedError(Exception):
    """A request answered with an error status; the connection is closed after it."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class AnsweredIds:
    """Writes the ids of finished updates in batches: every update that finished while the last
    write ran goes in the next one, so a burst costs one transaction per batch, not per update."""

    def __init__(self, store: Callable[[], Store | None]) -> None:
        self._store = store
        self._pending: list[tuple[int, asyncio.Future[None]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def write(self, update_id: int) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending.append((update_id, future))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_all())
        await future

    async def _write_all(self) -> None:
        while self._pending:
            batch, self._pending = self._pending, []
            store = self._store()
            try:
                if store is not None:
                    await store.mark_answered([update_id for update_id, _ in batch])
            except Exception as exc:  # the reply is sent; a failed note must not hold it up
                logger.error("answered_not_stored error=%s", type(exc).__name__)
            for _, future in batch:
                if not future.done():
                    future.set_result(None)


class WebhookServer:
    """POST /<path> with Telegram's secret → the update is handled, then 200."""

    def __init__(
        self,
        application: Application,  # type: ignore[type-arg]
        ledger: Ledger,
        store: Callable[[], Store | None],
        *,
        host: str,
        port: int,
        path: str,
        secret: str,
    ) -> None:
        self.application = application
        self.ledger = ledger
        self.host = host
        self.port = port
        self._path = b"/" + path.strip("/").encode()
        self._secret = secret.encode()
        self._store = store
        self._answered = AnsweredIds(store)
        self._server: asyncio.Server | None = None
        self._requests: set[asyncio.Task[None]] = set()
        self._connections: set[asyncio.StreamWriter] = set()

    async def start(self) -> None:
        """Listen; first remember the updates answered before a restart."""
        store = self._store()
        if store is not None:
            try:
                self.ledger.remember(await store.answered_updates(REMEMBERED))
            except Exception as exc:
                logger.error("answered_not_read error=%s", type(exc).__name__)
        self._server = await asyncio.start_server(
            self._connection, self.host, self.port, limit=LINE_LIMIT
        )
        self.port = int(self._server.sockets[0].getsockname()[1])
        logger.info("webhook_listening port=%d", self.port)

    async def stop(self) -> None:
        """Stop accepting; let the updates in hand finish and get their 200."""
        if self._server is None:
            return
        self._server.close()
        if self._requests:
            await asyncio.wait(self._requests, timeout=ANSWER_WITHIN)
        self._server = None
        for writer in list(self._connections):  # kept-alive connections waiting for a request
            writer.close()

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._connections.add(writer)
        try:
            while self._server is not None:
                try:
                    line = await asyncio.wait_for(reader.readline(), IDLE_TIME)
                except (TimeoutError, ValueError):
                    return
                if not line:
                    return
                keep_alive = await self._request(line, reader, writer)
                if not keep_alive:
                    return
        except (ConnectionError, asyncio.IncompleteReadError):
            return
        finally:
            self._connections.discard(writer)
            writer.close()
            with contextlib.suppress(ConnectionError, OSError):
                await writer.wait_closed()

    async def _request(
        self, line: bytes, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> bool:
        """One request; False when the connection must close after it."""
        try:
            method, target, headers = await asyncio.wait_for(_head(line, reader), READ_TIME)
            if target.split(b"?")[0] != self._path:
                raise _RefusedError(404)
            if method != b"POST":
                raise _RefusedError(405)
            if not hmac.compare_digest(headers.get(SECRET_HEADER, b""), self._secret):
                raise _RefusedError(403)  # refused before a byte of the body is read
            length = _length(headers)
            body = await asyncio.wait_for(reader.readexactly(length), READ_TIME)
        except _RefusedError as refused:
            await _respond(writer, refused.status, keep_alive=False)
            return False
        except (TimeoutError, ValueError):
            await _respond(writer, 400, keep_alive=False)
            return False
        handling = asyncio.ensure_future(self._handle(body))
        self._requests.add(handling)  # `stop` waits for these
        handling.add_done_callback(self._requests.discard)
        await handling
        keep_alive = headers.get(b"connection", b"").lower() != b"close"
        await _respond(writer, 200, keep_alive=keep_alive)
        return keep_alive

    async def _handle(self, body: bytes) -> None:
        """The update through the same processor as polling (per-chat order, repeats dropped),
        awaited to the end; then its id is written."""
        update = self._parse(body)
        if update is None:
            return
        application = self.application
        processing = application.update_processor.process_update(
            update, application.process_update(update)
        )
        handled = asyncio.ensure_future(processing)
        try:
            await asyncio.wait_for(asyncio.shield(handled), ANSWER_WITHIN)
        except TimeoutError:
            logger.warning("webhook_answered_before_handled")  # it goes on; Telegram must not wait
            return
        await self._answered.write(update.update_id)

    def _parse(self, body: bytes) -> Update | None:
        """The update, or None for one that cannot be read (skipped with one line naming its
        kind, never its content: Telegram would otherwise deliver it again for a day)."""
        data: object = None
        try:
            data = json.loads(body)
            if not isinstance(data, dict):
                raise TypeError("not an object")
            return Update.de_json(data, self.application.bot)
        except Exception as exc:
            log_skipped(data, exc)
            return None


async def _head(
    line: bytes, reader: asyncio.StreamReader
) -> tuple[bytes, bytes, dict[bytes, bytes]]:
    parts = line.split()
    if len(parts) != 3 or not parts[2].startswith(b"HTTP/1."):
        raise _RefusedError(400)
    headers: dict[bytes, bytes] = {}
    for _ in range(MAX_HEADER_LINES):
        header = await reader.readline()
        if header in (b"\r\n", b"\n", b""):
            return parts[0], parts[1], headers
        name, _, value = header.partition(b":")
        headers[name.strip().lower()] = value.strip()
    raise _RefusedError(400)


def _length(headers: dict[bytes, bytes]) -> int:
    if b"transfer-encoding" in headers:
        raise _RefusedError(411)  # Telegram sends Content-Length
    raw = headers.get(b"content-length")
    if raw is None or not raw.isdigit():
        raise _RefusedError(411)
    length = int(raw)
    if length > MAX_BODY:
        raise _RefusedError(413)
    return length


async def _respond(writer: asyncio.StreamWriter, status: int, *, keep_alive: bool) -> None:
    writer.write(
        b"HTTP/1.1 %d %s\r\nContent-Length: 0\r\nConnection: %s\r\n\r\n"
        % (status, _REASONS[status], b"keep-alive" if keep_alive else b"close")
    )
    await writer.drain()
