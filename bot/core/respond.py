"""One message and the user's preferences in, one `Reply` out: the channel-neutral answer.

Crisis first: when the assessment says crisis, the reply is the crisis reply and needs nothing
that can fail (no search, no store). Otherwise a short intent ("hi"), or the best passage, with
the crisis lines kept in view when the message was sensitive or a crisis was recent.
"""

from __future__ import annotations

import logging

from bot.core import answers, crisis_replies, menus
from bot.core.library import Library
from bot.core.prefs import Prefs
from bot.core.reply import Reply
from bot.core.sessions import Session
from bot.detect.crisis import NONE, Assessment
from bot.utterance import Utterance

logger = logging.getLogger(__name__)


def assess(library: Library, message: Utterance) -> Assessment:
    """Crisis assessment that cannot raise: on an internal error, assume sensitive."""
    try:
        return library.detector.assess(message)
    except Exception:
        logger.exception("crisis_detection_failed")
        return Assessment("sensitive", "suicide", None)


def respond(
    library: Library,
    message: Utterance | str,
    prefs: Prefs,
    session: Session | None = None,
    assessment: Assessment | None = None,
    *,
    intent: tuple[str, str] | bool | None = True,
) -> Reply:
    """Answer one message. A caller that has already assessed it passes the `assessment`, and
    one that has already recognised its intent passes `intent` (None: none); True: look."""
    if isinstance(message, str):
        message = library.read(message)
    session = session if session is not None else Session()
    assessment = assessment if assessment is not None else assess(library, message)
    if assessment.crisis:
        return crisis_replies.first(library, message, assessment, prefs, session)
    lang = language(library, message, prefs)
    try:
        reply = _reply(library, message, assessment, prefs, session, lang=lang, intent=intent)
    except Exception:  # a broken search must never cost the user an answer
        logger.exception("answer_failed")
        reply = answers.no_answer(library, lang, kind="error")
    return crisis_replies.with_footer(library, reply, session, assessment, lang=lang, prefs=prefs)


def language(library: Library, message: Utterance, prefs: Prefs) -> str:
    """The message's language when it can be told, else the interface language."""
    detected = message.language(library.stopwords)
    return detected if detected in library.texts.languages else prefs.lang


def _reply(
    library: Library,
    message: Utterance,
    assessment: Assessment,
    prefs: Prefs,
    session: Session,
    *,
    lang: str,
    intent: tuple[str, str] | bool | None,
) -> Reply:
    if not message.raw.strip():
        return answers.info(library, lang, "empty")
    if assessment is NONE:
        if intent is True:
            intent = library.intents.recognize(message, prefer=prefs.lang)
        if isinstance(intent, tuple):
            name, said_in = intent  # answer "hola" in Spanish even if the interface is not
            lang = said_in if said_in in library.texts.languages else prefs.lang
            return menus.intent(library, name, Prefs(lang, prefs.role, prefs.country))
    return answers.answer(library, message, prefs, session, lang)
