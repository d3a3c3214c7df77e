"""Steps: ``StepBuilder`` turns the accepted gait events, with the per-frame features around them, into
``StepMetrics`` (step and stance times, step length, knee FPPA and flexion, pelvic drop, foot progression)."""
from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

import numpy as np

from analysis.events import other_foot
from analysis.geometry import FEATURES, F, leg_length_m
from analysis.results import StepMetrics, nan_max, nan_median
from analysis.thresholds import (
    KNEE_NEAR_EXTENSION_DEG, MAX_STANCE_STEP_TIMES, MAX_STEP_TIME_S, MIDSTANCE_FRACTION, PEAK_SMOOTHING_S,
)
from analysis.types import INITIAL_CONTACT, LEFT, RIGHT, GaitEvent, View


def _moving_average(t: np.ndarray, a: np.ndarray, window_s: float) -> np.ndarray:
    """Centred moving average of the finite values of ``a`` over ``window_s`` (empty when there are none)."""
    ok = np.isfinite(a)
    t, a = t[ok], a[ok]
    csum = np.concatenate([[0.0], np.cumsum(a)])
    lo = np.searchsorted(t, t - 0.5 * window_s, side="left")
    hi = np.searchsorted(t, t + 0.5 * window_s, side="right")
    return (csum[hi] - csum[lo]) / (hi - lo)


def _smoothed_peak(t: np.ndarray, a: np.ndarray, window_s: float = PEAK_SMOOTHING_S) -> float:
    """Largest value of ``a`` after a centred moving average over ``window_s`` (NaN ignored): a peak that
    landmark jitter does not inflate (the maximum of raw noisy samples is biased upward)."""
    smooth = _moving_average(t, a, window_s)
    return float(smooth.max()) if smooth.size else math.nan


def _smoothed_signed_peak(t: np.ndarray, a: np.ndarray, window_s: float = PEAK_SMOOTHING_S) -> float:
    """The value of largest magnitude, with its sign, of ``a`` after the same centred moving average as
    ``_smoothed_peak`` (NaN ignored): a varus knee (negative FPPA) peaks negative."""
    smooth = _moving_average(t, a, window_s)
    return float(smooth[np.argmax(np.abs(smooth))]) if smooth.size else math.nan


@dataclass
class _Pending:
    """A foot's contact, waiting for its toe off to become a step."""

    ic: GaitEvent
    ic_frame: int
    ic_view: str
    step_time_s: float
    stride_time_s: float
    swing_time_s: float
    step_length_leg: float
    knee_flexion_ic_deg: float
    knee_flexion_swing_peak_deg: float
    double_support_time_s: float = math.nan


class StepBuilder:
    """Turns accepted events plus the per-sample features around them into ``StepMetrics``.

    Parameters
    ----------
    user_height_m
        Body height; when given, step lengths are also reported in metres.
    history_s
        How much feature history is kept (must cover a stride).

    Attributes
    ----------
    steps_
        All completed steps.
    events_
        All accepted events.
    extras_
        Per step (same order as ``steps_``): dict with ``stride_time_s``, ``double_support_time_s`` and
        ``knee_flexion_swing_peak_deg`` (summary figures that are not steps.csv columns).
    ic_step_times_
        ``(t_s, foot, step_time_s)`` for every accepted IC with a valid step time (for cadence).
    contacts_without_step_
        Accepted ICs that made no step (dropped by a reversal of the feet, see the notes).

    Notes
    -----
    Every accepted IC becomes a step, in IC order. Normally the step is completed at the foot's toe off; when that
    toe off can no longer come (the same foot lands again, the other foot's later stance ends first, the bout
    ends, e.g. at a turn, or the recording ends) the step is completed without it: its IC figures (step time,
    swing, step length, knee flexion at IC) are kept and its stance figures are NaN. Only a reversal of the feet
    (``break_bout(keep=False)``, counted in ``contacts_without_step_``) drops the steps still waiting, whose feet
    are then in doubt.
    """

    def __init__(self, user_height_m: float | None = None, history_s: float = 4.0) -> None:
        self.leg_length_m = leg_length_m(user_height_m)
        if not history_s >= 2 * MAX_STEP_TIME_S:
            raise ValueError(f"history_s must cover a stride (>= {2 * MAX_STEP_TIME_S} s), got {history_s!r}")
        self.history_s = history_s
        self._samples: deque[tuple[float, int, str, np.ndarray]] = deque()
        self.steps_: list[StepMetrics] = []
        self.events_: list[GaitEvent] = []
        self.extras_: list[dict[str, float]] = []
        self.ic_step_times_: list[tuple[float, str, float]] = []
        self._trunk: dict[str, list[float]] = {"frontal": [0.0, 0], "side": [0.0, 0]}
        self.contacts_without_step_ = 0
        self.break_bout()

    def break_bout(self, keep: bool = True) -> list[StepMetrics]:
        """Forget the current bout (gap, change of view, end of the recording): no step spans a break.

        Returns the steps still waiting for their toe off, completed without it (in IC order); with ``keep`` False
        (the feet so far were wrongly labelled) they are dropped instead.
        """
        waiting = getattr(self, "_pending", {}).values()  # (none yet when called from __init__)
        pending = sorted((p for p in waiting if p is not None), key=lambda p: p.ic.t_s)
        steps = [self._complete(p, None) for p in pending] if keep else []
        self.contacts_without_step_ += 0 if keep else len(pending)
        self._pending: dict[str, _Pending | None] = {LEFT: None, RIGHT: None}
        self._last_ic: GaitEvent | None = None
        self._last_ic_of: dict[str, GaitEvent | None] = {LEFT: None, RIGHT: None}
        self._last_to_of: dict[str, GaitEvent | None] = {LEFT: None, RIGHT: None}
        return steps

    def add_sample(self, t_s: float, frame_index: int, view: str, features: np.ndarray) -> None:
        """Append one (smoothed) sample; samples must come in time order."""
        self._samples.append((t_s, frame_index, view, features))
        while self._samples and t_s - self._samples[0][0] > self.history_s:
            self._samples.popleft()
        lean = features[F["trunk_lean_deg"]]
        if math.isfinite(lean):
            acc = self._trunk["frontal" if view in View.FRONTAL else "side"]
            acc[0] += lean
            acc[1] += 1

    def trunk_lean_mean_deg(self, kind: str) -> float:
        """Mean trunk lean over all ``"frontal"`` (lateral) or ``"side"`` (forward) samples so far."""
        total, count = self._trunk[kind]
        return total / count if count else math.nan

    def _window(self, t0: float, t1: float) -> tuple[np.ndarray, np.ndarray, list[str], np.ndarray]:
        rows = [s for s in self._samples if t0 <= s[0] <= t1]
        if not rows:
            return np.empty(0), np.empty(0, dtype=int), [], np.empty((0, len(FEATURES)))
        return (np.array([r[0] for r in rows]), np.array([r[1] for r in rows]), [r[2] for r in rows],
                np.array([r[3] for r in rows]))

    def _at(self, t_s: float, feature: str) -> tuple[float, int, str]:
        """Feature linearly interpolated at ``t_s`` between the samples around it (within 0.5 s); nearest frame;
        its view. Only the two samples around ``t_s`` are read: events are recent, so the search from the newest
        sample is short."""
        before = after = None  # the last sample before t_s, the first at or after it
        for sample in reversed(self._samples):
            if sample[0] > t_s + 0.5:
                continue
            if sample[0] < t_s:
                if sample[0] >= t_s - 0.5:
                    before = sample
                break
            after = sample
        if before is None and after is None:
            return math.nan, -1, View.UNKNOWN
        col = F[feature]
        if before is not None and after is not None:
            a = (t_s - before[0]) / (after[0] - before[0])
            value = float((1 - a) * before[3][col] + a * after[3][col])
            nearest = before if t_s - before[0] <= after[0] - t_s else after
        else:
            nearest = before if after is None else after
            value = float(nearest[3][col])
        return value, int(nearest[1]), nearest[2]

    def add_event(self, event: GaitEvent) -> list[StepMetrics]:
        """Record one accepted event; returns the steps it completes (in IC order): at a toe off, that foot's
        step; any step whose toe off can no longer come, without it (see the class notes)."""
        self.events_.append(event)
        if event.kind == INITIAL_CONTACT:
            return self._on_ic(event, event.foot, other_foot(event.foot))
        return self._on_to(event, event.foot, other_foot(event.foot))

    def _on_ic(self, e: GaitEvent, foot: str, other: str) -> list[StepMetrics]:
        # The foot lands again: its previous contact's toe off was missed.
        done = []
        if self._pending[foot] is not None:
            done.append(self._complete(self._pending[foot], None))
        last = self._last_ic
        step_time = stride = math.nan
        if last is not None and last.foot == other and e.t_s - last.t_s <= MAX_STEP_TIME_S:
            step_time = e.t_s - last.t_s
            self.ic_step_times_.append((e.t_s, foot, step_time))
            prev_own = self._last_ic_of[foot]
            if prev_own is not None and last.t_s - prev_own.t_s <= MAX_STEP_TIME_S:
                stride = e.t_s - prev_own.t_s
        prev_to = self._last_to_of[foot]
        prev_ic = self._last_ic_of[foot]
        swing = swing_peak = math.nan
        if prev_to is not None and (prev_ic is None or prev_to.t_s > prev_ic.t_s) \
                and e.t_s - prev_to.t_s <= MAX_STEP_TIME_S:
            swing = e.t_s - prev_to.t_s
            _, _, _, x = self._window(prev_to.t_s, e.t_s)
            # The swinging knee is the more flexed one (~60 deg against < 20 deg in stance): no leg labels needed.
            swing_peak = nan_max(x[:, F["knee_flexion_max_deg"]])
        # At contact the landing foot is the front one: heel-to-heel spread and the front leg's knee, label-free.
        spread, ic_frame, view = self._at(e.t_s, "heel_spread_visible")
        step_length = spread if view in View.SIDE else math.nan
        flex_ic, _, _ = self._at(e.t_s, "knee_flexion_front_deg")
        self._pending[foot] = _Pending(e, ic_frame, view, step_time, stride, swing, step_length, flex_ic, swing_peak)
        self._last_ic = e
        self._last_ic_of[foot] = e
        return done

    def _on_to(self, e: GaitEvent, foot: str, other: str) -> list[StepMetrics]:
        self._last_to_of[foot] = e
        pend_other = self._pending[other]
        if pend_other is not None and pend_other.ic.t_s < e.t_s:
            pend_other.double_support_time_s = e.t_s - pend_other.ic.t_s  # other foot's IC -> this TO
        p = self._pending[foot]
        self._pending[foot] = None
        if p is None:
            return []
        done = []
        if pend_other is not None and pend_other.ic.t_s < p.ic.t_s:
            # The other foot landed before this one and has not left the ground since: its toe off was missed
            # (in walking it comes before this foot's). Complete it first, so that steps stay in IC order.
            self._pending[other] = None
            done.append(self._complete(pend_other, None))
        done.append(self._complete(p, e))
        return done

    def _complete(self, p: _Pending, to: GaitEvent | None) -> StepMetrics:
        """The step of the pending contact ``p``, ended by its toe off ``to`` (None: not seen, so its stance
        figures are NaN and its view is the view at IC)."""
        foot, other = p.ic.foot, other_foot(p.ic.foot)
        to_t_s = stance = fppa = drop = fpa = math.nan
        to_frame: int | float = math.nan
        view = p.ic_view
        if to is not None:
            to_t_s = to.t_s
            t, _, views, x = self._window(p.ic.t_s, to_t_s)
            _, to_frame, _ = self._at(to_t_s, "toe_back")
            stance = to_t_s - p.ic.t_s
            view = max(set(views), key=views.count) if views else View.UNKNOWN
        if to is not None and not stance > MAX_STANCE_STEP_TIMES * p.step_time_s:  # (NaN step time: not judged)
            # FPPA peak over mid-stance (the middle half, where the collapse peaks and the knee is nearly
            # straight), signed: the value of largest magnitude, as the synthetic walker's truth defines it.
            margin = 0.5 * (1.0 - MIDSTANCE_FRACTION) * stance
            mid = (t >= p.ic.t_s + margin) & (t <= to_t_s - margin)
            # ... with the knee near extension: a bent knee's projection is no alignment (where it is known).
            mid &= ~(x[:, F[f"knee_bend_world_{foot}_deg"]] > KNEE_NEAR_EXTENSION_DEG)
            fppa = _smoothed_signed_peak(t[mid], x[mid, F[f"knee_fppa_{foot}_deg"]])
            # Single support of this foot: the other foot's TO (after this IC) to the other foot's next IC.
            to_other, ic_other = self._last_to_of[other], self._last_ic_of[other]
            if to_other is not None and ic_other is not None and p.ic.t_s < to_other.t_s < ic_other.t_s < to_t_s:
                ss = (t >= to_other.t_s) & (t <= ic_other.t_s)
                sign = 1.0 if foot == LEFT else -1.0  # left stance: right (swing) hip lower = + obliquity
                drop = _smoothed_peak(t[ss], sign * x[ss, F["pelvic_obliquity_deg"]])
            fpa = nan_median(x[mid, F[f"foot_progression_{foot}_deg"]])
        step = StepMetrics(
            step=len(self.steps_), foot=foot, ic_frame=p.ic_frame, ic_t_s=p.ic.t_s, to_frame=to_frame,
            to_t_s=to_t_s, step_time_s=p.step_time_s, stance_time_s=stance, swing_time_s=p.swing_time_s,
            step_length_leg=p.step_length_leg, step_length_m=p.step_length_leg * self.leg_length_m,
            knee_fppa_deg=fppa, knee_flexion_ic_deg=p.knee_flexion_ic_deg, pelvic_drop_deg=drop,
            foot_progression_deg=fpa, view=view,
        )
        self.steps_.append(step)
        self.extras_.append({"stride_time_s": p.stride_time_s, "double_support_time_s": p.double_support_time_s,
                             "knee_flexion_swing_peak_deg": p.knee_flexion_swing_peak_deg})
        return step
