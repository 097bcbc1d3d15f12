"""How sure the search is that its first entry answers the question: one decision per question.

A logistic model over four figures of the first-ranked entry, fitted on the development question
sets (`python -m bench.calibrate_search`, deterministic; it prints the constants below). The
figures are scale-free, so the same line holds for a translated subset and for 10,000 passages:
- score: its BM25 score in units of the collection's largest IDF;
- about: the share of the query's known word groups (by IDF) its title and topics match;
- matched: how many word groups it matches (at most 3 count);
- concepts: how many word groups of the query the corpus knows (at most 4 count);
- unseen: how many it never uses (at most 3 count);
- scope: the scope model's log-odds that the message is about the guide's field at all
  (`bot.search.scope`, bounded to [-4, 4]; 4 without a model).
Words the corpus never uses take no share of any entry's match (the old floor counted them at
full weight against every entry); they enter once, as a bounded count whose weight the fit
decides: a cake recipe with one word the guide uses is not a question about that word.
"""

from __future__ import annotations

import math

# Fitted by bench/calibrate_search.py on tests/dev question sets (tuned, not blind), rounds 1
# and 2's blind questions among them since round 3. 0.5: more likely right than not; a higher line
# barely helps out-of-scope questions (near-misses match the guide's words) and loses answers.
INTERCEPT = -6.081
WEIGHTS = (0.635, 5.843, 1.595, -0.215, -0.569, 0.391)
# Answer above ANSWER_LINE; between NEAR_LINE and it, offer the closest topics instead.
ANSWER_LINE = 0.5
NEAR_LINE = 0.2
MAX_MATCHED = 3
MAX_CONCEPTS = 4
MAX_UNSEEN = 3


def features(
    *, score: float, about: float, matched: float, concepts: int, unseen: int, scope: float
) -> tuple[float, ...]:
    return (
        score,
        about,
        min(matched, MAX_MATCHED),
        min(concepts, MAX_CONCEPTS),
        min(unseen, MAX_UNSEEN),
        scope,
    )


def confidence(x: tuple[float, ...]) -> float:
    """The probability, as calibrated, that the first entry answers the question, from its
    `features`."""
    z = INTERCEPT + sum(w * v for w, v in zip(WEIGHTS, x, strict=True))
    return 1.0 / (1.0 + math.exp(-z))
