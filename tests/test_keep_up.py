"""A computer that cannot keep up with the camera (issue 13, item 2): said once, in plain words, with the faster
model offered (or, as set, switched to)."""
from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


from gaitcoach.keepup import FALLING_BEHIND_S, MIN_PROCESSED_FPS, FallingBehind, KeepUpMonitor  # noqa: E402
from gaitcoach.live import LiveConfig, LiveRun, LiveUpdate, RunEnded  # noqa: E402
from gaitcoach.sources import VideoFileSource  # noqa: E402
from ui.controller import FASTEST_MODEL  # noqa: E402
from live_window import open_live_window  # noqa: E402

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
SLOWDOWN_S = 0.07  # an estimator this much slower than MediaPipe: about 11 of 30 frames a second analysed


def test_monitor_says_it_once_after_five_seconds_and_not_for_a_slow_camera():
    monitor = KeepUpMonitor("full")
    assert monitor.add(0.0, 30.0, 12.0) is None
    assert monitor.add(3.0, 30.0, 30.0) is None  # caught up: the clock starts again
    assert monitor.add(4.0, 30.0, 12.0) is None
    assert monitor.add(4.0 + FALLING_BEHIND_S - 0.1, 30.0, 12.0) is None
    behind = monitor.add(4.0 + FALLING_BEHIND_S, 30.0, 12.0)
    assert behind == FallingBehind(12.0, 30.0, "full")
    assert behind.text == ("This computer analyses only 12 of the camera's 30 frames a second, so some steps may be "
                           "missed.")
    assert monitor.add(20.0, 30.0, 5.0) is None  # once per run
    dim_camera = KeepUpMonitor("full")  # a camera that delivers 12 frames a second is not the computer's fault
    assert all(dim_camera.add(t, 12.0, 12.0) is None for t in range(20))
    busy_but_enough = KeepUpMonitor("full")  # 25 of 30 analysed: enough for the steps
    assert all(busy_but_enough.add(t, 30.0, MIN_PROCESSED_FPS + 5) is None for t in range(20))


instances: list = []


class _SlowEstimator:
    """MediaPipe's estimator on a machine busy with other work: each frame takes SLOWDOWN_S longer."""

    def __init__(self, model_path) -> None:
        from gaitcoach.pose import PoseEstimator

        self.inner = PoseEstimator(model_path)
        self.busy = False
        self.told_busy = instances.append(self) or False  # did the pose thread say frames were dropped?

    @property
    def scan_count(self) -> int:
        return self.inner.scan_count

    def process(self, image_bgr, t_ms):
        time.sleep(SLOWDOWN_S)
        self.inner.busy = self.busy
        self.told_busy |= self.busy
        return self.inner.process(image_bgr, t_ms)

    def close(self) -> None:
        self.inner.close()


def test_a_live_run_that_falls_behind_the_video_says_so_once(assets):
    """A video played as if live (30 fps) through real MediaPipe slowed down: after about five seconds the run
    reports FallingBehind once, with the rates it saw."""
    reports, done = [], threading.Event()

    def report(item) -> None:
        reports.append(item)
        if isinstance(item, RunEnded):
            done.set()

    run = LiveRun(VideoFileSource(assets.video("side_walk_two_people.mp4"), paced=True), assets.model_path, "full",
                  LiveConfig(), report, estimator_factory=_SlowEstimator)
    run.start()
    try:
        assert done.wait(60.0)
    finally:
        run.stop()
    behind = [r for r in reports if isinstance(r, FallingBehind)]
    assert len(behind) == 1, behind
    assert behind[0].processed_fps < MIN_PROCESSED_FPS and behind[0].camera_fps > 25 and behind[0].model_label == "full"
    updates = [r for r in reports if isinstance(r, LiveUpdate)]
    assert updates[-1].pose.dropped_frames_total > 0.4 * updates[-1].pose.frame_index
    assert instances[-1].told_busy  # so its background scan backed off


@pytest.fixture
def app(qtbot, tmp_path):
    window, controller, settings = open_live_window(qtbot, tmp_path, size=(1280, 800))
    yield window, controller, settings
    controller.shutdown()


@pytest.mark.parametrize("switch_by_itself", [False, True])
def test_the_window_offers_or_makes_the_switch_to_the_faster_model(app, qtbot, monkeypatch, switch_by_itself):
    window, controller, settings = app
    settings.faster_model_when_slow = switch_by_itself
    asked = []
    monkeypatch.setattr(controller, "prepare_model", lambda requested=None, chosen=False: asked.append(requested))
    controller.start_demo("none")
    qtbot.waitUntil(lambda: window.video_view.has_frame, timeout=10000)
    controller._falling_behind.emit(controller._playing.id, FallingBehind(11.0, 30.0, "full"))
    qtbot.waitUntil(window.notice.isVisible, timeout=2000)
    text = window.notice.text()
    assert "only 11 of the camera's 30 frames a second" in text
    if switch_by_itself:
        assert asked == [FASTEST_MODEL] and "Switching to the faster pose model (lite)" in text
        return
    assert asked == [] and "Use the faster pose model" in text
    ARTIFACTS.mkdir(exist_ok=True)
    assert window.grab().save(str(ARTIFACTS / "falling_behind.png"))
    window.notice.linkActivated.emit("action")  # the user clicks the link
    assert asked == [FASTEST_MODEL]
    assert window.notice.isVisible() and "Loading pose model lite" in window.notice.text()
