"""Build and run the python-telegram-bot `Application`: polling or webhook, start-up and shutdown.

Start-up order (PTB's `post_init`): open the store (a failure is logged and the bot runs without
it: crisis answers need nothing stored), purge expired data, re-schedule the discreet-mode
deletions that were pending when the bot last stopped, register the command menu in every
language, start the health endpoint. Shutdown (`post_shutdown`) closes the database and the
health endpoint, so SIGTERM ends with exit 0 after the updates in hand are finished.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import gc
import logging
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from telegram import BotCommand
from telegram.ext import Application, ApplicationBuilder
from telegram.request import HTTPXRequest

from bot.channels.telegram.delivery import PatientSender
from bot.channels.telegram.edge import TelegramEdge
from bot.channels.telegram.health import HealthServer
from bot.channels.telegram.ledger import Ledger
from bot.channels.telegram.ordering import MAX_CONCURRENT_UPDATES, PerChatOrder
from bot.channels.telegram.poison import GuardedBot
from bot.core.context import Policy
from bot.core.flood import FloodGuard
from bot.core.library import Library
from bot.core.routes import COMMANDS
from bot.core.turn import TurnService
from bot.keys import load_secret, write_secret
from bot.settings import Settings
from bot.store import DATABASE_FILE, Store

logger = logging.getLogger(__name__)

WEBHOOK_SECRET_FILE = "webhook.secret"
DEFAULT_BASE_URL = "https://api.telegram.org/bot"
ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]
PURGE_INTERVAL = dt.timedelta(days=1)


@dataclass
class Runtime:
    """What the running bot holds, for tests and for shutdown."""

    application: Application  # type: ignore[type-arg]
    edge: TelegramEdge
    turns: TurnService
    health: HealthServer | None
    degraded: bool = False  # the data folder is unusable: nothing can be stored


def _pseudonym_key(settings: Settings, configured: str | None, degraded: bool) -> bytes:
    """The key users are pseudonymised with. With an unusable data folder and no key in it, a
    key for this run only: nothing is stored then, so nothing needs to be linked later."""
    try:
        return load_secret(settings.data_dir, configured)
    except OSError:
        if not degraded:
            raise
        return secrets.token_hex(32).encode()


def prepare_data_dir(path: Path) -> Path:
    """Create the data folder readable by this user only; fail with a clear `OSError` otherwise."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    probe = path / ".write-test"
    probe.write_bytes(b"")
    probe.unlink()
    return path


def webhook_secret(settings: Settings) -> str:
    """The configured secret, or one generated once into the data folder (mode 0600)."""
    if settings.webhook_secret:
        return settings.webhook_secret
    path = settings.data_dir / WEBHOOK_SECRET_FILE
    if not path.exists():
        write_secret(path, secrets.token_urlsafe(32))
    return path.read_text().strip()


def build(
    settings: Settings,
    library: Library,
    *,
    secret: str | None = None,
    flood: FloodGuard | None = None,
    patience: float = 180.0,
    degraded: bool = False,
) -> Runtime:
    """The Application with every handler and lifecycle hook attached; not yet running."""
    policy = Policy(settings.retention_days, settings.discreet_minutes)
    turns = TurnService(library, None, flood=flood, policy=policy)
    edge = TelegramEdge(
        turns,
        _pseudonym_key(settings, secret, degraded),
        admin_ids=settings.admin_ids,
        discreet_minutes=settings.discreet_minutes,
        check_in_seconds=settings.check_in_seconds,
    )
    health = (
        HealthServer(settings.webhook_listen, settings.health_port)
        if settings.health_port
        else None
    )
    runtime_holder: list[Runtime] = []

    async def post_init(application: Application) -> None:  # type: ignore[type-arg]
        await _start(runtime_holder[0], settings)

    async def post_shutdown(application: Application) -> None:  # type: ignore[type-arg]
        await _stop(runtime_holder[0])

    # The bot is built here rather than by the builder so that it can skip unreadable updates
    # (poison.py); the settings are the builder's: HTTP pools sized to the update processor.
    ledger = Ledger()  # updates are confirmed to Telegram only once handled (ledger.py)
    bot = GuardedBot(
        token=settings.token,
        base_url=settings.base_url or DEFAULT_BASE_URL,
        request=HTTPXRequest(connection_pool_size=MAX_CONCURRENT_UPDATES),  # see ordering.py
        get_updates_request=HTTPXRequest(connection_pool_size=2),  # the final confirm at stop
        rate_limiter=PatientSender(patience=patience),
        ledger=ledger,
    )
    builder: ApplicationBuilder = (  # type: ignore[type-arg]
        Application.builder()
        .bot(bot)
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .concurrent_updates(PerChatOrder(MAX_CONCURRENT_UPDATES, ledger))
    )
    application = builder.build()
    edge.register(application)
    runtime = Runtime(application, edge, turns, health, degraded)
    if health is not None:
        health.state = lambda: "degraded" if runtime.degraded or turns.store is None else "ok"
    runtime_holder.append(runtime)
    return runtime


async def _start(runtime: Runtime, settings: Settings) -> None:
    application, edge = runtime.application, runtime.edge
    edge.sender.job_queue = application.job_queue
    try:
        if runtime.degraded:
            raise OSError("the data folder is unusable")
        store = await Store.open(settings.data_dir / DATABASE_FILE)
    except Exception as exc:  # the bot must still answer, crisis above all
        logger.error("store_unavailable error=%s at=start", type(exc).__name__)
        store = None
    runtime.turns.store = store
    if store is not None:
        await edge.purge(settings.retention_days)
        await _reschedule(edge, store)
        if application.job_queue is not None:
            application.job_queue.run_repeating(
                edge.purge_job, PURGE_INTERVAL, first=PURGE_INTERVAL, data=settings.retention_days
            )
    await _register_commands(application, edge)
    if runtime.health is not None:
        await runtime.health.start()
    # The corpus, indexes and lexicons live as long as the process: move them out of the cyclic
    # garbage collector's sight. A full collection then takes ~7 ms instead of ~50 ms (bench/).
    gc.freeze()
    logger.info(
        "bot_ready store=%s degraded=%s", "ok" if store else "unavailable", runtime.degraded
    )


async def _stop(runtime: Runtime) -> None:
    gc.unfreeze()  # a test process starts many bots; let it collect what each one left
    if runtime.health is not None:
        await runtime.health.stop()
    await runtime.turns.drain()
    store = runtime.turns.store
    if store is not None:
        runtime.turns.store = None
        await store.close()
    logger.info("bot_stopped")


async def _reschedule(edge: TelegramEdge, store: Store) -> None:
    """Discreet-mode deletions survive a restart: they are in the store, not only in memory."""
    try:
        pending = await store.pending_deletions()
    except Exception as exc:
        logger.error("reschedule_failed error=%s", type(exc).__name__)
        return
    if edge.sender.job_queue is None:
        return
    now = time.time()
    for chat_id, message_id, due in pending:
        edge.sender.job_queue.run_once(
            edge.sender.delete_job, max(0.0, due - now), data=(chat_id, message_id)
        )
    logger.info("deletions_rescheduled count=%d", len(pending))


async def _register_commands(application: Application, edge: TelegramEdge) -> None:  # type: ignore[type-arg]
    """The command menu in every language the bot speaks; English is also the default."""
    texts = edge.texts
    for lang in texts.languages:
        commands = [
            BotCommand(name, texts.get(lang, f"command_{name}"))
            for name, route in COMMANDS.items()
            if route.menu
        ]
        try:
            await application.bot.set_my_commands(
                commands, language_code=None if lang == "en" else lang
            )
        except Exception as exc:  # a menu is a convenience; it must not stop the bot
            logger.warning("commands_not_registered lang=%s error=%s", lang, type(exc).__name__)


def new_event_loop() -> asyncio.AbstractEventLoop:
    """uvloop where it is installed (Linux and macOS), else asyncio's own loop. Same behaviour,
    about a fifth less CPU per update under load (bench/README.md)."""
    try:
        import uvloop  # noqa: PLC0415
    except ImportError:
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


def use_new_event_loop() -> None:
    # PTB's run_* take the current event loop (and close it when they return).
    loop = new_event_loop()
    asyncio.set_event_loop(loop)
    logger.info("event_loop kind=%s", type(loop).__module__.split(".")[0])


def run_polling(runtime: Runtime) -> None:
    """Long polling until SIGINT or SIGTERM; PTB finishes the updates in hand, then returns."""
    use_new_event_loop()
    try:
        runtime.application.run_polling(
            allowed_updates=ALLOWED_UPDATES,
            timeout=dt.timedelta(seconds=30),
            bootstrap_retries=-1,
        )
    except RuntimeError as error:
        _stopped_during_start(error)
    finally:
        close_left_open(runtime)


def _stopped_during_start(error: RuntimeError) -> None:
    """A stop signal while PTB's start-up call is retrying: PTB closes that coroutine outside
    the event loop and its retry sleep raises this. The stop was asked for; it is not a crash."""
    if "no running event loop" not in str(error):
        raise error
    logger.info("stopped_during_start")


def close_left_open(runtime: Runtime) -> None:
    """If a stop during start-up skipped PTB's shutdown hooks, close the database anyway: its
    worker thread would otherwise keep the process alive."""
    store = runtime.turns.store
    if store is not None:
        runtime.turns.store = None
        asyncio.run(store.close())
