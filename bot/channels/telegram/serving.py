"""The webhook mode's life cycle, as python-telegram-bot's `run_webhook` has it (initialise,
start-up hook, start, serve until a stop signal, stop, shut down, shutdown hook), around our own
server (webhook.py) instead of the library's."""

from __future__ import annotations

import asyncio
import logging
import signal

from telegram.error import TelegramError
from telegram.ext import Application

from bot.channels.telegram.app import (
    ALLOWED_UPDATES,
    Runtime,
    close_left_open,
    use_new_event_loop,
    webhook_secret,
)
from bot.channels.telegram.ledger import Ledger
from bot.channels.telegram.ordering import PerChatOrder
from bot.channels.telegram.webhook import WebhookServer
from bot.settings import Settings

logger = logging.getLogger(__name__)

RETRY_PAUSE = 2.0  # seconds, doubled up to RETRY_PAUSE_MAX, while Telegram cannot be reached
RETRY_PAUSE_MAX = 60.0


def run_webhook(runtime: Runtime, settings: Settings) -> None:
    """Our own webhook server (webhook.py) until SIGINT or SIGTERM; Telegram must present the
    secret token on every request, and gets its answer once the update is handled."""
    use_new_event_loop()
    loop = asyncio.get_event_loop()
    try:
        loop.run_until_complete(serve_webhook(runtime, settings, webhook_secret(settings)))
    finally:
        close_left_open(runtime)
        loop.close()


async def serve_webhook(
    runtime: Runtime, settings: Settings, secret: str, stop: asyncio.Event | None = None
) -> None:
    """Serve until `stop` is set (by default: SIGINT or SIGTERM); the updates in hand are
    finished and answered first."""
    assert settings.webhook_url is not None
    application = runtime.application
    if stop is None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
    await application.initialize()
    server: WebhookServer | None = None
    try:
        if application.post_init is not None:
            await application.post_init(application)
        await application.start()
        server = WebhookServer(
            application,
            _ledger(application),
            lambda: runtime.turns.store,
            host=settings.webhook_listen,
            port=settings.webhook_port,
            path=settings.webhook_path,
            secret=secret,
        )
        await server.start()
        url = f"{settings.webhook_url.rstrip('/')}/{settings.webhook_path.strip('/')}"
        await _set_webhook(application, url, secret, stop)
        await stop.wait()
        logger.info("stopping")
    finally:
        if server is not None:
            await server.stop()
        if application.running:
            await application.stop()
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)


def _ledger(application: Application) -> Ledger:  # type: ignore[type-arg]
    processor = application.update_processor
    return processor.ledger if isinstance(processor, PerChatOrder) else Ledger()


async def _set_webhook(
    application: Application,  # type: ignore[type-arg]
    url: str,
    secret: str,
    stop: asyncio.Event,
) -> None:
    """Tell Telegram where to deliver, retrying while it cannot be reached (as the library's
    `bootstrap_retries=-1` does); a stop signal ends the wait."""
    pause = RETRY_PAUSE
    while not stop.is_set():
        try:
            await application.bot.set_webhook(
                url, secret_token=secret, allowed_updates=ALLOWED_UPDATES
            )
            return
        except TelegramError as exc:
            logger.warning("set_webhook_failed error=%s retry_in=%.0fs", type(exc).__name__, pause)
        try:
            await asyncio.wait_for(stop.wait(), pause)
        except TimeoutError:
            pause = min(pause * 2, RETRY_PAUSE_MAX)
