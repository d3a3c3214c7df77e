"""The live analysis stage without Qt: hand-off slot, mirroring, rates, set-up checks, and the demo walker played
through the real pose worker, analyser and coach."""
from __future__ import annotations

import math
import queue
import threading
from dataclasses import replace

import numpy as np
import pytest

from analysis.coaching import STATE_FAULT, Cue
from analysis.landmarks import (
    LEFT_ANKLE, LEFT_HIP, LEFT_KNEE, NUM_LANDMARKS, RIGHT_ANKLE, RIGHT_HIP, RIGHT_KNEE, VISIBILITY, X_PX, Y_PX,
)
from analysis.types import View
from gaitcoach.demo import DEMO_FAULTS, DemoEstimator, DemoSource, demo_estimator_factory, demo_spec
from gaitcoach.live import (
    LiveAnalysis,
    LiveConfig,
    LiveRun,
    LiveUpdate,
    MirrorHold,
    RateMeter,
    LiveSession,
    RunEnded,
    SessionEnded,
    UpdateSlot,
    image_brightness,
    rule_key,
    setup_observation,
)
from gaitcoach.worker import PoseResult, PoseWorker


def pose_result(t_s: float, landmarks: np.ndarray | None = None, image=None, width=640, height=360) -> PoseResult:
    return PoseResult(int(round(t_s * 30)), t_s * 1000.0, width, height, landmarks,
                      None if landmarks is None else np.zeros((NUM_LANDMARKS, 3)), 1, 0, 5.0, t_s * 1000.0,
                      t_s * 1000.0 + 5.0, 0, image)


def play_run(run: LiveRun, reports: queue.SimpleQueue, timeout_s: float = 120.0) -> list:
    """Start ``run`` and collect its reports until it says its source ended."""
    run.start()
    got = []
    while not got or not isinstance(got[-1], RunEnded):
        got.append(reports.get(timeout=timeout_s))
    assert run.worker.join(5.0)
    return got


def play_demo(fault: str, duration_s: float, config: LiveConfig | None = None):
    """Every update of the demo walker, unpaced, through a headless LiveRun (as the app plays it)."""
    reports = queue.SimpleQueue()
    run = LiveRun(DemoSource(fault, paced=False, duration_s=duration_s), None, "none", config or LiveConfig(),
                  reports.put, estimator_factory=demo_estimator_factory(fault))
    got = play_run(run, reports)
    assert got[-1] == RunEnded("", len(got) - 1)
    return run.analysis, got[:-1]


def shown_cues(updates) -> list[str]:
    keys = []
    for update in updates:
        key = update.cue.key if update.cue is not None else None
        if not keys or keys[-1] != key:
            keys.append(key)
    return keys


@pytest.fixture(scope="module")
def valgus_demo():
    return play_demo("valgus", 12.0)


def test_demo_valgus_through_the_real_pipeline_gets_the_knee_cue_once_aloud(valgus_demo):
    _, updates = valgus_demo
    assert len(updates) == 360  # every frame: 12 s at 30 fps
    assert "knee_valgus" in shown_cues(updates)
    spoken = [cue.key for update in updates for cue in update.speech]
    assert spoken.count("knee_valgus") == 1
    last = updates[-1]
    assert last.rules[rule_key("knee_valgus", "left")].state == STATE_FAULT
    assert last.rules[rule_key("knee_valgus", "right")].recent_value > 8.0
    assert 95.0 < last.summary["cadence_last_10_steps_per_min"].overall < 125.0  # the walker's 110
    assert sum(len(update.new_steps) for update in updates) >= 10  # steps in the turns are not counted


def test_display_is_mirrored_only_while_the_walker_faces_the_camera(valgus_demo):
    _, updates = valgus_demo
    facing = [u.mirrored for u in updates if u.metrics.view == View.FACING]
    back = [u.mirrored for u in updates if u.metrics.view == View.BACK]
    assert facing and back
    assert np.mean(facing) > 0.85 and np.mean(back) < 0.15  # the rest: the hold after a turn
    flips = sum(a.mirrored != b.mirrored for a, b in zip(updates, updates[1:]))
    passes = sum(a.metrics.view != b.metrics.view and View.FACING in (a.metrics.view, b.metrics.view)
                 for a, b in zip(updates, updates[1:]))
    assert flips <= passes  # never more flips than the view really changed


@pytest.mark.parametrize("fault, cue, duration_s", [
    ("limp", "step_symmetry", 16.0), ("pelvic_drop", "pelvic_drop", 10.0),
])
def test_demo_faults_get_their_cue(fault, cue, duration_s):
    # The limp cue waits for 6 step times a side and its interval above the threshold: ~15 s of 3-m passes.
    _, updates = play_demo(fault, duration_s)
    assert cue in shown_cues(updates)
    assert "knee_valgus" not in shown_cues(updates)


def test_thresholds_from_the_settings_reach_the_coach():
    _, updates = play_demo("valgus", 8.0, LiveConfig(cue_thresholds={"knee_valgus": 20.0}))
    assert "knee_valgus" not in shown_cues(updates)
    assert updates[-1].cue_thresholds["knee_valgus"] == 20.0


def test_session_marks_updates_and_restarts_the_analysis():
    analysis = LiveAnalysis()
    estimator = DemoEstimator(demo_spec("none", duration_s=6.0))
    source = DemoSource("none", paced=False, duration_s=6.0)
    session = LiveSession(started_at=None, source="demo", model="none", config=LiveConfig(user_height_m=1.7))
    updates = []
    for frame in source.frames():
        if frame.index == 90:
            analysis.begin_session(session)
        if frame.index == 150:
            analysis.end_session()
        estimate = estimator.process(frame.image_bgr, frame.t_ms)
        landmarks = estimate.landmarks.copy() if estimate.landmarks is not None else None
        if landmarks is not None:
            landmarks[:, 0] *= frame.image_bgr.shape[1]
            landmarks[:, 1] *= frame.image_bgr.shape[0]
        result = replace(pose_result(frame.t_ms / 1000.0, landmarks, frame.image_bgr, 1280, 720),
                         world_landmarks=estimate.world_landmarks)
        updates.append(analysis.process(result))
    assert [u.session is session for u in updates] == [90 <= i < 150 for i in range(len(updates))]
    assert analysis.config.user_height_m == 1.7  # the session's settings
    assert analysis.analyser.frames_seen_ == len(updates) - 90  # started afresh with the session


def test_update_slot_keeps_the_newest_and_never_loses_steps_or_speech():
    base = pose_result(0.0)
    slot = UpdateSlot()

    def update(i: int, steps=(), speech=()):
        return replace_update(base, i, steps, speech)

    assert slot.put(update(1, steps=("s1",), speech=(Cue("a", "A", "fault", 1),)))  # empty: wake the receiver
    assert not slot.put(update(2))  # already told
    assert not slot.put(update(3, steps=("s3",)))
    taken = slot.take()
    assert taken.pose.frame_index == 3 and taken.new_steps == ("s1", "s3") and [c.key for c in taken.speech] == ["a"]
    assert slot.take() is None and slot.merged_count == 2
    assert slot.put(update(4))


def replace_update(base, i, steps, speech):
    from gaitcoach.live import LiveUpdate

    return LiveUpdate(pose=replace(base, frame_index=i), metrics=None, new_steps=tuple(steps), cue=None,
                      speech=tuple(speech), rules={}, summary={}, cue_thresholds={}, mirrored=False,
                      camera_fps=math.nan, processed_fps=math.nan)


def test_mirror_hold_decides_at_once_then_waits_out_a_turn():
    hold = MirrorHold(hold_s=1.0)
    assert hold.update(0.0, View.UNKNOWN) is False
    assert hold.update(0.1, View.FACING) is True  # the first known view decides
    assert hold.update(0.2, View.BACK) is True
    assert hold.update(0.5, View.UNKNOWN) is True  # turning: keep
    assert hold.update(1.3, View.BACK) is False  # back for a second: unmirror
    assert hold.update(1.2, View.FACING) is False and hold.update(1.5, View.BACK) is False  # a blip resets
    assert hold.update(2.0, View.SIDE_LEFT) is False


def test_rate_meter_counts_per_second():
    meter = RateMeter(window_s=1.0)
    rates = [meter.add(i / 30.0, i) for i in range(90)]
    assert math.isnan(rates[0]) and rates[-1] == pytest.approx(30.0)
    meter = RateMeter(window_s=1.0)
    rates = [meter.add(i / 30.0, i // 2) for i in range(90)]  # every other frame processed
    assert rates[-1] == pytest.approx(15.0, abs=0.6)


def test_setup_observation_whole_body_and_brightness():
    spec = demo_spec("none", duration_s=1.0)
    frame = DemoEstimator(spec).walk.frames[0]
    landmarks = frame.image_landmarks.copy()
    image = np.full((360, 640, 3), 200, np.uint8)
    seen = setup_observation(pose_result(1.0, landmarks, image, spec.image_width_px, spec.image_height_px))
    assert seen.person_found and seen.whole_body_in_view and seen.brightness == pytest.approx(200.0)
    landmarks[LEFT_ANKLE, X_PX] = -5.0  # a foot outside the picture
    assert not setup_observation(pose_result(1.0, landmarks, None, 1280, 720)).whole_body_in_view
    landmarks = frame.image_landmarks.copy()
    landmarks[LEFT_ANKLE, VISIBILITY] = 0.1
    assert not setup_observation(pose_result(1.0, landmarks, None, 1280, 720)).whole_body_in_view
    nobody = setup_observation(pose_result(1.0))
    assert not nobody.person_found and not nobody.whole_body_in_view and math.isnan(nobody.brightness)
    assert image_brightness(np.zeros((8, 8, 3), np.uint8)) == 0.0


def test_a_pose_that_cannot_be_someone_standing_gets_the_set_up_cue():
    """Issue 9, item 4: someone sitting in view (knees at hip height: the analyser measures nothing) is told,
    after SETUP_PERSISTENCE_S, to stand up and walk in view; the figures stay empty meanwhile."""
    spec = demo_spec("none", duration_s=1.0)
    frame = DemoEstimator(spec).walk.frames[0]
    sitting = frame.image_landmarks.copy()
    hips_y = 0.5 * (sitting[LEFT_HIP, Y_PX] + sitting[RIGHT_HIP, Y_PX])
    shank = sitting[LEFT_ANKLE, Y_PX] - sitting[LEFT_KNEE, Y_PX]
    sitting[[LEFT_KNEE, RIGHT_KNEE], Y_PX] = hips_y
    sitting[[LEFT_ANKLE, RIGHT_ANKLE], Y_PX] = hips_y + shank
    analysis = LiveAnalysis()
    updates = [analysis.process(pose_result(i / 30, sitting, None, spec.image_width_px, spec.image_height_px))
               for i in range(60)]
    assert updates[-1].cue is not None and updates[-1].cue.key == "setup_pose"
    assert updates[-1].cue.text == "Stand up and walk in view"
    assert all(math.isnan(u.metrics.knee_fppa_left_deg) for u in updates)


def test_demo_source_is_paced_like_a_camera_and_loops_the_walk():
    source = DemoSource("none", paced=True, duration_s=0.3)
    frames = list(source.frames())
    assert len(frames) == 9 and frames[-1].read_monotonic_ms - frames[0].read_monotonic_ms >= 250
    assert all(frame.image_bgr is source.background for frame in frames)  # one image, never copied
    estimator = DemoEstimator(demo_spec("none", duration_s=2.0))
    assert estimator.process(source.background, 1000.0).landmarks[:, X_PX].max() <= 1.0  # normalised
    assert estimator.process(source.background, 2500.0).landmarks is None  # the walker left between loops
    looped = estimator.process(source.background, 3000.0)  # 2 s walk + 1 s away
    assert np.allclose(looped.landmarks, estimator.process(source.background, 0.0).landmarks)
    with pytest.raises(ValueError, match="valgus"):
        DemoSource("valgas")
    assert set(DEMO_FAULTS) == {"none", "valgus", "limp", "pelvic_drop"}


def test_pose_result_tells_the_analyser_which_person_it_follows():
    frame = replace(pose_result(1.0, np.zeros((NUM_LANDMARKS, 5))), person_id=7).to_pose_frame()
    assert frame.person_id == 7  # a change of person ends the analyser's walking bout


def test_worker_without_a_model_reports_the_error():
    errors, done = [], threading.Event()
    worker = PoseWorker(DemoSource("none", paced=False, duration_s=1.0), None, lambda result: None,
                        lambda error: (errors.append(error), done.set()))
    worker.start()
    assert done.wait(10) and worker.stop(1.0)
    assert isinstance(errors[0], ValueError) and "model" in str(errors[0])


def test_a_headless_live_run_records_a_real_walk_into_the_store(assets, tmp_path):
    """Issue 11, item 1: one LiveRun owns source -> MediaPipe -> analysis -> coach -> session recorder, without
    Qt. A session begun before the first frame records every analysed frame into a real SQLite store; when the
    video ends the run ends the session (finished, with its summary), then reports that the source ended."""
    from gaitcoach.sources import VideoFileSource
    from gaitcoach.store import SessionRecorder, SessionStore

    store = SessionStore(tmp_path / "sessions.sqlite3")
    recorders = []

    def new_recorder(session: LiveSession) -> SessionRecorder:
        recorder = SessionRecorder(store)
        recorder.start(session.source, session.model, session.config.user_height_m, "test")
        recorders.append(recorder)
        return recorder

    reports = queue.SimpleQueue()
    run = LiveRun(VideoFileSource(assets.video("side_walk_two_people.mp4")), assets.model_path, "full",
                  LiveConfig(user_height_m=1.65), reports.put)
    session = run.begin_session(recorder_factory=new_recorder)
    got = play_run(run, reports)
    updates = [report for report in got if isinstance(report, LiveUpdate)]
    (ended,) = [report for report in got if isinstance(report, SessionEnded)]
    assert got[-1] == RunEnded("", 230) and len(updates) == 230  # a file: every frame, in order
    assert [u.pose.frame_index for u in updates] == list(range(230))
    assert all(update.session is session for update in updates)
    assert ended.session.started_at == session.started_at and ended.recording_error is None
    assert ended.session.summary == updates[-1].session_summary and run.session is None
    # What the end-of-session card says besides the summary (issue 12, item 3): walked time, data, cues.
    assert ended.walked_s == pytest.approx(updates[-1].t_s - updates[0].t_s)
    shown = [u.cue.key for u in updates if u.cue is not None]
    assert [cue.key for cue, _ in ended.cues] == list(dict.fromkeys(shown))
    (recorder,) = recorders
    assert recorder.close(10.0) and recorder.error is None
    info = store.session(recorder.session_id)
    assert info.status == "finished" and info.frame_count == 230 and info.user_height_m == 1.65
    assert ended.data_notes == info.data_notes == ("few steps: no symmetry",)  # the card says what the review says
    feet = {step.foot for step in store.steps(recorder.session_id)}
    assert feet == {"left", "right"}  # she walks across: both feet's steps are found live too
    store.close()


def test_live_updates_carry_every_rule_for_either_foot_and_per_foot_rules_per_foot():
    from analysis.rules import COACHING_RULES
    from gaitcoach.live import RULE_KEYS
    from analysis.types import LEFT, RIGHT

    assert set(RULE_KEYS) == ({(rule.key, None) for rule in COACHING_RULES}
                              | {(rule.key, foot) for rule in COACHING_RULES if rule.per_foot for foot in (LEFT, RIGHT)})
    _, updates = play_demo("valgus", 2.0)
    assert set(updates[-1].rules) == {rule_key(rule, foot) for rule, foot in RULE_KEYS}
