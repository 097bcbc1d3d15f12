"""The crisis conversation after the first reply: the next turns are read in its context.

The crisis reply asks questions ("Are you thinking about ending your life right now?", "Are you
somewhere safe?", "Which country are you in?"). A typed "yes", "no", "ok", "I'm not safe, he is
still here", "safe now" or a country in words is answered as an answer to them, in the crisis
reply's language, with the lines for the crisis's lanes. Anything else is answered from the
guide when it can be, with the lines in view; nothing in the crisis state ever gets "I have no
guidance on that": an unrecognised turn gets "I'm still here" and the contacts.
"""

from __future__ import annotations

from babel import Locale

from bot.core.choices import flag_emoji
from bot.core.library import Library
from bot.core.prefs import Prefs
from bot.core.reply import Reply
from bot.core.respond import respond
from bot.core.sessions import Session
from bot.detect.crisis import Assessment
from bot.utterance import Utterance

# The suicide lane's question is "are you thinking about ending your life?": "yes" is the risk.
# The other lanes ask "are you safe?": there "no" is.
RISK_ANSWER = {"suicide": "yes"}
ALARMS = frozenset(("not_safe", "sos"))  # read anywhere in the message, whatever else it says
NOT_ANSWERS = ("no_answer", "error", "info")


def reply(
    library: Library,
    message: Utterance,
    assessment: Assessment,
    prefs: Prefs,
    session: Session,
    *,
    intent: str | None,
    country: str | None,
) -> Reply:
    """The reply to one turn in the crisis state. `country` is one named in the message (the
    caller stores it); `intent` is what the whole message says, if it is a short answer."""
    escalation = library.escalation
    lang = session.crisis_lang or prefs.lang
    lanes = session.crisis_lanes or ("suicide", "danger")
    if intent in ALARMS or library.intents.spot(message, ALARMS):
        return _followup(library, "not_safe", lang, country or prefs.country, lanes)
    if country is not None:
        return escalation.country_lines(country, country_name(country, lang), lang, lanes)
    if intent in ("yes", "no"):
        at_risk = intent == RISK_ANSWER.get(lanes[0], "no")
        choice = "not_safe" if at_risk else "struggling"
        return _followup(library, choice, lang, prefs.country, lanes)
    if intent == "safe":
        return _followup(library, "struggling", lang, prefs.country, lanes)
    if intent is None:
        answer = respond(library, message, prefs, session, assessment, intent=None)
        if answer.kind not in NOT_ANSWERS:
            return answer
    return _followup(library, "still_here", lang, prefs.country, lanes)


def _followup(
    library: Library, choice: str, lang: str, country: str | None, lanes: tuple[str, ...]
) -> Reply:
    found = library.escalation.safety_followup(choice, lang, country, lanes)
    assert found is not None  # every choice used here has a reply
    return found


def country_name(code: str, lang: str) -> str:
    """The country's name in `lang` (CLDR), with its flag."""
    name = Locale.parse(lang).territories.get(code, code)
    return f"{flag_emoji(code)} {name}"
