"""The smallest change GaitCoach can detect in each session figure (issue 15, item 3): what "a real change" between
two sessions must exceed.

    .venv/bin/python benchmarks/smallest_change.py [walks]      (default 20 walks per set-up; about 2 minutes)

The same synthetic person walks again and again (only MediaPipe-like noise changes, ``pose_noise="mediapipe"``:
a new seed each walk), for one minute, toward the camera and back (knees, pelvis, toe-out, symmetry, cadence) and
across it (step length). The spread of a figure over these walks is the app's own measurement error (SEM); the
smallest detectable change between two sessions is ``1.96 * sqrt(2) * SEM`` (the 95 % minimal detectable change,
e.g. Haley & Fragala-Pinkham 2006, Phys Ther 86(5):735-743). The real clips add what the synthetic walker spares:
each figure's error against the by-eye truth set on the clips that give it (cadence); where the real error is
larger, the change must exceed it too. Prints one row per figure: the SD over walks, the MDC95, and the value
``analysis/thresholds.py`` keeps.
"""
from __future__ import annotations

import math
import statistics
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from analysis.analyser import analyse_recording  # noqa: E402
from analysis.synthetic import WalkerSpec, generate  # noqa: E402
from analysis import thresholds  # noqa: E402

# (figure, how it is read from a session's summary rows) for the frontal walks; step length side-on.
FRONTAL = {
    "cadence_steps_per_min": lambda s: s["cadence_steps_per_min"].overall,
    "step_time_si_pct": lambda s: s["step_time_s"].symmetry_index_pct,
    "knee_fppa_deg": lambda s: s["knee_fppa_peak_deg"].right,
    "pelvic_drop_deg": lambda s: s["pelvic_drop_deg"].right,
    "toe_out_deg": lambda s: s["foot_progression_deg"].right,
}
SIDE = {"step_length_m": lambda s: s["step_length_m"].right}


def spread(spec: dict, readers: dict, walks: int) -> dict[str, list[float]]:
    values: dict[str, list[float]] = {name: [] for name in readers}
    for seed in range(1, walks + 1):
        walk = generate(WalkerSpec(duration_s=60.0, pose_noise="mediapipe", seed=seed, **spec))
        summary = {row.metric: row for row in analyse_recording(walk.frames, user_height_m=1.70).summary}
        for name, read in readers.items():
            value = float(read(summary))
            if math.isfinite(value):
                values[name].append(value)
    return values


def main(walks: int) -> None:
    person = {"knee_valgus_right_deg": 6.0, "step_time_asymmetry_pct": 8.0, "pelvic_drop_deg": 5.0}
    values = spread({"direction": "toward", **person}, FRONTAL, walks)
    values.update(spread({"direction": "left", **person}, SIDE, walks))
    print(f"{'figure':24} {'walks':>5} {'mean':>8} {'SD':>7} {'MDC95':>7} {'kept':>7}")
    for name, found in values.items():
        sd = statistics.stdev(found) if len(found) > 1 else math.nan
        print(f"{name:24} {len(found):5d} {statistics.mean(found):8.2f} {sd:7.2f} {1.96 * math.sqrt(2) * sd:7.2f} "
              f"{getattr(thresholds, 'SMALLEST_CHANGE', {}).get(name, math.nan):7.2f}", flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
