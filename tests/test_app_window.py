"""The live coaching window, offscreen: a real video through real MediaPipe, the demo walker through the real
analysis and coach, cues on screen and aloud, no flicker, sessions, settings, bad input, and clean shutdown.

Screenshots go to artifacts/ (live_window.png, demo_valgus.png, coach_mode.png) to be looked at.
"""
from __future__ import annotations

import functools
import math
import os
import threading
import time
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QMimeData, QPointF, QSettings, Qt, QUrl  # noqa: E402
from PySide6.QtGui import QDropEvent, QGuiApplication  # noqa: E402

from analysis.synthetic import WalkerSpec, generate  # noqa: E402
from analysis.types import LEFT, RIGHT, View  # noqa: E402
import ui.controller as controller_module  # noqa: E402
import ui.main_window as main_window_module  # noqa: E402
from gaitcoach.models import resolve_model  # noqa: E402
from ui.controller import LiveController  # noqa: E402
from gaitcoach.cli import build_parser  # noqa: E402
from gaitcoach.live import LiveAnalysis, LiveConfig  # noqa: E402
from analysis.rules import DEFAULT_CUE_THRESHOLDS  # noqa: E402
from gaitcoach.settings import AppSettings  # noqa: E402
from gaitcoach.worker import PoseResult  # noqa: E402
from ui.main_window import EMPTY_STATE_TEXT, MainWindow  # noqa: E402
from ui.speech import CueSpeaker  # noqa: E402

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
PIPELINE_THREADS = ("gaitcoach-capture", "gaitcoach-pose")  # also matches gaitcoach-pose-scanner


def pipeline_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith(PIPELINE_THREADS) and t.is_alive()]


@pytest.fixture
def settings(tmp_path) -> AppSettings:
    return AppSettings(QSettings(str(tmp_path / "gaitcoach.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def spoken() -> list[str]:
    return []


@pytest.fixture
def app(qtbot, settings, spoken):
    """A shown 1280x800 window with its controller; speech goes to ``spoken``; stopped at the end."""
    window = MainWindow(settings, CueSpeaker(say=spoken.append))
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    controller = LiveController(window, settings)
    yield window, controller
    controller.shutdown()
    assert not pipeline_threads()


def save(window, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    assert window.grab().save(str(path))
    return path


def record_updates(window, monkeypatch) -> list:
    shown = []
    original = window.show_update
    monkeypatch.setattr(window, "show_update", lambda update: (shown.append(update), original(update)))
    return shown


def test_window_plays_the_shared_video_end_to_end(app, assets, monkeypatch, qtbot):
    """Every frame through real MediaPipe and the live analysis (not paced, so the machine's speed does not
    decide what is analysed); the window shows the newest, with skeleton, cue banner, tiles and status."""
    window, controller = app
    monkeypatch.setenv("GAITCOACH_MODEL", str(assets.model_path))
    shown = record_updates(window, monkeypatch)
    recorder = Recorder()
    controller.recorder_factory = lambda session: recorder
    controller.start_source(str(assets.video("side_walk_two_people.mp4")), paced=False)
    qtbot.waitUntil(lambda: window.video_view.has_frame, timeout=30000)
    window.session_action.trigger()  # a session records every analysed frame
    # Frames 130-150: the walker is mid-screen, after a few steps.
    qtbot.waitUntil(lambda: bool(shown) and shown[-1].pose.frame_index >= 130 and shown[-1].pose.pose_detected,
                    timeout=60000)
    assert window.video_view.has_frame and window.video_view.landmarks is not None
    window.refresh_slow()
    assert "person found" in window.status_label.text() and "model pose_landmarker_full" in window.status_label.text()
    save(window, "live_window.png")
    qtbot.waitUntil(lambda: window.notice.isVisible() and "End of" in window.notice.text(), timeout=60000)
    assert controller.worker is not None and not controller.worker.running
    assert shown[-1].pose.frame_index == 229  # played to the end
    recorded = [update.pose.frame_index for update in recorder.updates]
    assert recorded == list(range(recorded[0], 230))  # every frame analysed from the session's start
    window.refresh_slow()
    cadence = window.tiles.tiles["cadence"].value_text
    assert cadence != "\u2013" and 60 <= float(cadence) <= 160  # the woman walks at about 100 steps/min
    assert window.tiles.tiles["step_length"].value_text != "\u2013"  # side view: step length is measured
    assert window.banner.text in ("Keep walking", "") or window.banner.text.startswith(("\u25b2", "\u25a0", "\u2714"))


def test_demo_valgus_shows_and_speaks_the_knee_cue_with_marked_knees(app, qtbot, monkeypatch, spoken):
    window, controller = app
    shown = record_updates(window, monkeypatch)
    controller.start_demo("valgus", paced=False)
    knee_cue = "\u25b2 Knees out over your toes"
    both_knees_in = {"left": "fault", "right": "fault"}  # both knees of this walker go in
    qtbot.waitUntil(lambda: window.banner.text == knee_cue and shown[-1].metrics.view == View.FACING
                    and shown[-1].mirrored and window.video_view.knee_states == both_knees_in, timeout=20000)
    assert window.video_view.mirrored and window.video_view.badge_text == "DEMO"
    assert window.tiles.tiles["knee_left"].state_text == "\u25b2 IN"  # with the banner, not a second later
    assert float(window.tiles.tiles["knee_right"].value_text.rstrip("\u00b0")) > 8.0
    assert spoken.count("Knees out over your toes") == 1
    aim = window.charts.band.getRegion()[0]  # the banner's aim is the line the chart draws, one number
    assert aim == 8.0 and window.banner.detail_label.text().endswith(f"(aim below {aim:g}\u00b0)")
    assert "demo walker (knee valgus)" in window.status_label.text()
    save(window, "demo_valgus.png")


def assert_no_tile_contradicts_its_figure(window, thresholds) -> int:
    """Issue 12, item 1: a green OK only with the figure (as shown) within its aim, a red word only past it."""
    checked = 0
    for key, rule in (("knee_left", "knee_valgus"), ("knee_right", "knee_valgus"), ("pelvic_drop", "pelvic_drop"),
                      ("symmetry", "step_symmetry")):
        tile = window.tiles.tiles[key]
        if tile.value_text == "\u2013":
            continue
        value = float(tile.value_text.rstrip("\u00b0"))
        if tile.state_text.startswith("\u25cf"):  # OK
            assert value < thresholds[rule], (key, tile.value_text, tile.state_text)
        if tile.state_text.startswith("\u25b2"):  # a fault
            assert value >= thresholds[rule], (key, tile.value_text, tile.state_text)
        checked += 1
    return checked


def test_no_tile_contradicts_its_figure_while_the_demo_walks(app, qtbot, monkeypatch):
    window, controller = app
    shown = record_updates(window, monkeypatch)
    controller.start_demo("valgus", paced=False)
    checked = 0
    for _ in range(40):  # about 8 s of walking, the tiles refreshed as often as the window does
        qtbot.wait(200)
        if shown:
            window.refresh_slow()
            checked += assert_no_tile_contradicts_its_figure(window, shown[-1].cue_thresholds)
    assert checked >= 40


def test_demo_limp_gets_the_symmetry_cue(app, qtbot):
    window, controller = app
    controller.start_demo("limp", paced=False)  # as `gaitcoach --demo limp` does
    assert window.demo_picker.currentData() == "limp"
    qtbot.waitUntil(lambda: window.banner.text == "\u25b2 Even out your steps", timeout=20000)
    assert window.tiles.tiles["symmetry"].state_text == "\u25b2 UNEVEN"


def synthetic_results(spec: WalkerSpec) -> list[PoseResult]:
    """The walker as the pose worker would hand it on (pixels, timings), without threads."""
    walk = generate(spec)
    return [PoseResult(f.frame_index, f.t_s * 1000.0, f.image_width_px, f.image_height_px, f.image_landmarks,
                       f.world_landmarks, 1, 0, 1.0, f.t_s * 1000.0, f.t_s * 1000.0, 0, None) for f in walk.frames]


def test_a_metric_flickering_around_its_threshold_does_not_flicker_on_screen(qtbot, settings):
    results = synthetic_results(WalkerSpec(direction="toward", treadmill=True, duration_s=30.0, seed=5,
                                           knee_valgus_left_deg=9.0, knee_valgus_right_deg=9.0))
    # Put the knee threshold right at this walker's own median stance peak: about half the steps pass it.
    probe = LiveAnalysis()
    peaks = [s.knee_fppa_deg for r in results for s in (probe.process(r).new_steps)]
    threshold = float(np.nanmedian(peaks))
    assert sum(p > threshold for p in peaks) >= 0.3 * len(peaks)  # the figure really crosses it both ways
    analysis = LiveAnalysis(LiveConfig(cue_thresholds={"knee_valgus": threshold}))
    window = MainWindow(settings, CueSpeaker(say=lambda text: None))
    qtbot.addWidget(window)
    window.show()
    banner, knees, tile_texts = [], [], []
    for i, result in enumerate(results):
        update = analysis.process(result)
        window.show_update(update)
        if i % 30 == 0:  # the window's once-a-second refresh, in the stream's time
            window.refresh_slow()
        banner.append(window.banner.text)
        knees.append(tuple(window.video_view.knee_states.values()) if window.video_view.knee_states else None)
        tile_texts.append(window.tiles.tiles["knee_left"].value_text)
    knee_cue = [text.endswith("Knees out over your toes") for text in banner]
    assert any(knee_cue)
    assert sum(a != b for a, b in zip(knee_cue, knee_cue[1:])) <= 2  # on once (and off once at most)
    states = [k for k in knees if k is not None]
    assert sum(a != b for a, b in zip(states, states[1:])) <= 4  # each knee's marker changes at most twice
    assert sum(a != b for a, b in zip(tile_texts, tile_texts[1:])) <= len(results) / 30  # at most once a second


def test_knee_chart_leads_with_each_steps_peak_as_a_lettered_disc(qtbot, settings):
    """FPPA swings through every swing phase, where it means nothing: the chart shows each step's mid-stance peak
    (what the coach judges) as a big L / R disc that is really painted where it belongs, the raw angle faint."""
    from PySide6.QtCore import QPointF
    from PySide6.QtWidgets import QApplication

    from gaitcoach.demo import demo_spec
    from ui.live_charts import FPPA_PEAK_SIZE_PX, FPPA_WINDOW_S
    from ui.palette import FOOT_COLOUR

    window = MainWindow(settings, CueSpeaker(say=lambda text: None))
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    analysis = LiveAnalysis()
    peaks = []  # (mid-stance t, peak, foot) of every frontal step, as the analysis confirmed them
    steps = []
    for result in synthetic_results(demo_spec("valgus", duration_s=16.0)):
        update = analysis.process(result)
        steps += update.new_steps
        peaks += [(0.5 * (s.ic_t_s + s.to_t_s), s.knee_fppa_deg, s.foot) for s in update.new_steps
                  if math.isfinite(s.knee_fppa_deg)]
        window.show_update(update)
        QApplication.processEvents()  # painted frame by frame, as in the app (a stale cache would cull the discs)
    charts, now = window.charts, update.t_s
    x, y = charts.fppa_peaks.getData()
    assert len(peaks) >= 8 and np.allclose(x, [p[0] for p in peaks]) and np.allclose(y, [p[1] for p in peaks])
    assert all(8.0 < p[1] < 20.0 for p in peaks)  # this walker's knees go in: every disc in the band
    assert all(pen.color().alpha() < 128 for pen in (c.opts["pen"] for c in charts.fppa_curves.values()))
    # The faint frame-by-frame line only where that foot stands (a confirmed stance), never in its swing.
    stances = {foot: [(s.ic_t_s, s.to_t_s) for s in steps if s.foot == foot and math.isfinite(s.to_t_s)]
               for foot in (LEFT, RIGHT)}
    for foot, curve in charts.fppa_curves.items():
        line_x, line_y = curve.getData()
        drawn = line_x[np.isfinite(line_y)] + now
        assert len(drawn) > 30 and all(any(a <= t <= b for a, b in stances[foot]) for t in drawn)
    image = charts.fppa_plot.grab().toImage()
    view_box = charts.fppa_plot.getPlotItem().getViewBox()
    painted = 0
    for t_s, peak, foot in peaks:
        if not -FPPA_WINDOW_S + 0.5 < t_s - now < -0.5:
            continue
        centre = charts.fppa_plot.mapFromScene(view_box.mapViewToScene(QPointF(t_s - now, peak)))
        # The disc's rim (its letter is cut out of the middle), in the foot's colour.
        pixel = image.pixelColor(round(centre.x() + 0.38 * FPPA_PEAK_SIZE_PX), round(centre.y()))
        wanted = FOOT_COLOUR[foot]
        assert max(abs(pixel.red() - wanted.red()), abs(pixel.green() - wanted.green()),
                   abs(pixel.blue() - wanted.blue())) < 40, (t_s - now, foot, pixel.name(), wanted.name())
        painted += 1
    assert painted >= 4
    save(charts.fppa_plot, "knee_chart.png")
    charts.clear()
    assert len(charts.fppa_peaks.getData()[0]) == 0


def test_cadence_holds_steady_through_the_demo_walkers_u_turns(qtbot, settings):
    """Steps around a U-turn are not confirmed (the tiles' figures come from straight passes), yet the cadence
    the user reads must not dip or collapse while turning: tile and trend stay at the walker's ~110 steps/min."""
    from gaitcoach.demo import demo_spec

    walk = generate(demo_spec("none", duration_s=20.0))
    window = MainWindow(settings, CueSpeaker(say=lambda text: None))
    qtbot.addWidget(window)
    window.show()
    analysis = LiveAnalysis()
    turning, straight = [], []
    for i, frame in enumerate(walk.frames):
        window.show_update(analysis.process(PoseResult(
            frame.frame_index, frame.t_s * 1000.0, frame.image_width_px, frame.image_height_px,
            frame.image_landmarks, frame.world_landmarks, 1, 0, 1.0, frame.t_s * 1000.0, frame.t_s * 1000.0, 0,
            None)))
        if i % 15 == 0 and frame.t_s > 3.0:  # twice a second, once the first steps are in
            window.refresh_slow()
            value = window.tiles.tiles["cadence"].value_text
            (turning if walk.views[i] not in (View.FACING, View.BACK) else straight).append(value)
    assert len(turning) >= 4 and straight  # the walk really turned (several times) while the tile was read
    true_cadence = walk.truth.cadence_steps_per_min
    for value in turning + straight:
        assert abs(float(value) - true_cadence) <= 5.0, (value, true_cadence)
    trend = window.charts._cadence.view()[:, 1]
    assert np.all(np.abs(trend[np.isfinite(trend)] - true_cadence) <= 5.0)


def test_closing_the_window_stops_every_thread_within_a_second(qtbot, settings, assets, monkeypatch):
    monkeypatch.setenv("GAITCOACH_MODEL", str(assets.model_path))
    window = MainWindow(settings, CueSpeaker(say=lambda text: None))
    qtbot.addWidget(window)
    window.show()
    controller = LiveController(window, settings)
    shown = record_updates(window, monkeypatch)
    controller.start_source(str(assets.video("side_walk_back_and_forth.mp4")))
    qtbot.waitUntil(lambda: len(shown) >= 5, timeout=30000)
    assert pipeline_threads()
    started = time.monotonic()
    window.close()
    while pipeline_threads() and time.monotonic() - started < 2.0:
        time.sleep(0.01)
    assert not pipeline_threads()
    assert time.monotonic() - started <= 1.0


def test_the_pickers_say_what_plays(app, assets, qtbot, monkeypatch):
    """A camera picker reading "Camera 0" or a demo picker reading "Demo: limp" while a video plays would say that
    something plays which does not."""
    from gaitcoach.sources import CameraInfo

    window, controller = app
    monkeypatch.setenv("GAITCOACH_MODEL", str(assets.model_path))
    window.set_cameras([CameraInfo(0, "Laptop camera")], 0)
    assert window.camera_picker.currentText() == "Camera 0: Laptop camera"
    controller.start_demo("limp", paced=False)
    qtbot.waitUntil(lambda: window.video_view.has_frame, timeout=10000)
    assert window.demo_picker.currentData() == "limp" and window.camera_picker.currentIndex() == -1
    assert window.camera_picker.currentText() == ""  # the placeholder "Camera" shows
    controller.start_source(str(assets.video("side_walk_60fps_short.mp4")), paced=False)
    qtbot.waitUntil(lambda: "side_walk_60fps_short" in window.status_label.text(), timeout=30000)
    assert window.demo_picker.currentIndex() == -1 and window.demo_picker.placeholderText() == "Demo walker"
    assert window.camera_picker.currentIndex() == -1
    window.settings.demo_fault = "pelvic_drop"
    with qtbot.waitSignal(window.demo_requested) as demo:
        window.request_demo()  # e.g. the empty state's "Try the demo walker" while the picker is blank
    assert demo.args == ["pelvic_drop"]


@pytest.mark.faults
def test_empty_state_without_a_camera_offers_a_video_and_the_demo(app, qtbot):
    window, controller = app
    controller._on_cameras([])
    assert window.stack.currentWidget() is window.empty_state
    assert window.empty_state.message.text() == EMPTY_STATE_TEXT
    assert window.camera_picker.currentText() == "No camera found"
    assert window.empty_state.open_button.text().startswith("Open a video")
    # Nothing plays: no tiles of dashes, no bare chart axes, no empty banner, no demo that looks chosen.
    assert not (window.tiles.isVisible() or window.charts.isVisible() or window.banner.isVisible())
    assert window.demo_picker.currentIndex() == -1 and window.demo_picker.currentText() == ""
    place = window.stack.geometry()
    window.show_notice("A notice on two lines at most, " * 3)
    qtbot.wait(50)
    assert window.notice.isVisible() and window.stack.geometry() == place  # it floats: nothing moves down
    notice = window.notice.geometry().translated(window.centralWidget().pos())
    assert window.rect().contains(notice) and notice.height() >= window.notice.sizeHint().height()
    save(window, "empty_state.png")
    with qtbot.waitSignal(window.demo_requested) as demo:
        qtbot.mouseClick(window.empty_state.demo_button, Qt.MouseButton.LeftButton)
    assert demo.args == ["valgus"]  # the remembered (default) fault
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.video_view and window.video_view.has_frame,
                    timeout=10000)
    controller._on_cameras([])  # a late camera list does not cover the demo with the empty state
    assert window.stack.currentWidget() is window.video_view
    save(window, "empty_then_demo.png")


@pytest.mark.faults
def test_bad_input_gives_a_message_in_the_window_never_a_crash(app, qtbot, tmp_path, assets, monkeypatch):
    window, controller = app
    monkeypatch.setenv("GAITCOACH_MODEL", str(tmp_path / "missing.task"))
    controller.start_demo("none", paced=False)
    controller.start_source(str(tmp_path / "walk.mp4"))  # no model either: the model is reported first
    qtbot.waitUntil(lambda: window.notice.isVisible() and "pose model not found" in window.notice.text(),
                    timeout=10000)
    assert controller.worker.running  # the demo plays on
    controller.stop()
    controller.start_source(str(tmp_path / "walk.mp4"))  # nothing playing: said in the empty state
    qtbot.waitUntil(lambda: "pose model not found" in window.empty_state.message.text(), timeout=10000)
    assert "demo walker" in window.empty_state.message.text()
    monkeypatch.setenv("GAITCOACH_MODEL", str(assets.model_path))
    controller.start_source(str(tmp_path / "walk.mp4"))
    qtbot.waitUntil(lambda: "Video not found" in window.empty_state.message.text(), timeout=10000)
    controller.start_demo("none", paced=False)
    qtbot.waitUntil(lambda: window.video_view.has_frame, timeout=10000)
    bad = tmp_path / "holiday.mp4"
    bad.write_bytes(b"this is not a video")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(bad))])
    drop = QDropEvent(QPointF(200, 200), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    window.dropEvent(drop)
    qtbot.waitUntil(lambda: window.notice.isVisible() and "Not a readable video" in window.notice.text(),
                    timeout=10000)
    assert controller.worker is not None and controller.worker.running  # the demo plays on
    assert window.settings.last_video_dir == str(tmp_path)


class Recorder:
    """What a live run needs of a ``SessionRecorder``: ``record``, ``finish`` and ``error`` (None while all is
    well)."""

    def __init__(self) -> None:
        self.updates = []
        self.summary = None
        self.error = None

    def record(self, update) -> None:
        self.updates.append(update)

    def finish(self, summary_rows, checkup_rows=()) -> None:
        self.summary = tuple(summary_rows)


def test_space_starts_and_stops_a_session_and_the_recorder_gets_every_frame(app, qtbot):
    window, controller = app
    recorder = Recorder()
    controller.recorder_factory = lambda session: recorder
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert window.notice.isVisible() and "first" in window.notice.text()  # nothing plays yet
    controller.start_demo("none", paced=True)
    qtbot.waitUntil(lambda: window.video_view.has_frame, timeout=10000)
    with qtbot.waitSignal(controller.session_started) as started:
        qtbot.keyClick(window, Qt.Key.Key_Space)
    session = started.args[0]
    assert session.source == "demo walker (no fault)" and session.model == "none (demo)"
    assert window.session_active and window.session_action.text() == "Stop session"
    assert window.video_view.session_text == "\u25cf SESSION 0:00"  # seen from afar, also in coach mode
    qtbot.waitUntil(lambda: len(recorder.updates) >= 15, timeout=10000)
    with qtbot.waitSignal(controller.session_stopped) as stopped:
        qtbot.keyClick(window, Qt.Key.Key_Space)
    ended = stopped.args[0].session
    assert ended.ended_at >= ended.started_at and stopped.args[0].recording_error is None
    assert [row.metric for row in ended.summary][:2] == ["step_count", "cadence_steps_per_min"]
    assert recorder.summary == ended.summary  # the run finished the recording with the session's summary
    recorded = len(recorder.updates)
    qtbot.wait(300)
    assert len(recorder.updates) <= recorded + 1  # the frame in flight at most
    assert all(update.session == session for update in recorder.updates)
    indices = [update.pose.frame_index for update in recorder.updates]
    assert indices == list(range(indices[0], indices[0] + len(indices)))  # every frame, none merged away
    with qtbot.waitSignal(window.review_requested):
        window.set_review_available(True)
        window.review_action.trigger()


def test_coach_mode_is_readable_from_3_m(app, qtbot, monkeypatch):
    """Issue 12, item 4: in coach mode every text has a cap height of at least 1/200 of 3 m (15 mm; 1/300, 10 mm,
    for the cue's detail and tile titles) on the screen's real size: a 15.6" 1080p laptop (141 dpi) and a 96-dpi
    monitor. Only the banner, the video and the tiles that fit are shown; the layout comes back on leaving."""
    import ui.reading as reading

    window, controller = app
    assert not window.banner.isVisible()  # nothing to say yet: no empty box
    controller.start_demo("valgus", paced=False)
    qtbot.waitUntil(lambda: window.banner.text.endswith("Knees out over your toes"), timeout=20000)
    window.resize(1280, 800)
    assert window.charts.isVisible() and sum(t.isVisible() for t in window.tiles.tiles.values()) == 6
    # The offscreen platform's "full screen" is an 800x800 square: full screen here is a 1080p screen's size.
    monkeypatch.setattr(window, "showFullScreen", lambda: window.resize(1920, 1080))
    for dpi in (141.0, 96.0):
        monkeypatch.setattr(reading, "screen_dpi", lambda widget, dpi=dpi: dpi)
        qtbot.keyClick(window, Qt.Key.Key_F11)
        qtbot.wait(200)
        qtbot.waitUntil(lambda: window.coach_mode and window.height() == 1080, timeout=2000)
        qtbot.wait(300)  # a few frames and a once-a-second refresh
        window.refresh_slow()
        qtbot.wait(50)
        assert not (window.toolbar.isVisible() or window.statusBar().isVisible() or window.charts.isVisible())
        banner = window.banner
        assert reading.cap_height_mm(banner.text_label.font(), dpi) >= 15.0
        assert reading.cap_height_mm(banner.detail_label.font(), dpi) >= 10.0
        for label in (banner.text_label, banner.detail_label):  # wrapped inside the banner, never cut
            assert label.heightForWidth(label.width()) <= label.height() + 2 and label.width() <= banner.width()
        shown = [tile for tile in window.tiles.tiles.values() if tile.isVisible()]
        assert len(shown) <= 3 and (len(shown) >= 1 or window.height() < 900)
        for tile in shown:
            assert reading.cap_height_mm(tile.state_label.font(), dpi) >= 15.0 * 0.9, tile.spec.key  # 10 % fit
            assert reading.cap_height_mm(tile.value_label.font(), dpi) >= 15.0
            for label in (tile.title_label, tile.value_label, tile.state_label):
                assert label.sizeHint().width() <= tile.width(), (tile.spec.key, label.text())
        save(window, f"coach_mode_{int(dpi)}dpi.png")
        qtbot.keyClick(window, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: not window.coach_mode, timeout=2000)
    assert window.toolbar.isVisible() and window.charts.isVisible()
    assert sum(t.isVisible() for t in window.tiles.tiles.values()) == 6


@pytest.mark.faults
def test_settings_are_remembered_and_damaged_values_read_as_defaults(tmp_path, qtbot):
    path = str(tmp_path / "remembered.ini")
    first = AppSettings(QSettings(path, QSettings.Format.IniFormat))
    first.user_height_m = 1.72
    first.cue_thresholds = {"knee_valgus": 10.0}
    first.speak_cues = False
    first.camera_index = 1
    first.model_choice = "lite"
    first.demo_fault = "limp"
    first.store.sync()
    again = AppSettings(QSettings(path, QSettings.Format.IniFormat))
    assert again.live_config() == LiveConfig(1.72, {**DEFAULT_CUE_THRESHOLDS, "knee_valgus": 10.0})
    assert (again.speak_cues, again.camera_index, again.model_choice, again.demo_fault) == (False, 1, "lite", "limp")
    window = MainWindow(again, CueSpeaker(say=lambda text: None))
    qtbot.addWidget(window)
    assert not window.speak_action.isChecked() and window.demo_picker.currentIndex() == -1  # nothing plays yet
    with qtbot.waitSignal(window.demo_requested) as demo:
        window.empty_state.demo_button.click()
    assert demo.args == ["limp"]  # the remembered fault
    window.speak_action.setChecked(True)
    assert AppSettings(QSettings(path, QSettings.Format.IniFormat)).speak_cues
    with pytest.raises(ValueError, match="height"):
        again.user_height_m = 3.5
    damaged = QSettings(path, QSettings.Format.IniFormat)
    for key, value in (("user/height_m", "tall"), ("coach/knee_valgus", "99"), ("source/camera_index", "-3"),
                       ("demo/fault", "wobble")):
        damaged.setValue(key, value)
    damaged.sync()
    reread = AppSettings(QSettings(path, QSettings.Format.IniFormat))
    assert reread.user_height_m is None and reread.cue_thresholds == DEFAULT_CUE_THRESHOLDS
    assert reread.camera_index is None and reread.demo_fault == "valgus"


def test_speaker_says_a_cue_once_per_cooldown_and_never_raises(qtbot):
    from analysis.coaching import SETUP_CUES

    said, now = [], [0.0]
    speaker = CueSpeaker(say=said.append, clock=lambda: now[0], cooldown_s=15.0)
    cue = SETUP_CUES["setup_dark"]
    assert speaker.speak(cue) and not speaker.speak(cue)
    now[0] = 14.9
    assert not speaker.speak(cue)
    now[0] = 15.0
    assert speaker.speak(cue) and said == ["Too dark", "Too dark"]
    speaker.enabled = False
    now[0] = 100.0
    assert not speaker.speak(cue)

    def broken(text):
        raise RuntimeError("no audio device")

    assert not CueSpeaker(say=broken).speak(cue)
    default = CueSpeaker()  # this machine's real voice: speech, else the chime, else the beep (tests/test_speech.py)
    assert default.voice in ("speech", "chime", "beep")
    assert default.speak(cue)


def test_cli_demo_option():
    parser = build_parser()
    assert parser.parse_args(["--demo"]).demo == "none"
    assert parser.parse_args(["--demo", "pelvic_drop"]).demo == "pelvic_drop"
    assert parser.parse_args([]).demo is None
    with pytest.raises(SystemExit) as exit_info:
        parser.parse_args(["--demo", "wobble"])
    assert exit_info.value.code == 2
    assert math.isfinite(DEFAULT_CUE_THRESHOLDS["knee_valgus"])


def test_knee_labels_go_outward_and_never_on_the_same_side():
    from ui.video_view import knee_label_sides

    assert knee_label_sides({"left": 300.0, "right": 340.0}, 320.0) == {"left": -1.0, "right": 1.0}
    assert knee_label_sides({"left": 330.0, "right": 300.0}, 400.0) == {"left": 1.0, "right": -1.0}  # crossed
    assert knee_label_sides({"left": 310.0, "right": 310.0}, 320.0) == {"left": -1.0, "right": 1.0}
    assert knee_label_sides({"right": 350.0}, 320.0) == {"right": 1.0}
    assert knee_label_sides({}, 320.0) == {}


def test_tile_numbers_never_read_minus_zero():
    from ui.metric_tiles import _number

    assert _number(-0.4, 0) == "0" and _number(-0.6, 0) == "-1" and _number(-0.004, 2) == "0.00"
    assert _number(12.5, 0) == "12" and _number(0.855, 2) == "0.85"


def test_settings_dialog_saves_height_and_thresholds(qtbot, settings):
    from ui.settings_dialog import SettingsDialog

    from analysis.rules import COACHING_RULES

    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    assert dialog.height.text() == "" and dialog.height_read.text().startswith("not set")
    for rule in COACHING_RULES:  # one row per coaching rule, with its range and unit (analysis.rules)
        box = dialog.thresholds[rule.key]
        assert (box.minimum(), box.maximum()) == rule.allowed_range and box.suffix().strip() == rule.unit_symbol
        assert box.value() == rule.cue_above
    for typed, read in (("175", "= 1.75 m (5 ft 9 in)"), ("5'4\"", "= 1.63 m (5 ft 4 in)"),
                        ("164 cm", "= 1.64 m (5 ft 5 in)")):
        dialog.height.setText(typed)  # a height as people type it, and what it was read as
        assert dialog.height_read.text() == read and dialog.ok_button.isEnabled()
    dialog.height.setText("tall")
    assert "not a height" in dialog.height_read.text() and not dialog.ok_button.isEnabled()
    dialog.height.setText("164 cm")
    dialog.thresholds["knee_valgus"].setValue(11.0)
    dialog.thresholds["step_symmetry"].setValue(99.0)  # clamped to the allowed range
    dialog.save()
    assert settings.user_height_m == 1.64
    assert settings.cue_thresholds["knee_valgus"] == 11.0 and settings.cue_thresholds["step_symmetry"] == 40.0
    dialog.restore_defaults()
    dialog.height.clear()
    dialog.save()
    assert settings.live_config() == LiveConfig(None, DEFAULT_CUE_THRESHOLDS)


def test_changed_settings_reach_the_running_analysis(app, qtbot, monkeypatch):
    window, controller = app
    shown = record_updates(window, monkeypatch)
    controller.start_demo("valgus", paced=False)
    qtbot.waitUntil(lambda: bool(shown), timeout=10000)
    window.config_changed.emit(LiveConfig(user_height_m=1.8, cue_thresholds={"knee_valgus": 20.0}))
    qtbot.waitUntil(lambda: shown[-1].cue_thresholds["knee_valgus"] == 20.0, timeout=10000)
    assert controller.worker.running
    qtbot.waitUntil(lambda: window.charts.band.getRegion()[0] == 20.0, timeout=5000)  # the chart's band follows


@pytest.mark.faults
def test_a_source_that_never_plays_ends_the_app_with_exit_code_2(tmp_path):
    """Issue 10, item 7: `gaitcoach --source 99` (no such camera) says so in the window; closed without anything
    having played, the app ends with 2 (bad input), as the other commands do. (Its own process: the app quits.)"""
    import subprocess
    import sys

    script = ("from PySide6.QtCore import QTimer; from PySide6.QtWidgets import QApplication; "
              "app = QApplication([]); QTimer.singleShot(3000, app.quit); "
              "from ui.app import run_app; raise SystemExit(run_app(source='99'))")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "GAITCOACH_DATA_DIR": str(tmp_path / "data"),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "HOME": str(tmp_path)}  # never the user's own settings
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr


def test_live_charts_have_time_units_and_the_cadence_trend_spans_the_walk_so_far(qtbot):
    """Issue 12, item 5: time axes say their unit; the cadence trend is not 85 % empty at the start."""
    from ui.live_charts import CADENCE_MIN_WINDOW_S, CADENCE_WINDOW_S, TIME_AXIS_LABEL, LiveCharts

    charts = LiveCharts()
    qtbot.addWidget(charts)
    charts.resize(1200, 200)
    charts.show()
    for plot in (charts.fppa_plot, charts.cadence_plot):
        assert plot.getPlotItem().getAxis("bottom").labelText == TIME_AXIS_LABEL
    spans = {}
    for t_s in range(0, 200):
        charts.add_cadence(float(t_s), 105.0)
        if t_s in (10, 60, 199):
            (low, high), _ = charts.cadence_plot.getPlotItem().getViewBox().viewRange()
            spans[t_s] = high - low
    assert spans == {10: CADENCE_MIN_WINDOW_S, 60: 60.0, 199: CADENCE_WINDOW_S}


def test_every_figure_is_explained_in_the_app_and_the_safety_note_shows_once(qtbot, settings):
    """Issue 12, item 2: each tile and chart says what it is, its usual range and what to do (tooltip); F1 opens
    the Help panel with all of it; the first start shows the 'coaching, not a diagnosis' note, once."""
    from ui.help_text import FIGURES, SAFETY_NOTE

    window = MainWindow(settings, CueSpeaker(say=lambda text: None))
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    for tile in window.tiles.tiles.values():
        assert "Usual" in tile.toolTip() and "What to do" in tile.toolTip(), tile.spec.key
    for plot in (window.charts.fppa_plot, window.charts.step_plot, window.charts.cadence_plot):
        assert "Usual" in plot.toolTip()
    assert "FPPA" in window.tiles.tiles["knee_left"].toolTip() and "inward" in window.tiles.tiles["knee_left"].toolTip()
    assert window.help_action.shortcut().toString() == "F1"
    window.help_action.trigger()
    assert window.help_dialog is not None and window.help_dialog.isVisible()
    text = window.help_dialog.browser.toPlainText()
    assert SAFETY_NOTE[:40] in text and all(figure.title in text for figure in FIGURES.values())
    assert window.help_dialog.grab().save(str(ARTIFACTS / "help.png"))
    window.show_safety_note_once()
    note = window.safety_note
    assert note is not None and note.isVisible() and "not a medical device" in note.text.toPlainText()
    assert note.grab().save(str(ARTIFACTS / "safety_note.png"))
    note.accept()
    assert settings.safety_note_seen
    window.safety_note = None
    window.show_safety_note_once()
    assert window.safety_note is None  # once acknowledged, never again


@pytest.mark.faults
def test_without_a_model_the_window_offers_a_model_file_the_link_and_the_demo(qtbot, settings, assets, monkeypatch):
    """Issue 12, item 7: first run with no model and no network: one sentence, a "Choose model file..." button
    that works, the download link selectable and copyable, the demo offered, and no "Open a video" (it needs
    the model)."""
    nowhere = "http://127.0.0.1:9/pose_landmarker_{variant}.task"  # a closed port: the download is refused
    monkeypatch.setattr(controller_module, "resolve_model", functools.partial(resolve_model, url_template=nowhere))
    monkeypatch.setenv("XDG_CACHE_HOME", str(Path(settings.store.fileName()).parent / "cache"))
    monkeypatch.delenv("GAITCOACH_MODEL", raising=False)
    window = MainWindow(settings, CueSpeaker(say=lambda text: None))
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    controller = LiveController(window, settings)
    try:
        controller._on_cameras([])
        empty = window.empty_state
        qtbot.waitUntil(lambda: empty.model_button.isVisible(), timeout=10000)
        text = empty.message.text()
        assert "\n" not in text and text.count(".") == 1 and "connection was refused" in text, text
        assert "Errno" not in text
        assert not empty.open_button.isVisible() and empty.demo_button.isVisible()
        assert empty.link.text() == nowhere.format(variant="full") and empty.link.isReadOnly()
        qtbot.mouseClick(empty.copy_link_button, Qt.MouseButton.LeftButton)
        assert QGuiApplication.clipboard().text() == empty.link.text()
        assert empty.save_as.text().endswith("pose_landmarker_full.task") and empty.save_as.isReadOnly()
        for widget in (empty.message, empty.link, empty.copy_link_button, empty.model_button, empty.demo_button,
                       empty.save_as):
            assert window.rect().contains(widget.mapTo(window, widget.rect().bottomRight()))
            wraps = widget.hasHeightForWidth()
            needed = widget.heightForWidth(widget.width()) if wraps else widget.sizeHint().height()
            assert widget.height() >= needed, widget  # nothing squeezed or cut
        save(window, "no_model.png")
        monkeypatch.setattr(main_window_module.QFileDialog, "getOpenFileName",
                            lambda *args, **kwargs: (str(assets.model_path), ""))
        qtbot.mouseClick(empty.model_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: controller.model is not None, timeout=30000)
        assert controller.model.path == assets.model_path.resolve()
        assert settings.model_choice == str(assets.model_path.resolve())  # remembered for the next start
        qtbot.waitUntil(lambda: empty.open_button.isVisible() and empty.message.text() == EMPTY_STATE_TEXT,
                        timeout=10000)  # no camera here: a video can be opened now
        assert not empty.model_button.isVisible()
    finally:
        controller.shutdown()


@pytest.mark.parametrize("typed, height_m", [
    ("1.75", 1.75), ("1,75 m", 1.75), ("175", 1.75), ("175 cm", 1.75), ("5'9\"", 1.7526), ("5 ft 9 in", 1.7526),
    ("5ft9", 1.7526), ("69 in", 1.7526), ("6 feet", 1.8288), ("  ", None),
])
def test_a_height_is_read_as_people_type_it(typed, height_m):
    from gaitcoach.settings import parse_height

    assert parse_height(typed) == pytest.approx(height_m) if height_m else parse_height(typed) is None


@pytest.mark.parametrize("typed, says", [
    ("tall", "not a height"), ("5.9", "feet and inches"), ("300", "3.00 m"), ("90 cm", "between 1 and 2.3 m"),
])
def test_a_height_that_cannot_be_read_says_why(typed, says):
    from gaitcoach.settings import parse_height

    with pytest.raises(ValueError, match=says):
        parse_height(typed)
