"""The live window's sessions land in the real session store and open in the review window."""
from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import QSettings, Qt  # noqa: E402

from ui.controller import LiveController  # noqa: E402
from ui.session_keeper import SessionKeeper  # noqa: E402
from gaitcoach.settings import AppSettings  # noqa: E402
from gaitcoach.store import SessionStore  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.speech import CueSpeaker  # noqa: E402
from live_window import open_live_window  # noqa: E402

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


def _live_window(qtbot, tmp_path, database: Path):
    """The live window at 1280x800, its controller, and a session keeper recording into ``database``."""
    window, controller, _ = open_live_window(qtbot, tmp_path, size=(1280, 800))
    store = SessionStore(database)
    return window, controller, SessionKeeper(controller, window, store), store


@pytest.fixture
def live(qtbot, tmp_path):
    window, controller, keeper, store = _live_window(qtbot, tmp_path, tmp_path / "sessions.sqlite")
    yield window, controller, keeper, store
    controller.shutdown()
    keeper.close()
    if keeper.review_window is not None:
        keeper.review_window.close()


def test_a_session_started_in_the_window_is_stored_and_reviewable(live, qtbot, monkeypatch, tmp_path):
    window, controller, keeper, store = live
    assert window.review_action.isEnabled()
    controller.settings.cue_thresholds = {"knee_valgus": 11.0}  # the user's own: stored with the session
    controller.start_demo("limp", paced=False)
    qtbot.waitUntil(lambda: window.video_view.has_frame, timeout=10000)
    qtbot.keyClick(window, Qt.Key.Key_Space)
    recorder = keeper.recorder
    assert recorder is not None
    # Until the coach has cued the limp: it waits for 6 step times a side and an interval surely above 10 %.
    qtbot.waitUntil(lambda: controller.run.last_update is not None
                    and len(controller.run.last_update.session_summary) > 0
                    and controller.run.last_update.session_summary[0].overall >= 8
                    and controller.run.last_update.cue is not None
                    and controller.run.last_update.cue.key == "step_symmetry", timeout=60000)
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert keeper.recorder is None
    qtbot.waitUntil(lambda: recorder.session_id is not None and store.session(recorder.session_id).status
                    == "finished", timeout=15000)
    info = store.session(recorder.session_id)
    assert info.source == "demo walker (limp)" and info.frame_count > 100
    assert info.person is None  # the demo walker is nobody's progress (a camera session is settings.person's)
    assert info.video_path is None  # no video unless the user asks for it
    assert info.cue_thresholds["knee_valgus"] == 11.0 and info.thresholds() == info.cue_thresholds
    assert len(store.steps(recorder.session_id)) >= 8
    assert any(cue.key == "step_symmetry" for _, cue in store.cues(recorder.session_id))
    assert store.integrity_check() == "ok"
    # Issue 12, item 3: Stop shows what the session came to, with Open in review and Export.
    card = keeper.card
    assert card is not None and card.isVisible() and card.title.text() == f"Session {recorder.session_id} saved"
    rows = dict(card.rows)
    assert int(rows["Steps"]) >= 8 and rows["Step-time difference"].endswith(")")  # with its interval
    assert "Even out your steps" in rows["Cues given"] and rows["Knees (+ = in)"].endswith("(aim below 11\u00b0)")
    ARTIFACTS.mkdir(exist_ok=True)
    assert card.grab().save(str(ARTIFACTS / "session_card.png"))
    import ui.session_keeper as keeper_module

    monkeypatch.setattr(keeper_module.QFileDialog, "getExistingDirectory", staticmethod(lambda *a: str(tmp_path)))
    card.export_button.click()
    qtbot.waitUntil(lambda: card.status.text().startswith("Exported"), timeout=15000)
    assert (tmp_path / f"session-{recorder.session_id}-gaitcoach" / "steps.csv").is_file()
    card.review_button.click()
    review = keeper.review_window
    assert review is not None and review.isVisible() and review.selected_session_id() == recorder.session_id
    qtbot.waitUntil(lambda: len(review.sessions) == 1, timeout=5000)
    assert review.grab().save(str(ARTIFACTS / "review_from_live.png"))


def record_a_session(window, keeper, qtbot, *, frames: int):
    """Space once what plays shows, Space again once ``frames`` are written; the finished session's recorder."""
    qtbot.waitUntil(lambda: window.video_view.has_frame, timeout=30000)
    qtbot.keyClick(window, Qt.Key.Key_Space)
    recorder = keeper.recorder
    qtbot.waitUntil(lambda: recorder.stats.frames_written >= frames, timeout=30000)
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not recorder.running, timeout=15000)
    return recorder


def test_the_save_video_setting_keeps_each_session_video(live, qtbot):
    import cv2

    from ui.settings_dialog import SettingsDialog

    window, controller, keeper, store = live
    dialog = SettingsDialog(controller.settings)
    qtbot.addWidget(dialog)
    assert not dialog.save_video.isChecked()  # off by default
    dialog.save_video.setChecked(True)
    dialog.save()
    assert controller.settings.save_video
    controller.start_demo("valgus", paced=False)
    info = store.session(record_a_session(window, keeper, qtbot, frames=60).session_id)
    assert info.video_path is not None and info.video_path.is_file()
    capture = cv2.VideoCapture(str(info.video_path))
    frames = 0
    while capture.read()[0]:
        frames += 1
    capture.release()
    assert frames == info.frame_count >= 60  # one video frame per stored frame
    store.delete_session(info.id)
    assert not info.video_path.exists()


def test_a_session_is_the_progress_of_whoever_walks(live, qtbot, assets, monkeypatch):
    """Issue 12, item 6: the person chosen in Settings ('Who is walking') gets the sessions recorded now."""
    from ui.settings_dialog import SettingsDialog

    window, controller, keeper, store = live
    monkeypatch.setenv("GAITCOACH_MODEL", str(assets.model_path))
    dialog = SettingsDialog(controller.settings)
    qtbot.addWidget(dialog)
    assert dialog.person.currentText() == "Me"  # until someone else is named
    dialog.person.setCurrentText("Anna")
    dialog.save()
    assert controller.settings.person == "Anna" and controller.settings.people == ["Me", "Anna"]
    controller.start_source(str(assets.video("frontal_walk_toward_outdoor.mp4")), paced=False)
    info = store.session(record_a_session(window, keeper, qtbot, frames=10).session_id)
    assert info.person == "Anna" and info.source.endswith("frontal_walk_toward_outdoor.mp4")
    assert Path(info.source).is_absolute()  # the video's absolute path (issue 12, item 8)


@pytest.mark.faults
def test_an_unreadable_store_turns_recording_off_with_a_message(qtbot, tmp_path, monkeypatch):
    settings = AppSettings(QSettings(str(tmp_path / "g.ini"), QSettings.Format.IniFormat))
    window = MainWindow(settings, CueSpeaker(say=lambda text: None))
    qtbot.addWidget(window)
    window.show()
    controller = LiveController(window, settings)
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    monkeypatch.setenv("GAITCOACH_DATA_DIR", str(data_dir))
    from gaitcoach.store import default_database_path

    database = default_database_path()
    database.parent.mkdir(parents=True, exist_ok=True)
    database.write_bytes(b"this is not a database" * 100)
    keeper = SessionKeeper(controller, window)
    assert keeper.store is None
    assert not window.review_action.isEnabled()
    assert window.notice.isVisible() and "will not be saved" in window.notice.text()
    assert database.read_bytes() == b"this is not a database" * 100  # untouched
    controller.shutdown()


@pytest.mark.faults
def test_a_disk_that_fills_mid_session_is_said_at_once_and_the_coaching_goes_on(qtbot, tmp_path):
    """Issue 10, item 3: the disk fills 2-3 s into a session (a real 320 KiB file system). The window says so at
    once, the session ends there (its clock stops; what was written is kept) and the coaching goes on."""
    from conftest import _mount_tmpfs, _unmount

    disk = tmp_path / "disk"
    if os.geteuid() != 0 or not _mount_tmpfs(disk, "size=320k"):
        pytest.skip("mounting a small tmpfs needs root")
    window, controller, keeper, store = _live_window(qtbot, tmp_path, disk / "sessions.sqlite3")
    try:
        _record_until_the_disk_is_full(qtbot, window, controller, keeper, disk)
    finally:
        store.close()
        _unmount(disk)


def _record_until_the_disk_is_full(qtbot, window, controller, keeper, disk) -> None:
    try:
        controller.start_demo("valgus", paced=True)
        qtbot.waitUntil(lambda: window.video_view.has_frame, timeout=10000)
        qtbot.keyClick(window, Qt.Key.Key_Space)
        recorder = keeper.recorder
        assert recorder is not None and controller.session is not None
        qtbot.waitUntil(lambda: controller.session is None, timeout=60000)  # ended by the failure, not by Stop
        assert recorder.error and "full" in recorder.error
        qtbot.waitUntil(lambda: window.notice.isVisible()
                        and window.notice.text().startswith("Recording stopped: The disk"), timeout=5000)
        assert "coaching goes on" in window.notice.text() and window.video_view.session_text == ""
        ARTIFACTS.mkdir(exist_ok=True)
        assert window.grab().save(str(ARTIFACTS / "recording_failed.png"))
        shown = controller.run.last_update
        qtbot.waitUntil(lambda: controller.run.last_update is not shown, timeout=5000)  # still coaching
        qtbot.waitUntil(lambda: not recorder._thread.is_alive(), timeout=15000)
    finally:
        controller.shutdown()
        keeper.close()
    with SessionStore(disk / "sessions.sqlite3") as again:
        (info,) = again.list_sessions()
        assert info.status in ("interrupted", "finished") and info.frame_count > 0
