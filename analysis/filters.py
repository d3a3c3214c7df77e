"""Smoothing and gap handling for landmark time series (time is the first axis of every array).

* ``OneEuroFilter``: the live path's display smoothing (Casiez et al. 2012), vectorised over any array shape.
* ``local_quadratic``: a zero-phase local quadratic fit (Savitzky & Golay 1964) on unevenly spaced samples; the
  live event path uses it with a fixed delay of a few frames.
* ``butterworth_zero_phase``: the offline path's 4th-order, 6 Hz Butterworth run forwards and backwards
  (Winter 2009), segment by segment, after filling gaps shorter than ``max_gap_s``.
* ``fill_short_gaps`` / ``segments``: linear interpolation of short dropouts; longer gaps stay NaN.
"""
from __future__ import annotations

import math

import numpy as np
from scipy import signal

from analysis.thresholds import (
    BUTTERWORTH_CUTOFF_HZ,
    BUTTERWORTH_ORDER,
    MAX_GAP_FILL_S,
    ONE_EURO_D_CUTOFF_HZ,
    ONE_EURO_MIN_CUTOFF_HZ,
)


def _check_positive(name: str, value: float) -> None:
    if not (isinstance(value, (int, float, np.floating, np.integer)) and math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")


class OneEuroFilter:
    """Speed-adaptive low-pass filter for live display (Casiez et al. 2012), over arrays of any shape.

    Parameters
    ----------
    min_cutoff_hz
        Cut-off when the signal is still: lower = less jitter, more lag.
    beta
        Speed coefficient in 1/(signal unit): the cut-off grows by ``beta * |speed|`` so fast motion lags less.
        One value, or one per element (an array of the samples' shape) when the elements have different units.
    d_cutoff_hz
        Cut-off of the speed estimate.
    reset_after_s
        An element missing (NaN) for longer than this restarts from its next value instead of gliding to it.

    Notes
    -----
    ``alpha = 1 / (1 + tau / dt)`` with ``tau = 1 / (2 pi f_c)``, so uneven frame spacing is handled exactly.
    NaN inputs give NaN outputs and leave that element's state untouched.
    """

    def __init__(
        self,
        min_cutoff_hz: float = ONE_EURO_MIN_CUTOFF_HZ,
        beta: float | np.ndarray = 0.0,
        d_cutoff_hz: float = ONE_EURO_D_CUTOFF_HZ,
        reset_after_s: float = MAX_GAP_FILL_S,
    ) -> None:
        _check_positive("min_cutoff_hz", min_cutoff_hz)
        _check_positive("d_cutoff_hz", d_cutoff_hz)
        _check_positive("reset_after_s", reset_after_s)
        if not (np.all(np.isfinite(beta)) and np.all(np.asarray(beta) >= 0)):
            raise ValueError(f"beta must be >= 0, got {beta!r}")
        self.min_cutoff_hz = min_cutoff_hz
        self.beta = beta
        self.d_cutoff_hz = d_cutoff_hz
        self.reset_after_s = reset_after_s
        self.reset()

    def reset(self) -> None:
        self._x: np.ndarray | None = None
        self._dx: np.ndarray | None = None
        self._t: np.ndarray | None = None
        self._all_at_t: float | None = None  # the time of the last sample if it updated every element, else None

    @staticmethod
    def _alpha(cutoff_hz: np.ndarray | float, dt: np.ndarray | float) -> np.ndarray | float:
        tau = 1.0 / (2.0 * math.pi * cutoff_hz)
        return 1.0 / (1.0 + tau / dt)

    def _step(self, x: np.ndarray, dt: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
        """Filtered value and speed of every element after ``dt`` (only meaningful where the state is valid)."""
        a_d = self._alpha(self.d_cutoff_hz, dt)
        edx = a_d * ((x - self._x) / dt) + (1.0 - a_d) * self._dx
        a = self._alpha(self.min_cutoff_hz + self.beta * np.abs(edx), dt)
        return a * x + (1.0 - a) * self._x, edx

    def __call__(self, t_s: float, x: np.ndarray) -> np.ndarray:
        """Filter one sample taken at ``t_s`` (seconds); returns the smoothed sample (a new array)."""
        x = np.asarray(x, dtype=float)
        valid = np.isfinite(x)
        if self._x is None or self._x.shape != x.shape:
            self._x = np.where(valid, x, np.nan)
            self._dx = np.zeros_like(x)
            self._t = np.where(valid, t_s, -np.inf)
            self._all_at_t = t_s if valid.all() else None
            return self._x.copy()
        if self._all_at_t is not None and 0.0 < t_s - self._all_at_t <= self.reset_after_s and valid.all():
            # The usual case (every element seen in this sample and the last): one time step for all, no masks.
            self._x, self._dx = self._step(x, t_s - self._all_at_t)
            self._t.fill(t_s)
            self._all_at_t = t_s
            return self._x.copy()
        dt = t_s - self._t
        fresh = valid & ((dt > self.reset_after_s) | ~np.isfinite(self._x))
        update = valid & ~fresh & (dt > 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            y, edx = self._step(x, np.where(update, dt, 1.0))
        self._x = np.where(update, y, np.where(fresh, x, self._x))
        self._dx = np.where(update, edx, np.where(fresh, 0.0, self._dx))
        self._t = np.where(valid & (update | fresh), t_s, self._t)
        self._all_at_t = t_s if bool((self._t == t_s).all()) else None
        return np.where(valid, self._x, np.nan)


def local_quadratic(t_s: np.ndarray, values: np.ndarray, t_eval_s: float) -> np.ndarray:
    """Least-squares quadratic through ``(t_s, values)`` evaluated at ``t_eval_s``, column by column.

    Parameters
    ----------
    t_s
        ``(m,)`` sample times (uneven spacing is fine).
    values
        ``(m, k)`` samples; NaN entries are left out of that column's fit.
    t_eval_s
        Where to evaluate (normally the middle sample: a zero-phase Savitzky-Golay smoother).

    Returns
    -------
    ``(k,)`` smoothed values; NaN for a column with fewer than 3 valid samples, or whose valid samples do not
    surround ``t_eval_s`` (no extrapolation).
    """
    t = np.asarray(t_s, dtype=float) - t_eval_s
    y = np.asarray(values, dtype=float)
    valid = np.isfinite(y)
    full = valid.all(axis=0)
    if t.size >= 3 and full.all():  # the usual case: every column fitted with the same weights
        return _quadratic_weights(t) @ y
    out = np.full(y.shape[1], np.nan)
    if full.any() and t.size >= 3:
        out[full] = _quadratic_weights(t) @ y[:, full]
    partial = np.flatnonzero(valid.any(axis=0) & ~full)
    if partial.size:
        # Group columns by their validity pattern (landmarks drop out as a whole, so there are few patterns).
        patterns: dict[bytes, list[int]] = {}
        for j in partial:
            patterns.setdefault(valid[:, j].tobytes(), []).append(j)
        for cols in patterns.values():
            rows = valid[:, cols[0]]
            tr = t[rows]
            if tr.size >= 3 and tr[0] <= 0.0 <= tr[-1]:
                out[cols] = _quadratic_weights(tr) @ y[np.ix_(rows, cols)]
    return out


def _quadratic_weights(t: np.ndarray) -> np.ndarray:
    """Weights w with ``w @ y`` = the least-squares quadratic's value at t = 0 (at least 3 distinct times).

    The first row of ``(A^T A)^-1 A^T`` with ``A = [1, t, t^2]``, from the 3x3 normal equations solved by
    cofactors: with t scaled to [-1, 1] they are well conditioned. Plain floats: for the few samples of a
    smoothing window this is several times cheaper than numpy, and far cheaper than a pseudo-inverse.
    """
    times = t.tolist()
    scale = max(max(abs(v) for v in times), 1e-9)
    ts = [v / scale for v in times]
    s1 = s2 = s3 = s4 = 0.0  # sums of t, t^2, t^3, t^4
    for v in ts:
        v2 = v * v
        s1 += v
        s2 += v2
        s3 += v2 * v
        s4 += v2 * v2
    c0, c1, c2 = s2 * s4 - s3 * s3, s2 * s3 - s1 * s4, s1 * s3 - s2 * s2  # first row of the cofactor matrix
    det = len(ts) * c0 + s1 * c1 + s2 * c2
    return np.array([(c0 + c1 * v + c2 * v * v) / det for v in ts])


def segments(t_s: np.ndarray, valid: np.ndarray, max_gap_s: float = MAX_GAP_FILL_S) -> list[tuple[int, int]]:
    """Half-open index ranges ``[start, stop)`` of valid samples whose internal gaps are all <= ``max_gap_s``.

    A gap is the time between two consecutive *valid* samples, so a run of invalid samples shorter than
    ``max_gap_s`` does not split a segment (it will be interpolated).
    """
    idx = np.flatnonzero(valid)
    if idx.size == 0:
        return []
    t = np.asarray(t_s, dtype=float)[idx]
    breaks = np.flatnonzero(np.diff(t) > max_gap_s + 1e-9)
    starts = np.concatenate([[0], breaks + 1])
    stops = np.concatenate([breaks + 1, [idx.size]])
    return [(int(idx[a]), int(idx[b - 1]) + 1) for a, b in zip(starts, stops)]


def fill_short_gaps(t_s: np.ndarray, x: np.ndarray, max_gap_s: float = MAX_GAP_FILL_S) -> np.ndarray:
    """Linearly interpolate NaN runs that lie inside a segment (gap <= ``max_gap_s``), column by column.

    Parameters
    ----------
    t_s
        ``(n,)`` increasing sample times.
    x
        ``(n,)`` or ``(n, k)`` values with NaN for missing samples.
    max_gap_s
        Longest time between the valid samples around a gap that is still filled.

    Returns
    -------
    A new array; longer gaps and the ends stay NaN ("honest gaps").
    """
    t = np.asarray(t_s, dtype=float)
    arr = np.asarray(x, dtype=float)
    if arr.shape[0] != t.shape[0]:
        raise ValueError(f"x has {arr.shape[0]} samples but t_s has {t.shape[0]}")
    _check_positive("max_gap_s", max_gap_s)
    flat = arr.reshape(arr.shape[0], -1).copy()
    for j in range(flat.shape[1]):
        col = flat[:, j]
        ok = np.isfinite(col)
        if ok.all() or not ok.any():
            continue
        for a, b in segments(t, ok, max_gap_s):
            seg_ok = ok[a:b]
            if not seg_ok.all():
                col[a:b] = np.interp(t[a:b], t[a:b][seg_ok], col[a:b][seg_ok])
    return flat.reshape(arr.shape)


def butterworth_zero_phase(
    t_s: np.ndarray,
    x: np.ndarray,
    cutoff_hz: float = BUTTERWORTH_CUTOFF_HZ,
    order: int = int(BUTTERWORTH_ORDER),
    max_gap_s: float = MAX_GAP_FILL_S,
) -> np.ndarray:
    """Zero-phase low-pass (Butterworth, forwards and backwards) of an unevenly sampled series with gaps.

    Parameters
    ----------
    t_s
        ``(n,)`` increasing sample times in seconds.
    x
        ``(n,)`` or ``(n, k)`` values, NaN where missing.
    cutoff_hz
        Cut-off of the combined (two-pass) filter's design; 6 Hz for walking (Winter 2009).
    order
        Order of the designed filter (the two passes double the roll-off, not the order used in the design).
    max_gap_s
        Gaps up to this are interpolated before filtering; longer ones split the series into segments that are
        filtered separately and stay NaN.

    Returns
    -------
    A new array of the same shape. Each segment is resampled onto a uniform grid at its median frame interval,
    filtered with ``sosfiltfilt`` and sampled back at the original times. A segment too short for the filter's
    padding is filtered with reduced padding; one shorter than 4 samples is returned unfiltered.
    """
    t = np.asarray(t_s, dtype=float)
    arr = np.asarray(x, dtype=float)
    if t.ndim != 1 or arr.shape[0] != t.shape[0]:
        raise ValueError(f"t_s must be 1-D with one time per row of x, got {t.shape} and {arr.shape}")
    _check_positive("cutoff_hz", cutoff_hz)
    if not (isinstance(order, (int, np.integer)) and order >= 1):
        raise ValueError(f"order must be a positive integer, got {order!r}")
    if t.size > 1 and np.any(np.diff(t) <= 0):
        raise ValueError("t_s must be strictly increasing")
    flat = fill_short_gaps(t, arr.reshape(arr.shape[0], -1), max_gap_s)
    out = np.full_like(flat, np.nan)
    for j in range(flat.shape[1]):
        col = flat[:, j]
        for a, b in segments(t, np.isfinite(col), max_gap_s):
            out[a:b, j] = _filter_segment(t[a:b], col[a:b], cutoff_hz, order)
    return out.reshape(arr.shape)


def _filter_segment(t: np.ndarray, y: np.ndarray, cutoff_hz: float, order: int) -> np.ndarray:
    n = t.size
    if n < 4:
        return y.copy()
    dt = float(np.median(np.diff(t)))
    fs = 1.0 / dt
    wn = cutoff_hz / (0.5 * fs)
    if wn >= 1.0:  # sampling too slow for this cut-off: nothing to remove
        return y.copy()
    grid_n = int(round((t[-1] - t[0]) / dt)) + 1
    grid = t[0] + dt * np.arange(grid_n)
    uniform = np.interp(grid, t, y)
    sos = signal.butter(order, wn, output="sos")
    padlen = min(3 * (2 * len(sos) + 1), grid_n - 1)
    smooth = signal.sosfiltfilt(sos, uniform, padlen=padlen)
    return np.interp(t, grid, smooth)
