"""What a user sets and asks about themselves: role, language, country, discreet mode, privacy,
/forget, votes and the operator's /stats. Each saves through the `PrefsBook`."""

from __future__ import annotations

from dataclasses import replace

from bot.core import menus
from bot.core.context import Effect, Outcome, Turn
from bot.core.counters import safely
from bot.core.prefs import ROLES
from bot.core.reply import Block, Button, Reply, Style
from bot.detect.places import iso_country

COUNTRY_ROW = 4
CLEARING = ("NONE", "OFF", "-")
# Where most relocated defenders live, then the countries defenders most often write from. Any
# other country is set by typing its name or code (/country Georgia, /country GE).
HOST_COUNTRIES = (
    "NL", "DE", "NO", "IE", "ES", "FR", "GB", "SE", "BE", "IT", "PT", "AT",
    "RU", "UA", "GE", "TR", "LB", "MX", "CO", "BR",
)  # fmt: skip


async def role(turn: Turn, name: str) -> Outcome:
    if name not in ROLES:
        return turn.outcome(menus.role_menu(turn.library, turn.prefs))
    prefs = await turn.book.save(turn.user, replace(turn.prefs, role=name))
    reply = _info(turn, prefs.lang, f"role_set_{name}")
    if name == "defender" and not prefs.discreet:
        button = Button(turn.library.texts.get(prefs.lang, "button_discreet_on"), "discreet", "on")
        reply = replace(reply, buttons=((button,),))
    return Outcome(reply, prefs)


async def language(turn: Turn, code: str) -> Outcome:
    code = code.strip().lower()
    languages = turn.library.texts.languages
    if code in languages:
        prefs = await turn.book.save(turn.user, replace(turn.prefs, lang=code))
        return Outcome(_info(turn, prefs.lang, "language_set"), prefs)
    texts = turn.library.texts
    buttons = tuple((Button(texts.get(lang, "language_name"), "lang", lang),) for lang in languages)
    return turn.outcome(Reply((Block(turn.text("language_menu")),), "menu", turn.lang, buttons))


async def country(turn: Turn, code: str) -> Outcome:
    """Set the country by ISO code ("GE") or by name in any language ("Грузия"), clear it, or
    show the picker: the main host countries of relocated defenders first."""
    typed = code.strip()
    code = typed.upper()
    if code in CLEARING:
        prefs = await turn.book.save(turn.user, replace(turn.prefs, country=None))
        return Outcome(_info(turn, prefs.lang, "country_cleared"), prefs)
    if typed and not iso_country(code):
        code = turn.library.places.find(turn.library.read(typed), prefer=turn.lang) or ""
    if iso_country(code):
        prefs = await turn.book.save(turn.user, replace(turn.prefs, country=code))
        return Outcome(_info(turn, prefs.lang, "country_set", country=flag(code)), prefs)
    known = turn.library.escalation.countries()
    hosts = [c for c in HOST_COUNTRIES if c in known]
    rows = [
        tuple(Button(flag(c), "country", c) for c in hosts[i : i + COUNTRY_ROW])
        for i in range(0, len(hosts), COUNTRY_ROW)
    ]
    rows.append((Button(turn.text("country_other"), "country", "none"),))
    return turn.outcome(Reply((Block(turn.text("country_menu")),), "menu", turn.lang, tuple(rows)))


async def discreet(turn: Turn, argument: str) -> Outcome:
    argument = argument.strip().lower()
    if argument not in ("on", "off"):
        return turn.outcome(turn.info("discreet_usage"))
    prefs = await turn.book.save(turn.user, replace(turn.prefs, discreet=argument == "on"))
    key = "discreet_on" if prefs.discreet else "discreet_off"
    return Outcome(_info(turn, prefs.lang, key, minutes=turn.policy.discreet_minutes), prefs)


async def privacy(turn: Turn, _: str) -> Outcome:
    return turn.outcome(turn.info("privacy", days=turn.policy.retention_days))


async def forget(turn: Turn, _: str) -> Outcome:
    """Delete the user's row (retried under load; a failure that remains is visible, not
    swallowed). The channel then drops the chat's pending deletions (`Effect.FORGET`): the
    core never sees a chat id."""
    if turn.store is not None:
        await turn.store.forget(turn.user.key)
    turn.book.drop(turn.user.key)
    turn.sessions.drop(turn.user.key)
    prefs = await turn.book.get(turn.user)  # the defaults, now that nothing is stored
    turn.book.drop(turn.user.key)
    return Outcome(_info(turn, prefs.lang, "forget_done"), prefs, Effect.FORGET)


async def stats(turn: Turn, _: str) -> Outcome:
    if not turn.user.admin or turn.store is None:
        return turn.outcome(turn.info("stats_only_admins"))
    await turn.counters.drain()  # include what is still being added up in memory
    totals = await turn.store.totals(days=30)
    lines = [Block("30 days", Style.TITLE)]
    lines += [Block(f"{name}: {count}", Style.ITEM) for name, count in totals]
    return turn.outcome(Reply(tuple(lines), "info", turn.lang))


async def vote(turn: Turn, argument: str) -> Outcome:
    """A thumbs up or down on a passage: counted per passage and day, with no user key."""
    entry_id, _, direction = argument.rpartition(":")
    found = turn.library.corpus.entry(entry_id)
    if direction not in ("up", "down") or found is None:
        return turn.outcome(turn.info("button_stale"))
    if turn.store is not None:
        await safely(turn.store.vote(found.base_id, direction == "up"))
    return turn.outcome(turn.info("vote_thanks"))


def flag(code: str) -> str:
    """A country code with its flag, e.g. '🇫🇷 FR'."""
    return f"{flag_emoji(code)} {code}"


def flag_emoji(code: str) -> str:
    """A country's flag: its code's letters as regional indicator symbols."""
    return "".join(chr(0x1F1E6 + ord(letter) - ord("A")) for letter in code)


def _info(turn: Turn, lang: str, key: str, **values: object) -> Reply:
    return Reply((Block(turn.library.texts.get(lang, key, **values)),), "info", lang)


REQUIRED_TEXTS = (
    "language_set",
    "language_menu",
    "language_name",
    "country_cleared",
    "country_set",
    "country_other",
    "country_menu",
    "discreet_usage",
    "discreet_on",
    "discreet_off",
    "button_discreet_on",
    "privacy",
    "forget_done",
    "stats_only_admins",
    "button_stale",
    "vote_thanks",
)
