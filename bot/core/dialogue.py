"""The assistant: one incoming text plus the user's preferences in, one `Reply` out.

Channel-neutral: the Telegram and terminal adapters both call this. Order matters and is the
point of the module: crisis detection runs first and its reply never depends on search, the
store or anything else that can fail.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace

from bot.content import STAGES, Checklist, Corpus, Entry, Passage
from bot.content.texts import Texts
from bot.core.escalation import Escalation
from bot.core.reply import Attachment, Block, Button, Reply, Style
from bot.detect.crisis import NONE, Assessment, CrisisDetector
from bot.detect.intents import IntentRecognizer
from bot.search.index import Hit, SearchIndex
from bot.search.langid import detect

logger = logging.getLogger(__name__)

ROLES = ("practitioner", "coordinator", "defender")
PREVIEW_CHARS = 520
CRISIS_FOOTER_TURNS = 3
RESULTS_KEPT = 8
SELFCARE_TOPICS = ("sleep", "breathing", "grounding", "burnout", "guilt", "numb", "hacked", "alone")
START_PAYLOADS = ("checklists", "selfcare", "sos", "help", "about", "privacy")


@dataclass(frozen=True)
class Prefs:
    """What the user chose; nothing else about them is known."""

    lang: str = "en"
    role: str | None = None
    country: str | None = None
    discreet: bool = False


@dataclass
class Session:
    """Short-lived, in-memory conversation state. Holds ids and counters, never text."""

    crisis_turns: int = 0
    crisis_category: str | None = None
    results: tuple[str, ...] = ()
    extras: dict[str, str] = field(default_factory=dict)


class Assistant:
    """Answers messages from the corpus, crisis first."""

    def __init__(
        self,
        corpus: Corpus,
        index: SearchIndex,
        detector: CrisisDetector,
        intents: IntentRecognizer,
    ) -> None:
        self.corpus = corpus
        self.index = index
        self.detector = detector
        self.intents = intents
        self.texts = Texts(corpus.texts)
        self.escalation = Escalation(corpus.resources, self.texts)
        self._stopwords = {lang: a.stopwords for lang, a in index.analyzers.items()}

    # -- free text -----------------------------------------------------------------------------

    def respond(
        self,
        text: str,
        prefs: Prefs,
        session: Session | None = None,
        assessment: Assessment | None = None,
    ) -> Reply:
        """Answer one message. Crisis handling comes first and needs nothing that can fail.
        A caller that has already assessed the message passes the `assessment` along."""
        session = session if session is not None else Session()
        assessment = assessment if assessment is not None else self.assess(text)
        if assessment.crisis:
            # The lexicon that matched knows the language; a message only the model caught is
            # read for its stopwords, and the interface language decides when that is unsure.
            lang = (
                assessment.lang
                if assessment.lang in self.texts.languages
                else self._language(text, prefs)
            )
            session.crisis_turns = CRISIS_FOOTER_TURNS
            session.crisis_category = assessment.category
            return self.escalation.crisis_reply(
                assessment.category or "danger", lang, prefs.country, assessment.lanes[1:]
            )
        lang = self._language(text, prefs)
        try:
            reply = self._answer(text, prefs, session, lang, assessment)
        except Exception:  # a broken search must never cost the user an answer
            logger.exception("answer_failed")
            reply = self._no_answer(lang, kind="error")
        return self._with_footer(reply, session, assessment, lang, prefs.country)

    def assess(self, text: str) -> Assessment:
        """Crisis assessment that cannot raise: on an internal error, assume sensitive."""
        try:
            return self.detector.assess(text)
        except Exception:
            logger.exception("crisis_detection_failed")
            return Assessment("sensitive", "suicide", None)

    def _language(self, text: str, prefs: Prefs) -> str:
        detected = detect(text, self._stopwords)
        return detected if detected in self.texts.languages else prefs.lang

    def _answer(
        self, text: str, prefs: Prefs, session: Session, lang: str, assessment: Assessment
    ) -> Reply:
        if not text.strip():
            return self._info(lang, "empty")
        if assessment is NONE:
            intent = self.intents.recognize(text)
            if intent:
                name, said_in = intent  # answer "hola" in Spanish even if the interface is not
                if said_in in self.texts.languages:
                    prefs = replace(prefs, lang=said_in)
                return self.intent(name, prefs)
        hits, note = self._search(text, lang, prefs.role)
        if not hits:
            return self._no_answer(lang)
        session.results = tuple(hit.entry.id for hit in hits)
        return self.render(hits[0].entry, lang, note=note)

    def _search(self, text: str, lang: str, role: str | None) -> tuple[list[Hit], str | None]:
        hits = self.index.search(text, lang=lang, audience=role, k=RESULTS_KEPT)
        if hits or lang == "en":
            return hits, None
        hits = self.index.search(text, lang="en", audience=role, k=RESULTS_KEPT)
        return hits, self.texts.get(lang, "fallback_note") if hits else None

    def _with_footer(
        self, reply: Reply, session: Session, assessment: Assessment, lang: str, country: str | None
    ) -> Reply:
        """After a crisis, a reminder line under the next answers; on a sensitive message, the
        lines themselves at the top, before the answer (crisis.md §5: never bury resources)."""
        blocks = reply.blocks
        if assessment.tier == "sensitive" and assessment.category:
            category = assessment.category
            found = self.escalation.resources_for(category, country, lang)[:2]
            top = (self.escalation.footer("sensitive", category, lang),)
            blocks = (*top, *self.escalation.lines(found, lang), *blocks)
        elif session.crisis_turns > 0:
            session.crisis_turns -= 1
            blocks = (*blocks, self.escalation.footer("crisis", session.crisis_category, lang))
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

    # -- rendering entries -------------------------------------------------------------------

    def render(
        self, entry: Entry, lang: str, *, full: bool = False, note: str | None = None
    ) -> Reply:
        """A passage (trimmed for a phone unless `full`) or a checklist, with its citation."""
        t = self.texts
        blocks: list[Block] = [Block(note, Style.NOTE)] if note else []
        blocks.append(Block(entry.title, Style.TITLE))
        trimmed = False
        if isinstance(entry, Passage):
            body, trimmed = (entry.text, False) if full else _preview(entry.text)
            blocks.append(Block(body))
        else:
            blocks += [Block(item, Style.ITEM) for item in entry.items]
        blocks.append(Block(entry.citation, Style.CITATION))
        sources = ", ".join(s.short for s in entry.sources)
        blocks.append(
            Block(
                t.get(lang, "sources", sources=sources) if sources else t.get(lang, "no_sources"),
                Style.NOTE,
            )
        )
        first_row = [Button(t.get(lang, "button_more"), "more", entry.id)]
        if trimmed:
            first_row.append(Button(t.get(lang, "button_full"), "full", entry.id))
        if isinstance(entry, Checklist):
            first_row.append(Button(t.get(lang, "checklist_file"), "file", entry.id))
        buttons = (
            tuple(first_row),
            (
                Button(t.get(lang, "button_vote_up"), "vote", f"{entry.id}:up"),
                Button(t.get(lang, "button_vote_down"), "vote", f"{entry.id}:down"),
            ),
        )
        kind = "checklist" if isinstance(entry, Checklist) else "answer"
        return Reply(tuple(blocks), kind, lang, buttons, entry_ids=(entry.id,))

    def checklist_file(self, entry_id: str, prefs: Prefs) -> Reply:
        """A checklist as a plain-text file to print, with a one-line caption."""
        entry = self.corpus.localized(entry_id, prefs.lang)
        if not isinstance(entry, Checklist):
            return self._info(prefs.lang, "unknown_entry")
        return Reply(
            (Block(entry.title, Style.TITLE),),
            "checklist",
            prefs.lang,
            entry_ids=(entry.id,),
            attachment=Attachment(f"{entry.base_id}.{entry.language}.txt", _checklist_file(entry)),
        )

    def _no_answer(self, lang: str, kind: str = "no_answer") -> Reply:
        t = self.texts
        buttons = (
            (
                Button(t.get(lang, "button_selfcare"), "menu", "selfcare"),
                Button(t.get(lang, "button_checklists"), "menu", "checklists"),
            ),
        )
        return Reply((Block(t.get(lang, "no_answer")),), kind, lang, buttons)

    def _info(self, lang: str, key: str, **values: object) -> Reply:
        return Reply((Block(self.texts.get(lang, key, **values)),), "info", lang)

    # -- commands and buttons -----------------------------------------------------------------

    def intent(self, name: str, prefs: Prefs) -> Reply:
        """The reply to a recognised short message (greeting, thanks, help, ...)."""
        lang = prefs.lang
        if name == "checklists":
            return self.checklists_menu(prefs)
        if name == "selfcare":
            return self.selfcare_menu(prefs)
        if name == "help":
            return self.help(prefs)
        if name == "who_are_you":
            return self.about(prefs)
        key = {"greeting": "greeting", "thanks": "thanks", "feedback": "feedback_prompt"}[name]
        return Reply((Block(self.texts.get(lang, key)),), "intent", lang)

    def start(self, prefs: Prefs, payload: str = "") -> Reply:
        """/start, with an optional deep-link payload such as `checklists`."""
        if payload == "checklists":
            return self.checklists_menu(prefs)
        if payload == "selfcare":
            return self.selfcare_menu(prefs)
        if payload == "sos":
            return self.sos(prefs)
        if payload == "about":
            return self.about(prefs)
        if payload == "help":
            return self.help(prefs)
        return Reply(
            (Block(self.texts.get(prefs.lang, "welcome")),),
            "menu",
            prefs.lang,
            self.role_buttons(prefs.lang),
        )

    def role_buttons(self, lang: str) -> tuple[tuple[Button, ...], ...]:
        return tuple(
            (Button(self.texts.get(lang, f"role_{role}"), "role", role),) for role in ROLES
        )

    def role_set(self, role: str, prefs: Prefs) -> Reply:
        return self._info(prefs.lang, f"role_set_{role}")

    def vote_thanks(self, prefs: Prefs) -> Reply:
        return self._info(prefs.lang, "vote_thanks")

    def help(self, prefs: Prefs) -> Reply:
        return Reply((Block(self.texts.get(prefs.lang, "help")),), "info", prefs.lang)

    def about(self, prefs: Prefs) -> Reply:
        return self._info(
            prefs.lang,
            "about",
            passages=sum(p.translation_of is None for p in self.corpus.passages),
            checklists=sum(c.translation_of is None for c in self.corpus.checklists),
        )

    def sos(self, prefs: Prefs) -> Reply:
        return self.escalation.sos(prefs.lang, prefs.country)

    def checklists_menu(self, prefs: Prefs) -> Reply:
        lang = prefs.lang
        stages = [s for s in STAGES if any(c.stage == s for c in self.corpus.checklists)]
        buttons = tuple((Button(self.texts.get(lang, f"stage_{s}"), "stage", s),) for s in stages)
        return Reply((Block(self.texts.get(lang, "checklists_menu")),), "menu", lang, buttons)

    def checklists_for_stage(self, stage: str, prefs: Prefs) -> Reply:
        lang = prefs.lang
        found = [c for c in self.corpus.checklists if c.stage == stage and c.language == "en"]
        if not found:
            return self._info(lang, "checklist_none")
        if len(found) == 1:
            return self.entry(found[0].id, prefs)
        buttons = tuple(
            (Button((self.corpus.localized(c.id, lang) or c).title, "checklist", c.id),)
            for c in found
        )
        return Reply((Block(self.texts.get(lang, "checklist_pick")),), "menu", lang, buttons)

    def selfcare_menu(self, prefs: Prefs) -> Reply:
        lang = prefs.lang
        labels = [Button(self.texts.get(lang, f"topic_{t}"), "topic", t) for t in SELFCARE_TOPICS]
        rows = tuple(tuple(labels[i : i + 2]) for i in range(0, len(labels), 2))
        return Reply((Block(self.texts.get(lang, "selfcare_menu")),), "menu", lang, rows)

    def topic(self, name: str, prefs: Prefs, session: Session | None = None) -> Reply:
        """A self-care topic button: the same as asking its query in words."""
        if name not in SELFCARE_TOPICS:
            return self._info(prefs.lang, "unknown_entry")
        query = self.texts.get("en", f"topic_{name}_query")
        hits = self.index.search(query, lang="en", audience="defender", k=RESULTS_KEPT)
        if not hits:
            return self._no_answer(prefs.lang)
        if session is not None:
            session.results = tuple(h.entry.id for h in hits)
        return self.entry(hits[0].entry.id, prefs)

    def entry(self, entry_id: str, prefs: Prefs, *, full: bool = False) -> Reply:
        """Show one passage or checklist by id, in the user's language where translated."""
        entry = self.corpus.localized(entry_id, prefs.lang)
        if entry is None:
            return self._info(prefs.lang, "unknown_entry")
        note = None
        if entry.language != prefs.lang:
            note = self.texts.get(prefs.lang, "fallback_note")
        return self.render(entry, prefs.lang, full=full, note=note)

    def more(self, entry_id: str, prefs: Prefs, session: Session | None = None) -> Reply:
        """The next result after `entry_id` for the last question, or passages like it."""
        base = self.corpus.entry(entry_id)
        if base is None:
            return self._info(prefs.lang, "unknown_entry")
        results = session.results if session else ()
        if base.base_id in results or entry_id in results:
            position = results.index(entry_id if entry_id in results else base.base_id)
            if position + 1 < len(results):
                return self.entry(results[position + 1], prefs)
            return self._info(prefs.lang, "no_more")
        similar = self.index.similar(base, k=1)
        if not similar:
            return self._info(prefs.lang, "no_more")
        return self.entry(similar[0].entry.id, prefs)


def _preview(text: str) -> tuple[str, bool]:
    """The start of `text`, cut at a sentence end near `PREVIEW_CHARS`, and whether it was cut."""
    text = text.strip()
    if len(text) <= PREVIEW_CHARS * 1.25:
        return text, False
    cut = -1
    for end in (". ", "? ", "! ", "\n"):
        position = text.rfind(end, 0, PREVIEW_CHARS)
        cut = max(cut, position)
    if cut < PREVIEW_CHARS // 3:
        cut = text.rfind(" ", 0, PREVIEW_CHARS)
    return text[: cut + 1].rstrip() + " …", True


def _checklist_file(checklist: Checklist) -> str:
    lines = [
        checklist.title,
        "",
        *[f"[ ] {item}" for item in checklist.items],
        "",
        checklist.citation,
    ]
    lines += [
        f"- {s.title} ({s.publisher}{', ' + str(s.year) if s.year else ''})"
        + (f" {s.url}" if s.url else "")
        for s in checklist.sources
    ]
    return "\n".join(lines) + "\n"
