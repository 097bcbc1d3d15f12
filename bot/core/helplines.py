"""/helplines: the user's country's lines and the international ones, each with its hours and
languages where the source gives them, and when it was last checked, from public sources.

Nothing here claims a check that was not made: `checked` is the date the detail was last read
in its public source (corpus/resources.yaml), not a call to the service.
"""

from __future__ import annotations

from babel import Locale

from bot.content import Resource
from bot.core.followup import country_name
from bot.core.library import Library
from bot.core.reply import Block, Button, Reply, Style

# Lanes whose international lines are listed (funds and respite programmes are not helplines).
LANES = ("suicide", "danger", "detention", "sexual_violence", "medical", "digital")


def helplines(library: Library, lang: str, country: str | None) -> Reply:
    t = library.texts
    showable = [r for r in library.corpus.resources if r.showable]
    blocks = [Block(t.get(lang, "helplines_title"), Style.TITLE)]
    if country:
        blocks.append(Block(t.get(lang, "helplines_country", country=country_name(country, lang))))
        blocks += [_line(library, r, lang) for r in showable if country in r.countries]
    else:
        blocks.append(Block(t.get(lang, "helplines_no_country"), Style.NOTE))
    blocks.append(Block(t.get(lang, "helplines_international")))
    blocks += [
        _line(library, r, lang)
        for r in showable
        if "international" in r.countries and set(r.categories) & set(LANES)
    ]
    blocks.append(Block(t.get(lang, "sos_not_emergency"), Style.NOTE))
    button = Button(t.get(lang, "button_set_country"), "country", "")
    return Reply(tuple(blocks), "info", lang, ((button,),), tier="none")


def _line(library: Library, resource: Resource, lang: str) -> Block:
    t = library.texts
    details = [library.escalation.describe(resource, lang)]
    if resource.languages:
        names = Locale.parse(lang).languages
        spoken = ", ".join(names.get(code, code) for code in resource.languages)
        details.append(t.get(lang, "helplines_languages", languages=spoken))
    details.append(t.get(lang, "helplines_checked", date=resource.checked.isoformat()))
    return Block(" · ".join(details), Style.ITEM)


REQUIRED_TEXTS = (
    "helplines_title",
    "helplines_country",
    "helplines_no_country",
    "helplines_international",
    "helplines_checked",
    "helplines_languages",
    "sos_not_emergency",
    "button_set_country",
    "followup_country",
    "followup_still_here",
    "intent_short",
)
