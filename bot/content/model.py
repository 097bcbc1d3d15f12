"""Frozen records for the corpus. They carry plain strings only: no channel knows about them."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING

LANGUAGES = ("en", "es", "fr", "pt", "ru", "ar")
RIGHT_TO_LEFT = frozenset({"ar"})  # written right to left: every channel must say so
AUDIENCES = ("practitioner", "coordinator", "defender")
# Each collection is written for one audience first; the id prefix shows which.
COLLECTIONS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "practitioners": ("practitioner", "pr-"),
        "relocation": ("coordinator", "co-"),
        "selfcare": ("defender", "sc-"),
    }
)
STAGES = (
    "selection",
    "before_departure",
    "arrival",
    "during_stay",
    "ending",
    "after_return",
    "no_return",
    "staff_care",
    "crisis",
)
CATEGORIES = (
    "suicide",
    "danger",
    "detention",
    "sexual_violence",
    "medical",
    "digital",
    "funds",
    "respite",
    "counselling",
)
REVIEW_STATES = ("draft", "approved")

if TYPE_CHECKING:
    from bot.content.glossary import Term


@dataclass(frozen=True)
class Source:
    """A public reference, cited only for what `covers` says it covers."""

    id: str
    title: str
    publisher: str
    covers: str
    year: int | None = None
    url: str | None = None

    @property
    def short(self) -> str:
        """How the source is named under a passage: publisher and year."""
        publisher = self.publisher.split(" (")[0].split(",")[0]
        return f"{publisher} ({self.year})" if self.year else publisher


@dataclass(frozen=True)
class Review:
    """Whether a qualified reviewer has signed an entry off, who and when. Every entry carries
    its own, so a translation is approved apart from its original: approving the English says
    nothing about how well the Spanish renders it."""

    status: str = "draft"
    by: str | None = None  # a name or a role; only when approved
    on: dt.date | None = None  # the day of the sign-off; only when approved

    @property
    def approved(self) -> bool:
        return self.status == "approved"


DRAFT = Review()

HASH_CHARS = 12


def content_hash(*parts: str) -> str:
    """A short hash of what a reader reads (title and text, whitespace-insensitive): a
    translation records its English original's, so an English edit shows which translations
    are now older than their original."""
    normalised = "\n".join(" ".join(part.split()) for part in parts)
    return hashlib.sha256(normalised.encode()).hexdigest()[:HASH_CHARS]


@dataclass(frozen=True)
class Passage:
    """One idea from a guide, short enough for a phone."""

    id: str
    title: str
    collection: str
    section: str
    language: str
    audiences: tuple[str, ...]
    topics: tuple[str, ...]
    text: str
    sources: tuple[Source, ...]
    review: Review
    citation: str
    file: str
    line: int
    translation_of: str | None = None
    original_hash: str | None = None  # a translation: the content hash of the English it renders
    # A passage quoted word for word from an organisation's own guidelines (bot/content/quoting.py):
    # the numbers of the paragraphs it quotes and the document's address.
    verbatim: bool = False
    paragraphs: tuple[str, ...] = ()
    url: str | None = None

    @property
    def kind(self) -> str:
        return "passage"

    @property
    def content_hash(self) -> str:
        return content_hash(self.title, self.text)

    @property
    def search_text(self) -> str:
        return self.text

    @property
    def base_id(self) -> str:
        """The English passage this one is (or is a translation of)."""
        return self.translation_of or self.id


@dataclass(frozen=True)
class Checklist:
    """Ordered steps for one stage of a relocation."""

    id: str
    title: str
    stage: str
    language: str
    audiences: tuple[str, ...]
    items: tuple[str, ...]
    sources: tuple[Source, ...]
    review: Review
    citation: str
    file: str
    line: int
    translation_of: str | None = None
    keywords: tuple[str, ...] = ()  # the optional `topics:` field: words people search with
    original_hash: str | None = None  # a translation: the content hash of the English it renders

    @property
    def content_hash(self) -> str:
        return content_hash(self.title, *self.items)

    @property
    def kind(self) -> str:
        return "checklist"

    @property
    def topics(self) -> tuple[str, ...]:
        return ("checklist", self.stage.replace("_", " "), *self.keywords)

    @property
    def search_text(self) -> str:
        return "\n".join(self.items)

    @property
    def base_id(self) -> str:
        return self.translation_of or self.id


Entry = Passage | Checklist


@dataclass(frozen=True)
class Resource:
    """A helpline, protection line, fund or respite programme, with where its details come from."""

    id: str
    name: str
    offers: str
    languages: tuple[str, ...]
    hours: str | None
    categories: tuple[str, ...]
    countries: tuple[str, ...]
    source_url: str
    checked: dt.date
    certainty: str
    # The brief's ⚠: a line run by, or handing calls to, the police or state security. It may be
    # unsafe for a defender even when its number is confirmed: never offered first, always with
    # "if it is safe to call" (bot/core/routing.py).
    caution: bool = False
    phone: str | None = None
    email: str | None = None
    url: str | None = None

    @property
    def showable(self) -> bool:
        """Only details a public source confirms may reach users."""
        return self.certainty == "confirmed"


@dataclass(frozen=True)
class Country:
    """What crisis routing must know about a country before it suggests a number there.

    Where the police may be the threat or attempting suicide is a crime, telling someone to call
    emergency services can put them at risk (contacts-by-country.md), so routing reads these facts
    rather than assuming a national emergency number is always the safe first call.
    """

    iso: str
    name: str
    # True where the brief names the police or state as a threat; False is not a safety claim.
    police_threat: bool
    suicide_criminalised: bool | None  # None: the sources read do not say
    emergency: str | None  # a confirmed ambulance or general number, never a police-only one
    source: str
    note: str | None = None


@dataclass(frozen=True)
class Corpus:
    """Everything loaded and validated from a corpus folder."""

    passages: tuple[Passage, ...]
    checklists: tuple[Checklist, ...]
    resources: tuple[Resource, ...]
    countries: tuple[Country, ...]
    sources: Mapping[str, Source]
    # language -> groups; in each group the first phrase is the corpus's word.
    synonyms: Mapping[str, tuple[tuple[str, ...], ...]]
    # language -> key -> text
    texts: Mapping[str, Mapping[str, str]]
    stopwords: Mapping[str, frozenset[str]]
    root: str = ""
    # language -> the field's terms (corpus/glossary/<lang>.yaml)
    glossaries: Mapping[str, tuple[Term, ...]] = field(default_factory=dict)
    # language -> English entry id -> how people ask for it (corpus/asked/<lang>.yaml). Read once
    # to build the index; the running bot's `Library` keeps only `asked_counts`.
    asked: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)
    # language -> (entries asked for, messages), for `corpus check`
    asked_counts: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    _by_id: dict[str, Entry] = field(default_factory=dict, compare=False, repr=False)
    _by_iso: dict[str, Country] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for entry in self.entries:
            self._by_id[entry.id] = entry
        for country in self.countries:
            self._by_iso[country.iso] = country

    def country(self, iso: str) -> Country | None:
        """A country's facts by its two-letter code (any case, as users' stored choices may be)."""
        return self._by_iso.get(iso.upper())

    def entry(self, entry_id: str) -> Entry | None:
        """A passage or checklist by id, or None."""
        return self._by_id.get(entry_id)

    def localized(self, entry_id: str, lang: str) -> Entry | None:
        """The entry in `lang` when a translation exists, else the entry itself."""
        base = self._by_id.get(entry_id)
        if base is None:
            return None
        return self._by_id.get(f"{base.base_id}.{lang}") or self._by_id.get(base.base_id) or base

    @property
    def entries(self) -> tuple[Entry, ...]:
        entries: tuple[Entry, ...] = (*self.passages, *self.checklists)
        return entries
