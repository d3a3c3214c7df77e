"""Session store: every walk kept in one SQLite database, written by a background thread, safe against crashes.

Where
-----
``$GAITCOACH_DATA_DIR/sessions.sqlite3`` when that variable is set (tests, portable use), else the same file in
Qt's application data folder for "GaitCoach" (``~/.local/share/GaitCoach/GaitCoach`` on Linux). One database holds
every session; videos (only with "save video") go to ``videos/`` beside it.

What a session holds
--------------------
A ``sessions`` row (start/end time in ISO 8601, status, source, model, user height, app version), one ``frames``
row per analysed frame (the ``FrameMetrics`` fields as columns), one ``steps`` row per ``StepMetrics``, the cues
shown (with their time) and, when the session ends normally, its summary rows.

Landmarks (33 image landmarks: x/width, y/height, z, visibility, presence; 33 world landmarks in m) are kept as
float16, one compressed chunk per commit (``landmark_chunks``: about 250-350 bytes a frame instead of 528). float16
keeps about 3 significant digits: a relative error of at most 2^-11, i.e. at most 0.5 px for a point inside a
1920-px-wide picture. Every other value is stored exactly, so a session exported to CSV equals what
``gaitcoach analyze`` wrote, except the landmark cells, which agree within that rounding.

Crash safety
------------
The database runs in WAL mode. The writer thread commits at least every ``COMMIT_INTERVAL_S`` while data arrives,
so a process killed mid-session loses at most the frames of the last half second. A session whose writer died
(its process is gone, or it has been silent for ``STALE_AFTER_S``) is marked "interrupted" the next time the
store is opened; its frames and steps stay as they were.

Faults
------
Every problem the user can act on raises :class:`StoreError` with a one-line message: a file that is not a
GaitCoach database or is damaged (never overwritten, never deleted), a database from a newer GaitCoach (refused,
left unchanged), a session id that does not exist, a full disk. Schema versions live in ``PRAGMA user_version``;
``MIGRATIONS`` lists the SQL steps from one version to the next, in order, and is never edited, only appended to.

Recording hook (for the live window)
------------------------------------
All ``record_*`` calls only put the data on a queue and return at once; the writer thread packs and writes it::

    store = SessionStore.open_default()      # once, on the UI thread (quick); StoreError -> show the message
    recorder = SessionRecorder(store)
    recorder.start(source="Camera 0", model="full", user_height_m=1.70, app_version=gaitcoach.__version__)
    recorder.record_frame(pose_result, frame_metrics)   # every analysed frame (PoseResult or PoseFrame)
    for step in analyser.new_steps_:
        recorder.record_step(step)
    recorder.record_cue(t_s, cue)            # when a coaching cue is shown (analysis.coaching.Cue)
    # ... or all three at once from a gaitcoach.live.LiveUpdate: recorder.record(update)
    recorder.finish(analyser.summary())      # the walk ended: writes the summary, marks the session finished
    recorder.error                           # None, or a message to show (e.g. "the disk is full")
    ReviewWindow(store).show()               # ui.review_window: charts, progress, export
"""
from __future__ import annotations

import datetime as dt
import logging
import math
import os
import queue
import socket
import sqlite3
import threading
import time
import zlib
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np

from analysis.coaching import Cue
from analysis.columns import FRAME_GAIT_COLUMNS, STEP_COLUMNS, SUMMARY_COLUMNS
from analysis.landmarks import NUM_LANDMARKS, X_PX, Y_PX
from analysis.metrics import FrameMetrics, StepMetrics, SummaryRow
from analysis.quality import data_notes
from analysis.trends import SessionFigures
from analysis.types import View
from gaitcoach.export import (
    PRIVATE_FILE_MODE, format_cell, frame_row, make_private_dir, prepare_output_dir, write_analysis, write_csv,
)

log = logging.getLogger(__name__)

DATA_DIR_ENV = "GAITCOACH_DATA_DIR"
APP_NAME = ORGANIZATION_NAME = "GaitCoach"  # as gaitcoach.app names the application (Qt's data folder follows)
DATABASE_NAME = "sessions.sqlite3"
VIDEO_DIR_NAME = "videos"
APPLICATION_ID = 0x47414954  # "GAIT" in PRAGMA application_id: marks the file as a GaitCoach database
COMMIT_INTERVAL_S = 0.5  # the writer commits at least this often while data arrives
HEARTBEAT_INTERVAL_S = 5.0  # a recording with nothing to write still proves it is alive this often
STALE_AFTER_S = 60.0  # a "recording" session whose writer has been silent this long was interrupted
BUSY_TIMEOUT_S = 5.0  # wait this long for another connection's write to finish

RECORDING, FINISHED, INTERRUPTED = "recording", "finished", "interrupted"
SESSION_CSV = "session.csv"
CUES_CSV = "cues.csv"
# session.csv: one row describing the exported session (times ISO 8601 with the UTC offset).
SESSION_COLUMNS = ("session", "started_at", "ended_at", "status", "source", "model", "user_height_m",
                   "app_version", "frame_count", "duration_s")
CUE_COLUMNS = ("t_s", "key", "text", "kind", "priority", "detail")  # cues.csv: one row per cue shown

# Landmark blob: little-endian float16, 33 x 5 image values then 33 x 3 world values.
LANDMARK_DTYPE = np.dtype("<f2")
_IMAGE_VALUES = NUM_LANDMARKS * 5
LANDMARK_VALUES = _IMAGE_VALUES + NUM_LANDMARKS * 3  # 264 float16 values (528 bytes) per frame before compression
CHUNK_FORMAT = 1  # first byte of a landmark chunk: 1 = float16, value-major, byte planes, zlib
CHUNK_ZLIB_LEVEL = 6
_ZLIB_HEADER_BYTE = 0x78  # the first byte of every zlib stream written with the default window (RFC 1950)
LANDMARK_RELATIVE_ERROR = 2.0 ** -11  # float16 rounding: |stored - value| <= this * |value| (normal range)

# Schema: each entry lists the SQL statements that take the database from the previous version to this one.
# Never edit an entry once released; append a new one (tests/data/sessions_v1.sql is a database of version 1).
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (  # 1: the first schema.
        """CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            started_at TEXT NOT NULL,
            ended_at TEXT,
            status TEXT NOT NULL CHECK (status IN ('recording', 'finished', 'interrupted')),
            source TEXT NOT NULL,
            model TEXT NOT NULL,
            user_height_m REAL,
            app_version TEXT NOT NULL,
            frame_count INTEGER NOT NULL DEFAULT 0,
            first_t_s REAL,
            last_t_s REAL,
            writer_pid INTEGER,
            writer_host TEXT,
            heartbeat_unix_s REAL
        )""",
        """CREATE TABLE frames (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions (id),
            frame INTEGER NOT NULL,
            t_s REAL NOT NULL,
            image_width_px INTEGER NOT NULL,
            image_height_px INTEGER NOT NULL,
            pose_detected INTEGER NOT NULL,
            view TEXT,
            yaw_deg REAL,
            knee_fppa_left_deg REAL,
            knee_fppa_right_deg REAL,
            knee_flexion_left_deg REAL,
            knee_flexion_right_deg REAL,
            pelvic_obliquity_deg REAL,
            trunk_lean_deg REAL,
            foot_progression_left_deg REAL,
            foot_progression_right_deg REAL,
            cadence_steps_per_min REAL
        )""",
        "CREATE INDEX frames_by_session ON frames (session_id)",
        """CREATE TABLE landmark_chunks (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions (id),
            first_frame_id INTEGER NOT NULL,
            frame_count INTEGER NOT NULL,
            data BLOB NOT NULL
        )""",
        "CREATE INDEX landmark_chunks_by_session ON landmark_chunks (session_id)",
        """CREATE TABLE steps (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions (id),
            step INTEGER NOT NULL,
            foot TEXT NOT NULL,
            ic_frame INTEGER NOT NULL,
            ic_t_s REAL NOT NULL,
            to_frame INTEGER NOT NULL,
            to_t_s REAL NOT NULL,
            step_time_s REAL,
            stance_time_s REAL,
            swing_time_s REAL,
            step_length_leg REAL,
            step_length_m REAL,
            knee_fppa_deg REAL,
            knee_flexion_ic_deg REAL,
            pelvic_drop_deg REAL,
            foot_progression_deg REAL,
            view TEXT NOT NULL
        )""",
        "CREATE INDEX steps_by_session ON steps (session_id)",
        """CREATE TABLE cues (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions (id),
            t_s REAL NOT NULL,
            key TEXT NOT NULL,
            text TEXT NOT NULL,
            kind TEXT NOT NULL,
            priority INTEGER NOT NULL,
            detail TEXT NOT NULL
        )""",
        "CREATE INDEX cues_by_session ON cues (session_id)",
        """CREATE TABLE summary (
            session_id INTEGER NOT NULL REFERENCES sessions (id),
            position INTEGER NOT NULL,
            metric TEXT NOT NULL,
            left REAL,
            right REAL,
            overall REAL,
            symmetry_index_pct REAL,
            unit TEXT NOT NULL,
            PRIMARY KEY (session_id, position)
        )""",
        f"PRAGMA application_id = {APPLICATION_ID}",
    ),
    (  # 2: "save video": the session's video file, relative to the database's folder (NULL: no video kept).
        "ALTER TABLE sessions ADD COLUMN video_path TEXT",
    ),
    (  # 3: a step whose toe off was not seen (it fell in a turn, the bout ended) is kept: to_frame, to_t_s NULL.
        # SQLite cannot drop a NOT NULL constraint in place: the table is rebuilt with the same columns.
        """CREATE TABLE steps_v3 (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions (id),
            step INTEGER NOT NULL,
            foot TEXT NOT NULL,
            ic_frame INTEGER NOT NULL,
            ic_t_s REAL NOT NULL,
            to_frame INTEGER,
            to_t_s REAL,
            step_time_s REAL,
            stance_time_s REAL,
            swing_time_s REAL,
            step_length_leg REAL,
            step_length_m REAL,
            knee_fppa_deg REAL,
            knee_flexion_ic_deg REAL,
            pelvic_drop_deg REAL,
            foot_progression_deg REAL,
            view TEXT NOT NULL
        )""",
        "INSERT INTO steps_v3 SELECT id, session_id, step, foot, ic_frame, ic_t_s, to_frame, to_t_s, step_time_s, "
        "stance_time_s, swing_time_s, step_length_leg, step_length_m, knee_fppa_deg, knee_flexion_ic_deg, "
        "pelvic_drop_deg, foot_progression_deg, view FROM steps",
        "DROP TABLE steps",
        "ALTER TABLE steps_v3 RENAME TO steps",
        "CREATE INDEX steps_by_session ON steps (session_id)",
    ),
    (  # 4: a 95 % interval beside each symmetry index (analysis.metrics.symmetry_index_interval). Older sessions
        # keep their left and right figures but lose the SIs this version would not state: those of signed angles
        # (a percentage of a mean near 0), and every SI of a session with fewer than 6 steps a side
        # (SYMMETRY_MIN_STEPS_PER_SIDE when this was written; no metric has more values a side than steps). Their
        # intervals stay empty: unknown.
        "ALTER TABLE summary ADD COLUMN symmetry_index_low_pct REAL",
        "ALTER TABLE summary ADD COLUMN symmetry_index_high_pct REAL",
        "UPDATE summary SET symmetry_index_pct = NULL WHERE metric IN "
        "('step_count', 'knee_fppa_peak_deg', 'knee_flexion_ic_deg', 'pelvic_drop_deg', 'foot_progression_deg')",
        "UPDATE summary SET symmetry_index_pct = NULL WHERE session_id IN (SELECT session_id FROM summary "
        "WHERE metric = 'step_count' AND (coalesce(left, 0) < 6 OR coalesce(right, 0) < 6))",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)

_SESSION_FIELDS = ("id", "started_at", "ended_at", "status", "source", "model", "user_height_m", "app_version",
                   "frame_count", "first_t_s", "last_t_s", "video_path", "writer_pid", "writer_host",
                   "heartbeat_unix_s")
_FRAME_FIELDS = ("id", "frame", "t_s", "image_width_px", "image_height_px", "pose_detected", *FRAME_GAIT_COLUMNS)
_FRAME_INSERT = (f"INSERT INTO frames (session_id, {', '.join(_FRAME_FIELDS)}) "
                 f"VALUES ({', '.join('?' * (len(_FRAME_FIELDS) + 1))})")
_CHUNK_INSERT = "INSERT INTO landmark_chunks (session_id, first_frame_id, frame_count, data) VALUES (?, ?, ?, ?)"
_STEP_INSERT = (f"INSERT INTO steps (session_id, {', '.join(STEP_COLUMNS)}) "
                f"VALUES ({', '.join('?' * (len(STEP_COLUMNS) + 1))})")
_CUE_INSERT = f"INSERT INTO cues (session_id, {', '.join(CUE_COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?, ?)"
_SUMMARY_INSERT = (f"INSERT INTO summary (session_id, position, {', '.join(SUMMARY_COLUMNS)}) "
                   f"VALUES (?, ?, {', '.join('?' * len(SUMMARY_COLUMNS))})")
_SERIES_COLUMNS = ("frame", "t_s", *(c for c in FRAME_GAIT_COLUMNS if c != "view"))


class StoreError(Exception):
    """The session store cannot do what was asked; the message (one line) says why and what to do."""


# --- Where ------------------------------------------------------------------------------------------------------

def data_dir() -> Path:
    """GaitCoach's data folder: ``$GAITCOACH_DATA_DIR`` if set, else Qt's AppDataLocation for GaitCoach."""
    configured = os.environ.get(DATA_DIR_ENV, "").strip()
    if configured:
        return Path(configured).expanduser()
    from PySide6.QtCore import QCoreApplication, QStandardPaths

    names = QCoreApplication.organizationName(), QCoreApplication.applicationName()
    QCoreApplication.setOrganizationName(ORGANIZATION_NAME)
    QCoreApplication.setApplicationName(APP_NAME)
    try:
        location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    finally:
        QCoreApplication.setOrganizationName(names[0])
        QCoreApplication.setApplicationName(names[1])
    if not location:
        raise StoreError(f"No folder for GaitCoach's data was found: set {DATA_DIR_ENV} to one.")
    return Path(location)


def _make_private_database(path: Path) -> None:
    """The database and its WAL and shared-memory files readable by their owner only: created so if missing (SQLite
    gives the WAL and -shm files the database's own permissions), set so if they exist with looser ones. A new file
    is created, not opened: while this process has no connection to a file that did not exist, closing it can drop
    no lock (see ``SessionStore._open``)."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE))
    except FileExistsError:
        pass
    except OSError:
        return  # a read-only folder: SQLite says why it cannot open it
    for name in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            if name.exists() and name.stat().st_mode & 0o077:
                os.chmod(name, PRIVATE_FILE_MODE)
        except OSError:
            pass  # someone else's file: SQLite's own checks decide


def default_database_path() -> Path:
    return data_dir() / DATABASE_NAME


def now_iso() -> str:
    """The current local time, ISO 8601 with the UTC offset (e.g. ``2025-06-01T10:15:02+02:00``)."""
    return iso_from_unix_s(time.time())


def iso_from_unix_s(unix_s: float) -> str:
    return dt.datetime.fromtimestamp(unix_s).astimezone().isoformat(timespec="seconds")


# --- Values in and out ------------------------------------------------------------------------------------------

def landmark_values(image_landmarks: np.ndarray | None, world_landmarks: np.ndarray | None,
                    image_width_px: int, image_height_px: int) -> np.ndarray:
    """One frame's landmarks as the ``LANDMARK_VALUES`` float16 values stored for it (all NaN: no pose).

    Image landmarks ``(33, 5)`` in px with x and y divided by the image size (so float16 keeps sub-pixel precision),
    then world landmarks ``(33, 3)`` in m (NaN when missing).
    """
    if image_landmarks is None:
        return np.full(LANDMARK_VALUES, np.nan, dtype=LANDMARK_DTYPE)
    image = np.array(image_landmarks, dtype=float)
    image[:, X_PX] /= image_width_px
    image[:, Y_PX] /= image_height_px
    world = (np.full((NUM_LANDMARKS, 3), np.nan) if world_landmarks is None
             else np.asarray(world_landmarks, dtype=float))
    return np.concatenate([image.ravel(), world.ravel()]).astype(LANDMARK_DTYPE)


def landmarks_from_values(values: np.ndarray, image_width_px: int, image_height_px: int
                          ) -> tuple[np.ndarray | None, np.ndarray | None]:
    """The inverse of :func:`landmark_values`: image landmarks in px ``(33, 5)`` and world landmarks ``(33, 3)``."""
    values = values.astype(float)
    if np.isnan(values[:_IMAGE_VALUES]).all():
        return None, None
    image = values[:_IMAGE_VALUES].reshape(NUM_LANDMARKS, 5)
    image[:, X_PX] *= image_width_px
    image[:, Y_PX] *= image_height_px
    world = values[_IMAGE_VALUES:].reshape(NUM_LANDMARKS, 3)
    return image, (None if np.isnan(world).all() else world)


def encode_landmark_chunk(frames: Sequence[np.ndarray]) -> bytes:
    """Several frames' landmark values -> one compressed chunk (lossless for the float16 values).

    Each value's run over the frames is laid out together, high bytes before low bytes, so that what changes
    little from frame to frame (signs, exponents) compresses to almost nothing; then zlib. A leading format byte
    (``CHUNK_FORMAT``) lets another codec come later without a schema change.
    """
    table = np.asarray(frames, dtype=LANDMARK_DTYPE).reshape(len(frames), LANDMARK_VALUES)
    by_value = np.ascontiguousarray(table.T).view(np.uint8).reshape(LANDMARK_VALUES, len(frames), 2)
    planes = np.concatenate([by_value[..., 1].ravel(), by_value[..., 0].ravel()])
    return bytes([CHUNK_FORMAT]) + zlib.compress(planes.tobytes(), CHUNK_ZLIB_LEVEL)


def decode_landmark_chunk(data: bytes, frame_count: int) -> np.ndarray:
    """The inverse of :func:`encode_landmark_chunk`: ``(frame_count, LANDMARK_VALUES)`` float16 values."""
    if not data or data[0] != CHUNK_FORMAT:
        raise sqlite3.DatabaseError(f"landmark chunk format {data[:1].hex() or 'empty'} unknown (corrupt)")
    try:
        planes = np.frombuffer(zlib.decompress(data[1:]), dtype=np.uint8)
    except zlib.error as error:
        raise sqlite3.DatabaseError(f"landmark chunk cannot be decompressed: {error} (corrupt)") from None
    size = LANDMARK_VALUES * frame_count
    if planes.size != 2 * size:
        raise sqlite3.DatabaseError("landmark chunk has the wrong size (corrupt)")
    by_value = np.empty((LANDMARK_VALUES, frame_count, 2), dtype=np.uint8)
    by_value[..., 1] = planes[:size].reshape(LANDMARK_VALUES, frame_count)
    by_value[..., 0] = planes[size:].reshape(LANDMARK_VALUES, frame_count)
    return by_value.view("<f2")[..., 0].T


def _real(value) -> float | None:
    """A float for SQLite; NaN (not measured) becomes NULL."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _record_values(record) -> list:
    """A result dataclass's values in field order, for SQLite: NaN -> NULL, numpy scalars -> Python numbers."""
    return [_real(v) if isinstance(v, float | np.floating) else int(v) if isinstance(v, np.integer) else v
            for v in (getattr(record, f.name) for f in fields(record))]


def _nan_for_null(values: Iterable) -> list:
    return [math.nan if v is None else v for v in values]


# --- Reading ----------------------------------------------------------------------------------------------------

def duration_text(seconds: float) -> str:
    """A duration as ``m:ss``: how the review window and ``gaitcoach sessions list`` show a session's length."""
    minutes, secs = divmod(int(round(seconds)), 60)
    return f"{minutes}:{secs:02d}"


def figure_text(value: float, fmt: str, missing: str) -> str:
    """A session figure formatted with ``fmt``, or ``missing`` where there is none (NaN)."""
    return format(value, fmt) if math.isfinite(value) else missing


@dataclass(frozen=True)
class SessionInfo:
    """One stored session, as listed.

    Attributes
    ----------
    id
        The session's number (what ``gaitcoach sessions export ID`` takes).
    started_at, ended_at
        ISO 8601 local times with UTC offset; ``ended_at`` is None while recording (for an interrupted session:
        the writer's last sign of life).
    status
        ``"recording"``, ``"finished"`` or ``"interrupted"``.
    source, model, user_height_m, app_version
        What was recorded, with which pose model, for whom (height in m or None), by which GaitCoach.
    frame_count, duration_s
        Frames stored; time from the first to the last frame.
    video_path
        The saved video (absolute) or None.
    figures
        Step count, cadence, step-time symmetry and knee alignment (from the summary; from the steps when the
        session has no summary, e.g. interrupted).
    data_notes
        What to know about the data its figures rest on (``analysis.quality.data_notes``; empty: nothing).
    """

    id: int
    started_at: str
    ended_at: str | None
    status: str
    source: str
    model: str
    user_height_m: float | None
    app_version: str
    frame_count: int
    duration_s: float
    video_path: Path | None
    figures: SessionFigures
    data_notes: tuple[str, ...] = ()

    @property
    def started(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.started_at)


@dataclass(frozen=True)
class StoredFrame:
    """One stored frame: landmarks back in px (float16 precision) and its gait figures (None if not analysed)."""

    frame: int
    t_s: float
    image_width_px: int
    image_height_px: int
    image_landmarks: np.ndarray | None
    world_landmarks: np.ndarray | None
    metrics: FrameMetrics | None


_CHECKED_UNDAMAGED: set[str] = set()  # databases this process has found undamaged (SessionStore._check_undamaged)


def _describe(path: Path, error: sqlite3.Error) -> str:
    text = str(error)
    lowered = text.lower()
    if "not a database" in lowered or "malformed" in lowered or "corrupt" in lowered:
        return (f"The session database {path} is damaged or is not a GaitCoach database ({text}). It was left as "
                f"it is: move it away (GaitCoach then starts a new one) or restore a backup.")
    if "full" in lowered:
        return f"The disk holding the session database {path} is full ({text}); free some space and try again."
    if "locked" in lowered or "busy" in lowered:
        return f"The session database {path} is busy (another GaitCoach is writing to it); try again."
    if "readonly" in lowered or "read-only" in lowered or "unable to open" in lowered:
        return f"Cannot open the session database {path} for writing ({text})."
    return f"Session database {path}: {text}."


def _process_alive(pid: int | None, host: str | None) -> bool | None:
    """True/False when we can tell (same machine, POSIX), None when we cannot."""
    if pid is None or host != socket.gethostname() or os.name != "posix":
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class SessionStore:
    """The session database: open (create, migrate, check), list, read, export and delete sessions.

    Opening creates the file (and its folder) if needed, migrates an older schema, and marks sessions whose writer
    died as interrupted. A connection belongs to the thread that opened the store; other threads open their own.

    Parameters
    ----------
    path
        The database file.

    Raises
    ------
    StoreError
        The file is damaged or not a GaitCoach database, comes from a newer GaitCoach, or cannot be opened. The
        file is then left exactly as it was.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._conn = self._open()

    @classmethod
    def open_default(cls) -> SessionStore:
        """The user's store (see :func:`data_dir`)."""
        return cls(default_database_path())

    # --- opening --------------------------------------------------------------------------------------------
    def _open(self) -> sqlite3.Connection:
        path = self.path
        if path.exists() and not path.is_file():
            raise StoreError(f"The session database {path} is not a file.")
        # Never open the database file outside SQLite: closing any descriptor of it drops every POSIX lock this
        # process holds on it (SQLite's too), and another process's last connection would then delete the WAL a
        # recording here is still writing to. A file that is not a database fails SQLite's first read below.
        try:
            make_private_dir(path.parent)
        except OSError as error:
            raise StoreError(f"Cannot create the folder {path.parent}: {error.strerror or error}.") from None
        _make_private_database(path)
        try:
            conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_TIMEOUT_S)
        except sqlite3.Error as error:
            raise StoreError(_describe(path, error)) from None
        try:
            with self._errors():
                self._check_and_migrate(conn)
                self._mark_interrupted(conn)
        except BaseException:
            conn.close()
            raise
        return conn

    def _check_and_migrate(self, conn: sqlite3.Connection) -> None:
        # Read-only checks first: nothing is written to a file we refuse.
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        application_id = conn.execute("PRAGMA application_id").fetchone()[0]
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"The session database {self.path} was written by a newer GaitCoach (schema version {version}; "
                f"this version reads up to {SCHEMA_VERSION}). Update GaitCoach to open it; the file was left "
                f"unchanged.")
        if application_id != APPLICATION_ID and (version or tables):
            raise StoreError(f"{self.path} is an SQLite database of another program, not GaitCoach's sessions; "
                             f"it was left unchanged. Set {DATA_DIR_ENV} to another folder.")
        self._check_undamaged(conn, tables)
        if version == 0:
            conn.execute("PRAGMA auto_vacuum = INCREMENTAL")  # deleting a session gives the space back
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")  # with WAL: safe against a process crash
        for target in range(version + 1, SCHEMA_VERSION + 1):
            conn.execute("BEGIN IMMEDIATE")
            try:
                if conn.execute("PRAGMA user_version").fetchone()[0] < target:  # another process may have done it
                    for statement in MIGRATIONS[target - 1]:
                        conn.execute(statement)
                    conn.execute(f"PRAGMA user_version = {target}")
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:  # a failed COMMIT (disk full) has rolled back already: keep its error
                    conn.execute("ROLLBACK")
                raise

    def _check_undamaged(self, conn: sqlite3.Connection, tables: int) -> None:
        """SQLite's quick check of every page, once per process per database, before this process writes to it
        (a damaged table can still take new rows: a recorder would add them to a damaged file)."""
        key = str(self.path.resolve())
        if not tables or key in _CHECKED_UNDAMAGED:
            return
        problems = [row[0] for row in conn.execute("PRAGMA quick_check(5)").fetchall()]
        if problems == ["ok"] and conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'landmark_chunks'").fetchone():
            # The store's own invariant, which SQLite cannot see: every landmark chunk starts with its format byte
            # and a zlib header. (Damage further inside a chunk shows only when it is decoded: export and delete
            # decode the session's chunks; decoding every chunk here would cost ~0.2 s per recorded hour.)
            damaged = conn.execute(
                "SELECT session_id FROM landmark_chunks WHERE typeof(data) != 'blob' OR frame_count < 1 "
                "OR substr(data, 1, 2) != ? LIMIT 1", (bytes([CHUNK_FORMAT, _ZLIB_HEADER_BYTE]),)).fetchone()
            if damaged:
                problems = [f"the landmarks of session {damaged[0]} are damaged (corrupt)"]
        if problems != ["ok"]:
            raise StoreError(_describe(self.path, sqlite3.DatabaseError(
                "database disk image is malformed: " + "; ".join(problems)[:200])))
        _CHECKED_UNDAMAGED.add(key)

    def _mark_interrupted(self, conn: sqlite3.Connection) -> None:
        rows = conn.execute("SELECT id, writer_pid, writer_host, heartbeat_unix_s FROM sessions "
                            "WHERE status = ?", (RECORDING,)).fetchall()
        now = time.time()
        for session_id, pid, host, heartbeat in rows:
            silent = heartbeat is None or now - heartbeat > STALE_AFTER_S
            # A live writer beats; a silent one is gone even if its pid now names another live process.
            if silent or _process_alive(pid, host) is False:
                ended = iso_from_unix_s(heartbeat) if heartbeat is not None else None
                conn.execute("UPDATE sessions SET status = ?, ended_at = ? WHERE id = ? AND status = ?",
                             (INTERRUPTED, ended, session_id, RECORDING))
        # A run killed before its first frame leaves an empty session: nothing to keep.
        conn.execute("DELETE FROM sessions WHERE status = ? AND NOT EXISTS "
                     "(SELECT 1 FROM frames WHERE frames.session_id = sessions.id)", (INTERRUPTED,))

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as error:
            raise StoreError(_describe(self.path, error)) from None

    @contextmanager
    def _read_snapshot(self) -> Iterator[sqlite3.Connection]:
        """One consistent view of the database while several tables are read (a writer may be committing)."""
        with self._errors():
            if self._conn.in_transaction:  # already inside one (e.g. a frames() reader not yet exhausted)
                yield self._conn
                return
            self._conn.execute("BEGIN")
            try:
                yield self._conn
            finally:
                self._conn.execute("COMMIT")

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> SessionStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        with self._errors():
            return self._conn.execute("PRAGMA user_version").fetchone()[0]

    def check_writable(self) -> None:
        """StoreError now (read-only, locked by another writer) rather than after a long piece of work: takes and
        gives back the write lock, writing nothing."""
        with self._errors():
            self._conn.execute("BEGIN IMMEDIATE")
            self._conn.execute("ROLLBACK")

    def integrity_check(self) -> str:
        """SQLite's full check: ``"ok"`` or the first problems found."""
        with self._errors():
            return "; ".join(row[0] for row in self._conn.execute("PRAGMA integrity_check").fetchall()[:5])

    # --- reading --------------------------------------------------------------------------------------------
    def list_sessions(self) -> list[SessionInfo]:
        """Every session, oldest first."""
        with self._read_snapshot() as conn:
            rows = conn.execute(f"SELECT {', '.join(_SESSION_FIELDS)} FROM sessions ORDER BY id").fetchall()
            return [self._info(conn, row) for row in rows]

    def session(self, session_id: int) -> SessionInfo:
        """One session; StoreError if there is none with that id."""
        with self._read_snapshot() as conn:
            return self._info(conn, self._session_row(conn, session_id))

    def _session_row(self, conn: sqlite3.Connection, session_id: int) -> tuple:
        row = conn.execute(f"SELECT {', '.join(_SESSION_FIELDS)} FROM sessions WHERE id = ?",
                           (int(session_id),)).fetchone()
        if row is None:
            raise StoreError(f"There is no session {session_id} (`gaitcoach sessions list` shows them).")
        return row

    def _info(self, conn: sqlite3.Connection, row: tuple) -> SessionInfo:
        values = dict(zip(_SESSION_FIELDS, row))
        summary = self._summary(conn, values["id"])
        figures = (SessionFigures.from_summary(summary) if summary
                   else SessionFigures.from_steps(self._steps(conn, values["id"])))
        first, last = values["first_t_s"], values["last_t_s"]
        counts = conn.execute(
            "SELECT COUNT(*), TOTAL(pose_detected), TOTAL(view = ?), TOTAL(view = ?), TOTAL(view IN (?, ?)) "
            "FROM frames WHERE session_id = ?",
            (View.FACING, View.BACK, View.SIDE_LEFT, View.SIDE_RIGHT, values["id"])).fetchone()
        return SessionInfo(
            id=values["id"], started_at=values["started_at"], ended_at=values["ended_at"], status=values["status"],
            source=values["source"], model=values["model"], user_height_m=values["user_height_m"],
            app_version=values["app_version"], frame_count=values["frame_count"],
            duration_s=(last - first) if first is not None and last is not None else 0.0,
            video_path=(self.path.parent / values["video_path"]) if values["video_path"] else None,
            figures=figures,
            data_notes=data_notes(*(int(n) for n in counts), figures.step_count,
                                  math.isfinite(figures.step_time_symmetry_pct)),
        )

    def steps(self, session_id: int) -> list[StepMetrics]:
        with self._read_snapshot() as conn:
            self._session_row(conn, session_id)
            return self._steps(conn, session_id)

    def summary(self, session_id: int) -> list[SummaryRow]:
        """The summary rows written when the session finished (empty for a session that did not finish)."""
        with self._read_snapshot() as conn:
            self._session_row(conn, session_id)
            return self._summary(conn, session_id)

    def cues(self, session_id: int) -> list[tuple[float, Cue]]:
        """``(t_s, cue)`` for every cue shown, in time order."""
        with self._read_snapshot() as conn:
            self._session_row(conn, session_id)
            return self._cues(conn, session_id)

    @staticmethod
    def _steps(conn: sqlite3.Connection, session_id: int) -> list[StepMetrics]:
        rows = conn.execute(f"SELECT {', '.join(STEP_COLUMNS)} FROM steps WHERE session_id = ? ORDER BY id",
                            (session_id,))
        return [StepMetrics(*_nan_for_null(row)) for row in rows]

    @staticmethod
    def _summary(conn: sqlite3.Connection, session_id: int) -> list[SummaryRow]:
        rows = conn.execute(f"SELECT {', '.join(SUMMARY_COLUMNS)} FROM summary WHERE session_id = ? "
                            "ORDER BY position", (session_id,))
        return [SummaryRow(*_nan_for_null(row)) for row in rows]

    @staticmethod
    def _cues(conn: sqlite3.Connection, session_id: int) -> list[tuple[float, Cue]]:
        rows = conn.execute("SELECT t_s, key, text, kind, priority, detail FROM cues WHERE session_id = ? "
                            "ORDER BY t_s, id", (session_id,))
        return [(t_s, Cue(key, text, kind, priority, detail)) for t_s, key, text, kind, priority, detail in rows]

    def frame_series(self, session_id: int, columns: Sequence[str] = ("t_s", "cadence_steps_per_min")
                     ) -> dict[str, np.ndarray]:
        """Chosen numeric frame columns as arrays (NaN where not measured), without reading the landmarks.

        Parameters
        ----------
        session_id
            The session.
        columns
            Any of ``frame``, ``t_s`` and the numeric ``FRAME_GAIT_COLUMNS``.
        """
        unknown = [c for c in columns if c not in _SERIES_COLUMNS]
        if unknown:
            raise ValueError(f"columns must be among {_SERIES_COLUMNS}, got {unknown}")
        with self._read_snapshot() as conn:
            self._session_row(conn, session_id)
            rows = conn.execute(f"SELECT {', '.join(columns)} FROM frames WHERE session_id = ? ORDER BY id",
                                (session_id,)).fetchall()
        table = np.array(rows, dtype=float).reshape(len(rows), len(columns))  # NULL -> NaN
        return {name: table[:, i] for i, name in enumerate(columns)}

    def frames(self, session_id: int) -> Iterator[StoredFrame]:
        """Every stored frame in recording order (read lazily, in one read transaction: consume it fully)."""
        with self._read_snapshot() as conn:
            self._session_row(conn, session_id)
            yield from self._frames(conn, session_id)

    def _frames(self, conn: sqlite3.Connection, session_id: int) -> Iterator[StoredFrame]:
        frames = conn.execute(f"SELECT {', '.join(_FRAME_FIELDS)} FROM frames WHERE session_id = ? ORDER BY id",
                              (session_id,))
        chunks = conn.execute("SELECT first_frame_id, frame_count, data FROM landmark_chunks WHERE session_id = ? "
                              "ORDER BY first_frame_id", (session_id,))
        chunk_first, chunk_values = 0, np.empty((0, LANDMARK_VALUES))
        n_fixed = _FRAME_FIELDS.index("pose_detected") + 1
        with self._errors():
            for row in frames:
                frame_id, frame, t_s, width, height, pose_detected = row[:n_fixed]
                image = world = None
                if pose_detected:
                    while frame_id >= chunk_first + len(chunk_values):
                        next_chunk = chunks.fetchone()
                        if next_chunk is None:
                            raise sqlite3.DatabaseError(f"the landmarks of frame {frame} are missing (corrupt)")
                        chunk_first, count, data = next_chunk
                        chunk_values = decode_landmark_chunk(data, count)
                    if frame_id >= chunk_first:
                        image, world = landmarks_from_values(chunk_values[frame_id - chunk_first], width, height)
                gait = row[n_fixed:]
                metrics = None if gait[0] is None else FrameMetrics(*_nan_for_null(gait))
                yield StoredFrame(frame, t_s, width, height, image, world, metrics)

    # --- export and delete ----------------------------------------------------------------------------------
    def export_session(self, session_id: int, out_dir: str | Path) -> list[Path]:
        """Write ``frames.csv``, ``steps.csv``, ``summary.csv`` (the schema of ``gaitcoach analyze``, by the same
        writer), ``session.csv`` and ``cues.csv`` into ``out_dir`` (created if needed).

        Raises
        ------
        StoreError
            No such session, or the database cannot be read.
        gaitcoach.export.ExportError
            The folder cannot be created or written (nothing under the target names is left half-written).
        """
        out_dir = Path(out_dir)
        with self._read_snapshot() as conn:
            info = self._info(conn, self._session_row(conn, session_id))
            prepare_output_dir(out_dir)
            frame_rows = (frame_row(f.frame, f.t_s, f.image_landmarks, f.metrics)
                          for f in self._frames(conn, session_id))
            written = write_analysis(out_dir, frame_rows, self._steps(conn, session_id),
                                     self._summary(conn, session_id))
            session_cells = [info.id, info.started_at, info.ended_at, info.status, info.source, info.model,
                             info.user_height_m, info.app_version, info.frame_count, info.duration_s]
            written.append(write_csv(out_dir / SESSION_CSV, SESSION_COLUMNS,
                                     [[format_cell(value) for value in session_cells]]))
            cue_rows = ([format_cell(t_s), *(format_cell(getattr(cue, name)) for name in CUE_COLUMNS[1:])]
                        for t_s, cue in self._cues(conn, session_id))
            written.append(write_csv(out_dir / CUES_CSV, CUE_COLUMNS, cue_rows))
        return written

    def delete_session(self, session_id: int) -> SessionInfo:
        """Delete a session (and its saved video); refuses one that is still being recorded."""
        with self._errors():
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                row = self._session_row(self._conn, session_id)
                info = self._info(self._conn, row)
                values = dict(zip(_SESSION_FIELDS, row))
                if info.status == RECORDING and _process_alive(values["writer_pid"], values["writer_host"]) \
                        is not False:
                    raise StoreError(f"Session {session_id} is still being recorded; stop it first.")
                for count, data in self._conn.execute(  # damaged landmarks: refuse, as export does
                        "SELECT frame_count, data FROM landmark_chunks WHERE session_id = ?", (session_id,)):
                    decode_landmark_chunk(data, count)
                for table in ("frames", "landmark_chunks", "steps", "cues", "summary"):
                    self._conn.execute(f"DELETE FROM {table} WHERE session_id = ?", (session_id,))
                self._conn.execute("DELETE FROM sessions WHERE id = ?", (session_id,))
                self._conn.execute("COMMIT")
            except BaseException:
                if self._conn.in_transaction:  # a failed COMMIT (disk full) has rolled back already: keep its error
                    self._conn.execute("ROLLBACK")
                raise
            # Each step of the pragma frees one page: executescript steps it to the end (execute steps it once).
            self._conn.executescript("PRAGMA incremental_vacuum;")
        video = self._own_video(info)
        if video is not None:
            video.unlink(missing_ok=True)
        return info

    def _own_video(self, info: SessionInfo) -> Path | None:
        """The session's saved video if it is one GaitCoach wrote (``videos/session-<id>.mp4`` in the data folder),
        else None: whatever other path a damaged or edited database names is never deleted."""
        if info.video_path is None:
            return None
        own = (self.path.parent / VIDEO_DIR_NAME / f"session-{info.id}.mp4").resolve()
        return own if info.video_path.resolve() == own else None


# --- Writing ----------------------------------------------------------------------------------------------------

_FRAME, _STEP, _CUE, _FINISH, _ABANDON = range(5)


@dataclass
class WriterStats:
    """What the writer thread did, for benchmarks and diagnostics.

    Attributes
    ----------
    batches
        Per commit: ``(rows written, seconds the writer was busy packing and committing them)``.
    frames_written, steps_written, cues_written
        Rows committed.
    dropped
        Records received after the recording ended or failed (not written).
    """

    batches: deque
    frames_written: int = 0
    steps_written: int = 0
    cues_written: int = 0
    dropped: int = 0


class SessionRecorder:
    """Records one session through a writer thread; every ``record_*`` call only queues and returns at once.

    Parameters
    ----------
    database
        A :class:`SessionStore` (its path is used: the writer opens its own connection) or a database path.
    commit_interval_s
        The writer commits at least this often while data arrives (a crash loses at most this much).

    Attributes
    ----------
    session_id
        The new session's id, set by the writer thread once the session row exists (None before).
    error
        None, or a one-line message when recording failed (e.g. the disk is full); what was committed is kept.
    stats
        A :class:`WriterStats`.
    """

    def __init__(self, database: SessionStore | str | Path, *, commit_interval_s: float = COMMIT_INTERVAL_S) -> None:
        if not 0 < commit_interval_s <= 1.0:
            raise ValueError(f"commit_interval_s must be in (0, 1] s, got {commit_interval_s!r}")
        self.path = database.path if isinstance(database, SessionStore) else Path(database)
        self.commit_interval_s = commit_interval_s
        self.session_id: int | None = None
        self.error: str | None = None
        self.stats = WriterStats(batches=deque(maxlen=100_000))
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._save_video = False
        self._created = threading.Event()
        self._ended = False  # set by the writer thread when it stops
        self._last_cue_key: str | None = None

    # --- the hook ---------------------------------------------------------------------------------------------
    def start(self, source: str, model: str, user_height_m: float | None, app_version: str, *,
              save_video: bool = False, video_fps: float = 30.0) -> None:
        """Begin the session (the writer thread creates its row).

        Parameters
        ----------
        source
            What is being recorded (camera name, video path).
        model
            Pose model label.
        user_height_m
            The walker's height in m, or None.
        app_version
            ``gaitcoach.__version__``.
        save_video
            Also keep the video frames (``PoseResult.image_bgr``) as ``videos/session-<id>.mp4``. Off: no image
            is ever written.
        video_fps
            Frame rate written into the saved video.
        """
        if self._thread is not None:
            raise RuntimeError("a SessionRecorder records one session: start() was already called")
        self._save_video = save_video
        session = (now_iso(), str(source), str(model), _real(user_height_m), str(app_version), video_fps)
        self._thread = threading.Thread(target=self._run, args=(session,), name="gaitcoach-store-writer",
                                        daemon=True)
        self._thread.start()

    def record_frame(self, pose, metrics: FrameMetrics | None) -> None:
        """Queue one analysed frame: a ``PoseResult`` or ``PoseFrame`` and its ``FrameMetrics`` (or None)."""
        if self._accepting():
            t_s = pose.t_s if hasattr(pose, "t_s") else pose.t_ms / 1000.0
            image = getattr(pose, "image_bgr", None) if self._save_video else None
            self._queue.put((_FRAME, (pose.frame_index, t_s, pose.image_width_px, pose.image_height_px,
                                      pose.image_landmarks, pose.world_landmarks, metrics, image)))

    def record_step(self, step: StepMetrics) -> None:
        """Queue one completed step."""
        if self._accepting():
            self._queue.put((_STEP, step))

    def record_cue(self, t_s: float, cue: Cue) -> None:
        """Queue a cue that was shown at ``t_s`` (the frame time of the session)."""
        if self._accepting():
            self._queue.put((_CUE, (t_s, cue)))

    def record(self, update) -> None:
        """Queue one live update (``gaitcoach.live.LiveUpdate``): its frame, its new steps, and its cue when a new
        one appears (not when only its detail line changes). The same as calling the three methods above."""
        self.record_frame(update.pose, update.metrics)
        for step in update.new_steps:
            self.record_step(step)
        key = update.cue.key if update.cue is not None else None
        if key is not None and key != self._last_cue_key:
            self.record_cue(update.t_s, update.cue)
        self._last_cue_key = key

    def finish(self, summary_rows: Iterable[SummaryRow]) -> None:
        """End the session normally: the writer writes the summary, marks the session finished and stops."""
        if self._accepting():
            self._queue.put((_FINISH, tuple(summary_rows)))

    def close(self, timeout_s: float | None = 10.0) -> bool:
        """Wait for the writer to write everything and stop; a session not finished is marked interrupted.

        Returns True if the writer ended within ``timeout_s``.
        """
        if self._thread is None:
            return True
        if self._thread.is_alive():
            self._queue.put((_ABANDON, None))
            self._thread.join(timeout_s)
        return not self._thread.is_alive()

    def wait_created(self, timeout_s: float | None = None) -> int | None:
        """Wait until the session row exists; its id (None on failure or timeout)."""
        self._created.wait(timeout_s)
        return self.session_id

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _accepting(self) -> bool:
        if self._thread is None:
            raise RuntimeError("call SessionRecorder.start() before recording")
        if self._ended:  # finished, closed or failed: nothing more is written
            self.stats.dropped += 1
            return False
        return True

    # --- the writer thread ------------------------------------------------------------------------------------
    def _run(self, session: tuple) -> None:
        writer = None
        try:
            store = SessionStore(self.path)
            writer = _Writer(store, self, session)
            self.session_id = writer.session_id
            self._created.set()
            writer.loop()
        except StoreError as error:
            self.error = f"Recording stopped: {error}"
        except sqlite3.Error as error:
            self.error = f"Recording stopped: {_describe(self.path, error)}"
        except OSError as error:
            self.error = f"Recording stopped: {error.strerror or error}."
        except Exception as error:  # noqa: BLE001 - a bug must not pass silently: the caller shows the message
            log.exception("session writer failed")
            self.error = f"Recording stopped: internal error: {type(error).__name__}: {error}"
        finally:
            self._ended = True
            self._created.set()
            if writer is not None:
                if self.error is not None:
                    writer.mark_interrupted()
                writer.close()
            while True:  # what was queued but not written (after a failure) is counted, not kept
                try:
                    self._queue.get_nowait()
                except queue.Empty:
                    break
                self.stats.dropped += 1


class _Writer:
    """The writer thread's state: one connection, the pending rows, the commit rhythm."""

    def __init__(self, store: SessionStore, recorder: SessionRecorder, session: tuple) -> None:
        self.store = store
        self.conn = store._conn
        self.recorder = recorder
        started_at, source, model, height, version, self.video_fps = session
        cursor = self.conn.execute(  # one statement: its own transaction
            "INSERT INTO sessions (started_at, status, source, model, user_height_m, app_version, writer_pid, "
            "writer_host, heartbeat_unix_s) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (started_at, RECORDING, source, model, height, version, os.getpid(), socket.gethostname(), time.time()))
        self.session_id = cursor.lastrowid
        self.frames: list[list] = []
        self.landmarks: list[np.ndarray] = []  # of the frames with a pose, in order
        self.steps: list[tuple] = []
        self.cues: list[tuple] = []
        self.video = None
        self.busy_s = 0.0

    def loop(self) -> None:
        interval = self.recorder.commit_interval_s
        next_commit = time.monotonic() + interval
        last_heartbeat = time.monotonic()
        while True:
            try:
                kind, payload = self.recorder._queue.get(timeout=max(0.0, next_commit - time.monotonic()))
            except queue.Empty:
                kind, payload = None, None
            started = time.perf_counter()
            if kind == _FRAME:
                self._add_frame(*payload)
            elif kind == _STEP:
                self.steps.append((self.session_id, *_record_values(payload)))
            elif kind == _CUE:
                t_s, cue = payload
                self.cues.append((self.session_id, _real(t_s), cue.key, cue.text, cue.kind, int(cue.priority),
                                  cue.detail))
            self.busy_s += time.perf_counter() - started
            now = time.monotonic()
            if kind in (_FINISH, _ABANDON):
                self._commit(summary=payload if kind == _FINISH else None, end=True)
                return
            pending = self.frames or self.steps or self.cues
            if now >= next_commit and (pending or now - last_heartbeat >= HEARTBEAT_INTERVAL_S):
                self._commit()
                last_heartbeat = now
            if now >= next_commit:
                next_commit = now + interval

    def _add_frame(self, frame_index, t_s, width, height, image_landmarks, world_landmarks, metrics, image) -> None:
        gait = [None] * len(FRAME_GAIT_COLUMNS) if metrics is None else _record_values(metrics)
        self.frames.append([self.session_id, None, int(frame_index), float(t_s), int(width), int(height),
                            int(image_landmarks is not None), *gait])
        if image_landmarks is not None:
            self.landmarks.append(landmark_values(image_landmarks, world_landmarks, width, height))
        if image is not None:
            self._write_video(image)

    def _write_video(self, image: np.ndarray) -> None:
        import cv2  # only when the user asked to save video

        if self.video is None:
            relative = Path(VIDEO_DIR_NAME) / f"session-{self.session_id}.mp4"
            target = self.store.path.parent / relative
            make_private_dir(target.parent)
            height, width = image.shape[:2]
            self.video = cv2.VideoWriter(str(target), cv2.VideoWriter_fourcc(*"mp4v"), self.video_fps,
                                         (width, height))
            if not self.video.isOpened():
                raise OSError(f"cannot write the video {target}")
            os.chmod(target, PRIVATE_FILE_MODE)
            self.video_size = (width, height)
            self.conn.execute("UPDATE sessions SET video_path = ? WHERE id = ?",
                              (relative.as_posix(), self.session_id))
        if (image.shape[1], image.shape[0]) == self.video_size:
            self.video.write(image)

    def _commit(self, summary: Sequence[SummaryRow] | None = None, end: bool = False) -> None:
        started = time.perf_counter()
        conn, session_id = self.conn, self.session_id
        frames, steps, cues = self.frames, self.steps, self.cues
        conn.execute("BEGIN IMMEDIATE")
        try:
            if frames:  # consecutive ids, so that a landmark chunk names its frames by the first id
                first_id = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM frames").fetchone()[0]
                for offset, row in enumerate(frames):
                    row[1] = first_id + offset
                conn.executemany(_FRAME_INSERT, frames)
                detected = [row[1] for row in frames if row[6]]
                if detected:
                    conn.execute(_CHUNK_INSERT, (session_id, detected[0], detected[-1] - detected[0] + 1,
                                                 encode_landmark_chunk(self._chunk_rows(frames))))
            conn.executemany(_STEP_INSERT, steps)
            conn.executemany(_CUE_INSERT, cues)
            if frames:
                conn.execute("UPDATE sessions SET frame_count = frame_count + ?, first_t_s = coalesce(first_t_s, ?), "
                             "last_t_s = ? WHERE id = ?", (len(frames), frames[0][3], frames[-1][3], session_id))
            conn.execute("UPDATE sessions SET heartbeat_unix_s = ? WHERE id = ?", (time.time(), session_id))
            if summary is not None:
                conn.executemany(_SUMMARY_INSERT, [(session_id, position, *_record_values(row))
                                                   for position, row in enumerate(summary)])
            if end:
                conn.execute("UPDATE sessions SET status = ?, ended_at = ? WHERE id = ?",
                             (FINISHED if summary is not None else INTERRUPTED, now_iso(), session_id))
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        stats = self.recorder.stats
        stats.frames_written += len(frames)
        stats.steps_written += len(steps)
        stats.cues_written += len(cues)
        self.busy_s += time.perf_counter() - started
        stats.batches.append((len(frames) + len(steps) + len(cues), self.busy_s))
        self.busy_s = 0.0
        self.frames, self.landmarks, self.steps, self.cues = [], [], [], []

    def _chunk_rows(self, frames: list[list]) -> list[np.ndarray]:
        """Landmark values from the first to the last frame with a pose (NaN rows for the frames between without)."""
        rows, found = [], iter(self.landmarks)
        no_pose = np.full(LANDMARK_VALUES, np.nan, dtype=LANDMARK_DTYPE)
        detected = [row[6] for row in frames]
        first, last = detected.index(1), len(detected) - 1 - detected[::-1].index(1)
        for flag in detected[first:last + 1]:
            rows.append(next(found) if flag else no_pose)
        return rows

    def mark_interrupted(self) -> None:
        """After a failure: end the session as interrupted if the database still takes a write (best effort)."""
        try:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            self.conn.execute("UPDATE sessions SET status = ?, ended_at = ? WHERE id = ?",
                              (INTERRUPTED, now_iso(), self.session_id))
        except sqlite3.Error:
            pass  # e.g. the disk is still full: the next start marks it (its writer is gone by then)

    def close(self) -> None:
        if self.video is not None:
            self.video.release()
        self.store.close()


def save_recording(store: SessionStore, frames: Iterable, frame_metrics: Iterable[FrameMetrics | None],
                   steps: Iterable[StepMetrics], summary: Iterable[SummaryRow], *, source: str, model: str,
                   user_height_m: float | None, app_version: str) -> int:
    """Store a whole analysed recording as a finished session (``gaitcoach analyze --save``); returns its id.

    Goes through :class:`SessionRecorder`, the same path as a live session.
    """
    recorder = SessionRecorder(store)
    recorder.start(source, model, user_height_m, app_version)
    for frame, metrics in zip(frames, frame_metrics, strict=True):
        recorder.record_frame(frame, metrics)
    for step in steps:
        recorder.record_step(step)
    recorder.finish(summary)
    recorder.close(timeout_s=None)
    if recorder.error is not None:
        raise StoreError(recorder.error)
    return recorder.session_id
