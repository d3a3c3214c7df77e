"""The session store: real SQLite files, a real writer thread, a real process killed with SIGKILL."""
from __future__ import annotations

import csv
import hashlib
import math
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import fields
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest

from analysis.coaching import Cue
from analysis.rules import DEFAULT_CUE_THRESHOLDS
from analysis.columns import FRAME_GAIT_COLUMNS, STEP_COLUMNS, SUMMARY_COLUMNS
from analysis.results import FrameMetrics, StepMetrics
from analysis.synthetic import WalkerSpec
from analysis.types import PoseFrame
from gaitcoach.export import FRAME_COLUMNS, export_session
from gaitcoach.store import (
    COMMIT_INTERVAL_S, FINISHED, INTERRUPTED, LANDMARK_RELATIVE_ERROR, RECORDING, SCHEMA_VERSION, SessionRecorder,
    SessionStore, StoreError, data_dir, decode_landmark_chunk, encode_landmark_chunk, landmark_values,
    landmarks_from_values,
)
from sessions_helpers import record_synthetic_session, same_records

TESTS_DIR = Path(__file__).resolve().parent
V1_DUMP = TESTS_DIR / "data" / "sessions_v1.sql"
LIMP_AND_VALGUS = WalkerSpec(direction="toward", duration_s=20.0, knee_valgus_right_deg=10.0,
                             step_time_asymmetry_pct=15.0, seed=1)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "data" / "sessions.sqlite3"


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    """One finished synthetic session (limp and right knee valgus), recorded through the writer thread."""
    database = tmp_path_factory.mktemp("store") / "sessions.sqlite3"
    walk = record_synthetic_session(database, LIMP_AND_VALGUS, source="=HYPERLINK(\"http://x\")")
    return database, walk


# --- landmarks ------------------------------------------------------------------------------------------------

def test_landmark_chunks_keep_float16_exactly_and_pixels_within_the_documented_rounding():
    rng = np.random.default_rng(0)
    frames = []
    for _ in range(20):
        image = np.column_stack([rng.uniform(-50, 1970, 33), rng.uniform(0, 1080, 33), rng.normal(0, 0.3, 33),
                                 rng.uniform(0, 1, 33), rng.uniform(0, 1, 33)])
        frames.append((image, rng.normal(0, 0.5, (33, 3))))
    values = [landmark_values(image, world, 1920, 1080) for image, world in frames]
    decoded = decode_landmark_chunk(encode_landmark_chunk(values), len(values))
    assert decoded.dtype == np.float16 and np.array_equal(decoded.view(np.uint16), np.array(values).view(np.uint16))
    for (image, world), row in zip(frames, decoded):
        image_back, world_back = landmarks_from_values(row, 1920, 1080)
        assert np.all(np.abs(image_back - image) <= LANDMARK_RELATIVE_ERROR * np.abs(image) + 1e-6)
        assert np.all(np.abs(world_back - world) <= LANDMARK_RELATIVE_ERROR * np.abs(world) + 1e-7)
        inside = (image[:, 0] >= 0) & (image[:, 0] <= 1920)
        assert np.all(np.abs(image_back[inside, 0] - image[inside, 0]) <= 0.47)  # <= 0.5 px at 1920 px wide
    assert landmarks_from_values(landmark_values(None, None, 640, 360), 640, 360) == (None, None)


# --- recording and reading back ---------------------------------------------------------------------------------

def test_a_recorded_session_reads_back_as_recorded(recorded):
    database, walk = recorded
    with SessionStore(database) as store:
        (info,) = store.list_sessions()
        assert info.status == FINISHED and info.frame_count == len(walk.frames)
        assert info.started <= datetime.fromisoformat(info.ended_at)
        assert info.user_height_m == 1.70 and info.app_version == "test"
        assert math.isclose(info.duration_s, walk.frames[-1].t_s - walk.frames[0].t_s)
        assert same_records(store.steps(info.id), walk.gait.steps)
        # The last steps before each U-turn have no toe off: NULL in the database, NaN when read back.
        assert any(math.isnan(s.to_t_s) and math.isnan(s.to_frame) for s in store.steps(info.id))
        assert same_records(store.summary(info.id), walk.gait.summary)
        assert store.cues(info.id) == walk.cues and walk.cues  # the coach spoke up about the knee and the limp
        stored = list(store.frames(info.id))
        assert [f.frame for f in stored] == [f.frame_index for f in walk.frames]
        assert same_records([f.metrics for f in stored], walk.gait.frames)
        for frame, back in zip(walk.frames, stored):
            assert back.t_s == frame.t_s
            if frame.image_landmarks is None:
                assert back.image_landmarks is None
                continue
            error = np.abs(back.image_landmarks - frame.image_landmarks)
            assert np.all(error <= LANDMARK_RELATIVE_ERROR * np.abs(frame.image_landmarks) + 1e-6)
            assert np.allclose(back.world_landmarks, frame.world_landmarks, rtol=LANDMARK_RELATIVE_ERROR, atol=1e-7)
        series = store.frame_series(info.id, ("t_s", "knee_fppa_right_deg"))
        assert np.array_equal(series["t_s"], [f.t_s for f in walk.frames])
        figures = info.figures
        assert figures.step_count == len(walk.gait.steps)
        assert figures.knee_fppa_right_deg > figures.knee_fppa_left_deg + 4  # the valgus knee shows
        assert figures.step_time_symmetry_pct > 5  # and the limp, with its interval as the summary states it
        (row,) = [r for r in store.summary(info.id) if r.metric == "step_time_s"]
        assert figures.step_time_symmetry == (row.symmetry_index_pct, row.symmetry_index_low_pct,
                                              row.symmetry_index_high_pct)
        assert 0 <= figures.step_time_symmetry_low_pct < figures.step_time_symmetry_pct \
            < figures.step_time_symmetry_high_pct
        assert store.integrity_check() == "ok"


def test_export_uses_the_analyze_schema_and_neutralises_formulas(recorded, tmp_path):
    database, walk = recorded
    with SessionStore(database) as store:
        written = export_session(store, 1, tmp_path / "new" / "folder")
    assert [p.name for p in written] == ["frames.csv", "steps.csv", "summary.csv", "session.csv", "cues.csv"]
    rows = {p.name: list(csv.reader(p.open(encoding="utf-8", newline=""))) for p in written}
    assert tuple(rows["frames.csv"][0]) == FRAME_COLUMNS and len(rows["frames.csv"]) == len(walk.frames) + 1
    assert tuple(rows["steps.csv"][0]) == STEP_COLUMNS and len(rows["steps.csv"]) == len(walk.gait.steps) + 1
    assert tuple(rows["summary.csv"][0]) == SUMMARY_COLUMNS
    session = dict(zip(*rows["session.csv"]))
    assert session["source"] == "'=HYPERLINK(\"http://x\")"  # a spreadsheet shows it as text, never runs it
    assert session["status"] == "finished" and session["started_at"][10] == "T"
    assert len(rows["cues.csv"]) == len(walk.cues) + 1


@pytest.mark.faults
@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1+1", "\r=1+1"])
def test_every_formula_start_is_neutralised(text):
    """OWASP's CSV-injection starts, tab and carriage return included (issue 10, item 7)."""
    from gaitcoach.export import format_cell

    assert format_cell(text) == "'" + text and format_cell("walk " + text) == "walk " + text


def test_record_calls_only_queue(tmp_path):
    frame = PoseFrame(0.0, 0, 640, 360, np.zeros((33, 5)), np.zeros((33, 3)))
    metrics = FrameMetrics("facing", *[0.0] * (len(FRAME_GAIT_COLUMNS) - 1))
    recorder = SessionRecorder(tmp_path / "s.sqlite3")
    with pytest.raises(RuntimeError, match="start"):
        recorder.record_frame(frame, metrics)
    recorder.start("test", "none", None, "test")
    costs = []
    for i in range(2000):
        frame = PoseFrame(i / 30, i, 640, 360, np.zeros((33, 5)), np.zeros((33, 3)))
        started = time.perf_counter()
        recorder.record_frame(frame, metrics)
        costs.append(time.perf_counter() - started)
    recorder.finish([])
    assert recorder.close() and recorder.error is None
    assert recorder.stats.frames_written == 2000
    assert np.median(costs) < 50e-6  # a queue put, no disk (measured: a few microseconds)


def test_video_frames_are_never_stored_unless_asked(tmp_path):
    image = np.full((360, 640, 3), 128, np.uint8)

    class Result:  # what the live window hands over: a PoseResult with the frame attached
        def __init__(self, i):
            self.frame_index, self.t_ms, self.image_width_px, self.image_height_px = i, i * 33.3, 640, 360
            self.image_landmarks, self.world_landmarks, self.image_bgr = np.full((33, 5), 0.5), None, image

    database = tmp_path / "data" / "sessions.sqlite3"
    for save_video in (False, True):
        recorder = SessionRecorder(database)
        recorder.start("camera", "none", None, "test", save_video=save_video)
        for i in range(30):
            recorder.record_frame(Result(i), None)
        recorder.finish([])
        assert recorder.close() and recorder.error is None
    with SessionStore(database) as store:
        plain, with_video = store.list_sessions()
    assert plain.video_path is None and with_video.video_path == database.parent / "videos" / "session-2.mp4"
    assert [p.name for p in (database.parent / "videos").iterdir()] == ["session-2.mp4"]
    assert with_video.video_path.stat().st_size > 1000
    with SessionStore(database) as store:
        store.delete_session(2)
    assert not with_video.video_path.exists()


@pytest.mark.faults
def test_concurrent_writer_and_reader(tmp_path):
    """A reader (as the review window) lists and reads while the writer thread records at camera pace: no errors,
    and every frame is readable within a second of being recorded."""
    database = tmp_path / "sessions.sqlite3"
    SessionStore(database).close()
    recorder = SessionRecorder(database)
    recorder.start("camera", "none", None, "test")
    session_id = recorder.wait_created(5.0)
    recorded_at: dict[int, float] = {}
    lags, errors, seen = [], [], []
    stop = threading.Event()

    def read() -> None:
        try:
            with SessionStore(database) as store:
                while not stop.is_set():
                    info = store.session(session_id)
                    assert info.status == RECORDING
                    frames = store.frame_series(session_id, ("frame",))["frame"]
                    store.list_sessions()
                    now = time.monotonic()
                    seen.append(len(frames))
                    if len(frames):
                        lags.append(now - recorded_at[int(frames[-1])])
                    time.sleep(0.02)
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append(error)

    reader = threading.Thread(target=read)
    reader.start()
    started = time.monotonic()
    for i in range(90):  # 3 s at 30 fps
        time.sleep(max(0.0, started + i / 30 - time.monotonic()))
        recorded_at[i] = time.monotonic()
        recorder.record_frame(PoseFrame(i / 30, i, 640, 360, np.full((33, 5), 0.5), np.zeros((33, 3))), None)
    time.sleep(1.0)
    stop.set()
    reader.join()
    recorder.finish([])
    assert recorder.close() and recorder.error is None
    assert not errors, errors
    assert seen == sorted(seen) and seen[-1] == 90
    # The newest visible frame is never older than a commit interval plus scheduling slack.
    assert max(lags[: len(lags) - 50]) <= COMMIT_INTERVAL_S + 0.5


@pytest.mark.faults
def test_a_killed_process_loses_at_most_the_last_second(tmp_path):
    database = tmp_path / "data" / "sessions.sqlite3"
    child = subprocess.Popen([sys.executable, str(TESTS_DIR / "session_child.py"), str(database)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    recorded_at = {}
    try:
        while True:
            line = child.stdout.readline()
            assert line, f"the recording process ended early: {child.stderr.read()}"
            frame, at = line.split()
            recorded_at[int(frame)] = float(at)
            if int(frame) >= 120:  # 4 s of walking recorded
                break
        killed_at = time.monotonic()
        os.kill(child.pid, signal.SIGKILL)
        child.wait(10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL
    for line in child.stdout.read().splitlines():
        frame, at = line.split()
        recorded_at[int(frame)] = float(at)
    with SessionStore(database) as store:
        assert store.integrity_check() == "ok"
        (info,) = store.list_sessions()
        assert info.status == INTERRUPTED and info.ended_at is not None
        stored = [f.frame for f in store.frames(info.id)]
        assert stored == list(range(len(stored)))  # nothing missing before the last committed frame
        must_have = [frame for frame, at in recorded_at.items() if at <= killed_at - 1.0]
        assert len(must_have) >= 90 and set(must_have) <= set(stored)
        assert max(stored) <= max(recorded_at)
        assert info.figures.step_count >= 2 and store.steps(info.id)
        assert store.summary(info.id) == []  # it never finished
        export_session(store, info.id, tmp_path / "export")  # and it can still be exported
    assert (tmp_path / "export" / "frames.csv").stat().st_size > 0


@pytest.mark.faults
def test_other_commands_during_a_recording_lose_nothing(tmp_path, assets):
    """Issue 10: `sessions list`, `export`, `delete` and `analyze --save` run by another process while a session
    is being recorded used to make SQLite delete the recording's WAL (a header read outside SQLite dropped the
    process's locks): the rest of the session went into a deleted file. Every frame must be kept."""
    data_dir = tmp_path / "data"
    database = data_dir / "sessions.sqlite3"
    other = record_synthetic_session(database, WalkerSpec(direction="toward", duration_s=3.0, seed=5))
    child = subprocess.Popen([sys.executable, str(TESTS_DIR / "session_child.py"), str(database), "20"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    recorded = []
    env = {**os.environ, "GAITCOACH_DATA_DIR": str(data_dir)}
    commands = [["sessions", "list"], ["sessions", "export", other.session_id, "--out", tmp_path / "export"],
                ["sessions", "delete", other.session_id],
                ["analyze", assets.video("back_walk_away_warehouse.mp4"), "--out", tmp_path / "analysis",
                 "--model", assets.model_path, "--save"]]
    try:
        for line in child.stdout:
            recorded.append(int(line.split()[0]))
            if commands and recorded[-1] >= 45 * (5 - len(commands)):  # one command every 1.5 s of walking
                done = subprocess.run([sys.executable, "-m", "gaitcoach.cli", *map(str, commands.pop(0))],
                                      capture_output=True, text=True, env=env, timeout=120)
                assert done.returncode == 0, done.stderr
        assert child.wait(30) == 0, child.stderr.read()
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert not commands
    with SessionStore(database) as store:
        sessions = store.list_sessions()
        assert other.session_id not in [s.id for s in sessions]  # deleted
        assert any(s.status == FINISHED and s.source.endswith("back_walk_away_warehouse.mp4") for s in sessions)
        (info,) = [s for s in sessions if s.source == "synthetic walker (crash test)"]
        assert info.status == FINISHED
        assert [f.frame for f in store.frames(info.id)] == recorded
        assert store.summary(info.id)


@pytest.mark.faults
def test_health_data_is_readable_by_its_owner_only(tmp_path):
    """Issue 10, item 4: the data folder, the database with its WAL and shared-memory files, a session's export
    folder and its files are owner-only (0700 / 0600); a database left world-readable by an older version is
    tightened when opened."""
    import stat

    def mode(path: Path) -> int:
        return stat.S_IMODE(path.stat().st_mode)

    data = tmp_path / "data"
    database = data / "sessions.sqlite3"
    walk = record_synthetic_session(database, WalkerSpec(direction="toward", duration_s=2.0, seed=3))
    with SessionStore(database) as store:
        assert mode(data) == 0o700 and mode(database) == 0o600
        for extra in ("-wal", "-shm"):
            side = database.with_name(database.name + extra)
            assert not side.exists() or mode(side) == 0o600
        written = export_session(store, walk.session_id, tmp_path / "export" / "session")
    assert mode(tmp_path / "export") == 0o700 and mode(tmp_path / "export" / "session") == 0o700
    assert written and all(mode(path) == 0o600 for path in written)
    database.chmod(0o644)
    SessionStore(database).close()
    assert mode(database) == 0o600


def _insert_recording(database: Path, pid: int, heartbeat_unix_s: float, *, host: str | None = None,
                      with_frame: bool = False) -> int:
    """A session left "recording" by writer ``pid`` on ``host`` (None: this machine), last heard of at
    ``heartbeat_unix_s``; ``with_frame``: it wrote one frame (not an empty session)."""
    conn = sqlite3.connect(database)
    cursor = conn.execute(
        "INSERT INTO sessions (started_at, status, source, model, user_height_m, app_version, writer_pid, "
        "writer_host, heartbeat_unix_s) VALUES ('2025-06-01T10:00:00+02:00', 'recording', 'camera 0', 'full', NULL, "
        "'test', ?, ?, ?)", (pid, host or socket.gethostname(), heartbeat_unix_s))
    if with_frame:
        conn.execute("INSERT INTO frames (session_id, frame, t_s, image_width_px, image_height_px, pose_detected) "
                     "VALUES (?, 0, 0.0, 640, 360, 0)", (cursor.lastrowid,))
    conn.commit()
    conn.close()
    return cursor.lastrowid


def _dead_pid() -> int:
    """The pid of a process that has ended."""
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(child.stdout)


@pytest.mark.faults
def test_a_silent_writer_is_interrupted_even_if_its_pid_lives_again_and_empty_sessions_go(tmp_path):
    """Issue 10, item 7: a crashed writer's pid reused by another live process (here: this test's own) no longer
    keeps its session "recording" for ever: a writer silent for STALE_AFTER_S is gone. A run killed before its
    first frame leaves an empty session, which the next opening removes; sessions with data are kept."""
    from gaitcoach.store import STALE_AFTER_S

    database = tmp_path / "sessions.sqlite3"
    walk = record_synthetic_session(database, WalkerSpec(direction="toward", duration_s=2.0, seed=6))
    silent = _insert_recording(database, os.getpid(), time.time() - STALE_AFTER_S - 5.0, with_frame=True)
    empty = _insert_recording(database, _dead_pid(), time.time())  # its writer is dead, it wrote nothing
    live = _insert_recording(database, os.getpid(), time.time())  # beating: still recording
    with SessionStore(database) as store:
        status = {s.id: s.status for s in store.list_sessions()}
    assert status == {walk.session_id: FINISHED, silent: INTERRUPTED, live: RECORDING}
    assert empty not in status


# --- schema -------------------------------------------------------------------------------------------------------

def load_v1(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.executescript(V1_DUMP.read_text(encoding="utf-8"))
    conn.close()


def test_the_first_schema_is_migrated_with_its_data(tmp_path):
    database = tmp_path / "sessions.sqlite3"
    load_v1(database)
    with SessionStore(database) as store:
        assert store.schema_version == SCHEMA_VERSION
        (info,) = store.list_sessions()
        assert info.status == FINISHED and info.source == "synthetic walker (toward)" and info.video_path is None
        assert info.frame_count == 60 and len(store.steps(1)) == 2 and len(store.summary(1)) > 10
        # Version 5: the thresholds it was coached with were not kept: none stored, today's defaults drawn.
        assert info.cue_thresholds == {} and info.thresholds() == DEFAULT_CUE_THRESHOLDS
        # Version 6: sessions stored before were the one user's progress (the demo walker's are nobody's).
        assert info.person == "Me" and [s.person for s in store.list_sessions()] == ["Me"]
        assert store.cues(1) == [(1.5, Cue("knee_valgus", "Knees out over your toes", "fault", 60,
                                            "right 9 deg (aim below 8)"))]
        # Version 4: no interval for old sessions (unknown), and no SI that this version would not state (the
        # session has 1 step a side; v1 wrote 6.3 % for step time, 93 % for knee FPPA). Left and right stay.
        summary = {row.metric: row for row in store.summary(1)}
        assert all(math.isnan(row.symmetry_index_pct) and math.isnan(row.symmetry_index_low_pct)
                   and math.isnan(row.symmetry_index_high_pct) for row in summary.values())
        assert summary["step_time_s"].left == pytest.approx(0.569659959240199853525)
        frames = list(store.frames(1))
        assert sum(f.image_landmarks is None for f in frames) == 3  # the dropouts stay dropouts
        assert all(f.image_landmarks.shape == (33, 5) for f in frames if f.image_landmarks is not None)
        export_session(store, 1, tmp_path / "out")
        assert store.integrity_check() == "ok"
    fresh = tmp_path / "fresh.sqlite3"
    SessionStore(fresh).close()
    assert schema(database) == schema(fresh)


def schema(path: Path) -> dict[str, list]:
    conn = sqlite3.connect(path)
    tables = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    result = {table: [row[1:] for row in conn.execute(f"PRAGMA table_info({table})")] for table in tables}
    conn.close()
    return result


def test_the_schema_has_a_column_for_every_exported_figure(db):
    SessionStore(db).close()
    columns = {table: [c[0] for c in cols] for table, cols in schema(db).items()}
    assert set(FRAME_GAIT_COLUMNS) <= set(columns["frames"])  # a new figure needs a migration
    assert set(STEP_COLUMNS) <= set(columns["steps"])
    assert set(SUMMARY_COLUMNS) <= set(columns["summary"])
    assert {f.name for f in fields(StepMetrics)} <= set(columns["steps"])


@pytest.mark.faults
def test_a_database_from_a_newer_gaitcoach_is_refused_unchanged(recorded, tmp_path):
    database = tmp_path / "sessions.sqlite3"
    database.write_bytes(recorded[0].read_bytes())
    conn = sqlite3.connect(database)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = digest(database)
    with pytest.raises(StoreError, match="newer GaitCoach") as raised:
        SessionStore(database)
    assert "\n" not in str(raised.value)
    assert digest(database) == before and sorted(p.name for p in tmp_path.iterdir()) == ["sessions.sqlite3"]


@pytest.mark.faults
@pytest.mark.parametrize("damage", ["garbage", "damaged pages", "other program"])
def test_a_damaged_or_foreign_file_is_refused_and_kept(recorded, tmp_path, damage):
    database = tmp_path / "sessions.sqlite3"
    if damage == "garbage":
        database.write_bytes(os.urandom(50_000))
    elif damage == "damaged pages":
        data = bytearray(recorded[0].read_bytes())
        data[100:4096 * 3] = os.urandom(4096 * 3 - 100)  # the schema page and the next ones
        database.write_bytes(bytes(data))
    else:
        conn = sqlite3.connect(database)
        conn.execute("CREATE TABLE notes (text TEXT)")
        conn.commit()
        conn.close()
    before = digest(database)
    with pytest.raises(StoreError) as raised:
        SessionStore(database).list_sessions()
    message = str(raised.value)
    assert "left" in message and "\n" not in message
    assert ("damaged" in message) if damage != "other program" else ("another program" in message)
    assert digest(database) == before


@pytest.mark.faults
def test_a_damaged_table_is_never_written_to(tmp_path):
    """Issue 10, item 2: the sessions table's root page overwritten with random bytes (the schema still reads):
    neither a recorder nor `analyze --save`'s store writes to it; it says the file is damaged and leaves it
    byte-identical."""
    import gaitcoach.store as store_module

    database = tmp_path / "sessions.sqlite3"
    record_synthetic_session(database, WalkerSpec(direction="toward", duration_s=2.0, seed=4))
    conn = sqlite3.connect(database)
    root_page = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'sessions'").fetchone()[0]
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(database.read_bytes())
    start = (root_page - 1) * page_size
    data[start:start + page_size] = np.random.default_rng(1).integers(0, 256, page_size, dtype=np.uint8).tobytes()
    database.write_bytes(bytes(data))
    before = digest(database)
    store_module._CHECKED_UNDAMAGED.clear()  # a new process
    recorder = SessionRecorder(database)
    recorder.start("synthetic walker", "none", 1.7, "test")
    assert recorder.wait_created(10.0) is None and "damaged" in str(recorder.error)
    recorder.close()
    with pytest.raises(StoreError, match="damaged"):
        SessionStore(database).list_sessions()
    assert digest(database) == before


def _damage_a_landmark_chunk(database: Path, at_start: bool) -> int:
    """Overwrite bytes of a landmark chunk in the database file itself (as a bad disk would): its start (format
    byte and zlib header) or its inside. Returns the session whose chunk it is."""
    conn = sqlite3.connect(database)
    session_id, data = conn.execute("SELECT session_id, data FROM landmark_chunks ORDER BY id LIMIT 1").fetchone()
    conn.close()
    content = bytearray(database.read_bytes())
    middle = len(data) // 2
    piece = data[:64] if at_start else data[middle:middle + 64]  # a long blob spans overflow pages: find its bytes
    start = content.find(piece)
    assert start > 0 and len(data) > 200
    content[start:start + 16] = bytes(range(200, 216))
    database.write_bytes(bytes(content))
    return session_id


@pytest.mark.faults
@pytest.mark.parametrize("at_start", [True, False], ids=["chunk start", "chunk inside"])
def test_damaged_landmarks_are_never_written_over(tmp_path, at_start):
    """Issue 10, item 2: damage inside the landmark blobs (SQLite's quick check cannot see it). Deleting that
    session refuses, as export does; damage at a chunk's start is found before any write (a recorder refuses);
    the file stays byte-identical."""
    import gaitcoach.store as store_module

    database = tmp_path / "sessions.sqlite3"
    record_synthetic_session(database, WalkerSpec(direction="toward", duration_s=2.0, seed=4))
    session_id = _damage_a_landmark_chunk(database, at_start)
    before = digest(database)
    store_module._CHECKED_UNDAMAGED.clear()  # a new process
    if at_start:
        recorder = SessionRecorder(database)
        recorder.start("synthetic walker", "none", 1.7, "test")
        assert recorder.wait_created(10.0) is None and "damaged" in str(recorder.error)
        recorder.close()
        assert digest(database) == before
        store_module._CHECKED_UNDAMAGED.add(str(database.resolve()))  # as if checked: delete's own test
    with SessionStore(database) as store:
        with pytest.raises(StoreError, match="damaged"):
            store.delete_session(session_id)
        with pytest.raises(StoreError, match="damaged"):
            export_session(store, session_id, tmp_path / "export")
        assert [info.id for info in store.list_sessions()] == [session_id]
    assert digest(database) == before


@pytest.mark.faults
def test_an_unknown_session_id_is_a_clear_error(recorded):
    with SessionStore(recorded[0]) as store:
        for action in (store.session, store.steps, store.delete_session,
                       lambda i: export_session(store, i, "/nonexistent")):
            with pytest.raises(StoreError, match="There is no session 99 "):
                action(99)


@pytest.mark.faults
@pytest.mark.parametrize("named", ["../victim.txt", "ABSOLUTE", "videos/../../victim.txt", "videos/session-1.mp4"])
def test_delete_never_removes_a_file_the_app_did_not_write(tmp_path, named):
    """Issue 10, item 6: the database names a session's video; delete removes only GaitCoach's own
    ``videos/session-<id>.mp4`` in the data folder, never another path written into the database."""
    data = tmp_path / "data"
    database = data / "sessions.sqlite3"
    walk = record_synthetic_session(database, WalkerSpec(direction="toward", duration_s=2.0, seed=5))
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    video = data / "videos" / "session-1.mp4"  # the app's own name for session 1's video
    video.parent.mkdir()
    video.write_text("video")
    path = str(victim) if named == "ABSOLUTE" else named
    conn = sqlite3.connect(database)
    conn.execute("UPDATE sessions SET video_path = ? WHERE id = ?", (path, walk.session_id))
    conn.commit()
    conn.close()
    with SessionStore(database) as store:
        store.delete_session(walk.session_id)
        assert store.list_sessions() == []
    assert victim.read_text() == "precious"
    own = walk.session_id == 1 and named == "videos/session-1.mp4"
    assert video.exists() != own  # its own video goes with it


@pytest.mark.faults
def test_deleting_a_session_gives_its_space_back(tmp_path):
    """Issue 10, item 7: SQLite's incremental vacuum frees one page per step; every page of the deleted session
    goes back to the file system (the database shrinks to about its size before the session)."""
    database = tmp_path / "sessions.sqlite3"
    small = record_synthetic_session(database, WalkerSpec(direction="toward", duration_s=2.0, seed=9))
    with SessionStore(database) as store:
        store.list_sessions()
    checkpointed = sqlite3.connect(database)
    checkpointed.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    checkpointed.close()
    before = database.stat().st_size
    big = record_synthetic_session(database, WalkerSpec(direction="toward", duration_s=40.0, seed=9))
    with SessionStore(database) as store:
        store.delete_session(big.session_id)
        assert [s.id for s in store.list_sessions()] == [small.session_id]
    conn = sqlite3.connect(database)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    assert database.stat().st_size <= before + 16 * 4096, (before, database.stat().st_size)


def test_delete_keeps_the_other_sessions(tmp_path):
    database = tmp_path / "sessions.sqlite3"
    spec = WalkerSpec(direction="left", treadmill=True, duration_s=6.0)
    first = record_synthetic_session(database, spec)
    second = record_synthetic_session(database, spec)
    with SessionStore(database) as store:
        store.delete_session(first.session_id)
        assert [s.id for s in store.list_sessions()] == [second.session_id]
        assert same_records(store.steps(second.session_id), second.gait.steps)
        assert len(list(store.frames(second.session_id))) == len(second.frames)
        conn = sqlite3.connect(database)
        for table in ("frames", "landmark_chunks", "steps", "cues", "summary"):
            assert conn.execute(f"SELECT count(*) FROM {table} WHERE session_id = ?",
                                (first.session_id,)).fetchone() == (0,)
        conn.close()
        assert store.integrity_check() == "ok"


@pytest.mark.faults
def test_recording_sessions_of_dead_writers_become_interrupted(tmp_path):
    database = tmp_path / "sessions.sqlite3"
    SessionStore(database).close()
    rows = [(_dead_pid(), None, time.time()),  # its process is gone
            (os.getpid(), None, time.time() - 3600),  # a live pid (ours) but silent for an hour: pid reused
            (1234, "another-machine", time.time() - 3600),  # can't ask another machine: silent for an hour
            (1234, "another-machine", time.time())]  # ... or recently alive there
    for pid, host, heartbeat in rows:
        _insert_recording(database, pid, heartbeat, host=host, with_frame=True)  # a frame: not an empty session
    with SessionStore(database) as store:
        assert [s.status for s in store.list_sessions()] == [INTERRUPTED, INTERRUPTED, INTERRUPTED, RECORDING]
        with pytest.raises(StoreError, match="still being recorded"):
            store.delete_session(4)


@pytest.mark.faults
def test_delete_on_a_full_disk_says_the_disk_is_full_and_keeps_the_session(tmp_path):
    """Issue 10, item 7: a delete whose commit fails for want of space said "cannot rollback - no transaction is
    active" (SQLite had rolled back already); it says the disk is full, and the session is still there."""
    from conftest import _mount_tmpfs, _unmount

    disk = tmp_path / "small_disk"
    assert _mount_tmpfs(disk, "size=512k"), "mounting a tmpfs needs root"
    try:
        database = disk / "sessions.sqlite3"
        walk = record_synthetic_session(database, WalkerSpec(direction="toward", duration_s=3.0, seed=8))
        filler = disk / "filler"
        with SessionStore(database) as store:
            store.list_sessions()
            with open(filler, "wb", buffering=0) as handle:  # then every byte left is taken
                try:
                    while True:
                        handle.write(os.urandom(4096))
                except OSError:
                    pass
            with pytest.raises(StoreError) as raised:
                store.delete_session(walk.session_id)
        assert "full" in str(raised.value) and "rollback" not in str(raised.value), raised.value
        filler.unlink()
        with SessionStore(database) as store:
            assert [s.id for s in store.list_sessions()] == [walk.session_id]
    finally:
        _unmount(disk)


@pytest.mark.faults
def test_the_writer_reports_a_full_disk_and_keeps_what_it_committed(tmp_path):
    from conftest import _mount_tmpfs, _unmount

    disk = tmp_path / "small_disk"
    # Room for the empty database (~76 KB with its 8 migrations) and a few batches of ~130 KB, not for 1 MB.
    assert _mount_tmpfs(disk, "size=384k"), "mounting a tmpfs needs root"
    try:
        database = disk / "sessions.sqlite3"
        SessionStore(database).close()
        recorder = SessionRecorder(database)
        recorder.start("camera", "none", None, "test")
        rng = np.random.default_rng(0)
        for i in range(3000):  # ~1 MB of incompressible landmarks: more than the disk holds
            recorder.record_frame(PoseFrame(i / 30, i, 640, 360, rng.uniform(0, 300, (33, 5)),
                                            rng.normal(0, 1, (33, 3))), None)
            if i % 100 == 99:
                time.sleep(COMMIT_INTERVAL_S)  # let it commit in batches, as in a live session
            if recorder.error:
                break
        recorder.finish([])
        assert recorder.close()
        assert recorder.error is not None and "full" in recorder.error and "\n" not in recorder.error
        assert recorder.stats.frames_written >= 100
        with SessionStore(database) as store:
            assert store.integrity_check() == "ok"
            (info,) = store.list_sessions()
            assert info.frame_count == recorder.stats.frames_written
            assert len(list(store.frames(info.id))) == info.frame_count
    finally:
        _unmount(disk)


def test_data_dir_follows_the_environment_else_qt(monkeypatch, tmp_path):
    monkeypatch.setenv("GAITCOACH_DATA_DIR", str(tmp_path / "portable"))
    assert data_dir() == tmp_path / "portable"
    monkeypatch.delenv("GAITCOACH_DATA_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert data_dir() == tmp_path / "xdg" / "GaitCoach" / "GaitCoach"
