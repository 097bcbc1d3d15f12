"""The bot under load, in a process of its own: the real Application from
`bot.channels.telegram.app.build`, started exactly as tests/conftest.running_bot starts it,
polling the stand-in or serving our webhook server (bot/channels/telegram/webhook.py). Prints
one JSON line when ready, runs until SIGTERM, logs to stderr.

    python -m bench.botproc --base-url URL --data-dir DIR [--webhook-port P --secret S]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import signal
import sys
import time
from pathlib import Path
from typing import Any

TOKEN = "123456789:AAH" + "x" * 32


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


async def serve(args: argparse.Namespace) -> None:
    started = time.monotonic()
    from bot.channels.telegram.app import ALLOWED_UPDATES, build  # noqa: PLC0415
    from bot.core.boot import load_library  # noqa: PLC0415
    from bot.logs import configure  # noqa: PLC0415
    from bot.settings import Settings  # noqa: PLC0415

    configure("INFO", [TOKEN])
    library = load_library()
    settings = Settings(
        token=TOKEN, base_url=args.base_url, data_dir=Path(args.data_dir), health_port=0
    )
    Path(args.data_dir).mkdir(parents=True, exist_ok=True)
    runtime = build(settings, library, secret="bench-secret")
    app = runtime.application
    if args.webhook_port:
        await _webhook(runtime, settings, args, started)
        return
    await app.initialize()
    assert app.post_init is not None and app.post_shutdown is not None
    await app.post_init(app)
    assert app.updater is not None
    await app.updater.start_polling(
        poll_interval=0, timeout=dt.timedelta(seconds=10), allowed_updates=ALLOWED_UPDATES
    )
    await app.start()
    _ready(started)
    await _until_stopped().wait()
    await app.updater.stop()
    await app.stop()
    await app.shutdown()
    await app.post_shutdown(app)
    print(json.dumps({"event": "stopped", "rss_kb": _status_kb("VmRSS")}), flush=True)


async def _webhook(runtime: Any, settings: Any, args: argparse.Namespace, started: float) -> None:
    """As `guidebot run --webhook` serves (bot/channels/telegram/serving.py)."""
    from dataclasses import replace  # noqa: PLC0415

    from bot.channels.telegram.serving import serve_webhook  # noqa: PLC0415

    settings = replace(
        settings,
        webhook_url=f"http://127.0.0.1:{args.webhook_port}",
        webhook_listen="127.0.0.1",
        webhook_port=args.webhook_port,
    )
    stop = _until_stopped()
    serving = asyncio.create_task(serve_webhook(runtime, settings, args.secret, stop))
    while not serving.done():  # ready once the server takes connections
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", args.webhook_port)
        except OSError:
            await asyncio.sleep(0.01)
            continue
        writer.close()
        break
    _ready(started)
    await serving
    print(json.dumps({"event": "stopped", "rss_kb": _status_kb("VmRSS")}), flush=True)


def _ready(started: float) -> None:
    ready = {
        "event": "ready",
        "seconds": round(time.monotonic() - started, 3),
        "rss_kb": _status_kb("VmRSS"),
        "hwm_kb": _status_kb("VmHWM"),
        "event_loop": type(asyncio.get_running_loop()).__module__.split(".")[0],
    }
    print(json.dumps(ready), flush=True)


def _until_stopped() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    return stop


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--webhook-port", type=int, default=0)
    parser.add_argument("--secret", default="bench-webhook-secret")
    from bot.channels.telegram.app import new_event_loop  # noqa: PLC0415  (the loop `guidebot run` uses)

    with asyncio.Runner(loop_factory=new_event_loop) as runner:
        runner.run(serve(parser.parse_args()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
