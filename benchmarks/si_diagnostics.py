"""Where the step-time symmetry index (SI) error on the synthetic walker comes from (run by hand:
``python benchmarks/si_diagnostics.py [seeds]``, about a minute with the default 20 seeds).

Background for the former xfail of ``tests/test_analysis_accuracy.py::test_step_time_symmetry_index_within_two_points``
(walker toward the camera on a treadmill, 10 s at 30 fps, SI target within 2 percentage points). Since then the
product times contacts with ``analysis.events.ContactTimer`` (each foot's median offset from the smoothed peak to
the corner fitted on raw samples), and the test walks 120 s with seeds 1-5 (see its docstring); part 1 shows the
product as it is now (a 10 s walk: its first contacts per foot keep the smoothed peak's time).

1. The product (``analyse_recording``; the live path confirms the same events, so it reads the same SI): per-foot
   initial-contact (IC) bias, true and detected mean step times and the SI, on the test's noisy walk (seed 1) and
   on the same walk's clean frames (no jitter: what is left is bias).
2. The SI error over many noise seeds of three IC estimators run on the same front-heel signal (world depth of the
   more forward heel relative to the hip centre, in leg lengths):

   * ``product``: the analyser's contacts;
   * ``corner fit``: on the raw samples from 4 frames before to 3 frames after the peak of the smoothed signal
     (what the live path has when it confirms a contact), the heel's approach as a line and the stance as a line
     with the stance slope of the walk (median of the smoothed signal's slope 100-270 ms after each contact), IC
     where they meet: no shape assumption beyond "straight near the corner", unbiased on clean frames;
   * ``exact template``: each contact matched (time shift and offset) against the walk's own clean signal
     rendered at 300 fps, i.e. with the true heel trajectory of that very foot known. No real estimator has
     that; it shows how much of the error is noise when the shape is known.

   Contacts are located within 0.2 s of the true ones and step times are taken between consecutive contacts of
   different feet, as the analyser and the walker's truth do.
"""
from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis import landmarks as lm  # noqa: E402
from analysis.analyser import analyse_recording  # noqa: E402
from analysis.events import score_events  # noqa: E402
from analysis.filters import local_quadratic  # noqa: E402
from analysis.synthetic import WalkerSpec, generate  # noqa: E402
from analysis.thresholds import (  # noqa: E402
    EVENT_SMOOTHING_HALF_WINDOW_S, EVENT_SMOOTHING_PAST_FACTOR, LEG_LENGTH_PER_HEIGHT,
)
from analysis.types import INITIAL_CONTACT, LEFT, RIGHT  # noqa: E402

HEIGHT_M = 1.70
ASYMMETRIES = (0.0, 10.0, -15.0)


def _spec(asym: float, seed: int, fps: float = 30.0, noise_px: float = 1.5) -> WalkerSpec:
    return WalkerSpec(height_m=HEIGHT_M, duration_s=10.0, seed=seed, direction="toward", treadmill=True,
                      step_time_asymmetry_pct=asym, fps=fps, noise_px=noise_px)


def _front_heel(frames) -> tuple[np.ndarray, np.ndarray]:
    """Times and the front-heel signal (facing the camera: -(heel z - hip z) / leg length, the larger heel)."""
    t = np.array([f.t_s for f in frames])
    w = np.array([f.world_landmarks for f in frames])
    hip_z = 0.5 * (w[:, lm.LEFT_HIP, 2] + w[:, lm.RIGHT_HIP, 2])
    leg = LEG_LENGTH_PER_HEIGHT * HEIGHT_M
    return t, np.maximum(-(w[:, lm.LEFT_HEEL, 2] - hip_z), -(w[:, lm.RIGHT_HEEL, 2] - hip_z)) / leg


def _smooth(t: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The event path's local quadratic fit (same window as the analyser)."""
    k = max(1, int(round(EVENT_SMOOTHING_HALF_WINDOW_S / float(np.median(np.diff(t))))))
    past = int(EVENT_SMOOTHING_PAST_FACTOR * k)
    return np.array([local_quadratic(t[max(0, c - past): c + k + 1], y[max(0, c - past): c + k + 1, None], t[c])[0]
                     for c in range(len(t))])


def _peak(t: np.ndarray, s: np.ndarray, near_s: float) -> int:
    idx = np.flatnonzero(np.abs(t - near_s) < 0.2)
    return int(idx[np.argmax(s[idx])])


def _corner(t: np.ndarray, y: np.ndarray, j: int, stance_slope: float) -> float:
    """IC where a line through the 4 samples before ``j`` meets the stance line (known slope) through the rest."""
    tt, yy = t[j - 4: j + 4], y[j - 4: j + 4]
    best, best_c = math.inf, t[j]
    for c in np.arange(t[j] - 0.08, t[j] + 0.08, 0.001):
        before = np.minimum(tt - c, 0.0)
        z = yy + stance_slope * np.maximum(tt - c, 0.0)
        a = np.column_stack([np.ones_like(tt), before])
        coef, *_ = np.linalg.lstsq(a, z, rcond=None)
        rss = float(np.sum((a @ coef - z) ** 2))
        if rss < best:
            best, best_c = rss, c
    return best_c


def _template(t: np.ndarray, y: np.ndarray, j: int, t_true: float, tt_hi: np.ndarray, yy_hi: np.ndarray) -> float:
    tt, yy = t[j - 6: j + 4], y[j - 6: j + 4]
    shifts = np.arange(-0.06, 0.06, 0.0005)
    cost = []
    for tau in shifts:
        r = yy - np.interp(tt - tau, tt_hi, yy_hi)
        cost.append(float(np.sum((r - r.mean()) ** 2)))
    return t_true + float(shifts[int(np.argmin(cost))])


def _si(times: list[tuple[float, str]]) -> float:
    steps = {LEFT: [], RIGHT: []}
    for (t0, f0), (t1, f1) in zip(times[:-1], times[1:]):
        if f0 != f1:
            steps[f1].append(t1 - t0)
    left, right = np.mean(steps[LEFT]), np.mean(steps[RIGHT])
    return 100.0 * abs(left - right) / (0.5 * (left + right))


def product_figures(asym: float) -> None:
    walk = generate(_spec(asym, 1))
    truth = walk.truth
    window = dict(t_min_s=0.5, t_max_s=walk.frames[-1].t_s - 0.5)
    for label, frames in (("noisy (test)", walk.frames), ("clean", walk.clean_frames)):
        off = analyse_recording(frames, user_height_m=HEIGHT_M)
        rows = {r.metric: r for r in off.summary}["step_time_s"]
        bias = {}
        for foot in (LEFT, RIGHT):
            score = score_events([e for e in off.events if e.foot == foot], [e for e in walk.events if e.foot == foot],
                                 0.15, kinds=(INITIAL_CONTACT,), **window)
            bias[foot] = 1000.0 * float(np.mean(score.errors_s))
        print(f"  {asym:+5.1f}% {label:12s}: IC bias L {bias[LEFT]:+5.1f} R {bias[RIGHT]:+5.1f} ms; step time L "
              f"{1000 * rows.left:5.1f} (true {1000 * truth.step_time_left_s:5.1f}) R {1000 * rows.right:5.1f} "
              f"(true {1000 * truth.step_time_right_s:5.1f}) ms; SI {rows.symmetry_index_pct:5.2f} "
              f"(true {truth.step_time_si_pct:5.2f})")


def estimator_errors(asym: float, seed: int, template: tuple[np.ndarray, np.ndarray]) -> dict[str, float]:
    walk = generate(_spec(asym, seed))
    t, y = _front_heel(walk.frames)
    s = _smooth(t, y)
    t_end = walk.frames[-1].t_s
    ics = [e for e in walk.events if e.kind == INITIAL_CONTACT and 0.5 < e.t_s < t_end - 0.5]
    peaks = [_peak(t, s, e.t_s) for e in ics]
    slope = float(np.median([-np.polyfit(t[j + 3: j + 9], s[j + 3: j + 9], 1)[0] for j in peaks
                             if j + 9 <= len(t)]))
    off = analyse_recording(walk.frames, user_height_m=HEIGHT_M)
    detected = [e.t_s for e in off.events if e.kind == INITIAL_CONTACT]
    estimates: dict[str, list[tuple[float, str]]] = {"product": [], "corner fit": [], "exact template": []}
    for e, j in zip(ics, peaks):
        product = min(detected, key=lambda d: abs(d - e.t_s))
        estimates["product"].append((product, e.foot))
        estimates["corner fit"].append((_corner(t, y, j, slope), e.foot))
        estimates["exact template"].append((_template(t, y, j, e.t_s, *template), e.foot))
    true_si = _si([(e.t_s, e.foot) for e in ics])
    return {name: _si(times) - true_si for name, times in estimates.items()}


def main() -> None:
    n_seeds = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    print("1. The product on the test walk (seed 1) and on its clean frames")
    for asym in ASYMMETRIES:
        product_figures(asym)
    print(f"\n2. SI error (detected - true, percentage points) over seeds 1-{n_seeds}")
    for asym in ASYMMETRIES:
        hi = generate(_spec(asym, 1, fps=300.0, noise_px=0.0))
        template = _front_heel(hi.clean_frames)
        errors = [estimator_errors(asym, seed, template) for seed in range(1, n_seeds + 1)]
        for name in errors[0]:
            e = np.array([x[name] for x in errors])
            print(f"  {asym:+5.1f}% {name:15s}: seed 1 {e[0]:+6.2f}; mean {e.mean():+5.2f} sd {e.std():4.2f} "
                  f"rms {math.sqrt(float(np.mean(e * e))):4.2f}; within 2: {np.mean(np.abs(e) <= 2.0):4.0%}")


if __name__ == "__main__":
    main()
