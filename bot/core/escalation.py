"""Which resources to show for a crisis, and the crisis reply itself.

Safe-messaging rules (shared/domain/crisis.md §4-5) shape the reply: acknowledge, ask about
immediate safety, one direct line first, then a little more, a next step, and "I'm still here".
No method talk, and no police-first advice: where the state may be the threat, protection lines
and trusted people come first, and emergency services are mentioned only "if it is safe".
Only resources marked `confirmed` are ever shown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.content import Resource
from bot.content.model import Country
from bot.content.texts import Texts
from bot.core.reply import Block, Button, Reply, Style
from bot.core.routing import LineRouter

MAX_LINES = 3
# The coordinators' checklist for a guest in acute distress (corpus/checklists/relocation.yaml).
CRISIS_PROTOCOL = "cl-crisis-acute-distress"


class Escalation:
    """Selects resources and writes crisis replies."""

    def __init__(
        self,
        resources: Sequence[Resource],
        texts: Texts,
        countries: Mapping[str, Country] | None = None,
    ) -> None:
        self.router = LineRouter(resources, countries or {})
        self.texts = texts

    def countries(self) -> list[str]:
        """Countries with at least one confirmed national line, for the country picker."""
        return self.router.countries()

    def resources_for(self, category: str, country: str | None, lang: str) -> list[Resource]:
        """The lines to show for `category`, best first (bot/core/routing.py)."""
        return self.router.lines(category, country, lang)

    def lines(
        self, resources: Sequence[Resource], lang: str, country: str | None = None
    ) -> list[Block]:
        return [Block(self.describe(r, lang, country), Style.ITEM) for r in resources]

    def describe(self, resource: Resource, lang: str, country: str | None = None) -> str:
        """Name, contact and hours; an emergency number where the police may be the threat or
        suicide is a crime says "if it is safe to call"."""
        contact = " · ".join(c for c in (resource.phone, resource.email, resource.url) if c)
        hours = f" ({resource.hours})" if resource.hours else ""
        line = f"{resource.name}: {contact}{hours}"
        if self.router.needs_care(resource, country):
            line += f" — {self.texts.get(lang, 'line_if_safe')}"
        return line

    def crisis_reply(
        self,
        category: str,
        lang: str,
        country: str | None,
        also: Sequence[str] = (),
        *,
        for_supporter: bool = False,
    ) -> Reply:
        """The first reply to a message that signals danger: help first, in the user's language.
        `also` names the message's other lanes, whose first line joins the list. A message about
        someone else at risk (`for_supporter`) gets how to support them now, the same lines, and
        the coordinators' crisis protocol; it still says the lines are for the writer too."""
        t = self.texts
        found = self.resources_for(category, country, lang)
        for lane in also:
            extra = [r for r in self.resources_for(lane, country, lang) if r not in found]
            found += extra[:1]
        voice = "someone_else" if for_supporter else category
        blocks = [
            Block(t.get(lang, f"crisis_ack_{voice}")),
            Block(t.get(lang, f"crisis_ask_{voice}")),
        ]
        if found:
            blocks.append(Block(t.get(lang, "crisis_first_line"), Style.TITLE))
            blocks += self.lines(found[:1], lang, country)
        if len(found) > 1:
            blocks.append(Block(t.get(lang, "crisis_more_lines"), Style.NOTE))
            blocks += self.lines(found[1:], lang, country)
        if category == "suicide" and not country:
            blocks.append(Block(t.get(lang, "crisis_no_country_line"), Style.NOTE))
        blocks += [Block(t.get(lang, "crisis_next_step")), Block(t.get(lang, "crisis_still_here"))]
        buttons: tuple[tuple[Button, ...], ...] = (
            (Button(t.get(lang, "button_not_safe"), "safety", "not_safe"),),
            (Button(t.get(lang, "button_safe_struggling"), "safety", "struggling"),),
            (Button(t.get(lang, "button_someone_else"), "safety", "someone_else"),),
            (Button(t.get(lang, "button_set_country"), "country", ""),),
        )
        if for_supporter:
            protocol = Button(t.get(lang, "button_crisis_protocol"), "checklist", CRISIS_PROTOCOL)
            buttons = ((protocol,), buttons[3])
        return Reply(
            tuple(blocks),
            "crisis",
            lang,
            buttons,
            tier="crisis",
            category=category,
            entry_ids=tuple(r.id for r in found),
        )

    def sos(self, lang: str, country: str | None) -> Reply:
        """Every lane's first lines at once: what /sos shows, in any state."""
        t = self.texts
        blocks = [Block(t.get(lang, "sos_intro"), Style.TITLE)]
        shown: list[str] = []
        for lane, category in (
            ("sos_medical", "medical"),
            ("sos_suicide", "suicide"),
            ("sos_danger", "danger"),
            ("sos_sexual_violence", "sexual_violence"),
            ("sos_digital", "digital"),
        ):
            found = self.resources_for(category, country, lang)[:2]
            blocks.append(Block(t.get(lang, lane), Style.NOTE))
            blocks += self.lines(found, lang, country)
            shown += [r.id for r in found]
        blocks += [Block(t.get(lang, "sos_not_emergency")), Block(t.get(lang, "crisis_still_here"))]
        buttons = ((Button(t.get(lang, "button_set_country"), "country", ""),),)
        return Reply(
            tuple(blocks),
            "crisis",
            lang,
            buttons,
            tier="crisis",
            category=None,
            entry_ids=tuple(dict.fromkeys(shown)),
        )

    def safety_followup(
        self, choice: str, lang: str, country: str | None, lanes: Sequence[str] = ()
    ) -> Reply | None:
        """The answer to the crisis reply's buttons, and to the same answers typed (followup.py):
        `not_safe`, `struggling`, `someone_else`, `still_here`; lines for the crisis's lanes."""
        t = self.texts
        lanes = tuple(lanes) or ("suicide", "danger")
        if choice == "someone_else":
            lanes = ("suicide", "danger")
        found = self._first_lines(lanes, lang, country)
        if choice == "not_safe":
            blocks = [Block(t.get(lang, "reply_not_safe")), *self.lines(found, lang, country)]
        elif choice == "someone_else":
            blocks = [Block(t.get(lang, "reply_someone_else")), *self.lines(found, lang, country)]
        elif choice == "still_here":
            blocks = [Block(t.get(lang, "followup_still_here")), *self.lines(found, lang, country)]
        elif choice == "struggling":
            blocks = [
                Block(t.get(lang, "reply_safe_struggling")),
                Block(t.get(lang, "crisis_footer"), Style.NOTE),
            ]
        else:
            return None
        return Reply(tuple(blocks), "crisis", lang, tier="crisis", entry_ids=_ids(found))

    def country_lines(self, country: str, name: str, lang: str, lanes: Sequence[str]) -> Reply:
        """After the country is given in the crisis state: that country's lines, lane by lane."""
        found = self._first_lines(tuple(lanes) or ("suicide", "danger"), lang, country, per_lane=2)
        blocks = [
            Block(self.texts.get(lang, "followup_country", country=name)),
            *self.lines(found, lang, country),
            Block(self.texts.get(lang, "crisis_still_here")),
        ]
        return Reply(tuple(blocks), "crisis", lang, tier="crisis", entry_ids=_ids(found))

    def _first_lines(
        self, lanes: Sequence[str], lang: str, country: str | None, per_lane: int = 1
    ) -> list[Resource]:
        found: list[Resource] = []
        for lane in lanes:
            found += [r for r in self.resources_for(lane, country, lang) if r not in found][
                :per_lane
            ]
        return found[: MAX_LINES + 1]

    def footer(self, tier: str, category: str | None, lang: str) -> Block:
        """The one-line reminder under answers after a crisis, or on sensitive questions."""
        if tier == "sensitive" and category:
            return Block(self.texts.get(lang, f"sensitive_footer_{category}"), Style.NOTE)
        return Block(self.texts.get(lang, "crisis_footer"), Style.NOTE)


def _ids(resources: Sequence[Resource]) -> tuple[str, ...]:
    return tuple(r.id for r in resources)
