"""The bot's whole surface in one table: every command and every button action, with what each
may do. The Telegram edge, the terminal, the command menu and the tests all read it.

Adding a command is one row here, one handler, and its `command_<name>` text in each language.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum

from bot.core import answers, choices, helplines, menus
from bot.core.context import Effect, Outcome, Turn

Handler = Callable[[Turn, str], Awaitable[Outcome]]


class Command(StrEnum):
    START = "start"
    HELP = "help"
    SOS = "sos"
    CHECKLISTS = "checklists"
    SELFCARE = "selfcare"
    ROLE = "role"
    LANGUAGE = "language"
    COUNTRY = "country"
    DISCREET = "discreet"
    CLEAR = "clear"
    PRIVACY = "privacy"
    FORGET = "forget"
    ABOUT = "about"
    STATS = "stats"
    HELPLINES = "helplines"


class Action(StrEnum):
    """What a button does; its data is `action:argument`, ids only, never user text."""

    SAFETY = "safety"
    COUNTRY = "country"
    ROLE = "role"
    LANG = "lang"
    DISCREET = "discreet"
    VOTE = "vote"
    FILE = "file"
    MORE = "more"
    FULL = "full"
    STAGE = "stage"
    CHECKLIST = "checklist"
    TOPIC = "topic"
    MENU = "menu"
    OPEN = "open"


@dataclass(frozen=True)
class Route:
    handler: Handler
    urgent: bool = False  # answered first, never held back by flood protection (help in danger)
    group: bool = False  # may be used in a group chat (nothing private in its reply)
    private: bool = False  # sets something private: never offered, nor obeyed, in a group
    menu: bool = False  # listed in the channel's command menu
    deep_link: bool = False  # may open the bot from a link (`/start <name>`)
    toast: bool = False  # a button answered with a short notice, not a message
    counted: bool = True  # adds to the aggregate counter `command:<name>`


async def _start(turn: Turn, payload: str) -> Outcome:
    """/start, with an optional deep-link payload such as `checklists`."""
    name = payload.strip().lower()[:32]
    if name in _DEEP_LINKS:
        return await COMMANDS[Command(name)].handler(turn, "")
    return turn.outcome(menus.welcome(turn.library, turn.prefs))


async def _help(turn: Turn, _: str) -> Outcome:
    return turn.outcome(menus.help_text(turn.library, turn.prefs))


async def _about(turn: Turn, _: str) -> Outcome:
    return turn.outcome(menus.about(turn.library, turn.prefs))


async def _sos(turn: Turn, _: str) -> Outcome:
    """Every lane's lines; in the crisis reply's language when a crisis is under way, and the
    next turns are read in the crisis state."""
    lang = turn.session.crisis_lang or turn.lang
    turn.session.enter_crisis(turn.sessions.now(), lang, ())
    return turn.outcome(turn.library.escalation.sos(lang, turn.prefs.country))


async def _helplines(turn: Turn, _: str) -> Outcome:
    lang = turn.session.crisis_lang or turn.lang
    return turn.outcome(helplines.helplines(turn.library, lang, turn.prefs.country))


async def _checklists(turn: Turn, _: str) -> Outcome:
    return turn.outcome(menus.checklists_menu(turn.library, turn.prefs))


async def _selfcare(turn: Turn, _: str) -> Outcome:
    return turn.outcome(menus.selfcare_menu(turn.library, turn.prefs))


async def _clear(turn: Turn, _: str) -> Outcome:
    return turn.outcome(None, Effect.CLEAR)


async def _safety(turn: Turn, choice: str) -> Outcome:
    """A button of the crisis reply: answered in that reply's language, for its lanes."""
    session = turn.session
    lang = session.crisis_lang or turn.lang
    followup = turn.library.escalation.safety_followup(
        choice, lang, turn.prefs.country, session.crisis_lanes
    )
    return turn.outcome(followup or turn.info("button_stale"))


async def _file(turn: Turn, entry_id: str) -> Outcome:
    reply = answers.checklist_file(turn.library, entry_id, turn.prefs)
    return turn.outcome(reply, Effect.FILE if reply.attachment else Effect.NONE)


async def _more(turn: Turn, entry_id: str) -> Outcome:
    return turn.outcome(answers.more(turn.library, entry_id, turn.prefs, turn.session))


async def _full(turn: Turn, entry_id: str) -> Outcome:
    return turn.outcome(answers.entry(turn.library, entry_id, turn.prefs, full=True))


async def _entry(turn: Turn, entry_id: str) -> Outcome:
    return turn.outcome(answers.entry(turn.library, entry_id, turn.prefs))


async def _stage(turn: Turn, stage: str) -> Outcome:
    return turn.outcome(menus.checklists_for_stage(turn.library, stage, turn.prefs))


async def _topic(turn: Turn, name: str) -> Outcome:
    return turn.outcome(menus.topic(turn.library, name, turn.prefs, turn.session))


async def _menu(turn: Turn, name: str) -> Outcome:
    return turn.outcome(menus.menu(turn.library, name, turn.prefs))


COMMANDS: dict[Command, Route] = {
    Command.START: Route(_start, menu=True),
    Command.HELP: Route(_help, group=True, menu=True, deep_link=True),
    Command.SOS: Route(_sos, urgent=True, group=True, menu=True, deep_link=True),
    Command.HELPLINES: Route(_helplines, urgent=True, menu=True, deep_link=True),
    Command.CHECKLISTS: Route(_checklists, menu=True, deep_link=True),
    Command.SELFCARE: Route(_selfcare, menu=True, deep_link=True),
    Command.ROLE: Route(choices.role, menu=True),
    Command.LANGUAGE: Route(choices.language, menu=True),
    Command.COUNTRY: Route(choices.country, menu=True),
    Command.DISCREET: Route(choices.discreet, menu=True),
    Command.CLEAR: Route(_clear, menu=True),
    Command.PRIVACY: Route(choices.privacy, group=True, menu=True, deep_link=True),
    Command.FORGET: Route(choices.forget, menu=True),
    Command.ABOUT: Route(_about, group=True, menu=True, deep_link=True),
    Command.STATS: Route(choices.stats),  # for operators: not in the menu
}
_DEEP_LINKS = frozenset(name.value for name, route in COMMANDS.items() if route.deep_link)

# Buttons are not counted (their commands and answers are). Only the four that set something
# private are kept out of groups.
ACTIONS: dict[Action, Route] = {
    # The crisis reply's buttons: never held back, whatever else the user has been sending.
    Action.SAFETY: Route(_safety, urgent=True, group=True, counted=False),
    Action.COUNTRY: Route(choices.country, urgent=True, private=True, counted=False),
    Action.ROLE: Route(choices.role, private=True, counted=False),
    Action.LANG: Route(choices.language, private=True, counted=False),
    Action.DISCREET: Route(choices.discreet, private=True, counted=False),
    Action.VOTE: Route(choices.vote, group=True, toast=True, counted=False),
    Action.FILE: Route(_file, group=True, counted=False),
    Action.MORE: Route(_more, group=True, counted=False),
    Action.FULL: Route(_full, group=True, counted=False),
    Action.STAGE: Route(_stage, group=True, counted=False),
    Action.CHECKLIST: Route(_entry, group=True, counted=False),
    Action.TOPIC: Route(_topic, group=True, counted=False),
    Action.MENU: Route(_menu, group=True, counted=False),
    # An entry offered by its title: the best three's other two, or the closest topics.
    Action.OPEN: Route(_entry, group=True, counted=False),
}


def command(name: str) -> Command | None:
    """The command called `name` (as typed, lower-cased), or None."""
    try:
        return Command(name)
    except ValueError:
        return None


def action(name: str) -> Action | None:
    try:
        return Action(name)
    except ValueError:
        return None


def required_texts() -> list[str]:
    """Every command's menu description, in every language (checked at start)."""
    return [f"command_{name.value}" for name in COMMANDS]
