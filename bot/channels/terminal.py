"""The terminal adapter: `guidebot chat` talks to the same turn service as Telegram.

No store (nothing is kept between runs), no flood protection (one person at a keyboard), the
same commands and buttons. A button is pressed by typing its number.
"""

from __future__ import annotations

import asyncio
import sys
from typing import TextIO

from bot.core.context import Effect, Outcome
from bot.core.flood import FloodGuard
from bot.core.library import Library
from bot.core.prefs import Prefs, User
from bot.core.reply import Block, Button, Reply
from bot.core.turn import TurnService

TERMINAL_USER = "terminal"


def render(reply: Reply, *, numbered: list[Button] | None = None) -> str:
    """Plain text with the buttons numbered, so a number can be typed to press one."""
    lines = [reply.text]
    flat = [button for row in reply.buttons for button in row]
    if flat:
        lines.append("")
        lines.append("  ".join(f"[{n}] {b.label}" for n, b in enumerate(flat, 1)))
    if numbered is not None:
        numbered[:] = flat
    return "\n".join(lines)


class TerminalChat:
    """One person at a terminal: lines in, replies out, through the `TurnService`."""

    def __init__(self, library: Library, prefs: Prefs) -> None:
        self.turns = TurnService(library, flood=FloodGuard(limit=10**9))
        self.user = User(TERMINAL_USER, prefs.lang)
        self.turns.book.remember(TERMINAL_USER, prefs)  # the command line's choices
        self.buttons: list[Button] = []

    async def handle(self, line: str) -> Reply:
        """A button number, a /command or a question."""
        text = line.strip()
        c = self.turns
        if text.isdigit() and 1 <= int(text) <= len(self.buttons):
            button = self.buttons[int(text) - 1]
            return self._shown(await c.press(self.user, f"{button.action}:{button.arg}"))
        if text.startswith("/"):
            command, _, argument = text[1:].partition(" ")
            return self._shown(await c.command(self.user, command.lower(), argument.strip()))
        return self._shown(await c.message(self.user, text))

    def _shown(self, outcome: Outcome) -> Reply:
        reply = outcome.reply
        if reply is None:
            return Reply((), "info", outcome.prefs.lang)
        if outcome.effect is Effect.FILE and reply.attachment is not None:
            return Reply(
                (*reply.blocks, *(Block(line) for line in reply.attachment.text.split("\n"))),
                reply.kind,
                reply.lang,
            )
        return reply

    async def start(self) -> Reply:
        return self._shown(await self.turns.command(self.user, "start"))


def run(
    library: Library, prefs: Prefs, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout
) -> int:
    """Chat until end of input. Prompts only when talking to a person at a terminal."""
    return asyncio.run(_loop(TerminalChat(library, prefs), stdin, stdout))


async def _loop(chat: TerminalChat, stdin: TextIO, stdout: TextIO) -> int:
    interactive = stdin.isatty()
    first = await chat.start()
    print(render(first, numbered=chat.buttons), file=stdout)
    print(chat.turns.texts.get(first.lang, "chat_how_to_leave"), file=stdout)
    while True:
        if interactive:
            print("\n> ", end="", file=stdout, flush=True)
        line = stdin.readline()
        if not line:
            return 0
        if line.strip().lower() in ("/quit", "/exit"):
            return 0
        reply = await chat.handle(line)
        print(render(reply, numbered=chat.buttons), file=stdout)
        if not interactive:
            print(file=stdout)
