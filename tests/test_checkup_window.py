"""The guided check-up through the real windows (issue 14), offscreen: the live window's Check-up button, one
screen per step with its instruction spoken, the set-up check's advice, the squats counted aloud, the result
cards, and the check-up stored as a session of its own kind with its figures.

The person is the synthetic walker doing what each instruction asks (``tests/test_checkup_flow.py``'s clips), fed
to the check-up as the live run's updates (``LiveAnalysis`` on its poses, as on the pose thread). Screenshots of
every screen go to artifacts/checkup_*.png to be looked at.
"""
from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from analysis.checkup import SINGLE_LEG_SQUAT, STANDING_ALIGNMENT  # noqa: E402
from gaitcoach.checkup_flow import DONE, MEASURING, STEPS  # noqa: E402
from gaitcoach.live import LiveAnalysis, LiveConfig  # noqa: E402
from gaitcoach.store import CHECKUP_KIND, SessionStore  # noqa: E402
from gaitcoach.worker import PoseResult  # noqa: E402
from checkup_person import clip, person_clips  # noqa: E402
from ui.session_keeper import SessionKeeper  # noqa: E402
from live_window import open_live_window  # noqa: E402

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


@pytest.fixture(scope="module")
def person():
    return person_clips()
BACKDROP = np.full((360, 640, 3), 90, np.uint8)  # a plain grey room: brightness 90


def pose_result(frame, index: int) -> PoseResult:
    image = None if frame.image_landmarks is None else frame.image_landmarks.copy()
    return PoseResult(index, frame.t_s * 1000.0, frame.image_width_px, frame.image_height_px, image,
                      frame.world_landmarks, 1, 0, 5.0, frame.t_s * 1000.0, frame.t_s * 1000.0 + 5.0, 0, BACKDROP)


def test_a_check_up_from_the_button_to_the_stored_figures(qtbot, tmp_path, person):
    spoken: list[str] = []
    window, controller, settings = open_live_window(qtbot, tmp_path, say=spoken.append)
    settings.user_height_m = 1.70
    store = SessionStore(tmp_path / "sessions.sqlite3")
    keeper = SessionKeeper(controller, window, store)
    try:
        window.checkup_action.trigger()  # nothing plays yet: the window says so, no check-up
        assert controller.checkup is None and "first" in window.notice.text()
        controller.start_demo("none")
        qtbot.waitUntil(lambda: controller.run is not None, timeout=10000)
        window.checkup_action.trigger()
        runner = controller.checkup
        assert runner is not None and controller.session is not None and controller.session.kind == CHECKUP_KIND
        # From here the test is the camera: the person follows each instruction (the demo's own frames no longer
        # reach the check-up).
        controller.checkup = None
        analysis = LiveAnalysis(LiveConfig(user_height_m=1.70))
        too_far = clip(activity="stand", direction="toward", duration_s=6.0, camera_distance_m=7.0)
        shots, t, playing, k, index = {}, 0.0, None, 0, 0
        while not runner.flow.done and t < 400.0:
            state = runner.flow.state
            key = STEPS[state.step][0]
            if key != playing:
                playing, k = key, 0
                frames = (too_far if key == "setup" else []) + person[key]
            frame = dataclasses.replace(frames[min(k, len(frames) - 1)], t_s=t)
            runner.add(analysis.process(pose_result(frame, index)))
            k, index, t = k + 1, index + 1, t + 1.0 / 30.0
            shown = runner.window.state
            name = (f"{shown.step}_{key}_{shown.phase}" + ("_advice" if key == "setup" and shown.setup_items and
                                                          not all(i.passed for i in shown.setup_items) else ""))
            if name not in shots and (key != "setup" or shown.setup_items) and (
                    shown.phase != MEASURING or shown.progress > 0.5):
                ARTIFACTS.mkdir(exist_ok=True)
                QApplication.processEvents()  # the layout follows the new text, as between frames live
                shots[name] = ARTIFACTS / f"checkup_{name}.png"
                assert runner.window.grab().save(str(shots[name]))
        assert runner.flow.done and runner.window.state.phase == DONE
        QApplication.processEvents()
        assert runner.window.grab().save(str(ARTIFACTS / "checkup_done.png"))
        assert any(name.endswith("_advice") for name in shots)  # the set-up check said what to change
        assert any(name.startswith("1_standing_alignment_result") for name in shots)
        # Spoken: every instruction, the set-up advice, the squats counted.
        for _, _, _, instruction in STEPS:
            assert instruction in spoken
        assert any("closer" in line for line in spoken) and spoken.count("Five") >= 2
        # The window's last screen lists every test's figures.
        text = runner.window.panel.text()
        for title in ("Set-up check", "Standing, facing the camera", "Standing, side-on", "Single-leg squat",
                      "One-minute walk"):
            assert title in text
        assert "Step evenness (symmetry index):" in text and ", 95 %)" in text  # the limp with its interval
        rows = runner.flow.rows()
        runner.stop()  # "Close": the check-up's session ends with its figures
        qtbot.waitUntil(lambda: controller.session is None, timeout=5000)
        qtbot.waitUntil(lambda: any(s.kind == CHECKUP_KIND and s.status == "finished"
                                    for s in store.list_sessions()), timeout=10000)
        stored = next(s for s in store.list_sessions() if s.kind == CHECKUP_KIND)
        saved = store.checkup_results(stored.id)
        assert [(r.test, r.metric) for r in saved] == [(r.test, r.metric) for r in rows]
        by = {(r.test, r.metric): r for r in saved}
        assert by[STANDING_ALIGNMENT, "knee_fppa_deg"].passed is False
        assert by[SINGLE_LEG_SQUAT, "knee_fppa_peak_deg"].right > 8.0
        assert not runner.window.isVisible()
    finally:
        controller.shutdown()
        keeper.close()


def recorded_checkup(database, rows, started_at: str) -> int:
    import sqlite3

    from gaitcoach.store import SessionRecorder

    recorder = SessionRecorder(database)
    recorder.start("Camera 0", "full", 1.70, "test", kind=CHECKUP_KIND, person="Me")
    recorder.finish([], rows)
    assert recorder.close(timeout_s=30.0) and recorder.error is None
    with sqlite3.connect(database) as conn:
        conn.execute("UPDATE sessions SET started_at = ? WHERE id = ?", (started_at, recorder.session_id))
    conn.close()
    return recorder.session_id


def test_check_ups_in_the_review_and_their_progress_by_date(qtbot, tmp_path, person):
    from test_checkup_flow import play

    from gaitcoach.checkup_flow import CheckupFlow
    from ui.review_window import ReviewWindow

    database = tmp_path / "sessions.sqlite3"
    better = dict(person, squat_right=clip(activity="single_leg_squat", direction="toward", duration_s=45.0,
                                           squat_leg="right", knee_valgus_right_deg=2.0, seed=6))
    dates = ("2025-05-04T18:10:00+02:00", "2025-05-25T18:10:00+02:00")
    flows = []
    for people, started in zip((person, better), dates):
        flow = CheckupFlow(user_height_m=1.70)
        play(flow, people)
        flows.append(flow)
        recorded_checkup(database, flow.rows(), started)
    review = ReviewWindow(SessionStore(database))
    qtbot.addWidget(review)
    review.resize(1400, 900)
    review.show()
    assert [s.kind for s in review.sessions] == [CHECKUP_KIND, CHECKUP_KIND]
    assert review.table.item(1, len(review.sessions) and 9).text().startswith("Check-up")
    review.select_session(review.sessions[-1].id)
    assert review.checkup_scroll.isVisible()
    text = review.checkup_panel.text()
    assert "Single-leg squat" in text and "Knee at the bottom" in text and "not a diagnosis" in text
    ARTIFACTS.mkdir(exist_ok=True)
    assert review.grab().save(str(ARTIFACTS / "review_checkup.png"))
    # Progress: the squat's knee by date, the right knee better the second time.
    picker = review.figure_pickers["progress-knees"]
    picker.setCurrentIndex(picker.findData("progress-checkup-squat"))
    panel = review.progress_charts["progress-knees"]
    assert panel.has_data
    firsts = [next(r for r in f.rows() if r.metric == "knee_fppa_peak_deg" and r.test == SINGLE_LEG_SQUAT).right
              for f in flows]
    assert firsts[0] > 8.0 > firsts[1]
    review.tabs.setCurrentIndex(1)
    QApplication.processEvents()
    assert review.grab().save(str(ARTIFACTS / "review_checkup_progress.png"))
    # Each test's figures by date: every check-up figure of the picker is charted from the two check-ups.
    keys = [picker.itemData(i) for i in range(picker.count()) if picker.itemData(i).startswith("progress-checkup")]
    assert len(keys) >= 9
    for key in keys:
        picker.setCurrentIndex(picker.findData(key))
        assert panel.has_data, key


def test_gaitcoach_checkup_opens_the_check_up_once_the_source_plays(qtbot, tmp_path):
    from gaitcoach.cli import build_parser

    args = build_parser().parse_args(["--checkup", "--demo"])
    assert args.checkup and args.demo == "none"
    spoken: list[str] = []
    window, controller, _ = open_live_window(qtbot, tmp_path, say=spoken.append)
    try:
        controller.open_checkup_when_playing()  # what run_app does with --checkup
        assert controller.checkup is None
        controller.start_demo("none")
        qtbot.waitUntil(lambda: controller.checkup is not None, timeout=10000)
        assert controller.session.kind == CHECKUP_KIND and controller.checkup.window.isVisible()
        assert STEPS[0][3] in spoken  # the first instruction, said aloud
        window.session_action.trigger()  # Space during a check-up stops the check-up, as its own Stop does
        qtbot.waitUntil(lambda: controller.session is None, timeout=5000)
        assert controller.checkup is None
    finally:
        controller.shutdown()


def test_a_check_up_stopped_half_way_keeps_what_it_measured(qtbot, qtlog, tmp_path, person):
    window, controller, _ = open_live_window(qtbot, tmp_path, show=False)
    store = SessionStore(tmp_path / "sessions.sqlite3")
    keeper = SessionKeeper(controller, window, store)
    try:
        controller.start_demo("none")
        qtbot.waitUntil(lambda: controller.run is not None, timeout=10000)
        window.checkup_action.trigger()
        runner = controller.checkup
        controller.checkup = None  # the test is the camera (as above)
        analysis = LiveAnalysis(LiveConfig(user_height_m=1.70))
        t, index, playing, k = 0.0, 0, None, 0
        while runner.flow.state.step < 2:  # the set-up and the standing test, then stop
            key = STEPS[runner.flow.state.step][0]
            if key != playing:
                playing, k = key, 0
            frame = dataclasses.replace(person[key][k], t_s=t)
            runner.add(analysis.process(pose_result(frame, index)))
            t, k, index = t + 1.0 / 30.0, k + 1, index + 1
        runner.window.stop_button.click()  # "Stop the check-up"
        qtbot.waitUntil(lambda: any(s.kind == CHECKUP_KIND and s.status == "finished"
                                    for s in store.list_sessions()), timeout=10000)
        stored = next(s for s in store.list_sessions() if s.kind == CHECKUP_KIND)
        tests = {row.test for row in store.checkup_results(stored.id)}
        assert tests == {"setup", STANDING_ALIGNMENT}  # what was measured, nothing of what was not
        assert not [r.message for r in qtlog.records if "stylesheet" in r.message.lower()]  # its look as written
    finally:
        controller.shutdown()
        keeper.close()
