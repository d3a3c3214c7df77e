"""A guided check-up stored as a session of its own kind: migration 7, the recorder, reading back, checkup.csv,
delete, and `gaitcoach sessions list|export`. Real SQLite files, a real writer thread."""
from __future__ import annotations

import csv
import math
import sqlite3
from pathlib import Path

import pytest

from analysis.checkup import CheckupRow
from analysis.columns import CHECKUP_COLUMNS
from analysis.synthetic import WalkerSpec, generate
from gaitcoach import cli
from gaitcoach.export import CHECKUP_CSV, export_session
from gaitcoach.store import (
    CHECKUP_KIND, DATABASE_NAME, FINISHED, SCHEMA_VERSION, WALK_KIND, SessionRecorder, SessionStore, StoreError,
)
from sessions_helpers import record_synthetic_session, same_records

V1_DUMP = Path(__file__).resolve().parent / "data" / "sessions_v1.sql"
NAN = math.nan
WALK = WalkerSpec(direction="toward", duration_s=4.0, seed=3)
ROWS = (
    CheckupRow("setup", "=HYPERLINK(\"http://x\")", NAN, NAN, 1.0, "", NAN, NAN, True),  # formula text
    CheckupRow("standing_alignment", "knee_fppa_deg", 4.5, 12.25, NAN, "deg", -5.0, 8.0, False),
    CheckupRow("single_leg_squat", "knee_fppa_peak_deg", 7.0, NAN, NAN, "deg", NAN, NAN, None),
    CheckupRow("timed_walk", "cadence_steps_per_min", NAN, NAN, 112.5, "steps/min", 100.0, 130.0, True),
)
CSV_HEADER = "test,metric,left,right,overall,unit,normal_low,normal_high,passed"
CSV_ROWS = [
    ["setup", "'=HYPERLINK(\"http://x\")", "", "", "1.0000", "", "", "", "1"],
    ["standing_alignment", "knee_fppa_deg", "4.5000", "12.2500", "", "deg", "-5.0000", "8.0000", "0"],
    ["single_leg_squat", "knee_fppa_peak_deg", "7.0000", "", "", "deg", "", "", ""],
    ["timed_walk", "cadence_steps_per_min", "", "", "112.5000", "steps/min", "100.0000", "130.0000", "1"],
]


def record_checkup(database: Path, rows=ROWS, source: str = "Camera 0") -> int:
    """A finished check-up session: a few standing frames (no figures), then its result rows."""
    recorder = SessionRecorder(database)
    recorder.start(source, "none", 1.7, "test", kind=CHECKUP_KIND)
    for frame in generate(WalkerSpec(direction="toward", activity="stand", duration_s=0.5, seed=1)).frames:
        recorder.record_frame(frame, None)
    recorder.finish([], rows)
    assert recorder.close(timeout_s=30.0) and recorder.error is None, recorder.error
    return recorder.session_id


def stored_rows(database: Path, session_id: int) -> list[tuple]:
    with sqlite3.connect(database) as conn:
        rows = conn.execute("SELECT position, test, metric, left, right, overall, unit, normal_low, normal_high, "
                            "passed FROM checkup_results WHERE session_id = ? ORDER BY position",
                            (session_id,)).fetchall()
    conn.close()
    return rows


def read_csv(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def test_an_old_database_migrates_to_7_and_every_old_session_is_a_walk(tmp_path):
    database = tmp_path / "sessions.sqlite3"
    conn = sqlite3.connect(database)
    conn.executescript(V1_DUMP.read_text(encoding="utf-8"))
    conn.execute("INSERT INTO sessions (started_at, ended_at, status, source, model, app_version) "
                 "VALUES ('2025-01-02T10:00:00+00:00', '2025-01-02T10:01:00+00:00', 'finished', 'demo walker (limp)', "
                 "'none', '0.1')")
    conn.commit()
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    conn.close()
    with SessionStore(database) as store:
        assert store.schema_version == SCHEMA_VERSION >= 7
        sessions = store.list_sessions()
        assert [s.id for s in sessions] == [1, 2] and [s.kind for s in sessions] == [WALK_KIND, WALK_KIND]
        assert store.checkup_results(1) == [] and store.checkup_results(2) == []
    conn = sqlite3.connect(database)
    assert conn.execute("SELECT kind FROM sessions ORDER BY id").fetchall() == [("walk",), ("walk",)]
    columns = [row[1] for row in conn.execute("PRAGMA table_info(checkup_results)")]
    assert columns == ["session_id", "position", *CHECKUP_COLUMNS]
    conn.close()
    # The migrated database takes a check-up like a new one.
    session_id = record_checkup(database)
    with SessionStore(database) as store:
        assert session_id == 3 and store.session(3).kind == CHECKUP_KIND
        assert same_records(store.checkup_results(3), ROWS)


def test_a_checkup_reads_back_as_recorded(tmp_path):
    database = tmp_path / "sessions.sqlite3"
    walk = record_synthetic_session(database, WALK).session_id
    checkup = record_checkup(database)
    with SessionStore(database) as store:
        info = store.session(checkup)
        assert info.kind == CHECKUP_KIND and info.status == FINISHED and info.frame_count == 15
        got = store.checkup_results(checkup)
        assert same_records(got, ROWS)
        assert [row.passed for row in got] == [True, False, None, True]
        assert all(type(row.passed) is bool for row in got if row.passed is not None)
        assert got[0].metric == "=HYPERLINK(\"http://x\")"  # stored as given: neutralised only in the CSV
        assert store.session(walk).kind == WALK_KIND and store.checkup_results(walk) == []
        assert [s.kind for s in store.list_sessions()] == [WALK_KIND, CHECKUP_KIND]
    # In the file: NaN as NULL, passed as 1/0/NULL, in order.
    assert stored_rows(database, checkup) == [
        (0, "setup", "=HYPERLINK(\"http://x\")", None, None, 1.0, "", None, None, 1),
        (1, "standing_alignment", "knee_fppa_deg", 4.5, 12.25, None, "deg", -5.0, 8.0, 0),
        (2, "single_leg_squat", "knee_fppa_peak_deg", 7.0, None, None, "deg", None, None, None),
        (3, "timed_walk", "cadence_steps_per_min", None, None, 112.5, "steps/min", 100.0, 130.0, 1),
    ]


def test_a_recorder_refuses_an_unknown_kind_and_rows_that_are_not_checkup_rows(tmp_path):
    database = tmp_path / "sessions.sqlite3"
    with pytest.raises(ValueError, match="kind must be one of"):
        SessionRecorder(database).start("Camera 0", "none", None, "test", kind="run")
    recorder = SessionRecorder(database)
    recorder.start("Camera 0", "none", None, "test", kind=CHECKUP_KIND)
    with pytest.raises(TypeError, match="CheckupRow"):
        recorder.finish([], [("setup", "light", 1.0)])
    recorder.finish([], ROWS[:1])  # the recording went on: the right rows are still taken
    assert recorder.close(timeout_s=30.0) and recorder.error is None
    with SessionStore(database) as store:
        assert same_records(store.checkup_results(recorder.session_id), ROWS[:1])


def test_a_checkup_exports_checkup_csv_formula_safe(tmp_path):
    database = tmp_path / "sessions.sqlite3"
    session_id = record_checkup(database)
    with SessionStore(database) as store:
        written = export_session(store, session_id, tmp_path / "out")
    path = tmp_path / "out" / CHECKUP_CSV
    assert CHECKUP_CSV == "checkup.csv" and path in written
    assert path.read_text(encoding="utf-8").splitlines()[0] == CSV_HEADER
    assert read_csv(path) == [CSV_HEADER.split(","), *CSV_ROWS]


def test_a_walk_exports_no_checkup_csv(tmp_path):
    database = tmp_path / "sessions.sqlite3"
    session_id = record_synthetic_session(database, WALK).session_id
    with SessionStore(database) as store:
        written = export_session(store, session_id, tmp_path / "out")
    assert [p.name for p in written] == ["frames.csv", "steps.csv", "summary.csv", "session.csv", "cues.csv"]
    assert not (tmp_path / "out" / CHECKUP_CSV).exists()


def test_deleting_a_checkup_removes_its_rows_and_keeps_the_others(tmp_path):
    database = tmp_path / "sessions.sqlite3"
    first, second = record_checkup(database), record_checkup(database, rows=ROWS[1:3])
    assert len(stored_rows(database, first)) == 4 and len(stored_rows(database, second)) == 2
    with SessionStore(database) as store:
        assert store.delete_session(first).kind == CHECKUP_KIND
        with pytest.raises(StoreError, match=f"There is no session {first}"):
            store.checkup_results(first)
        assert same_records(store.checkup_results(second), ROWS[1:3])
    assert stored_rows(database, first) == []
    with sqlite3.connect(database) as conn:
        assert conn.execute("SELECT count(*) FROM checkup_results").fetchone()[0] == 2
    conn.close()


def test_sessions_list_marks_a_checkup_and_export_writes_checkup_csv(tmp_path, monkeypatch, capsys):
    data = tmp_path / "data"
    data.mkdir()
    record_synthetic_session(data / DATABASE_NAME, WALK, source="Camera 0")
    record_checkup(data / DATABASE_NAME, source="Camera 0")
    monkeypatch.setenv("GAITCOACH_DATA_DIR", str(data))
    assert cli.main(["sessions", "list"]) == 0
    header, walk_line, checkup_line = capsys.readouterr().out.splitlines()
    assert walk_line.split()[0] == "1" and walk_line.endswith("  Camera 0")
    assert checkup_line.split()[0] == "2" and checkup_line.endswith("  [check-up] Camera 0")
    assert header.index("SOURCE") == walk_line.index("Camera 0") == checkup_line.index("[check-up]")
    assert cli.main(["sessions", "export", "2", "--out", str(tmp_path / "out")]) == 0
    assert "checkup.csv" in capsys.readouterr().out
    assert read_csv(tmp_path / "out" / CHECKUP_CSV) == [CSV_HEADER.split(","), *CSV_ROWS]
    assert cli.main(["sessions", "export", "1", "--out", str(tmp_path / "walk")]) == 0
    assert "checkup.csv" not in capsys.readouterr().out and not (tmp_path / "walk" / CHECKUP_CSV).exists()
