"""``gaitcoach analyze`` of several videos: one at a time (``--jobs 1``) vs in parallel processes (``--jobs N``),
side by side in one run (run by hand, not a test):

    .venv/bin/python benchmarks/bench_analyze_jobs.py [--assets ../shared] [--rounds 3] [--jobs 2]

Four shared clips, each round running both ways (alternating which goes first), wall time of the whole command
(process start, model load, decoding, inference, CSV files). Also checks that both ways write byte-identical files.
"""
from __future__ import annotations

import argparse
import filecmp
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CLIPS = ("side_walk_two_people.mp4", "side_walk_60fps_short.mp4", "frontal_walk_toward_outdoor.mp4",
         "treadmill_run_side_portrait.mp4")


def run(videos: list[Path], jobs: int, out: Path, model: Path) -> float:
    env = dict(os.environ, GAITCOACH_MODEL=str(model))
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "gaitcoach.cli", "analyze", *map(str, videos), "--out", str(out),
                    "--jobs", str(jobs)], check=True, env=env, cwd=REPO, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def identical(a: Path, b: Path) -> bool:
    comparison = filecmp.dircmp(a, b)
    if comparison.left_only or comparison.right_only:
        return False
    for sub in comparison.common_dirs:
        names = sorted(p.name for p in (a / sub).iterdir())
        _, mismatch, errors = filecmp.cmpfiles(a / sub, b / sub, names, shallow=False)
        if mismatch or errors:
            return False
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assets", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    args = parser.parse_args()
    videos = [args.assets / "testdata" / clip for clip in CLIPS]
    model = args.assets / "models" / "pose_landmarker_full.task"
    times: dict[int, list[float]] = {1: [], args.jobs: []}
    same = True
    with tempfile.TemporaryDirectory() as tmp:
        for round_index in range(args.rounds):
            order = (1, args.jobs) if round_index % 2 == 0 else (args.jobs, 1)
            outs = {}
            for jobs in order:
                outs[jobs] = Path(tmp) / f"r{round_index}-j{jobs}"
                times[jobs].append(run(videos, jobs, outs[jobs], model))
            same = same and identical(outs[1], outs[args.jobs])
            print(f"round {round_index + 1}: " + ", ".join(f"--jobs {j}: {times[j][-1]:.1f} s" for j in order),
                  flush=True)
    one, many = statistics.median(times[1]), statistics.median(times[args.jobs])
    print(f"\n{len(videos)} videos on {os.cpu_count()} cores: median wall time --jobs 1 {one:.1f} s, "
          f"--jobs {args.jobs} {many:.1f} s; ratio {many / one:.2f} (speed-up {one / many:.2f}x); "
          f"outputs byte-identical: {'yes' if same else 'NO'}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
