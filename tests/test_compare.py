"""Comparing sessions (issue 15, items 3-4): a figure's change is real only beyond the smallest change GaitCoach
can detect (``analysis.thresholds.SMALLEST_CHANGE``, from ``benchmarks/smallest_change.py``); the review compares
two sessions side by side and the progress tab says in words what changed."""
from __future__ import annotations

import math
import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from analysis.analyser import analyse_recording  # noqa: E402
from analysis.synthetic import WalkerSpec, generate  # noqa: E402
from analysis.thresholds import SMALLEST_CHANGE  # noqa: E402
from analysis.trends import compare_sessions, progress_sentence  # noqa: E402
from gaitcoach.store import SessionStore  # noqa: E402
from sessions_helpers import record_synthetic_session  # noqa: E402
from ui.review_window import ReviewWindow  # noqa: E402

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


def summary(seed: int, **spec):
    walk = generate(WalkerSpec(direction="toward", duration_s=60.0, pose_noise="mediapipe", seed=seed, **spec))
    return analyse_recording(walk.frames, user_height_m=1.70).summary


def test_the_same_walk_again_shows_no_real_change_and_a_better_walk_does():
    person = {"knee_valgus_right_deg": 12.0, "step_time_asymmetry_pct": 20.0}
    first, again = summary(1, **person), summary(2, **person)
    better = summary(3, knee_valgus_right_deg=4.0, step_time_asymmetry_pct=4.0)
    same = {(c.figure, c.side): c for c in compare_sessions(first, again)}
    judged = [c for c in same.values() if c.real is not None]
    assert len(judged) >= 6 and not any(c.real for c in judged), [(c.label, c.change) for c in judged if c.real]
    assert all(c.verdict() in ("no clear change", "not in both sessions") for c in same.values())
    changed = {(c.figure, c.side): c for c in compare_sessions(first, better)}
    si = changed["step_time_si_pct", None]
    assert si.real and si.verdict() == "real change: lower (better)"
    knee = changed["knee_fppa_deg", "right"]
    assert knee.real and knee.verdict() == "real change: nearer straight (better)"
    assert changed["cadence_steps_per_min", None].verdict() == "no clear change"
    assert changed["step_length_m", "left"].real is None  # walking toward the camera: no step length in either


def test_the_smallest_changes_come_from_the_benchmark_and_the_words_follow_them():
    assert SMALLEST_CHANGE["step_time_si_pct"] == 3.5 and SMALLEST_CHANGE["knee_fppa_deg"] == 1.0
    assert progress_sentence("Step-time difference", "step_time_si_pct", [14.2, math.nan, 9.0, 6.1], " %") == \
        "Step-time difference went from 14 % to 6 % over 3 sessions."
    assert progress_sentence("Step-time difference", "step_time_si_pct", [14.2, 12.0], " %") == \
        "Step-time difference stayed about the same (14 % to 12 % over 2 sessions: no clear change)."
    assert progress_sentence("Cadence", "cadence_steps_per_min", [110.0]) == \
        "Cadence: not enough sessions with it yet."


def test_the_review_compares_two_sessions_and_says_what_changed(qtbot, tmp_path):
    database = tmp_path / "sessions.sqlite3"
    record_synthetic_session(database, WalkerSpec(direction="toward", duration_s=60.0, knee_valgus_right_deg=12.0,
                                                  step_time_asymmetry_pct=20.0, seed=1),
                             source="Camera 0", started_at="2025-05-04T18:10:00+02:00")
    record_synthetic_session(database, WalkerSpec(direction="toward", duration_s=60.0, knee_valgus_right_deg=4.0,
                                                  step_time_asymmetry_pct=4.0, seed=3),
                             source="Camera 0", started_at="2025-05-25T18:10:00+02:00")
    review = ReviewWindow(SessionStore(database))
    qtbot.addWidget(review)
    review.resize(1400, 900)
    review.show()
    review.select_session(2)
    assert not review.comparison.isVisible()
    review.compare_with(1)
    text = review.comparison.text()
    assert review.comparison.isVisible()
    assert "real change: lower (better)" in text and "no clear change" in text and "smallest 3.5 %" in text
    ARTIFACTS.mkdir(exist_ok=True)
    assert review.grab().save(str(ARTIFACTS / "review_compare.png"))
    words = review.progress_header.text()
    assert "Step-time difference went from" in words and "Right knee alignment went from" in words
