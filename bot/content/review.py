"""Reading an entry's `review`: `draft`, or `{status: approved, by: <name or role>, on: <date>}`.

The sign-off is what tells a reader that a qualified person has checked a passage against its
sources, so it must say who and when, and a date that does not exist or has not come yet must not
pass for one. Problems name the entry and the line of its `review`, like every loader problem.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re

from bot.content.fields import Fields
from bot.content.model import DRAFT, REVIEW_STATES, Review
from bot.content.yamlfile import Node

REVIEW_KEYS = ("status", "by", "on")
_ISO_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_FORM = "review: draft, or review: {status: approved, by: <name or role>, on: YYYY-MM-DD}"


def read_review(f: Fields) -> Review:
    """The entry's review, validated; a draft when it is missing or wrong (the problem is
    recorded), so that nothing counts as approved unless its sign-off is whole."""
    value = f.node.get("review")
    if value == "draft":
        return DRAFT
    if value is None:
        f.problem(f"missing required field 'review' (write {_FORM})")
        return DRAFT
    if not isinstance(value, Node):
        f.problem(f"'review' is {value!r}; expected {_FORM}")
        return DRAFT
    sign_off = Fields(value, f.file, f.problems, entry=f.entry)
    sign_off.only(REVIEW_KEYS)
    status = value.get("status")
    if status not in REVIEW_STATES:
        sign_off.problem(f"review 'status' is {status!r}; expected one of: draft, approved")
        return DRAFT
    if status == "draft":
        for key in ("by", "on"):
            if key in value:
                sign_off.problem(f"a draft has no sign-off: remove review {key!r}, or approve it")
        return DRAFT
    by = value.get("by")
    if not isinstance(by, str) or not by.strip():
        sign_off.problem("review needs 'by': who approved it (a name or a role)")
    on = _day(sign_off, value.get("on"), dt.date.today())
    if not isinstance(by, str) or not by.strip() or on is None:
        return DRAFT
    return Review("approved", " ".join(by.split()), on)


def _day(sign_off: Fields, value: object, today: dt.date) -> dt.date | None:
    """The day of an approval: a real date written YYYY-MM-DD, not after `today`. (YAML reads an
    unquoted 2026-12-01 as a date, and leaves 2026-02-30 as text: bot/content/yamlfile.py.)"""
    if value is None:
        sign_off.problem("review needs 'on': the day it was approved, written YYYY-MM-DD")
        return None
    if isinstance(value, str) and _ISO_DAY.match(value):
        with contextlib.suppress(ValueError):  # 2026-02-30, quoted: reported just below
            value = dt.date.fromisoformat(value)
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        sign_off.problem(f"review 'on' is {value!s}: not a real date written YYYY-MM-DD")
        return None
    if value > today:
        sign_off.problem(f"review 'on' is {value.isoformat()}, a day still to come")
        return None
    return value
