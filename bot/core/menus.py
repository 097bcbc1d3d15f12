"""Menus and short fixed replies: welcome, help, about, the checklist and self-care menus, roles,
and the replies to recognised short messages ("hi", "thanks")."""

from __future__ import annotations

from bot.content import STAGES
from bot.content.approval import approved_in_all
from bot.core import answers
from bot.core.library import Library
from bot.core.prefs import ROLES, Prefs
from bot.core.reply import Block, Button, Reply
from bot.core.sessions import Session

SELFCARE_TOPICS = ("sleep", "breathing", "grounding", "burnout", "guilt", "numb", "hacked", "alone")
INTENT_TEXTS = {
    "greeting": "greeting",
    "thanks": "thanks",
    "feedback": "feedback_prompt",
    # A short answer outside the crisis state: there is no question it answers.
    "yes": "intent_short",
    "no": "intent_short",
    "ok": "intent_short",
    "safe": "intent_short",
}


def _say(library: Library, lang: str, key: str, kind: str = "info", **values: object) -> Reply:
    return Reply((Block(library.texts.get(lang, key, **values)),), kind, lang)


def welcome(library: Library, prefs: Prefs) -> Reply:
    """/start: who the guide is, and the three roles to choose from."""
    return role_menu(library, prefs, "welcome")


def help_text(library: Library, prefs: Prefs) -> Reply:
    return _say(library, prefs.lang, "help")


def about(library: Library, prefs: Prefs) -> Reply:
    """What the guide is, how big, and how much of it a reviewer has approved: people should
    know that what they read is mostly a draft."""
    corpus, texts, lang = library.corpus, library.texts, prefs.lang
    tally = approved_in_all(corpus)
    what = texts.get(
        lang,
        "about",
        passages=sum(p.translation_of is None for p in corpus.passages),
        checklists=sum(c.translation_of is None for c in corpus.checklists),
    )
    approved = texts.get(
        lang,
        "about_approved",
        approved=texts.number(lang, tally.approved),
        entries=texts.number(lang, tally.of),
    )
    return Reply((Block(what), Block(approved)), "info", lang)


def role_buttons(library: Library, lang: str) -> tuple[tuple[Button, ...], ...]:
    return tuple((Button(library.texts.get(lang, f"role_{role}"), "role", role),) for role in ROLES)


def role_menu(library: Library, prefs: Prefs, key: str = "role_menu") -> Reply:
    return Reply(
        (Block(library.texts.get(prefs.lang, key)),),
        "menu",
        prefs.lang,
        role_buttons(library, prefs.lang),
    )


def checklists_menu(library: Library, prefs: Prefs) -> Reply:
    lang, checklists = prefs.lang, library.corpus.checklists
    stages = [s for s in STAGES if any(c.stage == s for c in checklists)]
    buttons = tuple((Button(library.texts.get(lang, f"stage_{s}"), "stage", s),) for s in stages)
    return Reply((Block(library.texts.get(lang, "checklists_menu")),), "menu", lang, buttons)


def checklists_for_stage(library: Library, stage: str, prefs: Prefs) -> Reply:
    lang = prefs.lang
    found = [c for c in library.corpus.checklists if c.stage == stage and c.language == "en"]
    if not found:
        return _say(library, lang, "checklist_none")
    if len(found) == 1:
        return answers.entry(library, found[0].id, prefs)
    buttons = tuple(
        (Button((library.corpus.localized(c.id, lang) or c).title, "checklist", c.id),)
        for c in found
    )
    return Reply((Block(library.texts.get(lang, "checklist_pick")),), "menu", lang, buttons)


def selfcare_menu(library: Library, prefs: Prefs) -> Reply:
    lang = prefs.lang
    labels = [Button(library.texts.get(lang, f"topic_{t}"), "topic", t) for t in SELFCARE_TOPICS]
    rows = tuple(tuple(labels[i : i + 2]) for i in range(0, len(labels), 2))
    return Reply((Block(library.texts.get(lang, "selfcare_menu")),), "menu", lang, rows)


def topic(library: Library, name: str, prefs: Prefs, session: Session | None = None) -> Reply:
    """A self-care topic button: the same as asking its query in words."""
    if name not in SELFCARE_TOPICS:
        return _say(library, prefs.lang, "unknown_entry")
    query = library.texts.get("en", f"topic_{name}_query")
    return answers.topic_answer(library, query, prefs, session)


def menu(library: Library, name: str, prefs: Prefs) -> Reply:
    """The "menu" button of a no-answer reply: self-care or checklists."""
    return (
        checklists_menu(library, prefs) if name == "checklists" else selfcare_menu(library, prefs)
    )


def intent(library: Library, name: str, prefs: Prefs) -> Reply:
    """The reply to a recognised short message (greeting, thanks, help, ...)."""
    if name == "checklists":
        return checklists_menu(library, prefs)
    if name == "selfcare":
        return selfcare_menu(library, prefs)
    if name == "help":
        return help_text(library, prefs)
    if name == "who_are_you":
        return about(library, prefs)
    if name in ("sos", "not_safe"):
        return library.escalation.sos(prefs.lang, prefs.country)
    return _say(library, prefs.lang, INTENT_TEXTS[name], kind="intent")


def required_texts() -> list[str]:
    """Interface texts these menus need (checked at start, `bot.core.library.load_library`)."""
    return [
        *(f"role_{r}" for r in ROLES),
        *(f"role_set_{r}" for r in ROLES),
        *(f"stage_{s}" for s in STAGES),
        *(f"topic_{t}" for t in SELFCARE_TOPICS),
        *(f"topic_{t}_query" for t in SELFCARE_TOPICS),
        *INTENT_TEXTS.values(),
        "welcome",
        "help",
        "about",
        "about_approved",
        "role_menu",
        "checklists_menu",
        "checklist_none",
        "checklist_pick",
        "selfcare_menu",
        "unknown_entry",
    ]
