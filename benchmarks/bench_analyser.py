"""Cost of GaitAnalyser.update per frame (run by hand, not a test). Target: <= 200 us median.

    .venv/bin/python benchmarks/bench_analyser.py [--rounds 5]
    .venv/bin/python benchmarks/bench_analyser.py --baseline main [--rounds 5]

Each run feeds a fresh analyser every frame of a 20 s synthetic walk (side view on a treadmill, and frontal walking
toward the camera), timing each ``update``. Printed per walk: the medians over the rounds of each run's median and
99th percentile (the machine may be shared and noisy), the worst frame seen, and the events scored against the
walker's truth (deterministic, the same every run).

``--baseline REV`` also measures another revision's ``analysis/`` (extracted with ``git archive`` into a temporary
folder; the checkout is not touched) and prints both side by side. Each round runs both trees, one after the other,
each in a fresh process, so machine noise hits both alike.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
WALKS = {  # name -> WalkerSpec keyword arguments
    "side treadmill": dict(direction="left", treadmill=True, duration_s=20.0),
    "toward camera": dict(direction="toward", duration_s=20.0),
}


def run_once(tree: Path) -> dict[str, dict[str, float]]:
    """One run over every walk with the ``analysis`` package of ``tree`` (must be first on ``sys.path``)."""
    from analysis.analyser import GaitAnalyser
    from analysis.events import score_events
    from analysis.synthetic import WalkerSpec, generate

    assert Path(sys.modules["analysis"].__file__).resolve().parents[1] == tree.resolve(), "wrong analysis imported"
    out = {}
    for name, kwargs in WALKS.items():
        spec = WalkerSpec(**kwargs)
        walk = generate(spec)
        analyser = GaitAnalyser(user_height_m=spec.height_m)
        costs_s = []
        for frame in walk.frames:
            t0 = time.perf_counter()
            analyser.update(frame)
            costs_s.append(time.perf_counter() - t0)
        us = np.array(costs_s) * 1e6
        score = score_events(analyser.events_, walk.events, 0.15)
        out[name] = dict(frames=len(us), median_us=float(np.median(us)), p99_us=float(np.percentile(us, 99)),
                         max_us=float(us.max()), hits=score.hits, misses=score.misses, false=score.false_events,
                         mae_ms=score.mean_abs_error_s * 1000)
    return out


def run_in_process(tree: Path) -> dict[str, dict[str, float]]:
    """``run_once`` in a fresh interpreter that imports ``analysis`` from ``tree``."""
    code = f"import sys, json; sys.path.insert(0, {str(tree)!r}); sys.path.insert(1, {str(REPO)!r}); " \
           f"from benchmarks.bench_analyser import run_once; from pathlib import Path; " \
           f"print(json.dumps(run_once(Path({str(tree)!r}))))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def summarise(runs: list[dict[str, dict[str, float]]]) -> dict[str, dict[str, float]]:
    out = {}
    for name in WALKS:
        rows = [run[name] for run in runs]
        out[name] = dict(rows[0], median_us=statistics.median(r["median_us"] for r in rows),
                         p99_us=statistics.median(r["p99_us"] for r in rows), max_us=max(r["max_us"] for r in rows))
    return out


def line(name: str, row: dict[str, float]) -> str:
    return (f"{row['median_us']:6.0f} us median, p99 {row['p99_us']:5.0f} us, max {row['max_us']:5.0f} us; "
            f"events hits {row['hits']} misses {row['misses']} false {row['false']} MAE {row['mae_ms']:.1f} ms")


def extract(rev: str, into: Path) -> Path:
    """``analysis/`` of git revision ``rev`` into ``into``."""
    archive = subprocess.run(["git", "-C", str(REPO), "archive", "--format=tar", rev, "analysis"],
                             capture_output=True, check=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="runs per tree (default 5)")
    parser.add_argument("--baseline", metavar="REV", help="also measure this git revision's analysis/")
    args = parser.parse_args()
    if args.baseline is None:
        sys.path.insert(0, str(REPO))
        result = summarise([run_once(REPO) for _ in range(args.rounds)])
        print(f"GaitAnalyser.update per frame, medians over {args.rounds} runs:")
        for name, row in result.items():
            print(f"  {name:15s} ({row['frames']} frames): {line(name, row)}")
        return
    with tempfile.TemporaryDirectory() as tmp:
        trees = {args.baseline: extract(args.baseline, Path(tmp)), "this checkout": REPO}
        runs: dict[str, list] = {label: [] for label in trees}
        for _ in range(args.rounds):
            for label, tree in trees.items():
                runs[label].append(run_in_process(tree))
        results = {label: summarise(r) for label, r in runs.items()}
    print(f"GaitAnalyser.update per frame, medians over {args.rounds} alternating runs:")
    for name in WALKS:
        print(f"  {name} ({results['this checkout'][name]['frames']} frames)")
        for label, result in results.items():
            print(f"    {label:15s} {line(name, result[name])}")


if __name__ == "__main__":
    main()
