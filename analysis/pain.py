"""The pain diary: how much it hurts (0-10) and where, before and after a walk or on any day (issue 15).

A person with knee, hip or back pain wants to know whether walking better makes the pain better. Each note is
one site's score on the 0-10 numeric rating scale (0 = no pain, 10 = worst imaginable; Hawker GA et al. (2011)
Measures of adult pain. Arthritis Care Res 63(S11):S240-S252), with a short note, noted before a session, after
it, or on a day without one. Notes are never required: the diary asks, one key skips it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

from analysis.columns import PAIN_COLUMNS

BEFORE, AFTER, DAY = "before", "after", "day"  # when a note was taken
WHENS: tuple[str, ...] = (BEFORE, AFTER, DAY)
SITES: dict[str, str] = {  # site -> what people read
    "knee_left": "Left knee", "knee_right": "Right knee", "hip": "Hip", "back": "Back", "foot": "Foot",
}
PAIN_MIN, PAIN_MAX = 0, 10
NOTE_MAX_CHARS = 200


@dataclass(frozen=True)
class PainNote:
    """One site's pain score (a row of ``pain.csv``): ``date`` (ISO 8601 day), ``when`` (before/after a session,
    or a day without one), ``site`` (a ``SITES`` key), ``score`` 0-10, ``note`` (may be empty)."""

    date: str
    when: str
    site: str
    score: int
    note: str = ""

    def __post_init__(self) -> None:
        dt.date.fromisoformat(self.date)  # ValueError if it is no date
        if self.when not in WHENS:
            raise ValueError(f"when must be one of {', '.join(WHENS)}, got {self.when!r}")
        if self.site not in SITES:
            raise ValueError(f"site must be one of {', '.join(SITES)}, got {self.site!r}")
        if not (isinstance(self.score, int) and PAIN_MIN <= self.score <= PAIN_MAX):
            raise ValueError(f"score must be a whole number from {PAIN_MIN} to {PAIN_MAX}, got {self.score!r}")
        if len(self.note) > NOTE_MAX_CHARS:
            raise ValueError(f"a note is at most {NOTE_MAX_CHARS} characters")

    def text(self) -> str:
        """``"Right knee 4/10 before"`` (and the note)."""
        when = {BEFORE: "before walking", AFTER: "after walking", DAY: "that day"}[self.when]
        return f"{SITES[self.site]} {self.score}/10 {when}" + (f": {self.note}" if self.note else "")


assert tuple(f.name for f in fields(PainNote)) == PAIN_COLUMNS


def highest_pain_by_day(notes) -> dict[str, int]:
    """The highest score noted each day (any place, before or after walking), by day in date order."""
    highest: dict[str, int] = {}
    for note in notes:
        highest[note.date] = max(highest.get(note.date, 0), note.score)
    return dict(sorted(highest.items()))
