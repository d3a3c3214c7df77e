"""Reading the session database: open (create, migrate, check), list, read and delete sessions.

Crash safety
------------
The database runs in WAL mode. A session whose writer died (its process is gone, or it has been silent for
``STALE_AFTER_S``) is marked "interrupted" the next time the store is opened; its frames and steps stay as they
were. (How often the writer commits: ``gaitcoach.store.recorder``.)

Faults
------
Every problem the user can act on raises :class:`StoreError` with a one-line message: a file that is not a
GaitCoach database or is damaged (never overwritten, never deleted), a database from a newer GaitCoach (refused,
left unchanged), a session id that does not exist, a full disk.
"""
from __future__ import annotations

import datetime as dt
import json
import math
import os
import socket
import sqlite3
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from analysis.checkup import CheckupRow
from analysis.pain import PainNote
from analysis.coaching import Cue
from analysis.columns import CHECKUP_COLUMNS, STEP_COLUMNS, SUMMARY_COLUMNS
from analysis.results import FrameMetrics, StepMetrics, SummaryRow
from analysis.quality import data_notes
from analysis.rules import DEFAULT_CUE_THRESHOLDS
from analysis.trends import SessionFigures
from analysis.types import View
from gaitcoach.export import make_private_dir
from gaitcoach.store.codec import (
    _ZLIB_HEADER_BYTE, CHUNK_FORMAT, LANDMARK_VALUES, decode_landmark_chunk, landmarks_from_values,
)
from gaitcoach.store.paths import DATA_DIR_ENV, VIDEO_DIR_NAME, _make_private_database, default_database_path
from gaitcoach.store.schema import (
    _FRAME_FIELDS, _SERIES_COLUMNS, _SESSION_FIELDS, APPLICATION_ID, BUSY_TIMEOUT_S, INTERRUPTED, MIGRATIONS,
    DEMO_SOURCE_PREFIX, PERSON_NAME_MAX_CHARS, RECORDING, SCHEMA_VERSION, STALE_AFTER_S, WALK_KIND, StoreError,
    iso_from_unix_s,
)


def _nan_for_null(values: Iterable) -> list:
    return [math.nan if v is None else v for v in values]


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
    cue_thresholds
        Rule key -> the cue threshold the session was coached with (``analysis.rules``); empty for sessions
        stored before GaitCoach kept them. :meth:`thresholds` fills the gaps with today's defaults.
    person
        Who walked (progress is per person); None: nobody's progress (the demo walker, someone else's video).
    kind
        ``"walk"`` or ``"checkup"`` (a guided check-up: its figures are :meth:`SessionStore.checkup_results`);
        every session stored before check-ups existed is a walk.
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
    cue_thresholds: Mapping[str, float] = field(default_factory=dict)
    person: str | None = None
    kind: str = WALK_KIND

    @property
    def started(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.started_at)

    def thresholds(self) -> dict[str, float]:
        """Every rule's threshold for this session: as coached, else (older sessions) today's default."""
        return {**DEFAULT_CUE_THRESHOLDS, **self.cue_thresholds}


def person_name(text: str | None) -> str | None:
    """A person's name as stored: trimmed, at most ``PERSON_NAME_MAX_CHARS`` printable characters; None for none."""
    if text is None or not text.strip():
        return None
    name = " ".join(text.split())
    if len(name) > PERSON_NAME_MAX_CHARS or not name.isprintable():
        raise StoreError(f"A name has at most {PERSON_NAME_MAX_CHARS} printable characters.")
    return name


def _stored_thresholds(text: str | None) -> dict[str, float]:
    """The ``cue_thresholds`` column read back: rule key -> threshold (unreadable or missing: none)."""
    try:
        stored = json.loads(text) if text else {}
    except ValueError:
        return {}
    if not isinstance(stored, dict):
        return {}
    return {str(key): float(value) for key, value in stored.items()
            if isinstance(value, (int, float)) and math.isfinite(value)}


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
    def read_snapshot(self) -> Iterator[sqlite3.Connection]:
        """One consistent view of the database while several tables are read (a writer may be committing); this
        store's reading methods called inside it read that same view (e.g. ``gaitcoach.export.export_session``)."""
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
        with self.read_snapshot() as conn:
            rows = conn.execute(f"SELECT {', '.join(_SESSION_FIELDS)} FROM sessions ORDER BY id").fetchall()
            return [self._info(conn, row) for row in rows]

    def session(self, session_id: int) -> SessionInfo:
        """One session; StoreError if there is none with that id."""
        with self.read_snapshot() as conn:
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
            cue_thresholds=_stored_thresholds(values["cue_thresholds"]),
            person=values["person"],
            kind=values["kind"],
        )

    def steps(self, session_id: int) -> list[StepMetrics]:
        with self.read_snapshot() as conn:
            self._session_row(conn, session_id)
            return self._steps(conn, session_id)

    def summary(self, session_id: int) -> list[SummaryRow]:
        """The summary rows written when the session finished (empty for a session that did not finish)."""
        with self.read_snapshot() as conn:
            self._session_row(conn, session_id)
            return self._summary(conn, session_id)

    def cues(self, session_id: int) -> list[tuple[float, Cue]]:
        """``(t_s, cue)`` for every cue shown, in time order."""
        with self.read_snapshot() as conn:
            self._session_row(conn, session_id)
            return self._cues(conn, session_id)

    def checkup_results(self, session_id: int) -> list[CheckupRow]:
        """A check-up's result figures in their order (empty for a walk, or a check-up that did not finish); NaN
        where a cell is empty, ``passed`` None where the figure was not judged."""
        with self.read_snapshot() as conn:
            self._session_row(conn, session_id)
            rows = conn.execute(f"SELECT {', '.join(CHECKUP_COLUMNS)} FROM checkup_results WHERE session_id = ? "
                                "ORDER BY position", (session_id,)).fetchall()
        return [CheckupRow(*_nan_for_null(row[:-1]), passed=None if row[-1] is None else bool(row[-1]))
                for row in rows]

    def add_pain_notes(self, notes: Iterable[PainNote], session_id: int | None = None,
                       person: str | None = None) -> None:
        """Keep pain diary notes (``analysis.pain.PainNote``), of a session (its person's) or of a day
        (``person``'s); all or none."""
        notes = list(notes)
        with self._errors():
            if session_id is not None:
                person = dict(zip(_SESSION_FIELDS, self._session_row(self._conn, session_id)))["person"]
            with self._conn:  # one transaction
                self._conn.executemany(
                    'INSERT INTO pain_notes (session_id, person, date, "when", site, score, note) '
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [(session_id, person_name(person), n.date, n.when, n.site, n.score, n.note) for n in notes])

    def pain_notes(self, session_id: int | None = None, person: str | None = None) -> list[PainNote]:
        """The pain diary's notes in the order taken: of a session, or (``session_id`` None) every note of
        ``person`` (None: of nobody in particular)."""
        with self.read_snapshot() as conn:
            if session_id is not None:
                rows = conn.execute('SELECT date, "when", site, score, note FROM pain_notes WHERE session_id = ? '
                                    "ORDER BY id", (int(session_id),)).fetchall()
            else:
                rows = conn.execute('SELECT date, "when", site, score, note FROM pain_notes WHERE person IS ? '
                                    "ORDER BY date, id", (person_name(person),)).fetchall()
        return [PainNote(*row) for row in rows]

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
        with self.read_snapshot() as conn:
            self._session_row(conn, session_id)
            rows = conn.execute(f"SELECT {', '.join(columns)} FROM frames WHERE session_id = ? ORDER BY id",
                                (session_id,)).fetchall()
        table = np.array(rows, dtype=float).reshape(len(rows), len(columns))  # NULL -> NaN
        return {name: table[:, i] for i, name in enumerate(columns)}

    def frames(self, session_id: int) -> Iterator[StoredFrame]:
        """Every stored frame in recording order (read lazily, in one read transaction: consume it fully)."""
        with self.read_snapshot() as conn:
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

    # --- who walked ------------------------------------------------------------------------------
    def set_person(self, session_id: int, person: str | None) -> None:
        """Say who walked in a session (None: nobody's progress); a demo walker's session is nobody's."""
        name = person_name(person)
        with self._errors():
            source = dict(zip(_SESSION_FIELDS, self._session_row(self._conn, session_id)))["source"]
            if name is not None and source.startswith(DEMO_SOURCE_PREFIX):
                raise StoreError(f"Session {session_id} is the demo walker's: it is nobody's progress.")
            self._conn.execute("UPDATE sessions SET person = ? WHERE id = ?", (name, int(session_id)))

    # --- delete ----------------------------------------------------------------------------------

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
                for table in ("frames", "landmark_chunks", "steps", "cues", "summary", "checkup_results"):
                    self._conn.execute(f"DELETE FROM {table} WHERE session_id = ?", (session_id,))
                # The pain diary is the person's, not the session's: its notes stay, as notes of their day.
                self._conn.execute("UPDATE pain_notes SET session_id = NULL WHERE session_id = ?", (session_id,))
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
