"""The review window shows stored sessions' charts and progress (real Qt offscreen, real SQLite), exports CSV on a
thread and saves charts as PNG. Screenshots go to artifacts/ to be looked at."""
from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QImage  # noqa: E402

from analysis.synthetic import WalkerSpec  # noqa: E402
from analysis.types import RIGHT  # noqa: E402
from gaitcoach.export import FRAME_COLUMNS  # noqa: E402
from gaitcoach.store import SessionStore  # noqa: E402
from sessions_helpers import record_synthetic_session  # noqa: E402
from ui.review_window import NO_SESSIONS_TEXT, TABLE_COLUMNS, ReviewWindow  # noqa: E402

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> Path:
    """Three weeks of sessions: a limp with a valgus right knee that improves, one side-on treadmill walk (no knee
    alignment from the side), and one session that never finished (the app was killed)."""
    path = tmp_path_factory.mktemp("review") / "sessions.sqlite3"
    record_synthetic_session(path, WalkerSpec(direction="toward", duration_s=30.0, knee_valgus_right_deg=12.0,
                                              step_time_asymmetry_pct=20.0, pelvic_drop_deg=7.0, seed=1),
                             source="Camera 0", started_at="2025-05-04T18:10:00+02:00",
                             cue_thresholds={"knee_valgus": 10.0, "pelvic_drop": 6.0})
    record_synthetic_session(path, WalkerSpec(direction="left", treadmill=True, duration_s=15.0, seed=2),
                             source="treadmill.mp4", started_at="2025-05-11T18:05:00+02:00")
    record_synthetic_session(path, WalkerSpec(direction="toward", duration_s=30.0, knee_valgus_right_deg=4.0,
                                              step_time_asymmetry_pct=5.0, seed=3),
                             source="Camera 0", started_at="2025-05-25T09:30:00+02:00")
    record_synthetic_session(path, WalkerSpec(direction="toward", duration_s=15.0, seed=4), source="Camera 0",
                             started_at="2025-06-01T10:00:00+02:00", finished=False)
    # Nobody's progress: the demo walker; someone else's: a friend who walked on the same camera.
    record_synthetic_session(path, WalkerSpec(direction="toward", duration_s=20.0, step_time_asymmetry_pct=30.0,
                                              seed=5), source="demo walker (limp)",
                             started_at="2025-06-02T10:00:00+02:00", person=None)
    record_synthetic_session(path, WalkerSpec(direction="toward", duration_s=20.0, knee_valgus_left_deg=15.0,
                                              seed=6), source="Camera 0",
                             started_at="2025-06-03T10:00:00+02:00", person="Anna")
    return path


@pytest.fixture
def window(qtbot, database):
    view = ReviewWindow(SessionStore(database))
    qtbot.addWidget(view)
    view.resize(1400, 900)
    view.show()
    return view


def plotted(panel) -> list[tuple[np.ndarray, np.ndarray]]:
    return [item.getData() for item in panel.plot.getPlotItem().listDataItems()]


def test_the_session_charts_show_what_was_stored(window, qtbot):
    assert window.table.rowCount() == 6
    statuses = [window.table.item(row, TABLE_COLUMNS.index("Status")).text() for row in range(4)]
    assert statuses == ["finished", "finished", "finished", "interrupted"]
    data = [window.table.item(row, TABLE_COLUMNS.index("Data")).text() for row in range(4)]
    assert data == ["good", "side-on: no knee figures", "good", "few steps: no symmetry"]  # what figures rest on
    who = [window.table.item(row, TABLE_COLUMNS.index("Who")).text() for row in range(6)]
    assert who == ["Me"] * 4 + ["–", "Anna"]
    assert window.selected_session_id() == 6  # the newest is selected
    window.select_session(1)
    steps = window.store.steps(1)
    knee = window.charts["knee-fppa"]
    assert knee.has_data and knee.save_button.isEnabled()
    (left_t, left_fppa), (right_t, right_fppa) = plotted(knee)
    expected = [s.knee_fppa_deg for s in steps if s.foot == RIGHT and math.isfinite(s.knee_fppa_deg)]
    assert np.allclose(right_fppa, expected) and np.nanmean(right_fppa) > np.nanmean(left_fppa) + 5
    (left_t, left_time), (right_t, right_time) = plotted(window.charts["step-time"])
    assert np.mean(left_time) > np.mean(right_time)  # the limp: left steps take longer
    for key in ("symmetry", "cadence", "pelvic-drop"):
        assert window.charts[key].has_data, key
    assert window.cue_list.count() >= 1 and "Knees out" in " ".join(
        window.cue_list.item(i).text() for i in range(window.cue_list.count()))
    assert "Session 1" in window.session_header.text() and "Camera 0" in window.session_header.text()
    ARTIFACTS.mkdir(exist_ok=True)
    image = window.grab()
    assert image.save(str(ARTIFACTS / "review_session.png")) and image.width() >= 1300


def test_side_on_sessions_explain_missing_knee_alignment(window):
    """Figures a session could not measure are said in one line, not drawn as empty charts; the session's
    charts share one time axis, the whole session long."""
    window.select_session(2)
    knee = window.charts["knee-fppa"]
    assert not knee.has_data and not knee.save_button.isEnabled() and not knee.isVisible()
    assert window.not_measured.isVisible()
    assert "knee alignment and pelvic drop (walk toward or away from the camera)" in window.not_measured.text()
    assert window.charts["step-time"].has_data
    window.select_session(1)  # a frontal walk: knees and pelvis drawn, step length said to be missing
    assert window.charts["knee-fppa"].isVisible() and window.charts["pelvic-drop"].isVisible()
    assert "step length" in window.not_measured.text() and "pelvic drop" in window.session_header.text()
    ranges = {key: panel.plot.getPlotItem().getViewBox().viewRange()[0] for key, panel in window.charts.items()
              if panel.has_data}
    assert len({tuple(np.round(r, 6)) for r in ranges.values()}) == 1, ranges


def test_y_axes_show_differences_at_their_true_size(window):
    """Issue 12, item 6: step time from 0; cadence at least 40 steps/min tall, so 96 vs 98 looks small; every
    threshold line's label inside the chart."""
    window.select_session(2)
    step_low, step_high = window.charts["step-time"].plot.getPlotItem().getViewBox().viewRange()[1]
    assert step_low <= 0 < 0.5 < step_high
    cadence_low, cadence_high = window.charts["cadence"].plot.getPlotItem().getViewBox().viewRange()[1]
    assert cadence_high - cadence_low >= 40
    for key in ("symmetry", "knee-fppa", "pelvic-drop"):
        window.select_session(1)
        panel = window.charts[key]
        low, high = panel.plot.getPlotItem().getViewBox().viewRange()[1]
        for line in threshold_lines(panel):
            assert low < line < high - 0.1 * (high - low), key  # room above the line for its label


def test_the_progress_view_shows_one_persons_sessions_by_date(window):
    """Issue 12, item 6: progress is per person; the demo walker's session is nobody's; every figure can be
    charted."""
    window.tabs.setCurrentIndex(1)
    assert [window.person_picker.itemText(i) for i in range(window.person_picker.count())] == ["Me", "Anna"]
    assert window.person_picker.currentText() == "Anna"  # whoever walked last
    window.person_picker.setCurrentText("Me")
    symmetry = window.progress_charts["progress-symmetry"]
    knees = window.progress_charts["progress-knees"]
    assert symmetry.has_data and knees.has_data
    ((dates, values),) = plotted(symmetry)
    # The interrupted session has 5 right step times, fewer than SYMMETRY_MIN_STEPS_PER_SIDE: no SI, no point.
    assert len(dates) == 3 and list(dates) == sorted(dates)
    si_column = TABLE_COLUMNS.index("Step-time difference\n(%, 95 % interval)")
    assert window.table.item(3, si_column).text() == "–" and "(" in window.table.item(0, si_column).text()
    (_, left), (_, right) = plotted(knees)
    assert len(right) == 3 and right[0] > right[-1] + 4  # the right knee improved (none from the side-on walk)
    assert "4 sessions" in window.progress_header.text()
    image = window.grab()
    assert image.save(str(ARTIFACTS / "review_progress.png"))
    picker = window.figure_pickers["progress-knees"]
    for key in ("progress-cadence", "progress-pelvic-drop", "progress-steps"):
        picker.setCurrentIndex(picker.findData(key))
        assert knees.has_data and knees.spec.key == key, key
    window.person_picker.setCurrentText("Anna")
    ((dates, _),) = plotted(symmetry)
    assert len(dates) == 1 and window.progress_header.text().startswith("1 session from")


def test_who_walked_moves_a_session_between_peoples_progress(qtbot, tmp_path):
    path = tmp_path / "sessions.sqlite3"
    record_synthetic_session(path, WalkerSpec(direction="toward", duration_s=20.0, seed=1), person=None)
    record_synthetic_session(path, WalkerSpec(direction="toward", duration_s=8.0, seed=2),
                             source="demo walker (limp)", person=None)
    view = ReviewWindow(SessionStore(path))
    qtbot.addWidget(view)
    assert view.person_picker.count() == 0 and not view.progress_charts["progress-symmetry"].has_data
    view.set_who_walked(1, "Ben")
    assert view.person_picker.currentText() == "Ben" and view.progress_charts["progress-symmetry"].has_data
    assert "Ben's progress" in view.status_label.text()
    view.set_who_walked(2, "Ben")  # the demo walker is nobody
    assert "demo walker" in view.status_label.text() and view.store.session(2).person is None
    view.set_who_walked(1, None)
    assert view.person_picker.count() == 0 and view.store.session(1).person is None


def threshold_lines(panel) -> list[float]:
    import pyqtgraph as pg

    return [item.value() for item in panel.plot.getPlotItem().items if isinstance(item, pg.InfiniteLine)]


def test_each_session_is_drawn_with_the_thresholds_it_was_coached_with(window):
    """Issue 11, item 4: session 1 was coached with the user's own knee and pelvic-drop thresholds; session 3
    with the defaults (analysis.rules). Each chart's line is the session's own."""
    from analysis.rules import DEFAULT_CUE_THRESHOLDS as DEFAULTS

    window.select_session(1)
    assert window.store.session(1).cue_thresholds == {**DEFAULTS, "knee_valgus": 10.0, "pelvic_drop": 6.0}
    assert threshold_lines(window.charts["knee-fppa"]) == [10.0]
    assert threshold_lines(window.charts["pelvic-drop"]) == [6.0]
    assert threshold_lines(window.charts["symmetry"]) == [DEFAULTS["step_symmetry"]]
    window.select_session(3)
    assert threshold_lines(window.charts["knee-fppa"]) == [DEFAULTS["knee_valgus"]]
    assert threshold_lines(window.charts["pelvic-drop"]) == [DEFAULTS["pelvic_drop"]]


def test_each_chart_saves_as_png(window, tmp_path):
    window.select_session(1)
    for key, panel in window.chart_panels().items():
        saved = panel.save_png(tmp_path / key)
        image = QImage(str(saved))
        assert saved.suffix == ".png" and image.width() > 200 and image.height() > 150, key


def test_save_png_says_where_it_saved_or_why_not_in_the_window(window, tmp_path, read_only_dir, monkeypatch):
    import ui.review_window as review

    window.select_session(1)
    panel = window.charts[next(iter(window.charts))]
    for folder, expected in ((tmp_path, f"Saved {tmp_path / 'chart.png'}"), (read_only_dir, "⚠ Cannot write")):
        monkeypatch.setattr(review.QFileDialog, "getSaveFileName",
                            staticmethod(lambda *args, folder=folder: (str(folder / "chart.png"), "")))
        panel.save_button.click()
        assert window.status_label.text().startswith(expected)


def test_export_runs_off_the_ui_thread_and_reports(window, qtbot, tmp_path, read_only_dir):
    window.select_session(1)
    window.export_selected(tmp_path / "export")
    qtbot.waitUntil(lambda: "Exported session 1" in window.status_label.text(), timeout=10000)
    header = (tmp_path / "export" / "frames.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == ",".join(FRAME_COLUMNS)
    window.export_selected(read_only_dir / "export")
    qtbot.waitUntil(lambda: "⚠" in window.status_label.text(), timeout=10000)
    assert "Cannot create the output folder" in window.status_label.text()
    assert window.export_button.isEnabled()


def test_an_empty_store_says_how_to_get_sessions(qtbot, tmp_path):
    view = ReviewWindow(SessionStore(tmp_path / "sessions.sqlite3"))
    qtbot.addWidget(view)
    assert view.table.rowCount() == 0 and view.session_header.text() == NO_SESSIONS_TEXT
    assert not view.export_button.isEnabled()
    assert not view.progress_charts["progress-symmetry"].has_data


def test_reshowing_lists_sessions_recorded_meanwhile(qtbot, tmp_path):
    path = tmp_path / "sessions.sqlite3"
    view = ReviewWindow(SessionStore(path))
    qtbot.addWidget(view)
    view.show()
    view.hide()
    record_synthetic_session(path, WalkerSpec(direction="left", treadmill=True, duration_s=6.0))
    view.show()
    assert view.table.rowCount() == 1 and view.selected_session_id() == 1


def test_delete_removes_the_selected_session_but_never_one_being_recorded(qtbot, tmp_path):
    from gaitcoach.store import SessionRecorder

    path = tmp_path / "sessions.sqlite3"
    for _ in range(2):
        record_synthetic_session(path, WalkerSpec(direction="toward", duration_s=6.0, seed=4))
    view = ReviewWindow(SessionStore(path))
    qtbot.addWidget(view)
    view.select_session(1)
    assert view.delete_button.isEnabled() and view.delete_selected()
    assert [info.id for info in view.sessions] == [2] and view.table.rowCount() == 1
    assert "Deleted session 1" in view.status_label.text()
    recorder = SessionRecorder(path)  # a session still being recorded by this (live) process
    recorder.start("camera 0", "full", None, "test")
    recording_id = recorder.wait_created(10.0)
    view.refresh()
    view.select_session(recording_id)
    assert not view.delete_selected()
    assert "still being recorded" in view.status_label.text()
    assert recording_id in [info.id for info in view.sessions]
    recorder.close()
