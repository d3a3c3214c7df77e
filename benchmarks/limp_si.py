"""Do limps read as limps? The step-time symmetry index (SI) the analyser reads against the synthetic walker's
truth, for each kind and size of limp, in each view, with the walker's plain jitter and with MediaPipe's noise
as measured on the annotated real clips (``pose_noise="mediapipe"``).

    .venv/bin/python benchmarks/limp_si.py [seeds]      (default 3 seeds; about a minute)

The painful side is the right; a limp's true signed SI is negative (the sound left step is the short one). Per
row: the median over the seeds of the signed SI read and of its error (read minus true, percentage points), the
fewest step times per side, and the share of the true contacts found within 2 frames on the right foot. Contacts
and step times are counted in the row's view only (overground walks turn at the end of each pass).
"""
from __future__ import annotations

import statistics
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from analysis.analyser import analyse_recording  # noqa: E402
from analysis.synthetic import WalkerSpec, generate  # noqa: E402
from test_limp_accuracy import SETUPS, _contacts_in, signed_step_time_si_pct  # noqa: E402

LIMPS = [("antalgic", -15.0), ("antalgic", -20.0), ("antalgic", -30.0), ("step_to", -20.0)]


def row(limp: str, si_pct: float, direction: str, treadmill: bool, views, noise: str, seeds: int) -> str:
    reads, errors, per_side, found = [], [], [], []
    for seed in range(1, seeds + 1):
        walk = generate(WalkerSpec(direction=direction, treadmill=treadmill, limp=limp, limp_side="right",
                                   step_time_asymmetry_pct=si_pct, duration_s=40.0, seed=seed, pose_noise=noise))
        result = analyse_recording(walk.frames, user_height_m=walk.spec.height_m)
        truth, detected = _contacts_in(walk.events, walk, views), _contacts_in(result.events, walk, views)
        true_si, _ = signed_step_time_si_pct(truth)
        si, n = signed_step_time_si_pct(detected)
        reads.append(si)
        errors.append(si - true_si)
        per_side.append(n)
        found.append(sum(any(d.foot == c.foot and abs(d.t_s - c.t_s) <= 2 / walk.spec.fps for d in detected)
                         for c in truth) / len(truth))
    where = f"{direction}{' treadmill' if treadmill else ''} ({views[0].split('_')[0]})"
    return (f"{limp:9} {si_pct:6.1f}  {where:26} {noise:9}  {statistics.median(reads):7.1f}  "
            f"{statistics.median(errors):+6.1f}  {min(per_side):5d}  {statistics.median(found):6.0%}")


def main(seeds: int) -> None:
    print(f"{'limp':9} {'true':>6}  {'walk (view)':26} {'noise':9}  {'SI read':>7}  {'error':>6}  {'n/side':>5}  "
          f"{'found':>6}")
    for limp, si_pct in LIMPS:
        for direction, treadmill, views in SETUPS:
            for noise in ("plain", "mediapipe"):
                print(row(limp, si_pct, direction, treadmill, views, noise, seeds), flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
