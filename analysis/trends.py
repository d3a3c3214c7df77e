"""Figures for looking back at sessions: per-foot series, step-time symmetry over a session, one line per session.

Pure numpy (no Qt): the review window draws these, ``gaitcoach sessions list`` prints them, and the session store
uses them for sessions that ended without a summary (interrupted).
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from analysis.coaching import SYMMETRY_WINDOW_STEPS  # the coach's window: the chart shows what it reacted to
from analysis.results import StepMetrics, SummaryRow, nan_mean
from analysis.summary import SymmetryIndex, cadence_steps_per_min, symmetry_index_interval
from analysis.types import LEFT, RIGHT


@dataclass(frozen=True)
class SessionFigures:
    """The few figures a user compares between sessions (NaN where the session could not measure them).

    Attributes
    ----------
    step_count
        Completed steps.
    cadence_steps_per_min
        Steps per minute over the session.
    step_time_symmetry_pct
        Symmetry index of the mean left and right step times (0 = even; Robinson et al. 1987); NaN with fewer
        than ``SYMMETRY_MIN_STEPS_PER_SIDE`` step times a side.
    step_time_symmetry_low_pct, step_time_symmetry_high_pct
        Its 95 % interval (NaN for sessions stored before GaitCoach gave one).
    knee_fppa_left_deg, knee_fppa_right_deg
        Mean per-step peak knee frontal-plane projection angle, + = valgus (frontal-view steps only).
    pelvic_drop_left_deg, pelvic_drop_right_deg
        Mean per-step pelvic drop while standing on the left / right leg (the other side's hip drops; frontal-view
        steps only).
    """

    step_count: int
    cadence_steps_per_min: float
    step_time_symmetry_pct: float
    step_time_symmetry_low_pct: float
    step_time_symmetry_high_pct: float
    knee_fppa_left_deg: float
    knee_fppa_right_deg: float
    pelvic_drop_left_deg: float = math.nan
    pelvic_drop_right_deg: float = math.nan

    @property
    def step_time_symmetry(self) -> SymmetryIndex:
        return SymmetryIndex(self.step_time_symmetry_pct, self.step_time_symmetry_low_pct,
                             self.step_time_symmetry_high_pct)

    @classmethod
    def from_summary(cls, rows: Sequence[SummaryRow]) -> SessionFigures:
        """The figures as the session's own summary (``summary.csv``) states them."""
        by_metric = {row.metric: row for row in rows}
        nan_row = SummaryRow("", *[math.nan] * 6, "")
        count = by_metric.get("step_count", nan_row).overall
        fppa = by_metric.get("knee_fppa_peak_deg", nan_row)
        drop = by_metric.get("pelvic_drop_deg", nan_row)
        step_time = by_metric.get("step_time_s", nan_row)
        return cls(
            step_count=int(count) if math.isfinite(count) else 0,
            cadence_steps_per_min=by_metric.get("cadence_steps_per_min", nan_row).overall,
            step_time_symmetry_pct=step_time.symmetry_index_pct,
            step_time_symmetry_low_pct=step_time.symmetry_index_low_pct,
            step_time_symmetry_high_pct=step_time.symmetry_index_high_pct,
            knee_fppa_left_deg=fppa.left,
            knee_fppa_right_deg=fppa.right,
            pelvic_drop_left_deg=drop.left,
            pelvic_drop_right_deg=drop.right,
        )

    @classmethod
    def from_steps(cls, steps: Sequence[StepMetrics]) -> SessionFigures:
        """The same figures from the step rows alone (for a session that has no summary, e.g. interrupted)."""
        step_times = [s.step_time_s for s in steps]
        si, low, high = symmetry_index_interval(step_times, [s.foot for s in steps])
        return cls(
            step_count=len(steps),
            cadence_steps_per_min=cadence_steps_per_min(step_times),
            step_time_symmetry_pct=si,
            step_time_symmetry_low_pct=low,
            step_time_symmetry_high_pct=high,
            knee_fppa_left_deg=_per_foot_means(steps, "knee_fppa_deg")[0],
            knee_fppa_right_deg=_per_foot_means(steps, "knee_fppa_deg")[1],
            pelvic_drop_left_deg=_per_foot_means(steps, "pelvic_drop_deg")[0],
            pelvic_drop_right_deg=_per_foot_means(steps, "pelvic_drop_deg")[1],
        )


def _per_foot_means(steps: Sequence[StepMetrics], field: str) -> tuple[float, float]:
    return (nan_mean([getattr(s, field) for s in steps if s.foot == LEFT]),
            nan_mean([getattr(s, field) for s in steps if s.foot == RIGHT]))


def foot_series(steps: Sequence[StepMetrics], field: str) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per foot: (initial contact times in s, values of ``field``), only the steps where it was measured.

    Parameters
    ----------
    steps
        Steps in time order.
    field
        A ``StepMetrics`` field, e.g. ``"knee_fppa_deg"`` or ``"step_time_s"``.
    """
    series = {}
    for foot in (LEFT, RIGHT):
        pairs = [(s.ic_t_s, getattr(s, field)) for s in steps if s.foot == foot]
        t_s = np.array([t for t, v in pairs if math.isfinite(v)], dtype=float)
        values = np.array([v for t, v in pairs if math.isfinite(v)], dtype=float)
        series[foot] = (t_s, values)
    return series


def rolling_step_time_symmetry(steps: Sequence[StepMetrics], window_steps: int = SYMMETRY_WINDOW_STEPS
                               ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Step-time symmetry index with its 95 % interval over the last ``window_steps`` steps (what the coach
    judged), at each step's initial contact.

    Returns
    -------
    t_s, symmetry_pct, low_pct, high_pct
        One point per step once the window holds ``SYMMETRY_MIN_STEPS_PER_SIDE`` step times a side (NaN-free).
    """
    if window_steps < 2:
        raise ValueError(f"window_steps must be >= 2, got {window_steps!r}")
    points = []
    for i, step in enumerate(steps):
        window = steps[max(0, i + 1 - window_steps): i + 1]
        si = symmetry_index_interval([s.step_time_s for s in window], [s.foot for s in window])
        if math.isfinite(si.si_pct):
            points.append((step.ic_t_s, *si))
    t_s, si, low, high = np.array(points, dtype=float).reshape(-1, 4).T
    return t_s, si, low, high


# ---------------------------------------------------------------------------------------------------------------
# Comparing sessions: a change counts only beyond the smallest the app can detect (analysis.thresholds).

# Figures compared: (key in SMALLEST_CHANGE, what people read, summary metric, per side?, unit, better when).
COMPARED: tuple[tuple[str, str, str, bool, str, str | None], ...] = (
    ("step_time_si_pct", "Step-time difference", "step_time_s", False, "%", "lower"),
    ("cadence_steps_per_min", "Cadence", "cadence_steps_per_min", False, "steps/min", None),
    ("knee_fppa_deg", "Knee alignment (+ = in)", "knee_fppa_peak_deg", True, "\u00b0", "nearer zero"),
    ("pelvic_drop_deg", "Pelvic drop", "pelvic_drop_deg", True, "\u00b0", "lower"),
    ("toe_out_deg", "Toe-out", "foot_progression_deg", True, "\u00b0", None),
    ("step_length_m", "Step length", "step_length_m", True, "m", None),
)


@dataclass(frozen=True)
class Change:
    """One figure in two sessions (``before``, ``after``; NaN where a session has none) and whether the change
    is real: larger than ``smallest``, the smallest change the app can detect."""

    figure: str
    label: str
    side: str | None
    before: float
    after: float
    unit: str
    smallest: float
    better_when: str | None = None

    @property
    def change(self) -> float:
        return self.after - self.before

    @property
    def real(self) -> bool | None:
        """True: a real change; False: no clear change; None: not both sessions have the figure."""
        if not (math.isfinite(self.before) and math.isfinite(self.after)):
            return None
        return abs(self.change) > self.smallest

    def verdict(self) -> str:
        """``"no clear change"``, ``"real change: lower (better)"``, or why there is no comparison."""
        if self.real is None:
            return "not in both sessions"
        if not self.real:
            return "no clear change"
        direction = "higher" if self.change > 0 else "lower"
        if self.better_when == "lower":
            direction += " (better)" if self.change < 0 else " (worse)"
        elif self.better_when == "nearer zero":
            direction = "nearer straight (better)" if abs(self.after) < abs(self.before) else "further from " \
                "straight (worse)"
        return f"real change: {direction}"


def compare_sessions(before: Sequence[SummaryRow], after: Sequence[SummaryRow]) -> list[Change]:
    """Each ``COMPARED`` figure (each side where per side) in two sessions' summaries."""
    from analysis.thresholds import SMALLEST_CHANGE

    rows_before = {row.metric: row for row in before}
    rows_after = {row.metric: row for row in after}
    nan_row = SummaryRow("", *[math.nan] * 6, "")
    changes = []
    for figure, label, metric, per_side, unit, better in COMPARED:
        a, b = rows_before.get(metric, nan_row), rows_after.get(metric, nan_row)
        if figure == "step_time_si_pct":
            pairs = [(None, a.symmetry_index_pct, b.symmetry_index_pct)]
        elif per_side:
            pairs = [(LEFT, a.left, b.left), (RIGHT, a.right, b.right)]
        else:
            pairs = [(None, a.overall, b.overall)]
        changes += [Change(figure, label, side, float(x), float(y), unit, SMALLEST_CHANGE[figure], better)
                    for side, x, y in pairs]
    return changes


def progress_sentence(label: str, figure: str, values: Sequence[float], unit: str = "", fmt: str = ".0f") -> str:
    """What changed over a period, in words, with the smallest-change rule: ``"Step-time difference went from 14 %
    to 6 % over 5 sessions."`` or ``"... stayed about the same (14 % to 13 % over 5 sessions: no clear change)."``
    ``values``: the figure in each session, in date order (NaN where a session has none)."""
    from analysis.thresholds import SMALLEST_CHANGE

    known = [v for v in values if math.isfinite(v)]
    if len(known) < 2:
        return f"{label}: not enough sessions with it yet."
    first, last = known[0], known[-1]
    span = f"{first:{fmt}}{unit} to {last:{fmt}}{unit} over {len(known)} sessions"
    if abs(last - first) <= SMALLEST_CHANGE[figure]:
        return f"{label} stayed about the same ({span}: no clear change)."
    return f"{label} went from {span}."
