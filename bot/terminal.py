"""The terminal adapter: `guidebot chat` talks to the same core as Telegram."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TextIO

from bot.dialogue import ROLES, Assistant, Prefs, Session
from bot.reply import Button, Reply

COMMANDS = ("sos", "help", "about", "checklists", "selfcare", "start")


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
    """A read-eval-print loop over the assistant, for trying the guide without Telegram."""

    def __init__(self, assistant: Assistant, prefs: Prefs) -> None:
        self.assistant = assistant
        self.prefs = prefs
        self.session = Session()
        self.buttons: list[Button] = []

    def handle(self, line: str) -> Reply:
        """One line typed by the user: a button number, a /command or a question."""
        text = line.strip()
        if text.isdigit() and 1 <= int(text) <= len(self.buttons):
            return self.press(self.buttons[int(text) - 1])
        if text.startswith("/"):
            command, _, argument = text[1:].partition(" ")
            reply = self.command(command.lower(), argument.strip())
            if reply is not None:
                return reply
        return self.assistant.respond(text, self.prefs, self.session)

    def command(self, name: str, argument: str) -> Reply | None:
        a, prefs = self.assistant, self.prefs
        actions: dict[str, Callable[[], Reply]] = {
            "sos": lambda: a.sos(prefs),
            "help": lambda: a.help(prefs),
            "about": lambda: a.about(prefs),
            "checklists": lambda: a.checklists_menu(prefs),
            "selfcare": lambda: a.selfcare_menu(prefs),
            "start": lambda: a.start(prefs, argument),
            "role": lambda: a.start(prefs),
        }
        action = actions.get(name)
        return action() if action else None

    def press(self, button: Button) -> Reply:
        a, prefs = self.assistant, self.prefs
        if button.action == "role" and button.arg in ROLES:
            self.prefs = Prefs(prefs.lang, button.arg, prefs.country, prefs.discreet)
            return a.role_set(button.arg, self.prefs)
        if button.action == "more":
            return a.more(button.arg, prefs, self.session)
        if button.action == "full":
            return a.entry(button.arg, prefs, full=True)
        if button.action == "stage":
            return a.checklists_for_stage(button.arg, prefs)
        if button.action == "checklist":
            return a.entry(button.arg, prefs)
        if button.action == "topic":
            return a.topic(button.arg, prefs, self.session)
        if button.action == "menu":
            return (
                a.checklists_menu(prefs) if button.arg == "checklists" else a.selfcare_menu(prefs)
            )
        if button.action == "safety":
            reply = a.escalation.safety_followup(button.arg, prefs.lang, prefs.country)
            if reply is not None:
                return reply
        if button.action == "vote":
            return a.vote_thanks(prefs)
        return a.help(prefs)


def run(
    assistant: Assistant, prefs: Prefs, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout
) -> int:
    """Chat until end of input. Prompts only when talking to a person at a terminal."""
    chat = TerminalChat(assistant, prefs)
    interactive = stdin.isatty()
    print(render(assistant.start(prefs), numbered=chat.buttons), file=stdout)
    while True:
        if interactive:
            print("\n> ", end="", file=stdout, flush=True)
        line = stdin.readline()
        if not line:
            return 0
        if line.strip().lower() in ("/quit", "/exit"):
            return 0
        reply = chat.handle(line)
        print(render(reply, numbered=chat.buttons), file=stdout)
        if not interactive:
            print(file=stdout)
