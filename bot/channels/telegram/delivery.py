"""Sending that loses nothing while the Bot API hiccups.

python-telegram-bot routes every Bot API call through a rate limiter when one is set; this one
retries instead of limiting: it honours 429 `retry_after` by pausing the calls to that chat
(Telegram's limits are per chat: one person's flood of stickers must not hold up another
person's crisis reply; a 429 on a call with no chat pauses everything), and retries time-outs
and server errors with exponential back-off, up to a patience limit. 400-class errors
(`BadRequest`, `Forbidden`) are the caller's to handle and are never retried. getUpdates is
passed straight through: the Updater has its own retry loop.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import warnings
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import BadRequest, NetworkError, RetryAfter
from telegram.ext import BaseRateLimiter

logger = logging.getLogger(__name__)

PASS_THROUGH = frozenset({"getUpdates", "getupdates"})
ANY_CHAT = "*"  # a 429 on a call that names no chat pauses every call
MAX_PAUSED_CHATS = 10_000


def retry_seconds(error: RetryAfter) -> float:
    """`retry_after` in seconds, whichever type this PTB version returns."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = error.retry_after
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


class PatientSender(BaseRateLimiter[None]):
    """Retry failed Bot API calls for up to `patience` seconds, pausing a chat's calls on a 429."""

    def __init__(self, patience: float = 180.0, first_delay: float = 0.5, max_delay: float = 15.0):
        self.patience = patience
        self.first_delay = first_delay
        self.max_delay = max_delay
        self._resume_at: dict[object, float] = {}  # chat id (or ANY_CHAT) -> when calls may resume

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def process_request(  # noqa: PLR0917 (PTB's signature)
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        if endpoint in PASS_THROUGH:
            return await callback(*args, **kwargs)
        loop = asyncio.get_running_loop()
        delay, waited = self.first_delay, 0.0
        chat = data.get("chat_id", ANY_CHAT) if isinstance(data, dict) else ANY_CHAT
        while True:
            resume = max(self._resume_at.get(chat, 0.0), self._resume_at.get(ANY_CHAT, 0.0))
            pause = resume - loop.time()
            if pause > 0:
                await asyncio.sleep(pause)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                wait = retry_seconds(error) + 0.1
                self._check_patience(endpoint, error, waited + wait)
                # Telegram asks this chat's calls (or, with no chat, every call) to wait.
                self._pause(chat, loop.time() + wait, loop.time())
            except BadRequest:
                raise
            except NetworkError as error:  # time-outs, 5xx answers, a refused connection
                wait, delay = delay, min(delay * 2, self.max_delay)
                self._check_patience(endpoint, error, waited + wait)
                if not loop.is_running():  # shutting down mid-request: nothing to wait for
                    raise
                await asyncio.sleep(wait)
            waited += wait

    def _pause(self, chat: object, until: float, now: float) -> None:
        if len(self._resume_at) >= MAX_PAUSED_CHATS:  # bounded: forget pauses already over
            self._resume_at = {k: v for k, v in self._resume_at.items() if v > now}
        self._resume_at[chat] = max(self._resume_at.get(chat, 0.0), until)

    def _check_patience(self, endpoint: str, error: Exception, total: float) -> None:
        reason = type(error).__name__
        if total > self.patience:
            logger.error("telegram_gave_up endpoint=%s error=%s", endpoint, reason)
            raise error
        logger.warning("telegram_retry endpoint=%s error=%s", endpoint, reason)
