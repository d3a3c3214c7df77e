"""Live pose pipeline under load (issue 13, item 2; run by hand, not a test):

    .venv/bin/python benchmarks/bench_load.py [--assets ../shared] [--lite FILE] [--rounds 2]

The shared two-people clip (decoded beforehand, 640x360) fed at 30 fps as if from a camera into the live pose worker
(frames dropped when inference is busy), with 0, 1 and 2 CPU cores kept busy by other processes (a tight loop each),
for the full model and, where given, the lite one (``--lite``: these machines cannot download it). Printed per case,
medians over rounds: frames analysed per second, the share dropped, background scans per second (they back off
while frames are being dropped) and whether the app would say it cannot keep up (``gaitcoach.keepup``).
"""
from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "benchmarks")]

from bench_pose_pipeline import decode, pipeline_run  # noqa: E402
import gaitcoach.worker  # noqa: E402
from gaitcoach.keepup import MIN_PROCESSED_FPS, MIN_PROCESSED_SHARE  # noqa: E402

CAMERA_FPS = 30.0
BUSY_DROPPED_SHARE = gaitcoach.worker.BUSY_DROPPED_SHARE


def _spin(stop) -> None:
    while not stop.is_set():
        sum(range(10_000))


def run_case(images, model: Path, busy_cores: int, back_off: bool) -> tuple[float, float, float]:
    # Off: a share of frames dropped that can never be exceeded, so the estimator is never told it is busy.
    gaitcoach.worker.BUSY_DROPPED_SHARE = BUSY_DROPPED_SHARE if back_off else 1.0
    context = multiprocessing.get_context("spawn")
    stop = context.Event()
    spinners = [context.Process(target=_spin, args=(stop,), daemon=True) for _ in range(busy_cores)]
    for spinner in spinners:
        spinner.start()
    try:
        results, elapsed_s, worker = pipeline_run(images, model, live=True)
    finally:
        stop.set()
        for spinner in spinners:
            spinner.join(5.0)
    span_s = (results[-1].t_ms - results[0].t_ms) / 1000.0
    return len(results) / (span_s + 1.0 / CAMERA_FPS), worker.dropped_frames / len(images), worker.scan_count / span_s


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assets", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--lite", type=Path, help="pose_landmarker_lite.task, if this machine has it")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    images = decode(args.assets / "testdata" / "side_walk_two_people.mp4")
    models = {"full": args.assets / "models" / "pose_landmarker_full.task"}
    if args.lite:
        models["lite"] = args.lite
    print(f"{len(images)} frames at 640x360 fed at {CAMERA_FPS:.0f} fps; {multiprocessing.cpu_count()} cores; "
          f"median of {args.rounds} rounds")
    print(f"{'model':6} {'busy cores':>10} {'scan back-off':>14} {'analysed fps':>13} {'dropped':>8} {'scans/s':>8}  "
          f"says it cannot keep up")
    for label, model in models.items():
        for busy in (0, 1, 2):
            for back_off in (True, False):  # side by side: the scan backing off while frames are dropped, or not
                runs = [run_case(images, model, busy, back_off) for _ in range(args.rounds)]
                fps, dropped, scans = (statistics.median(values) for values in zip(*runs))
                behind = fps < MIN_PROCESSED_FPS and fps < MIN_PROCESSED_SHARE * CAMERA_FPS
                print(f"{label:6} {busy:10d} {'on' if back_off else 'off':>14} {fps:13.1f} {dropped:8.0%} "
                      f"{scans:8.1f}  {'yes' if behind else 'no'}", flush=True)
    if not args.lite:
        print("lite: not measured (no pose_landmarker_lite.task on this machine; pass --lite FILE)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
