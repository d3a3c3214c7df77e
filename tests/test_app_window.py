"""The window really opens (offscreen), plays a real video through real MediaPipe, and shows the skeleton."""
from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from gaitcoach.app import LiveController  # noqa: E402
from ui.main_window import EMPTY_STATE_TEXT, MainWindow  # noqa: E402

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


def test_window_plays_video_with_skeleton_and_stops_cleanly(qtbot, assets, monkeypatch):
    monkeypatch.setenv("GAITCOACH_MODEL", str(assets.model_path))
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(1100, 700)
    window.show()
    controller = LiveController(window, None)
    controller.prepare_model()
    qtbot.waitUntil(lambda: controller.model is not None, timeout=10000)
    controller.start_source(str(assets.video("side_walk_two_people.mp4")))
    shown = []
    original = window.show_result
    monkeypatch.setattr(window, "show_result", lambda r, s: (shown.append(r), original(r, s)))
    # Frame 90: the walker is mid-screen.
    qtbot.waitUntil(lambda: bool(shown) and shown[-1].frame_index >= 90 and shown[-1].pose_detected, timeout=30000)
    assert window.video_view._landmarks is not None
    assert "person found" in window.status_label.text()
    ARTIFACTS.mkdir(exist_ok=True)
    image = window.grab()
    image.save(str(ARTIFACTS / "live_window.png"))
    assert image.width() >= 1000
    controller.stop()
    assert not any(t.name.startswith("gaitcoach-capture") or t.name.startswith("gaitcoach-pose") and t.is_alive()
                   for t in threading.enumerate())


def test_empty_state_without_a_camera(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    window.set_cameras([])
    assert window.video_view.placeholder_text == EMPTY_STATE_TEXT
    assert window.camera_picker.currentText() == "No camera found"
