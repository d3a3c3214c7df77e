"""The pain diary (issue 15, item 2): notes of pain 0-10 and where, before and after a session or on any day;
stored with the session (a real SQLite database), shown in the review and on the progress tab, in the report,
exported as pain.csv; never required (Esc skips the question)."""
from __future__ import annotations

import csv
import datetime as dt
import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402

from analysis.pain import AFTER, BEFORE, DAY, PainNote  # noqa: E402
from analysis.synthetic import WalkerSpec  # noqa: E402
from gaitcoach.export import PAIN_CSV, export_session  # noqa: E402
from gaitcoach.live import LiveConfig, LiveSession  # noqa: E402
from gaitcoach.store import SessionStore  # noqa: E402
from sessions_helpers import record_synthetic_session  # noqa: E402
from test_report import pdf_pages  # noqa: E402
from ui.pain_dialog import PainDialog  # noqa: E402
from ui.report import write_report  # noqa: E402
from ui.review_window import ReviewWindow  # noqa: E402
from ui.session_keeper import SessionKeeper  # noqa: E402
from live_window import open_live_window  # noqa: E402


def test_a_note_is_a_day_a_when_a_site_and_a_score_from_0_to_10():
    note = PainNote("2025-05-04", BEFORE, "knee_right", 4, "stairs at work")
    assert note.text() == "Right knee 4/10 before walking: stairs at work"
    for bad in ({"date": "4 May"}, {"when": "during"}, {"site": "elbow"}, {"score": 11}, {"score": -1},
                {"score": 2.5}, {"note": "x" * 201}):
        with pytest.raises(ValueError):
            PainNote(**{"date": "2025-05-04", "when": DAY, "site": "hip", "score": 3, **bad})


@pytest.fixture
def database(tmp_path) -> Path:
    path = tmp_path / "sessions.sqlite3"
    record_synthetic_session(path, WalkerSpec(direction="toward", duration_s=15.0, seed=1), source="Camera 0",
                             started_at="2025-05-04T18:10:00+02:00")
    record_synthetic_session(path, WalkerSpec(direction="toward", duration_s=15.0, seed=2), source="Camera 0",
                             started_at="2025-05-11T18:10:00+02:00")
    return path


def test_notes_are_kept_with_their_session_and_in_the_persons_diary(database, tmp_path):
    store = SessionStore(database)
    store.add_pain_notes([PainNote("2025-05-04", BEFORE, "knee_right", 5), PainNote("2025-05-04", BEFORE, "back", 2)],
                         session_id=1)
    store.add_pain_notes([PainNote("2025-05-04", AFTER, "knee_right", 3, "=easier")], session_id=1)
    store.add_pain_notes([PainNote("2025-05-07", DAY, "knee_right", 6, "long day")], person="Me")
    assert [n.score for n in store.pain_notes(1)] == [5, 2, 3] and store.pain_notes(2) == []
    diary = store.pain_notes(person="Me")
    assert [(n.date, n.when, n.score) for n in diary] == [("2025-05-04", BEFORE, 5), ("2025-05-04", BEFORE, 2),
                                                           ("2025-05-04", AFTER, 3), ("2025-05-07", DAY, 6)]
    assert store.pain_notes(person="Anna") == []
    # Exported with the session: pain.csv, formula-safe.
    written = export_session(store, 1, tmp_path / "export")
    assert tmp_path / "export" / PAIN_CSV in written
    with open(tmp_path / "export" / PAIN_CSV, newline="", encoding="utf-8") as file:
        rows = list(csv.reader(file))
    assert rows[0] == ["date", "when", "site", "score", "note"]
    assert rows[1] == ["2025-05-04", "before", "knee_right", "5", ""]
    assert rows[3] == ["2025-05-04", "after", "knee_right", "3", "'=easier"]
    assert PAIN_CSV not in {p.name for p in export_session(store, 2, tmp_path / "export2")}
    # Deleting the session keeps the diary: its notes become notes of their day.
    store.delete_session(1)
    assert len(store.pain_notes(person="Me")) == 4


def test_the_question_is_never_required(qtbot):
    dialog = PainDialog(BEFORE, today=dt.date(2025, 5, 4))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # one key skips it
    assert dialog.result() == PainDialog.DialogCode.Rejected
    dialog = PainDialog(AFTER, today=dt.date(2025, 5, 4))
    qtbot.addWidget(dialog)
    dialog.scores["knee_left"].setCurrentIndex(dialog.scores["knee_left"].findData(0))
    dialog.scores["hip"].setCurrentIndex(dialog.scores["hip"].findData(7))
    dialog.note.setText("  after the hill  ")
    assert dialog.notes() == [PainNote("2025-05-04", AFTER, "knee_left", 0, "after the hill"),
                              PainNote("2025-05-04", AFTER, "hip", 7, "after the hill")]  # 0 is noted; "–" is not


def test_the_live_window_asks_before_and_after_a_walk_and_keeps_the_answer(qtbot, tmp_path, database):
    window, controller, settings = open_live_window(qtbot, tmp_path, show=False)
    store = SessionStore(database)
    keeper = SessionKeeper(controller, window, store)
    try:
        walk = LiveSession(dt.datetime.now().astimezone(), "camera 0", "full", LiveConfig())
        assert keeper._asks_about_pain(walk)
        assert not keeper._asks_about_pain(LiveSession(walk.started_at, "demo walker (limp)", "none", LiveConfig()))
        assert not keeper._asks_about_pain(LiveSession(walk.started_at, "camera 0", "full", LiveConfig(),
                                                       kind="checkup"))
        settings.pain_diary = False
        assert not keeper._asks_about_pain(walk)
        settings.pain_diary = True
        keeper._ask_pain(BEFORE, lambda: 2)  # as when session 2 started
        dialog = keeper.pain_dialog
        assert dialog.isVisible() and dialog.when == BEFORE
        dialog.scores["knee_right"].setCurrentIndex(dialog.scores["knee_right"].findData(4))
        dialog.save_button.click()
        assert [(n.when, n.site, n.score) for n in store.pain_notes(2)] == [(BEFORE, "knee_right", 4)]
        keeper._ask_pain(AFTER, lambda: 2)
        qtbot.keyClick(keeper.pain_dialog, Qt.Key.Key_Escape)  # skipped: nothing more noted
        assert len(store.pain_notes(2)) == 1
    finally:
        controller.shutdown()
        keeper.close()


def test_the_diary_in_the_review_its_progress_and_the_report(qtbot, database, tmp_path):
    store = SessionStore(database)
    store.add_pain_notes([PainNote("2025-05-04", BEFORE, "knee_right", 6)], session_id=1)
    store.add_pain_notes([PainNote("2025-05-11", AFTER, "knee_right", 3, "new shoes")], session_id=2)
    review = ReviewWindow(store)
    qtbot.addWidget(review)
    review.resize(1400, 900)
    review.show()
    review.select_session(2)
    assert "Pain diary: Right knee 3/10 after walking: new shoes" in review.session_header.text()
    review.note_pain([PainNote("2025-05-08", DAY, "back", 5)])  # "Pain diary…" on a day without a session
    assert "Noted in Me's pain diary" in review.status_label.text()
    picker = review.figure_pickers["progress-knees"]
    picker.setCurrentIndex(picker.findData("progress-pain"))
    assert review.progress_charts["progress-knees"].has_data
    review.tabs.setCurrentIndex(1)
    assert review.grab().save(str(Path(__file__).resolve().parents[1] / "artifacts" / "review_pain.png"))
    # One session with a step-time difference: its chart shows the week around it (it showed two years).
    (x_low, x_high), _ = review.progress_charts["progress-symmetry"].plot.getPlotItem().getViewBox().viewRange()
    assert 5 * 86400 < x_high - x_low < 8 * 86400
    path, _ = write_report(store, [1, 2], tmp_path / "pain.pdf")
    first = pdf_pages(path)[0]
    assert "Pain diary" in first and "new shoes" in first and "6/10" in first and "5/10" in first
