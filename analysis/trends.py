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
