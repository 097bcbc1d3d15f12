"""Loading the per-country facts that crisis routing reads (countries.yaml).

Before the bot offers a national number it needs to know whether the police may be the threat
there and whether attempting suicide is a crime (shared/domain/contacts-by-country.md). These
facts sit in their own file, one entry per country, so that a reviewer checks them in one table
and every country code a resource names can be checked against a known country.
"""

from __future__ import annotations

import re

from bot.content.fields import Fields
from bot.content.model import Country
from bot.content.reader import Reader

ISO_CODE = re.compile(r"^[A-Z]{2}$")
_FIELDS = {"iso", "name", "police_threat", "suicide_criminalised", "emergency", "source", "note"}
# Written out rather than left empty, so that "the sources do not say" is a reviewer's statement,
# not a forgotten field.
_UNKNOWN = "unknown"


def load_countries(reader: Reader) -> list[Country]:
    """Read countries.yaml; each code must be two upper-case letters and listed once."""
    items, shown = reader.read(reader.root / "countries.yaml", "countries")
    result: list[Country] = []
    first_line: dict[str, int] = {}
    for node in reader.entries(items, shown):
        name = node.get("iso") or node.get("name") or ""
        f = Fields(node, shown, reader.problems, entry=str(name))
        f.only(_FIELDS)
        iso = _iso(f)
        if iso in first_line:
            f.problem(f"country {iso!r} is already listed at line {first_line[iso]}")
        elif iso:
            first_line[iso] = f.line
        result.append(
            Country(
                iso=iso,
                name=f.text("name"),
                police_threat=f.boolean("police_threat"),
                suicide_criminalised=_criminalised(f),
                emergency=_emergency(f),
                source=f.text("source"),
                note=f.optional_text("note"),
            )
        )
    return result


def _iso(f: Fields) -> str:
    value = f.node.get("iso")
    if isinstance(value, str) and ISO_CODE.match(value):
        return value
    f.problem(f"'iso' is {value!r}; expected two upper-case letters such as 'FR' (quote \"NO\")")
    return ""


def _criminalised(f: Fields) -> bool | None:
    """True, False, or None for `unknown`: absence from the brief's lists proves nothing."""
    value = f.node.get("suicide_criminalised")
    if isinstance(value, bool):
        return value
    if value == _UNKNOWN:
        return None
    if value is None:
        f.problem("missing required field 'suicide_criminalised' (true, false or unknown)")
    else:
        f.problem(f"'suicide_criminalised' is {value!r}; expected true, false or unknown")
    return None


def _emergency(f: Fields) -> str | None:
    # An unquoted number is read as an integer and loses a leading 0 (Russia's 03, for one).
    if isinstance(f.node.get("emergency"), int):
        f.problem("'emergency' must be quoted text such as \"112\", or null")
        return None
    return f.optional_text("emergency")
