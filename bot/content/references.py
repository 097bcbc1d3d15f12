"""Loading what the content points to outside itself: the sources passages cite (sources.yaml)
and the resources the bot refers people to (resources.yaml).

Both are lists of checked external references, read before the passages and checklists that
depend on them; keeping them apart from the entries keeps each loader short.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

from bot.content.countries import ISO_CODE
from bot.content.fields import Fields
from bot.content.model import CATEGORIES, Resource, Source
from bot.content.reader import Reader

_LANG = re.compile(r"^[a-z]{2}$")


def load_sources(reader: Reader) -> dict[str, Source]:
    items, shown = reader.read(reader.root / "sources.yaml", "sources")
    result: dict[str, Source] = {}
    for node in reader.entries(items, shown):
        f = Fields(node, shown, reader.problems)
        f.only({"id", "title", "publisher", "year", "url", "covers"})
        source_id = f.identifier()
        year = node.get("year")
        if year is not None and not isinstance(year, int):
            f.problem("'year' must be a whole number")
            year = None
        source = Source(
            id=source_id,
            title=f.text("title"),
            publisher=f.text("publisher"),
            covers=f.text("covers"),
            year=year,
            url=f.optional_text("url"),
        )
        if source_id in result:
            f.problem(f"duplicate source id {source_id!r}")
        result[source_id] = source
    return result


def load_resources(reader: Reader, known: Collection[str] | None = None) -> list[Resource]:
    """Read resources.yaml. `known` holds the codes countries.yaml lists: a resource for any other
    country would reach routing with no facts about police or the law there. None skips that check.
    """
    items, shown = reader.read(reader.root / "resources.yaml", "resources")
    result = []
    for node in reader.entries(items, shown):
        f = Fields(node, shown, reader.problems)
        f.only(
            {
                "id",
                "name",
                "offers",
                "contact",
                "languages",
                "hours",
                "categories",
                "countries",
                "source_url",
                "checked",
                "certainty",
                "caution",
                "note",
            }
        )
        contact = node.get("contact")
        if not isinstance(contact, dict) or not contact:
            f.problem("'contact' must give at least one of phone, email, url")
            contact = {}
        for key in contact:
            if key not in ("phone", "email", "url"):
                f.problem(f"unknown contact field {key!r} (allowed: phone, email, url)")
        languages = f.text_list("languages", min_items=0)
        for lang in languages:
            if not _LANG.match(lang):
                f.problem(f"language {lang!r} should be a two-letter code such as 'en'")
        countries = f.text_list("countries")
        for country in countries:
            if country == "international":
                continue
            if not ISO_CODE.match(country):
                f.problem(
                    f"country {country!r} should be 'international' or a two-letter "
                    "code such as 'FR'"
                )
            elif known is not None and country not in known:
                f.problem(f"country {country!r} is not in countries.yaml")
        result.append(
            Resource(
                id=f.identifier("res-"),
                name=f.text("name"),
                offers=f.text("offers"),
                languages=languages,
                hours=f.optional_text("hours"),
                categories=f.choices("categories", CATEGORIES),
                countries=countries,
                source_url=f.text("source_url"),
                checked=f.date("checked"),
                certainty=f.choice("certainty", ("confirmed", "unconfirmed")),
                caution=f.boolean("caution") if "caution" in node else False,
                phone=_contact(contact, "phone"),
                email=_contact(contact, "email"),
                url=_contact(contact, "url"),
            )
        )
    return result


def _contact(contact: dict[str, Any], key: str) -> str | None:
    value = contact.get(key)
    return str(value).strip() if value else None
