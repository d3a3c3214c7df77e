"""Cost over a long live session (issue 13, item 4; run by hand, not a test):

    .venv/bin/python benchmarks/bench_long_session.py [--minutes 60]

A session of ``--minutes`` of synthetic walking (a 60 s side-on treadmill walk with MediaPipe-like noise, replayed
back to back on one clock) goes frame by frame through ``gaitcoach.live.LiveAnalysis`` (analyser, coach, the
10-second tiles and the whole session's summary once a second), without pose inference or drawing, so that only
what grows with the session can show. Printed: frames analysed per second of wall time in minute 1 and in the last
minute, their ratio, and the process's resident memory (RSS) after minute 1 and at the end; for comparison, the
cost of one whole-session summary recomputed from every step (the way before issue 13) vs kept step by step.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from analysis.summary import summarise  # noqa: E402
from analysis.synthetic import WalkerSpec, generate  # noqa: E402
from gaitcoach.live import LiveAnalysis, LiveConfig, LiveSession  # noqa: E402
from gaitcoach.worker import PoseResult  # noqa: E402

LOOP_S = 60.0


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024.0
    return float("nan")


def pose_results(walk, offset_s: float, first_index: int):
    for i, frame in enumerate(walk.frames):
        t_ms = (frame.t_s + offset_s) * 1000.0
        yield PoseResult(first_index + i, t_ms, frame.image_width_px, frame.image_height_px, frame.image_landmarks,
                         frame.world_landmarks, frame.person_id, frame.other_people_count, 0.0,
                         read_monotonic_ms=t_ms, emitted_monotonic_ms=t_ms, dropped_frames_total=0)


def timed_ms(function, repeats: int = 5) -> float:
    costs = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        costs.append((time.perf_counter() - started) * 1000.0)
    return statistics.median(costs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=int, default=60)
    args = parser.parse_args()
    spec = WalkerSpec(direction="left", treadmill=True, duration_s=LOOP_S, pose_noise="mediapipe")
    walk = generate(spec)
    fps = spec.fps
    analysis = LiveAnalysis(LiveConfig(user_height_m=spec.height_m))
    analysis.begin_session(LiveSession(datetime.now().astimezone(), "synthetic", "none", analysis.config))
    minute_fps, rss = [], []
    index = 0
    for minute in range(args.minutes):
        started = time.perf_counter()
        count = 0
        for result in pose_results(walk, minute * (LOOP_S + 1.0 / fps), index):
            update = analysis.process(result)
            count += 1
        index += count
        minute_fps.append(count / (time.perf_counter() - started))
        rss.append(rss_mb())
        if minute in (0, args.minutes - 1) or (minute + 1) % 10 == 0:
            steps = int(update.session_summary[0].overall) if update.session_summary else 0
            print(f"minute {minute + 1:3d}: {minute_fps[-1]:7.0f} frames/s analysed, {steps} steps so far, "
                  f"RSS {rss[-1]:.1f} MB", flush=True)
    builder = analysis.analyser._core.steps
    recompute_ms = timed_ms(lambda: summarise(builder))
    incremental_ms = timed_ms(lambda: analysis.analyser.summary())
    first, last = minute_fps[0], minute_fps[-1]
    print(f"\nframes/s analysed: minute 1 {first:.0f}, minute {args.minutes} {last:.0f}; ratio {last / first:.3f} "
          f"(aim: within 3 %)")
    print(f"RSS: after minute 1 {rss[0]:.1f} MB, after minute {args.minutes} {rss[-1]:.1f} MB; growth "
          f"{rss[-1] - rss[0]:.1f} MB (aim: <= 20 MB)")
    print(f"whole-session summary after {len(builder.steps_)} steps: recomputed from every step {recompute_ms:.1f} ms, "
          f"kept step by step {incremental_ms:.2f} ms (once a second during a session)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
