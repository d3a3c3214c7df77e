"""Session store cost (run by hand, not a test): bytes per minute of session, and what writing costs.

    .venv/bin/python benchmarks/bench_store.py [--minutes 10] [--speedup 20]

A synthetic walker session (30 fps, both landmark sets, per-frame metrics and steps from the real analysis) is
recorded through ``SessionRecorder`` as the app records a live one, but ``speedup`` times faster than real time
with the commit interval shortened by the same factor, so that every commit holds what it holds live (half a
second: 15 frames). Printed:

* the database size per 10 minutes of session (after a WAL checkpoint) and which tables it goes to, next to the
  same landmarks as raw float64 (what a naive store would keep); target <= 10 MB per 10 minutes;
* the writer thread's busy time (packing + committing) per second of session: median and p95 per commit, and the
  share of one core it takes;
* what the caller (the pose thread in the app; the UI thread never records) pays per ``record_frame``: it only
  queues, so this is microseconds; the disk is touched by the writer thread alone.
"""
from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis.analyser import analyse_recording  # noqa: E402
from analysis.synthetic import WalkerSpec, generate  # noqa: E402
from gaitcoach.store import COMMIT_INTERVAL_S, LANDMARK_VALUES, SessionRecorder, SessionStore  # noqa: E402

MB = 1e6


def record(database: Path, frames, gait, speedup: float) -> tuple[SessionRecorder, list[float], float]:
    """Record the walk paced at ``speedup`` x real time; the recorder, the per-call cost (s) and the session s."""
    recorder = SessionRecorder(database, commit_interval_s=COMMIT_INTERVAL_S / speedup)
    recorder.start("synthetic walker (benchmark)", "none", 1.70, "bench")
    steps_by_frame: dict[int, list] = {}
    for step in gait.steps:
        steps_by_frame.setdefault(step.ic_frame, []).append(step)
    call_s = []
    started = time.perf_counter()
    first_t_s = frames[0].t_s
    for frame, metrics in zip(frames, gait.frames):
        due = started + (frame.t_s - first_t_s) / speedup
        pause = due - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
        t0 = time.perf_counter()
        recorder.record_frame(frame, metrics)
        for step in steps_by_frame.get(frame.frame_index, ()):
            recorder.record_step(step)
        call_s.append(time.perf_counter() - t0)
    recorder.finish(gait.summary)
    assert recorder.close(timeout_s=120.0) and recorder.error is None, recorder.error
    return recorder, call_s, frames[-1].t_s - first_t_s


def table_bytes(database: Path) -> dict[str, int]:
    """Bytes on disk per table (its indexes included), from SQLite's dbstat."""
    with sqlite3.connect(database) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        rows = conn.execute("SELECT coalesce(m.tbl_name, d.name), sum(d.pgsize) FROM dbstat AS d "
                            "LEFT JOIN sqlite_master AS m ON m.name = d.name GROUP BY 1").fetchall()
    conn.close()
    return dict(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="session length (default 10)")
    parser.add_argument("--speedup", type=float, default=20.0, help="times real time (default 20)")
    args = parser.parse_args()

    walk = generate(WalkerSpec(direction="toward", duration_s=args.minutes * 60.0, seed=7))
    gait = analyse_recording(walk.frames, user_height_m=1.70)
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "sessions.sqlite3"
        SessionStore(database).close()
        empty_bytes = database.stat().st_size
        recorder, call_s, session_s = record(database, walk.frames, gait, args.speedup)
        per_table = table_bytes(database)
        file_bytes = database.stat().st_size - empty_bytes
        with SessionStore(database) as store:
            integrity = store.integrity_check()

    per_10_min = 600.0 / session_s
    frames_with_pose = sum(frame.image_landmarks is not None for frame in walk.frames)
    raw_landmark_bytes = frames_with_pose * LANDMARK_VALUES * 8  # float64, uncompressed
    print(f"session: {session_s / 60:.1f} min, {len(walk.frames)} frames ({frames_with_pose} with a pose), "
          f"{len(gait.steps)} steps; recorded at {args.speedup:g}x real time; integrity_check: {integrity}")
    print(f"database: {file_bytes / MB:.2f} MB for the session = {file_bytes * per_10_min / MB:.2f} MB per 10 min "
          f"({file_bytes / (session_s / 60) / 1e3:.0f} kB/min); target <= 10 MB per 10 min")
    for table, size in sorted(per_table.items(), key=lambda item: -item[1]):
        if size > 64 * 1024:
            print(f"  {table:16s} {size * per_10_min / MB:6.2f} MB per 10 min")
    print(f"  landmarks as raw float64 would be {raw_landmark_bytes * per_10_min / MB:.2f} MB per 10 min; stored "
          f"{per_table.get('landmark_chunks', 0) / raw_landmark_bytes:.2f}x of that")

    batches = list(recorder.stats.batches)
    busy = np.array([busy_s for _, busy_s in batches])
    rows = np.array([count for count, _ in batches])
    # Each commit holds half a second of session; busy seconds per session second is the writer's load.
    session_s_per_commit = session_s / len(batches)
    print(f"writer thread: {len(batches)} commits of median {np.median(rows):.0f} rows; busy per commit median "
          f"{np.median(busy) * 1e3:.2f} ms, p95 {np.percentile(busy, 95) * 1e3:.2f} ms = "
          f"{np.median(busy) / session_s_per_commit * 1e3:.1f} ms per second of session "
          f"({busy.sum() / session_s * 100:.2f}% of one core over the session)")
    calls = np.array(call_s) * 1e6
    print(f"caller (pose thread) per frame: record_frame median {np.median(calls):.1f} us, "
          f"p99 {np.percentile(calls, 99):.1f} us (queues only; no disk I/O outside the writer thread)")


if __name__ == "__main__":
    main()
