"""How sure is a step-time symmetry index (SI)? The numbers behind ``analysis.summary.symmetry_index_interval``,
``SYMMETRY_MIN_STEPS_PER_SIDE`` and the coach's ``SYMMETRY_WINDOW_STEPS`` (run by hand:
``python benchmarks/si_interval.py [walks]``, about half a minute with the default 200 walks per case).

1. Contact-jitter model: a metronome walker (true left and right step times from a signed SI) whose contacts
   are each off by Gaussian jitter of 0.5 or 1 frame at 30 fps (the detector's error on real video is about
   +-1 frame), optionally with 2 % natural step-to-step variation. Coverage of the true signed SI by the 95 %
   interval, with Welch's variance alone (neighbouring steps taken as independent) and with the neighbour
   covariance the product uses.
2. The product: synthetic walks toward the camera on a treadmill (30 fps, the walker's default landmark jitter),
   analysed frame by frame by ``analysis.analyser.GaitAnalyser``; the same coverage on the first n step times
   per side, and the detected step times' spread and neighbour correlation.
3. The SI of even walks (the product, as in 2) against the number of step times per side: its median and 95th
   percentile, and how often the interval's low end exceeds the cue threshold (a false limp cue).
"""
from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis.analyser import GaitAnalyser  # noqa: E402
from analysis.summary import symmetry_index_interval  # noqa: E402
from analysis.synthetic import WalkerSpec, generate  # noqa: E402
from analysis.thresholds import SYMMETRY_INDEX_NOTABLE_PCT  # noqa: E402
from analysis.types import LEFT, RIGHT  # noqa: E402

FPS = 30.0
STEP_S = 0.545  # 110 steps/min
PER_SIDE = (4, 6, 8, 10, 12)


def signed_interval(values, feet, per_side: int, independent: bool = False) -> tuple[float, float]:
    """The signed 95 % interval of the SI (left minus right), recovered from the folded one: the product's
    function with the sign of the left-right difference (``independent``: neighbour covariance left out, by
    interleaving the steps so that no two neighbours are of opposite feet)."""
    v, f = np.asarray(values, float), list(feet)
    if independent:
        order = [i for i in range(len(f)) if f[i] == LEFT] + [i for i in range(len(f)) if f[i] == RIGHT]
        v, f = v[order], [f[i] for i in order]
    si = symmetry_index_interval(v, f, min_per_side=per_side)
    sign = 1.0 if np.nanmean(v[[x == LEFT for x in f]]) >= np.nanmean(v[[x == RIGHT for x in f]]) else -1.0
    if si.low_pct == 0.0:
        # Spans 0: the folded interval lost which end was which; the signed one is [-high, high] at worst.
        return -si.high_pct, si.high_pct
    return (sign * si.low_pct, sign * si.high_pct) if sign > 0 else (-si.high_pct, -si.low_pct)


def metronome(true_si_pct: float, n_per_side: int, jitter_frames: float, natural_cv: float,
              rng: np.random.Generator) -> tuple[np.ndarray, list[str]]:
    """Step times (first a left step) of a walker whose contacts are jittered by ``jitter_frames`` (sd)."""
    left = STEP_S * (1.0 + true_si_pct / 200.0)
    right = 2 * STEP_S - left
    true_steps = np.tile([left, right], n_per_side) * (1.0 + natural_cv * rng.standard_normal(2 * n_per_side))
    contacts = np.concatenate([[0.0], np.cumsum(true_steps)])
    contacts += rng.normal(0.0, jitter_frames / FPS, contacts.size)
    return np.diff(contacts), [LEFT, RIGHT] * n_per_side


def covers(interval: tuple[float, float], truth: float) -> bool:
    """Whether the signed interval holds the truth; a folded interval [-h, h] counts only as itself."""
    return interval[0] <= truth <= interval[1]


def part_1(walks: int) -> None:
    print("1. Contact-jitter model: coverage of the true signed SI by the 95 % interval (Welch alone / product)")
    rng = np.random.default_rng(1)
    for jitter, cv in ((0.5, 0.0), (1.0, 0.0), (0.5, 0.02)):
        for true_si in (0.0, 15.0):
            cells = []
            for n in PER_SIDE:
                hits = np.zeros(2)
                for _ in range(walks):
                    v, f = metronome(true_si, n, jitter, cv, rng)
                    hits += [covers(signed_interval(v, f, n, independent=True), true_si),
                             covers(signed_interval(v, f, n), true_si)]
                cells.append(f"n={n:2d} {100 * hits[0] / walks:3.0f}/{100 * hits[1] / walks:3.0f}")
            print(f"   jitter {jitter} frame, natural {100 * cv:.0f} %, SI {true_si:4.1f}: " + "  ".join(cells))


def product_steps(asym_pct: float, seed: int, n_per_side: int) -> tuple[np.ndarray, list[str]]:
    """The first ``2 n_per_side`` step times the live analyser finds (the first contact has none)."""
    steps_needed = 2 * n_per_side + 1
    spec = WalkerSpec(direction="toward", treadmill=True, step_time_asymmetry_pct=asym_pct, seed=seed,
                      duration_s=STEP_S * (steps_needed + 3), fps=FPS)
    analyser = GaitAnalyser(user_height_m=spec.height_m)
    steps = []
    for frame in generate(spec).frames:
        analyser.update(frame)
        steps += analyser.new_steps_
    analyser.finish()
    steps += analyser.new_steps_
    steps = [s for s in steps if math.isfinite(s.step_time_s)][: 2 * n_per_side]
    return np.array([s.step_time_s for s in steps]), [s.foot for s in steps]


def part_2_and_3(walks: int) -> None:
    print("2. The product (GaitAnalyser on the synthetic walker): coverage of the true signed SI (Welch / product)")
    n_max = max(PER_SIDE)
    by_asym = {asym: [product_steps(asym, seed, n_max) for seed in range(walks)] for asym in (0.0, 15.0)}
    for asym, runs in by_asym.items():
        cells = []
        for n in PER_SIDE:
            hits = np.zeros(2)
            for v, f in runs:
                v, f = _first_per_side(v, f, n)
                hits += [covers(signed_interval(v, f, n, independent=True), asym),
                         covers(signed_interval(v, f, n), asym)]
            cells.append(f"n={n:2d} {100 * hits[0] / len(runs):3.0f}/{100 * hits[1] / len(runs):3.0f}")
        print(f"   SI {asym:4.1f}: " + "  ".join(cells))
    residuals, lag1 = [], []
    for v, f in by_asym[0.0]:
        r = v - STEP_S
        residuals.append(r)
        lag1.append(np.corrcoef(r[:-1], r[1:])[0, 1])
    print(f"   even walks: step-time sd {1000 * np.std(np.concatenate(residuals)):.1f} ms "
          f"({np.std(np.concatenate(residuals)) * FPS:.2f} frames), neighbour correlation "
          f"{np.mean(lag1):+.2f} (pure contact jitter: -0.50)")
    print("3. Even walks (the product): SI against step times per side; false cue = interval's low end above "
          f"{SYMMETRY_INDEX_NOTABLE_PCT:g} %")
    for n in range(2, n_max + 1):
        si, low, high = [], [], []
        for v, f in by_asym[0.0]:
            v, f = _first_per_side(v, f, n)
            s = symmetry_index_interval(v, f, min_per_side=n)
            si.append(s.si_pct), low.append(s.low_pct), high.append(s.high_pct)
        si, low, high = np.array(si), np.array(low), np.array(high)
        limp = [symmetry_index_interval(*_first_per_side(v, f, n), min_per_side=n).low_pct
                for v, f in by_asym[15.0]]
        false_cues = np.mean(low > SYMMETRY_INDEX_NOTABLE_PCT)
        print(f"   n={n:2d}: SI median {np.median(si):4.1f} %, 95th percentile {np.percentile(si, 95):4.1f} %, "
              f"interval high end median {np.median(high):5.1f} %; false cues {false_cues:4.0%}; 15 % limp: low end "
              f"above {SYMMETRY_INDEX_NOTABLE_PCT:g} % in {np.mean(np.array(limp) > SYMMETRY_INDEX_NOTABLE_PCT):4.0%}")


def _first_per_side(v: np.ndarray, f: list[str], n: int) -> tuple[np.ndarray, list[str]]:
    """The steps up to the n-th of the side that reaches n last (what a walker has done by then)."""
    counts = {LEFT: 0, RIGHT: 0}
    for i, foot in enumerate(f):
        counts[foot] += 1
        if min(counts.values()) >= n:
            return v[: i + 1], f[: i + 1]
    return v, f


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    part_1(count)
    part_2_and_3(count)
