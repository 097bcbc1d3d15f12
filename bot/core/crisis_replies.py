"""The crisis reply to a message, and the lines that stay in view on the next answers.

The reply itself is written by `Escalation` (safe-messaging rules, resources by lane and
country); this module decides its language and keeps the session's crisis state.
"""

from __future__ import annotations

from bot.core.library import Library
from bot.core.prefs import Prefs
from bot.core.reply import Reply
from bot.core.sessions import Session
from bot.detect.crisis import Assessment
from bot.utterance import Utterance

CRISIS_FOOTER_TURNS = 3
SUPPORTER = frozenset({"someone_else"})


def first(
    library: Library, message: Utterance, assessment: Assessment, prefs: Prefs, session: Session
) -> Reply:
    """The crisis reply, in the language of the message: the lexicon that matched knows it; a
    message only the model caught is read for its stopwords, and the interface language decides
    when that is unsure."""
    languages = library.texts.languages
    lang = assessment.lang if assessment.lang in languages else None
    if lang is None:
        detected = message.language(library.stopwords)
        lang = detected if detected in languages else prefs.lang
    session.crisis_turns = CRISIS_FOOTER_TURNS
    session.crisis_category = assessment.category
    category = assessment.category or "danger"
    # "My client says she wants to die tonight": the reply is for the one who supports her.
    for_supporter = category == "suicide" and bool(library.intents.spot(message, SUPPORTER))
    return library.escalation.crisis_reply(
        category, lang, prefs.country, assessment.lanes[1:], for_supporter=for_supporter
    )


def with_footer(
    library: Library,
    reply: Reply,
    session: Session,
    assessment: Assessment,
    *,
    lang: str,
    prefs: Prefs,
) -> Reply:
    """After a crisis, a reminder line under the next answers; on a sensitive message, the lines
    themselves at the top, before the answer (crisis.md §5: never bury resources)."""
    escalation = library.escalation
    blocks = reply.blocks
    if assessment.tier == "sensitive" and assessment.category:
        category = assessment.category
        found = escalation.resources_for(category, prefs.country, lang)[:2]
        top = (escalation.footer("sensitive", category, lang),)
        blocks = (*top, *escalation.lines(found, lang, prefs.country), *blocks)
    elif session.crisis_turns > 0:
        session.crisis_turns -= 1
        blocks = (*blocks, escalation.footer("crisis", session.crisis_category, lang))
    else:
        return reply
    if session.crisis_turns > 0 and assessment.tier == "sensitive":
        session.crisis_turns -= 1
    return Reply(
        blocks,
        reply.kind,
        reply.lang,
        reply.buttons,
        tier=assessment.tier if assessment.tier != "none" else reply.tier,
        category=assessment.category or reply.category,
        entry_ids=reply.entry_ids,
        attachment=reply.attachment,
    )
