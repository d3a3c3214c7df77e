"""Live figures with frames dropped by a busy machine (issue 13, item 1; ``tests/frame_drops.py``,
``benchmarks/dropped_frames.py`` for the whole table).

Tolerances, the same as with every frame: contacts within 2 frames of the full frame rate (67 ms at 30 fps) with
the right foot, cadence within 1 step/min of the truth on the synthetic walker and within 3 steps/min of the by-eye
annotation on real video (``tests/test_real_video_events.py``).
"""
from __future__ import annotations

import pytest

from analysis.synthetic import WalkerSpec, generate
from analysis.types import INITIAL_CONTACT
from frame_drops import DropPattern, KeptFrames, live_analysis
from gaitcoach.sources import VideoFileSource
from gaitcoach.worker import PoseWorker
from real_video_truth import TrueEvent, score_kind, true_cadence_steps_per_min, true_events

SIDE_WALK = WalkerSpec(direction="left", treadmill=True, duration_s=20.0, pose_noise="mediapipe")


@pytest.fixture(scope="module")
def side_walk():
    walk = generate(SIDE_WALK)
    truth = [TrueEvent(e.t_s * walk.spec.fps, e.foot, e.kind, "") for e in walk.events]
    return walk, truth


def _score(walk, truth, pattern: DropPattern):
    keep = pattern.kept(len(walk.frames))
    analyser = live_analysis([f for f, k in zip(walk.frames, keep) if k], walk.spec.height_m)
    score = score_kind(list(analyser.events_), truth, INITIAL_CONTACT, lambda t: t * walk.spec.fps)
    cadence = {row.metric: row for row in analyser.summary()}["cadence_steps_per_min"].overall
    return score, cadence


def test_side_on_feet_alternate_after_a_false_early_contact(side_walk):
    """This walk's run starts with a false contact a half step early: judged against that one step time, every later
    contact looked like two steps (a contact missed), all labelled the same foot. The typical step time now needs two
    step times first."""
    walk, truth = side_walk
    score, cadence = _score(walk, truth, DropPattern(0.0))
    assert score.within_2 >= score.required - 1 and score.feet_right >= score.within_2 - 1, score
    assert cadence == pytest.approx(60.0 / walk.spec.stride_time_s * 2, abs=1.0)


@pytest.mark.parametrize("pattern, min_found_share", [
    (DropPattern(0.3), 0.95), (DropPattern(0.5), 0.95), (DropPattern(0.3, "random", 1), 0.75),
    (DropPattern(0.5, "random", 2), 0.65),
])
def test_side_on_contacts_feet_and_cadence_hold_with_frames_dropped(side_walk, pattern, min_found_share):
    """Regular drops (a steady inference a little slower than the camera) keep every contact; random ones, whose runs
    of 3-5 dropped frames now bridge instead of ending the walk (``MAX_GAP_FILL_S``), keep most of them, with the
    right feet and the cadence."""
    walk, truth = side_walk
    score, cadence = _score(walk, truth, pattern)
    assert score.within_2 >= min_found_share * score.required, score
    assert score.feet_right >= 0.8 * score.within_2, score
    assert score.false <= 4, score
    assert cadence == pytest.approx(60.0 / walk.spec.stride_time_s * 2, abs=1.0)


def test_real_side_walk_with_every_other_frame_dropped(assets):
    """The walker of the two-people clip, every other frame dropped before inference (as live when inference takes a
    little longer than a frame): every annotated contact within 2 frames with the right foot, cadence within 3."""
    clip = "side_walk_two_people.mp4"
    source = VideoFileSource(assets.video(clip))
    fps = source.fps
    results = []
    worker = PoseWorker(KeptFrames(source, DropPattern(0.5).kept(source.info.frame_count + 8)), assets.model_path,
                        results.append, keep_images=False, process_every_frame=True)
    worker.start()
    assert worker.join(120.0)
    assert {r.frame_index % 2 for r in results} == {0}
    frames = [r.to_pose_frame() for r in results]
    analyser = live_analysis(frames)
    truth = true_events(clip)
    t0 = frames[0].t_s
    score = score_kind(list(analyser.events_), truth, INITIAL_CONTACT, lambda t: (t - t0) * fps)
    assert score.missed == 0 and score.feet_right == score.within_2 and score.false <= 1, score
    cadence = {row.metric: row for row in analyser.summary()}["cadence_steps_per_min"].overall
    assert cadence == pytest.approx(true_cadence_steps_per_min(truth, fps), abs=3.0)
