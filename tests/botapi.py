"""A small Bot API stand-in on 127.0.0.1: the only fake in the end-to-end tests.

It speaks HTTP as Telegram's Bot API does (form or multipart requests, `{"ok": ..., "result": ...}`
answers, 401 for a wrong token, 429 with `retry_after`), so the real python-telegram-bot
`Application`, its `Updater` and its httpx transport run unmodified. Tests play the user through
it (`send_text`, `press`, ...) and read what the bot sent (`sent`, `calls`). Faults can be
scripted per method: server errors, time-outs, flood control.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import tornado.httpserver
import tornado.netutil
import tornado.web

BOT_ID = 777000111
BOT_USERNAME = "GuideTestBot"
# What a user can send besides text, as Telegram describes it (minimal valid objects).
STICKER = {
    "file_id": "s",
    "file_unique_id": "s",
    "type": "regular",
    "width": 1,
    "height": 1,
    "is_animated": False,
    "is_video": False,
}
PHOTO = [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]
VOICE = {"file_id": "v", "file_unique_id": "v", "duration": 3}
DOCUMENT = {"file_id": "d", "file_unique_id": "d"}
JSON_FIELDS = ("reply_markup", "link_preview_options", "commands", "message_ids", "scope")


@dataclass
class Fault:
    """Answer the next `times` calls of `method` (or any method if '*') with a failure."""

    method: str
    status: int = 500
    retry_after: int | None = None
    delay: float = 0.0  # seconds to stall before answering (a time-out if longer than PTB waits)
    times: int = 1
    chat_id: int | None = None  # only calls for this chat (Telegram's flood limits are per chat)


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)
    at: float = field(default_factory=time.monotonic)


# A bot command as Telegram recognises it: letters, digits and _ after "/", then @botname.
_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{1,32})?")


class BotAPI:
    """The stand-in server. `await start()`, use, `await stop()`."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.calls: list[Call] = []
        self.faults: list[Fault] = []
        self.updates: list[dict[str, Any]] = []
        self.webhook: dict[str, Any] | None = None
        self.port = 0
        self.closing = False
        self.latency = 0.0  # seconds every send takes, as over a real network
        self._update_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count[int]] = defaultdict(lambda: itertools.count(1))
        self._changed = asyncio.Condition()
        self._server: tornado.httpserver.HTTPServer | None = None

    # -- server ---------------------------------------------------------------------------------

    async def start(self) -> None:
        app = tornado.web.Application([(r"/bot([^/]+)/(\w+)", _Handler, {"api": self})])
        self._server = tornado.httpserver.HTTPServer(app)
        sockets = tornado.netutil.bind_sockets(0, "127.0.0.1")
        self._server.add_sockets(sockets)
        self.port = sockets[0].getsockname()[1]

    async def stop(self) -> None:
        self.closing = True
        async with self._changed:
            self._changed.notify_all()
        if self._server is not None:
            self._server.stop()
            await self._server.close_all_connections()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    async def handle(
        self, token: str, method: str, params: dict[str, Any], files: dict[str, bytes]
    ) -> tuple[int, dict[str, Any]]:
        if token != self.token:
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        for fault in self.faults:
            chat = fault.chat_id
            if (
                fault.times > 0
                and fault.method in (method, "*")
                and (chat is None or str(params.get("chat_id")) == str(chat))
            ):
                fault.times -= 1
                if fault.delay:
                    await asyncio.sleep(fault.delay)
                if fault.retry_after is not None:
                    return 429, {
                        "ok": False,
                        "error_code": 429,
                        "description": f"Too Many Requests: retry after {fault.retry_after}",
                        "parameters": {"retry_after": fault.retry_after},
                    }
                return fault.status, {
                    "ok": False,
                    "error_code": fault.status,
                    "description": "Internal Server Error",
                }
        if method == "getUpdates":
            return 200, {"ok": True, "result": await self._get_updates(params)}
        if self.latency and method.startswith("send"):
            await asyncio.sleep(self.latency)
        async with self._changed:
            self.calls.append(Call(method, params, files))
            self._changed.notify_all()
        return 200, {"ok": True, "result": self._result(method, params)}

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return {
                "id": BOT_ID,
                "is_bot": True,
                "first_name": "Guide",
                "username": BOT_USERNAME,
                "can_join_groups": True,
                "can_read_all_group_messages": False,
                "supports_inline_queries": False,
            }
        if method in ("sendMessage", "sendDocument"):
            chat_id = int(params["chat_id"])
            message: dict[str, Any] = {
                "message_id": next(self._message_ids[chat_id]),
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "Guide"},
            }
            if method == "sendMessage":
                message["text"] = params.get("text", "")
            else:
                message["document"] = {"file_id": "f", "file_unique_id": "u"}
            return message
        if method == "setWebhook":
            self.webhook = params
        if method == "deleteWebhook":
            self.webhook = None
        return True

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        deadline = time.monotonic() + timeout
        async with self._changed:
            while True:
                self.updates = [u for u in self.updates if u["update_id"] >= offset]
                if self.updates or self.closing or time.monotonic() >= deadline:
                    return list(self.updates[: int(params.get("limit") or 100)])
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), deadline - time.monotonic())

    # -- the user's side ------------------------------------------------------------------------

    async def push(self, update: dict[str, Any]) -> dict[str, Any]:
        async with self._changed:
            self.updates.append(update)
            self._changed.notify_all()
        return update

    def message(
        self,
        text: str | None = None,
        *,
        user_id: int = 1001,
        chat_id: int | None = None,
        lang: str | None = "en",
        chat_type: str = "private",
        **fields: Any,
    ) -> dict[str, Any]:
        chat = chat_id if chat_id is not None else user_id
        message: dict[str, Any] = {
            "message_id": next(self._message_ids[chat]),
            "date": int(time.time()),
            "chat": {"id": chat, "type": chat_type, **({"title": "g"} if chat < 0 else {})},
            "from": {"id": user_id, "is_bot": False, "first_name": "A", "language_code": lang},
            **fields,
        }
        if lang is None:
            del message["from"]["language_code"]
        if text is not None:
            message["text"] = text
            command = _COMMAND.match(text)
            if command:  # as Telegram marks it: "/sos!" and "/sos\nhelp" are "/sos" plus text
                length = len(command.group())
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return message

    async def send_text(self, text: str, **kwargs: Any) -> dict[str, Any]:
        message = self.message(text, **kwargs)
        return await self.push({"update_id": next(self._update_ids), "message": message})

    async def send(self, **kwargs: Any) -> dict[str, Any]:
        """A message of any kind: `send(sticker={...})`, `send(voice={...})`, ..."""
        message = self.message(None, **kwargs)
        return await self.push({"update_id": next(self._update_ids), "message": message})

    async def edit(self, original: dict[str, Any], text: str) -> dict[str, Any]:
        message = dict(original["message"], text=text, edit_date=int(time.time()))
        return await self.push({"update_id": next(self._update_ids), "edited_message": message})

    async def press(
        self, data: str, *, user_id: int = 1001, chat_id: int | None = None, lang: str = "en"
    ) -> dict[str, Any]:
        chat = chat_id if chat_id is not None else user_id
        query = {
            "id": str(next(self._update_ids) * 7),
            "from": {"id": user_id, "is_bot": False, "first_name": "A", "language_code": lang},
            "chat_instance": "ci",
            "data": data,
            "message": {
                "message_id": 1,
                "date": int(time.time()),
                "chat": {"id": chat, "type": "private" if chat > 0 else "group"},
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "Guide"},
                "text": "…",
            },
        }
        return await self.push({"update_id": next(self._update_ids), "callback_query": query})

    def next_update_id(self) -> int:
        return next(self._update_ids)

    # -- what the bot did -----------------------------------------------------------------------

    def of(self, method: str, chat_id: int | None = None) -> list[Call]:
        return [
            c
            for c in self.calls
            if c.method == method
            and (chat_id is None or int(c.params.get("chat_id", 0)) == chat_id)
        ]

    def sent(self, chat_id: int | None = None) -> list[Call]:
        return self.of("sendMessage", chat_id) + self.of("sendDocument", chat_id)

    def texts(self, chat_id: int | None = None) -> list[str]:
        return [c.params.get("text", "") for c in self.of("sendMessage", chat_id)]

    async def wait(self, predicate: Any, timeout: float = 10.0) -> None:
        """Wait until `predicate()` is true (checked whenever the bot calls the API)."""
        deadline = time.monotonic() + timeout
        async with self._changed:
            while not predicate():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(
                        f"timed out; calls: {[c.method for c in self.calls][-20:]}"
                    )
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), remaining)

    async def wait_sent(
        self, count: int, chat_id: int | None = None, timeout: float = 10.0
    ) -> list[Call]:
        await self.wait(lambda: len(self.sent(chat_id)) >= count, timeout)
        return self.sent(chat_id)


class _Handler(tornado.web.RequestHandler):
    def initialize(self, api: BotAPI) -> None:  # tornado's hook, not __init__
        self.api = api

    async def post(self, token: str, method: str) -> None:
        params: dict[str, Any] = {}
        content_type = self.request.headers.get("Content-Type", "")
        if content_type.startswith("application/json") and self.request.body:
            params = json.loads(self.request.body)
        else:
            for key, values in self.request.body_arguments.items():
                value = values[-1].decode()
                if key in JSON_FIELDS:
                    with contextlib.suppress(ValueError):
                        value = json.loads(value)
                params[key] = value
        files = {key: infos[0]["body"] for key, infos in self.request.files.items()}
        status, body = await self.api.handle(token, method, params, files)
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(body))

    get = post
