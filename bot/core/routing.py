"""Which lines to offer, lane by lane and country by country (shared/domain/crisis.md §7.2).

- suicide: the country's crisis lines, then the international directories;
- medical (an act already done, someone not breathing): the emergency number, then the
  country's crisis line, then Front Line Defenders;
- sexual violence: the country's violence line, then medical care (the emergency number), then
  Front Line Defenders and the directories;
- danger and detention: Front Line Defenders and ProtectDefenders.eu first; the emergency number
  only after them;
- digital: Access Now and CiviCERT (SMEX for Arabic speakers).

Where contacts-by-country.md lists the police as a possible threat, or suicide as a crime, the
emergency number is never first and is offered "if it is safe to call" (crisis.md §5.6); so is,
in any country, a line the brief marks ⚠ (run by, or handing calls to, the police or state
security). Only confirmed resources reach this module.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.content import Resource
from bot.content.model import Country

INTERNATIONAL = {
    "suicide": ("res-findahelpline", "res-befrienders"),
    "danger": ("res-fld-emergency", "res-protectdefenders"),
    "detention": ("res-fld-emergency", "res-protectdefenders"),
    "sexual_violence": ("res-fld-emergency", "res-findahelpline"),
    "medical": ("res-fld-emergency", "res-findahelpline"),
    "digital": ("res-access-now", "res-civicert"),
}
# The country's categories of line, in order, per lane. Emergency numbers are `medical` lines.
NATIONAL = {
    "suicide": ("suicide",),
    "medical": ("medical", "suicide"),
    "sexual_violence": ("sexual_violence", "medical"),
    "danger": ("medical",),
    "detention": ("medical",),
    "digital": (),
}
PROTECTION_FIRST = frozenset(("danger", "detention", "digital"))  # international lines lead
ARABIC_DIGITAL = "res-smex"
MAX_LINES = 3


class LineRouter:
    """Chooses and orders the confirmed lines for a lane in a country."""

    def __init__(self, resources: Sequence[Resource], countries: Mapping[str, Country]) -> None:
        self._all = [r for r in resources if r.showable]
        self._by_id = {r.id: r for r in self._all}
        self._countries = countries

    def cautious(self, country: str | None) -> bool:
        """The police may be the threat, or suicide is a crime: no emergency number first."""
        facts = self._countries.get(country or "")
        return facts is not None and (facts.police_threat or facts.suicide_criminalised is True)

    @staticmethod
    def is_emergency(resource: Resource) -> bool:
        return "medical" in resource.categories and "international" not in resource.countries

    def needs_care(self, resource: Resource, country: str | None) -> bool:
        """A line to offer only "if it is safe to call", and never first: a ⚠ line anywhere
        (run by, or handing calls to, the police or state security), and the emergency number
        where the police may be the threat or suicide is a crime."""
        return resource.caution or (self.is_emergency(resource) and self.cautious(country))

    def national(self, country: str, categories: Sequence[str]) -> list[Resource]:
        found: list[Resource] = []
        for category in categories:
            found += [
                r
                for r in self._all
                if country in r.countries and category in r.categories and r not in found
            ]
        return found

    def lines(self, lane: str, country: str | None, lang: str) -> list[Resource]:
        """The lines for `lane`, best first, at most MAX_LINES."""
        national = self.national(country, NATIONAL.get(lane, ())) if country else []
        if lane in ("danger", "detention"):
            # The emergency number only, after the protection lines; none where the police may
            # be the ones at the door.
            national = [] if self.cautious(country) else national[:1]
        international = [self._by_id[i] for i in INTERNATIONAL.get(lane, ()) if i in self._by_id]
        if lane == "digital" and lang == "ar" and ARABIC_DIGITAL in self._by_id:
            international.insert(1, self._by_id[ARABIC_DIGITAL])
        first, then = (
            (international, national) if lane in PROTECTION_FIRST else (national, international)
        )
        ordered = list(dict.fromkeys([*first, *then]))
        if ordered and self.needs_care(ordered[0], country):
            safer = next((r for r in ordered if not self.needs_care(r, country)), None)
            if safer is None:  # only risky lines: the international directory goes first
                safer = self._by_id.get("res-findahelpline")
            if safer is not None:
                ordered = [safer, *(r for r in ordered if r != safer)]
        return ordered[:MAX_LINES]

    def countries(self) -> list[str]:
        """Countries with at least one confirmed national line."""
        return sorted({c for r in self._all for c in r.countries if c != "international"})
