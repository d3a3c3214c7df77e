"""Cost of GaitAnalyser.update per frame (run by hand: python benchmarks/bench_analyser.py). Target: <= 200 us median."""
from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis.analyser import GaitAnalyser  # noqa: E402
from analysis.events import score_events  # noqa: E402
from analysis.synthetic import WalkerSpec, generate  # noqa: E402


def main() -> None:
    for spec in (WalkerSpec(direction="left", treadmill=True, duration_s=20.0),
                 WalkerSpec(direction="toward", duration_s=20.0)):
        walk = generate(spec)
        analyser = GaitAnalyser(user_height_m=spec.height_m)
        costs = []
        for frame in walk.frames:
            t0 = time.perf_counter()
            analyser.update(frame)
            costs.append(time.perf_counter() - t0)
        us = np.array(costs) * 1e6
        score = score_events(analyser.events_, walk.events, 0.15)
        print(f"{spec.direction:6s} treadmill={spec.treadmill!s:5s} frames={len(us)}: median {np.median(us):.0f} us, "
              f"p99 {np.percentile(us, 99):.0f} us, max {us.max():.0f} us; events hits {score.hits} "
              f"misses {score.misses} false {score.false_events} MAE {score.mean_abs_error_s * 1000:.1f} ms")


if __name__ == "__main__":
    main()
