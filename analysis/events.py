"""Gait events (initial contact, toe off) from heel and toe positions relative to the pelvis, and their scoring.

Method (Zeni et al. 2008, "coordinate-based"): along the walking direction, initial contact (IC) is the instant
the heel is furthest *ahead* of the pelvis, toe off (TO) the instant the toe is furthest *behind* it. Positions
are relative to the pelvis, so the same rule works overground and on a treadmill.

* Side view: image x of heel / toe minus the image hip centre, signed by the walking direction and divided by
  the leg length in pixels (thigh + shank), so the signals are in leg lengths.
* Frontal view (facing or back to the camera): the same rule on the *world* landmarks' depth axis z (metres,
  hip-centred), signed toward the walking direction and divided by the world leg length. Monocular depth is
  noisier than image x, but it is the only frontal coordinate that measures fore-aft foot position directly:
  the alternatives (ankle height in the image, apparent foot size) mix foot lift, perspective and camera height
  and are not zero at heel strike. The rule is the same as in side view, so thresholds and validation are shared.

Each candidate extremum must show a real excursion (``MIN_FOOT_EXCURSION_LEG``) and sit ahead of / behind the
pelvis, which rejects standing, swaying and stepping on the spot. ``GaitSequence`` then enforces the order of
walking (IC L, TO R, IC R, TO L, ...) with plausible timing, and rejects the rest. Sub-frame timing: the vertex
of the parabola through the extremum and its two neighbours.
"""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np

from analysis.thresholds import (
    MAX_STANCE_TIME_S,
    MAX_STEP_TIME_S,
    MIN_FOOT_EXCURSION_LEG,
    MIN_HEEL_AHEAD_AT_IC_LEG,
    MIN_STANCE_TIME_S,
    MIN_STEP_TIME_S,
    MIN_TOE_BEHIND_AT_TO_LEG,
)
from analysis.types import INITIAL_CONTACT, LEFT, RIGHT, TOE_OFF, GaitEvent

FEET = (LEFT, RIGHT)


def other_foot(foot: str) -> str:
    """The contralateral foot."""
    if foot not in FEET:
        raise ValueError(f"foot must be {LEFT!r} or {RIGHT!r}, got {foot!r}")
    return RIGHT if foot == LEFT else LEFT


def parabola_vertex(t: tuple[float, float, float], y: tuple[float, float, float]) -> float:
    """Time of the vertex of the parabola through three points (uneven spacing allowed), kept within them.

    Falls back to the middle time when the points are collinear.
    """
    (t0, t1, t2), (y0, y1, y2) = t, y
    d1 = (y1 - y0) / (t1 - t0)
    d2 = (y2 - y1) / (t2 - t1)
    a = (d2 - d1) / (t2 - t0)
    if a == 0.0 or not math.isfinite(a):
        return t1
    b = d1 - a * (t0 + t1)
    tv = -b / (2.0 * a)
    return min(max(tv, 0.5 * (t0 + t1)), 0.5 * (t1 + t2))


class PeakFinder:
    """Streaming detector of prominent local maxima of one signal, one sample at a time.

    Parameters
    ----------
    min_prominence
        The maximum must rise at least this much above the lowest value since the previous accepted maximum.
    min_level
        The maximum itself must be at least this high.

    Notes
    -----
    A maximum at sample ``i`` is reported when sample ``i + 1`` arrives (one sample of delay). NaN samples reset
    the finder (a gap: nothing is reported across it).
    """

    def __init__(self, min_prominence: float, min_level: float = -math.inf) -> None:
        self.min_prominence = min_prominence
        self.min_level = min_level
        self.reset()

    def reset(self) -> None:
        self._t: list[float] = []
        self._y: list[float] = []
        self._low = math.inf

    def push(self, t_s: float, y: float) -> float | None:
        """Add a sample; return the (sub-sample) time of a newly confirmed maximum, else None."""
        if not math.isfinite(y):
            self.reset()
            return None
        self._t.append(t_s)
        self._y.append(y)
        if len(self._t) > 3:
            del self._t[0], self._y[0]
        if len(self._t) < 3:
            self._low = min(self._low, y)
            return None
        y0, y1, y2 = self._y
        found = None
        if y1 > y0 and y1 >= y2 and y1 >= self.min_level and y1 - self._low >= self.min_prominence:
            found = parabola_vertex(tuple(self._t), (y0, y1, y2))
            self._low = y2
        else:
            self._low = min(self._low, y2)
        return found


class GaitSequence:
    """Accepts candidate events only in an order and timing that walking allows.

    Rules: initial contacts alternate left/right, ``MIN_STEP_TIME_S`` to ``MAX_STEP_TIME_S`` apart (a longer
    pause starts a new bout); a foot's toe off follows its own initial contact by ``MIN_STANCE_TIME_S`` to
    ``MAX_STANCE_TIME_S`` and comes after the other foot has landed (walking has no flight phase). Two initial
    contacts of one foot in a row are accepted only a plausible stride apart (the other foot's contact was
    missed), i.e. at least 1.5 recent step times apart; closer ones are rejected as impossible (e.g. a
    left/right label swap).

    Attributes
    ----------
    rejected_
        Number of candidates rejected so far.
    """

    def __init__(self) -> None:
        self.rejected_ = 0
        self.reset()

    def reset(self) -> None:
        """Forget the sequence (start of a new bout: after a gap or a change of view)."""
        self._last_ic: GaitEvent | None = None
        self._step_time_s = math.nan
        self._last: dict[str, GaitEvent | None] = {LEFT: None, RIGHT: None}

    def offer(self, event: GaitEvent) -> bool:
        """Accept or reject one candidate (candidates must be offered in time order)."""
        ok = self._acceptable(event)
        if ok:
            if event.kind == INITIAL_CONTACT:
                last = self._last_ic
                if last is not None and last.foot != event.foot and event.t_s - last.t_s <= MAX_STEP_TIME_S:
                    self._step_time_s = event.t_s - last.t_s
                self._last_ic = event
            self._last[event.foot] = event
        else:
            self.rejected_ += 1
        return ok

    def _acceptable(self, e: GaitEvent) -> bool:
        last_ic, own = self._last_ic, self._last[e.foot]
        if e.kind == INITIAL_CONTACT:
            if last_ic is None:
                return True
            dt = e.t_s - last_ic.t_s
            if last_ic.foot != e.foot:
                return dt >= MIN_STEP_TIME_S  # (dt > MAX_STEP_TIME_S: a new bout, also fine)
            # Same foot twice: only plausible if the other foot's contact was missed, i.e. about a stride later.
            typical = self._step_time_s if math.isfinite(self._step_time_s) else MIN_STEP_TIME_S
            return dt >= max(2 * MIN_STEP_TIME_S, 1.5 * typical)
        # Toe off.
        if own is None or own.kind != INITIAL_CONTACT:
            # Start of a bout: the foot's contact was not seen; accept only if the other foot has landed.
            return own is None and last_ic is not None and last_ic.foot != e.foot
        stance = e.t_s - own.t_s
        if not MIN_STANCE_TIME_S <= stance <= MAX_STANCE_TIME_S:
            return False
        return last_ic is not None and last_ic.foot != e.foot and last_ic.t_s > own.t_s


class EventDetector:
    """Streaming IC/TO detection for both feet from pelvis-relative heel and toe signals (in leg lengths).

    Parameters
    ----------
    min_excursion_leg
        Minimum travel of the heel (toe) relative to the pelvis between extremes, in leg lengths.
    min_heel_ahead_leg, min_toe_behind_leg
        At IC the heel must be this far ahead of the pelvis; at TO the toe this far behind.

    Attributes
    ----------
    sequence_
        The ``GaitSequence`` that validates candidates (its ``rejected_`` counts rejections).

    Notes
    -----
    ``push`` takes smoothed samples; an event at sample ``i`` is confirmed when sample ``i + 1`` arrives.
    ``reset`` at a gap or a change of view. Zeni et al. 2008.
    """

    def __init__(
        self,
        min_excursion_leg: float = MIN_FOOT_EXCURSION_LEG,
        min_heel_ahead_leg: float = MIN_HEEL_AHEAD_AT_IC_LEG,
        min_toe_behind_leg: float = MIN_TOE_BEHIND_AT_TO_LEG,
    ) -> None:
        for name, value in (("min_excursion_leg", min_excursion_leg), ("min_heel_ahead_leg", min_heel_ahead_leg),
                            ("min_toe_behind_leg", min_toe_behind_leg)):
            if not (math.isfinite(value) and value >= 0):
                raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
        self.min_excursion_leg = min_excursion_leg
        self.min_heel_ahead_leg = min_heel_ahead_leg
        self.min_toe_behind_leg = min_toe_behind_leg
        self._ic = {f: PeakFinder(min_excursion_leg, min_heel_ahead_leg) for f in FEET}
        self._to = {f: PeakFinder(min_excursion_leg, min_toe_behind_leg) for f in FEET}
        self.sequence_ = GaitSequence()

    def reset(self) -> None:
        for finder in (*self._ic.values(), *self._to.values()):
            finder.reset()
        self.sequence_.reset()

    def push(self, t_s: float, heel_left: float, heel_right: float, toe_left: float, toe_right: float
             ) -> list[GaitEvent]:
        """Add one sample of the four signals; return the events accepted because of it (time order)."""
        candidates = []
        for foot, heel, toe in ((LEFT, heel_left, toe_left), (RIGHT, heel_right, toe_right)):
            t_ic = self._ic[foot].push(t_s, heel)
            if t_ic is not None:
                candidates.append(GaitEvent(t_ic, foot, INITIAL_CONTACT))
            t_to = self._to[foot].push(t_s, -toe)
            if t_to is not None:
                candidates.append(GaitEvent(t_to, foot, TOE_OFF))
        candidates.sort()
        return [e for e in candidates if self.sequence_.offer(e)]


# --- Scoring against ground truth ---------------------------------------------------------------------------

@dataclass(frozen=True)
class EventScore:
    """Detected events matched one-to-one to true events of the same foot and kind within a tolerance.

    Attributes
    ----------
    hits, misses, false_events
        Matched true events, unmatched true events, unmatched detected events.
    mean_abs_error_s
        Mean absolute time error of the hits (NaN without hits).
    errors_s
        Signed errors (detected - true) of the hits, in true-event order.
    """

    hits: int
    misses: int
    false_events: int
    mean_abs_error_s: float
    errors_s: tuple[float, ...]

    def mean_abs_error_frames(self, fps: float) -> float:
        return self.mean_abs_error_s * fps


def score_events(detected, truth, tolerance_s: float = 0.15, kinds=(INITIAL_CONTACT, TOE_OFF),
                 t_min_s: float = -math.inf, t_max_s: float = math.inf) -> EventScore:
    """Match ``detected`` to ``truth`` (iterables of ``GaitEvent``) for the given kinds.

    Parameters
    ----------
    tolerance_s
        Largest |detected - true| that still counts as a hit.
    kinds
        Event kinds to score (e.g. only ``(INITIAL_CONTACT,)``).
    t_min_s, t_max_s
        Only true and detected events in this time range are scored (skip start-up and the last events).

    Notes
    -----
    Greedy matching by closeness per (foot, kind): events of one kind are a stride apart, far more than the
    tolerance, so greedy equals optimal matching here.
    """
    if not tolerance_s > 0:
        raise ValueError(f"tolerance_s must be > 0, got {tolerance_s!r}")
    errors: list[tuple[float, float]] = []
    misses = false_events = 0
    for foot in FEET:
        for kind in kinds:
            det = sorted(e.t_s for e in detected if e.foot == foot and e.kind == kind and t_min_s <= e.t_s <= t_max_s)
            tru = sorted(e.t_s for e in truth if e.foot == foot and e.kind == kind and t_min_s <= e.t_s <= t_max_s)
            pairs = sorted((abs(d - t), i, j) for i, t in enumerate(tru) for j, d in enumerate(det)
                           if abs(d - t) <= tolerance_s)
            used_t: set[int] = set()
            used_d: set[int] = set()
            for _, i, j in pairs:
                if i not in used_t and j not in used_d:
                    used_t.add(i)
                    used_d.add(j)
                    errors.append((tru[i], det[j] - tru[i]))
            misses += len(tru) - len(used_t)
            false_events += len(det) - len(used_d)
    errors.sort()
    errs = tuple(e for _, e in errors)
    mae = float(np.mean(np.abs(errs))) if errs else math.nan
    if not errs and (misses or false_events):
        warnings.warn("score_events: no detected event matched a true event", stacklevel=2)
    return EventScore(len(errs), misses, false_events, mae, errs)
