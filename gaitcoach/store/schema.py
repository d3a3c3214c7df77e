"""The session database's format: its tables and migrations, the constants shared by reader and writer, StoreError.

What a session holds
--------------------
A ``sessions`` row (start/end time in ISO 8601, status, source, model, user height, app version, the cue
thresholds it was coached with), one ``frames``
row per analysed frame (the ``FrameMetrics`` fields as columns), one ``steps`` row per ``StepMetrics``, the cues
shown (with their time) and, when the session ends normally, its summary rows. The landmarks are kept in
``landmark_chunks`` (``gaitcoach.store.codec``).

A session is of one kind (``sessions.kind``): a walk (``WALK_KIND``) or a guided check-up (``CHECKUP_KIND``,
``analysis.checkup``), which also keeps its result figures, one ``checkup_results`` row per ``CheckupRow``
(written when it ends normally, with its summary rows).

Schema versions
---------------
Schema versions live in ``PRAGMA user_version``; ``MIGRATIONS`` lists the SQL steps from one version to the next,
in order, and is never edited, only appended to.
"""
from __future__ import annotations

import datetime as dt
import time

from analysis.columns import CHECKUP_COLUMNS, FRAME_GAIT_COLUMNS, STEP_COLUMNS, SUMMARY_COLUMNS
from gaitcoach.export import CUE_COLUMNS

APPLICATION_ID = 0x47414954  # "GAIT" in PRAGMA application_id: marks the file as a GaitCoach database
COMMIT_INTERVAL_S = 0.5  # the writer commits at least this often while data arrives
HEARTBEAT_INTERVAL_S = 5.0  # a recording with nothing to write still proves it is alive this often
STALE_AFTER_S = 60.0  # a "recording" session whose writer has been silent this long was interrupted
BUSY_TIMEOUT_S = 5.0  # wait this long for another connection's write to finish

DEFAULT_PERSON = "Me"  # who walks until the user names people (progress is per person)
PERSON_NAME_MAX_CHARS = 40
DEMO_SOURCE_PREFIX = "demo walker"  # how a demo walker's session names its source: nobody's progress
RECORDING, FINISHED, INTERRUPTED = "recording", "finished", "interrupted"
WALK_KIND, CHECKUP_KIND = "walk", "checkup"  # what a session is (sessions.kind)
SESSION_KINDS = (WALK_KIND, CHECKUP_KIND)

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
    (  # 4: a 95 % interval beside each symmetry index (analysis.summary.symmetry_index_interval). Older sessions
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
    (  # 5: the cue thresholds a session was coached with (analysis.rules), as a JSON object {rule key: value};
        # NULL for older sessions (coached with the defaults of their time, or with the user's, not recorded).
        "ALTER TABLE sessions ADD COLUMN cue_thresholds TEXT",
    ),
    (  # 6: who walked (progress is per person); NULL: nobody's (the demo walker, someone else's video). Sessions
        # stored before were all the one user's progress, except the demo walker's: they keep being so.
        "ALTER TABLE sessions ADD COLUMN person TEXT",
        "UPDATE sessions SET person = 'Me' WHERE source NOT LIKE 'demo walker%'",  # 'Me': DEFAULT_PERSON
    ),
    (  # 7: the guided check-up (analysis.checkup) is a session of its own kind: 'walk' or 'checkup' (WALK_KIND,
        # CHECKUP_KIND); every session stored before was a walk. Its result figures: one row per CheckupRow, in
        # order (NULL: NaN, an empty cell; passed 1/0, NULL: not judged).
        "ALTER TABLE sessions ADD COLUMN kind TEXT NOT NULL DEFAULT 'walk'",
        """CREATE TABLE checkup_results (
            session_id INTEGER NOT NULL REFERENCES sessions (id),
            position INTEGER NOT NULL,
            test TEXT NOT NULL,
            metric TEXT NOT NULL,
            left REAL,
            right REAL,
            overall REAL,
            unit TEXT NOT NULL,
            normal_low REAL,
            normal_high REAL,
            passed INTEGER,
            PRIMARY KEY (session_id, position)
        )""",
    ),
    (  # 8: the pain diary (analysis.pain.PainNote): one row per site noted, before or after a session (session_id)
        # or on a day without one (session_id NULL); a deleted session's notes stay in the diary (their session_id
        # set to NULL). person: whose diary (as sessions.person).
        """CREATE TABLE pain_notes (
            id INTEGER PRIMARY KEY,
            session_id INTEGER REFERENCES sessions (id),
            person TEXT,
            date TEXT NOT NULL,
            "when" TEXT NOT NULL CHECK ("when" IN ('before', 'after', 'day')),
            site TEXT NOT NULL,
            score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10),
            note TEXT NOT NULL DEFAULT ''
        )""",
        "CREATE INDEX pain_notes_by_session ON pain_notes (session_id)",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)

_SESSION_FIELDS = ("id", "started_at", "ended_at", "status", "source", "model", "user_height_m", "app_version",
                   "frame_count", "first_t_s", "last_t_s", "video_path", "writer_pid", "writer_host",
                   "heartbeat_unix_s", "cue_thresholds", "person", "kind")
_FRAME_FIELDS = ("id", "frame", "t_s", "image_width_px", "image_height_px", "pose_detected", *FRAME_GAIT_COLUMNS)
_FRAME_INSERT = (f"INSERT INTO frames (session_id, {', '.join(_FRAME_FIELDS)}) "
                 f"VALUES ({', '.join('?' * (len(_FRAME_FIELDS) + 1))})")
_CHUNK_INSERT = "INSERT INTO landmark_chunks (session_id, first_frame_id, frame_count, data) VALUES (?, ?, ?, ?)"
_STEP_INSERT = (f"INSERT INTO steps (session_id, {', '.join(STEP_COLUMNS)}) "
                f"VALUES ({', '.join('?' * (len(STEP_COLUMNS) + 1))})")
_CUE_INSERT = f"INSERT INTO cues (session_id, {', '.join(CUE_COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?, ?)"
_SUMMARY_INSERT = (f"INSERT INTO summary (session_id, position, {', '.join(SUMMARY_COLUMNS)}) "
                   f"VALUES (?, ?, {', '.join('?' * len(SUMMARY_COLUMNS))})")
_CHECKUP_INSERT = (f"INSERT INTO checkup_results (session_id, position, {', '.join(CHECKUP_COLUMNS)}) "
                   f"VALUES (?, ?, {', '.join('?' * len(CHECKUP_COLUMNS))})")
_SERIES_COLUMNS = ("frame", "t_s", *(c for c in FRAME_GAIT_COLUMNS if c != "view"))


class StoreError(Exception):
    """The session store cannot do what was asked; the message (one line) says why and what to do."""


def now_iso() -> str:
    """The current local time, ISO 8601 with the UTC offset (e.g. ``2025-06-01T10:15:02+02:00``)."""
    return iso_from_unix_s(time.time())


def iso_from_unix_s(unix_s: float) -> str:
    return dt.datetime.fromtimestamp(unix_s).astimezone().isoformat(timespec="seconds")
