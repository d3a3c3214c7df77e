"""The real-video truth set (``tests/data/real_video_events/``): gait events annotated by eye, and the scoring of
the app's events against them, shared by ``tests/test_real_video_events.py`` and
``benchmarks/real_video_events.py``.

Each clip has ``<clip stem>.csv`` (``frame,foot,event,note``; ``#`` lines are comments) and ``<clip stem>.md``
(how it was annotated). ``note`` is empty for an event every method must find; otherwise it names why it is
excused (out of view, at the image edge, before the pose pipeline finds the walker, ...): it may be found or not.
"""
from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

from analysis.types import INITIAL_CONTACT, LEFT, RIGHT, TOE_OFF, GaitEvent

TRUTH_DIR = Path(__file__).parent / "data" / "real_video_events"
KINDS = {"initial_contact": INITIAL_CONTACT, "toe_off": TOE_OFF}


@dataclass(frozen=True)
class TrueEvent:
    frame: int
    foot: str
    kind: str  # analysis.types.INITIAL_CONTACT or TOE_OFF
    note: str

    @property
    def required(self) -> bool:
        return not self.note


def annotated_clips() -> list[str]:
    """The clips with an annotation, as video file names."""
    return sorted(path.stem + ".mp4" for path in TRUTH_DIR.glob("*.csv"))


def true_events(clip: str) -> list[TrueEvent]:
    path = TRUTH_DIR / (Path(clip).stem + ".csv")
    with open(path, encoding="utf-8") as handle:
        rows = list(csv.DictReader(line for line in handle if not line.startswith("#")))
    events = [TrueEvent(int(r["frame"]), r["foot"], KINDS[r["event"]], (r["note"] or "").strip()) for r in rows]
    for e in events:
        if e.foot not in (LEFT, RIGHT):
            raise ValueError(f"{path}: foot must be left or right, got {e.foot!r}")
    return sorted(events, key=lambda e: e.frame)


@dataclass(frozen=True)
class KindScore:
    """Detected events of one kind matched one-to-one to the annotated ones (whatever the foot), closest first.

    ``required``: annotated events with no excuse; ``within_1`` / ``within_2``: of those, how many were found
    within 1 / 2 frames; ``feet_right``: of those found within 2 frames, how many with the right foot; ``false``:
    detected events in the annotated stretch (from half a second before its first event to half a second after
    its last) that match no annotated event, excused or not, within 2 frames.
    """

    required: int
    within_1: int
    within_2: int
    feet_right: int
    false: int
    errors_frames: tuple[float, ...]  # detected - annotated, of the required events found within 2 frames

    @property
    def missed(self) -> int:
        return self.required - self.within_2


def score_kind(detected: list[GaitEvent], truth: list[TrueEvent], kind: str, frame_of_t) -> KindScore:
    """``frame_of_t``: a detected event's time (s) as a (fractional) frame number of the clip."""
    det = [(frame_of_t(e.t_s), e.foot) for e in detected if e.kind == kind]
    tru = [e for e in truth if e.kind == kind]
    pairs = sorted((abs(d[0] - t.frame), i, j) for i, t in enumerate(tru) for j, d in enumerate(det)
                   if abs(d[0] - t.frame) <= 2.0 + 1e-6)
    used_t: dict[int, int] = {}
    used_d: set[int] = set()
    for _, i, j in pairs:
        if i not in used_t and j not in used_d:
            used_t[i] = j
            used_d.add(j)
    required = [i for i, t in enumerate(tru) if t.required]
    found = [i for i in required if i in used_t]
    errors = tuple(det[used_t[i]][0] - tru[i].frame for i in found)
    lo = min((t.frame for t in truth), default=0) - 0.5 * _fps_guess(frame_of_t)
    hi = max((t.frame for t in truth), default=0) + 0.5 * _fps_guess(frame_of_t)
    false = sum(1 for j, d in enumerate(det) if j not in used_d and lo <= d[0] <= hi)
    return KindScore(len(required), sum(abs(e) <= 1.0 + 1e-6 for e in errors), len(found),
                     sum(det[used_t[i]][1] == tru[i].foot for i in found), false, errors)


def _fps_guess(frame_of_t) -> float:
    return frame_of_t(1.0) - frame_of_t(0.0)


def true_cadence_steps_per_min(truth: list[TrueEvent], fps: float) -> float:
    """Steps per minute from the annotated initial contacts (each one a step), NaN with fewer than 2."""
    frames = [e.frame for e in truth if e.kind == INITIAL_CONTACT]
    if len(frames) < 2:
        return math.nan
    return 60.0 * (len(frames) - 1) * fps / (frames[-1] - frames[0])


def true_step_time_si_pct(truth: list[TrueEvent], fps: float) -> float:
    """Step-time symmetry index of the annotated contacts: each contact that follows one of the other foot gives a
    step time of its foot; ``100 * |L - R| / mean(L, R)`` of the two feet's mean step times (NaN without both)."""
    ics = [e for e in truth if e.kind == INITIAL_CONTACT]
    times: dict[str, list[float]] = {LEFT: [], RIGHT: []}
    for prev, cur in zip(ics, ics[1:]):
        if prev.foot != cur.foot:
            times[cur.foot].append((cur.frame - prev.frame) / fps)
    if not times[LEFT] or not times[RIGHT]:
        return math.nan
    left, right = (sum(v) / len(v) for v in (times[LEFT], times[RIGHT]))
    return 100.0 * abs(left - right) / (0.5 * (left + right))
