"""Stored sessions made from the synthetic walker, for the store, CLI and review-window tests."""
from __future__ import annotations

import math
from dataclasses import dataclass

from analysis.analyser import RecordingAnalysis, analyse_recording
from analysis.coaching import Coach, Cue
from analysis.synthetic import WalkerSpec, generate
from gaitcoach.store import DEFAULT_PERSON, SessionRecorder


@dataclass
class RecordedWalk:
    session_id: int
    frames: list  # PoseFrame
    gait: RecordingAnalysis
    cues: list[tuple[float, Cue]]


def record_synthetic_session(database, spec: WalkerSpec, *, source: str = "synthetic walker",
                             started_at: str | None = None, finished: bool = True,
                             cue_thresholds: dict[str, float] | None = None,
                             person: str | None = DEFAULT_PERSON) -> RecordedWalk:
    """Analyse a synthetic walk offline, coach it (with ``cue_thresholds`` where given), and record all of it
    through a SessionRecorder; ``finished`` False ends it as the app does when it stops without finishing the
    session (interrupted, no summary)."""
    walk = generate(spec)
    gait = analyse_recording(walk.frames, user_height_m=spec.height_m)
    coach, cues, shown = Coach(cue_thresholds), [], None
    for step in gait.steps:
        cue = coach.add_step(step)
        if cue is not None and cue.key != shown:  # a new cue appears (as SessionRecorder.record keeps them)
            cues.append((step.ic_t_s, cue))
        shown = cue.key if cue is not None else None
    recorder = SessionRecorder(database)
    recorder.start(source, "none", spec.height_m, "test", cue_thresholds=coach.cue_thresholds, person=person)
    for frame, metrics in zip(walk.frames, gait.frames):
        recorder.record_frame(frame, metrics)
    for step in gait.steps:
        recorder.record_step(step)
    for t_s, cue in cues:
        recorder.record_cue(t_s, cue)
    if finished:
        recorder.finish(gait.summary)
    assert recorder.close(timeout_s=30.0) and recorder.error is None, recorder.error
    if started_at is not None:
        import sqlite3

        with sqlite3.connect(database) as conn:
            conn.execute("UPDATE sessions SET started_at = ? WHERE id = ?", (started_at, recorder.session_id))
        conn.close()
    return RecordedWalk(recorder.session_id, walk.frames, gait, cues)


def same_value(a, b) -> bool:
    """Equal, with NaN equal to NaN."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


def same_records(a, b) -> bool:
    """Two sequences of result dataclasses are equal field by field (NaN == NaN)."""
    from dataclasses import astuple

    return len(a) == len(b) and all(
        all(same_value(x, y) for x, y in zip(astuple(r), astuple(s))) for r, s in zip(a, b))
