"""Updates the library cannot parse are skipped, not retried for ever.

python-telegram-bot parses a getUpdates batch in one go; one update it cannot read makes the
whole call fail, the Updater retries the same offset, and every reply stops for good, while the
library logs the raw batch (other people's words) at CRITICAL on every retry. Here the batch is
parsed as usual (one parse, the fast path); only when that fails is it parsed update by update,
and the unreadable one is replaced by an empty update with the same id, so the offset moves past
it. One log line names its kind, never its content. The library's own log line with the raw
data is dropped at its logger (`bot.logs.DropRawUpdates`).
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import Bot, Update
from telegram.ext import ExtBot

from bot.channels.telegram.ledger import Ledger
from bot.logs import DropRawUpdates

logger = logging.getLogger(__name__)

BUSY_WAIT = 1.0  # seconds between polls while every fetched update is still being handled
IDLE_WAIT = 0.3  # longest wait for the last batch to be handled before asking for the next
MAX_REMEMBERED = 1000  # skipped ids already logged (a poison update comes back until skipped)


class GuardedBot(ExtBot[None]):
    """The library's bot, with `get_updates` that skips an unreadable update."""

    _last_batch: list[Any]
    _logged: set[int]
    ledger: Ledger

    def __init__(self, *args: Any, ledger: Ledger | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        object.__setattr__(self, "ledger", ledger or Ledger())
        # The bot is frozen after __init__; these two are our own bookkeeping.
        object.__setattr__(self, "_last_batch", [None])
        object.__setattr__(self, "_logged", set())
        # The library logs the raw batch (people's words) when it cannot parse it: not here.
        self._LOGGER.addFilter(DropRawUpdates())

    async def _post(self, endpoint: str, *args: Any, **kwargs: Any) -> Any:
        result = await super()._post(endpoint, *args, **kwargs)
        if endpoint == "getUpdates":
            self._last_batch[0] = result
        return result

    async def get_updates(
        self, offset: int | None = None, *args: Any, timeout: Any = None, **kwargs: Any
    ) -> tuple[Update, ...]:
        """New updates only, confirming to Telegram only those already handled (ledger.py).

        The next batch is asked for once the last one is handled (at most IDLE_WAIT later), so
        the offset that confirms it is safe and nothing is fetched twice. If a slow chat is
        still busy then, the offset stops at its update, Telegram sends it again with the new
        ones, and the ones already taken are dropped here."""
        if timeout and self.ledger.busy:
            await self.ledger.idle(IDLE_WAIT)
        while True:
            fetched = await self._fetch(
                self.ledger.offset(offset), *args, timeout=timeout, **kwargs
            )
            fresh = tuple(u for u in fetched if self.ledger.fetched(u.update_id))
            if fresh or not fetched or not timeout:
                return fresh
            await self.ledger.wait(min(float(timeout), BUSY_WAIT))

    async def _fetch(self, *args: Any, **kwargs: Any) -> tuple[Update, ...]:
        self._last_batch[0] = None
        try:
            return await super().get_updates(*args, **kwargs)
        except (TypeError, ValueError, KeyError, AttributeError):
            batch = self._last_batch[0]
            if not isinstance(batch, list):
                raise
            return tuple(_one_by_one(self, batch, self._logged))


def _one_by_one(bot: Bot, batch: list[Any], logged: set[int]) -> list[Update]:
    updates = []
    for item in batch:
        try:
            update = Update.de_json(item, bot)
        except Exception as exc:
            update_id = item.get("update_id", 0) if isinstance(item, dict) else 0
            if update_id not in logged:
                log_skipped(item, exc)
                if len(logged) >= MAX_REMEMBERED:
                    logged.clear()
                logged.add(update_id)
            update = Update(update_id=int(update_id))
        if update is not None:
            updates.append(update)
    return updates


def log_skipped(item: object, error: Exception) -> None:
    """One line for an update that cannot be read: the kinds of its fields and the error's
    type, never a value (polling and the webhook server both skip such updates)."""
    kinds = sorted(str(k) for k in item if k != "update_id") if isinstance(item, dict) else []
    logger.warning(
        "poison_update_skipped kind=%s error=%s",
        ",".join(kinds)[:40] or "-",
        type(error).__name__,
    )
