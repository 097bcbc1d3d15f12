"""Logging that cannot leak: events with names and counts, never message text, never the token.

httpx logs every request URL at INFO, and the URL contains the bot token; python-telegram-bot
logs whole updates and API parameters at DEBUG (shared/notes/telegram-and-search.md §2.5-2.6).
So those loggers are held at WARNING and INFO whatever GUIDEBOT_LOG_LEVEL says, and a filter on
the handler replaces the token if anything still tries to print it.
"""

from __future__ import annotations

import logging
import sys
from typing import TextIO

# Loggers that would print URLs with the token, update contents or SQL parameters below these.
HELD = {
    "httpx": logging.WARNING,
    "httpcore": logging.WARNING,
    "telegram": logging.INFO,
    "apscheduler": logging.WARNING,
    "tornado": logging.WARNING,
    "aiosqlite": logging.WARNING,
    "asyncio": logging.WARNING,
}


RAW_DATA_MARK = "Received data was"  # in python-telegram-bot's lines that print raw updates
RAW_UPDATE_LOGGERS = ("telegram.Bot", "telegram.ext.ExtBot", "telegram.ext.Updater")


class Redact(logging.Filter):
    """Replace any secret that reaches a log record (defence in depth)."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        changed = False
        for secret in self.secrets:
            if secret in message:
                message, changed = message.replace(secret, "<redacted>"), True
            if record.exc_text and secret in record.exc_text:
                record.exc_text = record.exc_text.replace(secret, "<redacted>")
        if changed:
            record.msg, record.args = message, ()
        return True


class DropRawUpdates(logging.Filter):
    """Drop python-telegram-bot's records that print raw updates (other people's words): it logs
    the whole batch at CRITICAL when one update cannot be parsed (bot/channels/telegram/poison.py
    skips such an update with a line of its own)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return RAW_DATA_MARK not in str(record.msg)


def configure(level: str, secrets: list[str], stream: TextIO | None = None) -> None:
    """Root logging to stderr at `level`, with the held loggers and the redaction filter."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    parts = [s.split(":", 1)[-1] for s in secrets if ":" in s]
    handler.addFilter(Redact([*secrets, *parts]))
    handler.addFilter(DropRawUpdates())  # python-telegram-bot prints raw updates on a parse error
    for name in RAW_UPDATE_LOGGERS:  # and at the loggers too, before any other handler sees them
        logging.getLogger(name).addFilter(DropRawUpdates())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    threshold = logging.getLevelName(level)
    for name, floor in HELD.items():
        logging.getLogger(name).setLevel(max(floor, threshold))
