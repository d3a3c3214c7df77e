"""A process that records a live-paced synthetic session (for the crash test, which kills it with SIGKILL).

    python tests/session_child.py DATABASE [DURATION_S]

Feeds a synthetic walker through GaitAnalyser into a SessionRecorder at real-time pace (30 fps) and prints, for
every frame handed to the recorder, ``<frame index> <time.monotonic()>`` (flushed), so the parent knows when each
frame was recorded. Once a second it also opens the database as the app's windows do (a reader beside the
recorder's writer, in the same process).
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analysis.analyser import GaitAnalyser  # noqa: E402
from analysis.synthetic import WalkerSpec, generate  # noqa: E402
from gaitcoach.store import SessionRecorder, SessionStore  # noqa: E402


def main(database: str, duration_s: float = 30.0) -> None:
    walk = generate(WalkerSpec(direction="toward", duration_s=duration_s, knee_valgus_right_deg=10.0,
                               step_time_asymmetry_pct=15.0, seed=7))
    analyser = GaitAnalyser(user_height_m=1.70)
    recorder = SessionRecorder(database)
    recorder.start("synthetic walker (crash test)", "none", 1.70, "test")
    if recorder.wait_created(10.0) is None:
        raise SystemExit(f"could not create the session: {recorder.error}")
    started = time.monotonic()
    for frame in walk.frames:
        delay = started + frame.t_s - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        metrics = analyser.update(frame)
        recorder.record_frame(frame, metrics)
        for step in analyser.new_steps_:
            recorder.record_step(step)
        if frame.frame_index % 30 == 0:
            with SessionStore(database) as store:
                store.list_sessions()
        print(frame.frame_index, time.monotonic(), flush=True)
    recorder.finish(analyser.summary())
    recorder.close()


if __name__ == "__main__":
    main(sys.argv[1], *map(float, sys.argv[2:3]))
