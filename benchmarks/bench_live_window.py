"""UI-thread time per displayed frame of the live window (run by hand, not a test).

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_live_window.py [--assets ../shared] [--rounds 3]

What is timed is what the UI thread does for one frame in the app: ``MainWindow.show_update`` (video frame +
skeleton + knee markers, banner, chart data) and then the repaint Qt does for it (``processEvents``), plus, on
every 30th frame, the once-a-second refresh (tiles, cadence trend, status text). Updates are prepared
beforehand by the real live analysis (not timed: it runs on the pose thread in the app):

* demo:  the demo walker with a valgus fault on its 1280x720 background;
* video: frames of the shared two-people video (1768x994, as a camera would give) with the walker's skeleton.

The window is 1280x800, then 1920x1080 (full screen). Target: median <= 5 ms, so that a 30 fps camera leaves the
UI thread idle most of the time. Prints median and p95 per round, wall-clock and the UI thread's CPU time (which
other processes competing for the two cores do not inflate); rounds alternate so noise hits all alike.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import cv2  # noqa: E402
import numpy as np  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from gaitcoach.demo import DEMO_FPS, DemoEstimator, demo_spec, studio_background  # noqa: E402
from gaitcoach.live import LiveAnalysis  # noqa: E402
from gaitcoach.settings import AppSettings  # noqa: E402
from gaitcoach.worker import PoseResult  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.speech import CueSpeaker  # noqa: E402

FRAMES = 300  # 10 s at 30 fps
SLOW_EVERY = 30  # the once-a-second refresh, at 30 fps


def prepared_updates(images: list[np.ndarray]) -> list:
    """The valgus demo walker's updates, drawn over ``images`` (cycled), from the real live analysis."""
    height, width = images[0].shape[:2]
    estimator = DemoEstimator(replace(demo_spec("valgus", duration_s=FRAMES / DEMO_FPS + 1),
                                      image_width_px=width, image_height_px=height))
    analysis = LiveAnalysis()
    updates = []
    for i in range(FRAMES):
        t_ms = i * 1000.0 / DEMO_FPS
        estimate = estimator.process(images[0], t_ms)
        landmarks = None
        if estimate.landmarks is not None:
            landmarks = estimate.landmarks.copy()
            landmarks[:, 0] *= width
            landmarks[:, 1] *= height
        result = PoseResult(i, t_ms, width, height, landmarks, estimate.world_landmarks, 1, 0, 20.0, t_ms,
                            t_ms + 20.0, 0, images[i % len(images)])
        updates.append(analysis.process(result))
    return updates


def decode(path: Path, count: int) -> list[np.ndarray]:
    capture = cv2.VideoCapture(str(path))
    images = []
    while len(images) < count:
        ok, image = capture.read()
        if not ok:
            break
        images.append(image)
    capture.release()
    return images


def time_frames(app: QApplication, window: MainWindow, updates: list) -> tuple[list[float], list[float]]:
    """Milliseconds per displayed frame: wall-clock, and CPU time of the UI thread (the same unless other
    processes compete for the cores)."""
    window.set_pipeline_info("benchmark", "model none")
    app.processEvents()
    wall, cpu = [], []
    for i, update in enumerate(updates):
        started, started_cpu = time.perf_counter(), time.thread_time()
        window.show_update(update)
        if i % SLOW_EVERY == 0:
            window.refresh_slow()
        app.processEvents()
        wall.append((time.perf_counter() - started) * 1000.0)
        cpu.append((time.thread_time() - started_cpu) * 1000.0)
    return wall[SLOW_EVERY:], cpu[SLOW_EVERY:]  # the first second warms caches up


def _stats(times: list[float]) -> str:
    return f"median {statistics.median(times):5.2f} p95 {np.percentile(times, 95):5.2f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assets", default=str(Path(__file__).resolve().parents[2] / "shared"))
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    video = Path(args.assets) / "testdata" / "side_walk_two_people.mp4"
    scenarios = {"demo": prepared_updates([studio_background()])}
    if video.is_file():
        scenarios["video"] = prepared_updates(decode(video, 120))
    else:
        print(f"(no {video}: video scenario skipped)")
    settings = AppSettings(QSettings(str(Path(tempfile.gettempdir()) / "gaitcoach-bench.ini"),
                                     QSettings.Format.IniFormat))
    window = MainWindow(settings, CueSpeaker(say=lambda text: None))
    window.show()
    results: dict[tuple[str, str], tuple[list[float], list[float]]] = {}
    for round_index in range(args.rounds):
        for size in ((1280, 800), (1920, 1080)):
            window.resize(*size)
            app.processEvents()
            for name, updates in scenarios.items():
                wall, cpu = time_frames(app, window, updates)
                key = (name, f"{size[0]}x{size[1]}")
                results.setdefault(key, ([], []))
                results[key][0].extend(wall)
                results[key][1].extend(cpu)
                print(f"round {round_index + 1} {name:5s} {key[1]:9s} {_stats(wall)} | cpu {_stats(cpu)}")
    print(f"\nall rounds, ms of UI-thread work per displayed frame (load average {os.getloadavg()[0]:.1f}):")
    for (name, size), (wall, cpu) in results.items():
        print(f"  {name:5s} {size:9s} wall {_stats(wall)} | cpu {_stats(cpu)}  ({len(wall)} frames)")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
