"""Session store: every walk kept in one SQLite database, written by a background thread, safe against crashes.

One module a job (each says more in its own docstring):

- ``paths``: where the database lives (``$GAITCOACH_DATA_DIR`` or Qt's data folder), its files owner-only.
- ``schema``: the database format (tables, ``MIGRATIONS``), the constants reader and writer share, ``StoreError``.
- ``codec``: landmarks as float16 values, packed into compressed chunks.
- ``sessions``: ``SessionStore``, opening (create, migrate, check, mark interrupted), listing, reading, deleting.
- ``recorder``: ``SessionRecorder``, the writer thread behind the live window and ``gaitcoach analyze --save``.

A stored session's CSV export is ``gaitcoach.export.export_session``; how its figures read as text is
``gaitcoach.display_text``. The names below are what the rest of GaitCoach imports from ``gaitcoach.store``.
"""
from __future__ import annotations

from gaitcoach.display_text import duration_text, figure_text
from gaitcoach.store.codec import (
    CHUNK_FORMAT, CHUNK_ZLIB_LEVEL, LANDMARK_DTYPE, LANDMARK_RELATIVE_ERROR, LANDMARK_VALUES, decode_landmark_chunk,
    encode_landmark_chunk, landmark_values, landmarks_from_values,
)
from gaitcoach.store.paths import (
    APP_NAME, DATA_DIR_ENV, DATABASE_NAME, ORGANIZATION_NAME, VIDEO_DIR_NAME, data_dir, default_database_path,
)
from gaitcoach.store.recorder import SessionRecorder, WriterStats, save_recording
from gaitcoach.store.schema import (
    APPLICATION_ID, BUSY_TIMEOUT_S, CHECKUP_KIND, COMMIT_INTERVAL_S, DEFAULT_PERSON, DEMO_SOURCE_PREFIX, FINISHED,
    HEARTBEAT_INTERVAL_S, INTERRUPTED, MIGRATIONS, RECORDING, SCHEMA_VERSION, SESSION_KINDS, STALE_AFTER_S,
    WALK_KIND, StoreError, iso_from_unix_s, now_iso,
)
# The very set SessionStore consults (tests clear it to act as a new process), not a copy.
from gaitcoach.store.sessions import _CHECKED_UNDAMAGED, SessionInfo, SessionStore, StoredFrame, person_name

__all__ = [
    "APP_NAME", "APPLICATION_ID", "BUSY_TIMEOUT_S", "CHECKUP_KIND", "CHUNK_FORMAT", "CHUNK_ZLIB_LEVEL",
    "COMMIT_INTERVAL_S", "DATA_DIR_ENV", "DATABASE_NAME", "DEFAULT_PERSON", "DEMO_SOURCE_PREFIX", "FINISHED",
    "HEARTBEAT_INTERVAL_S", "INTERRUPTED", "LANDMARK_DTYPE", "LANDMARK_RELATIVE_ERROR", "LANDMARK_VALUES",
    "MIGRATIONS", "ORGANIZATION_NAME", "RECORDING", "SCHEMA_VERSION", "SESSION_KINDS", "STALE_AFTER_S",
    "VIDEO_DIR_NAME", "WALK_KIND", "SessionInfo", "SessionRecorder", "SessionStore", "StoreError", "StoredFrame",
    "WriterStats", "data_dir", "decode_landmark_chunk", "default_database_path", "duration_text",
    "encode_landmark_chunk", "figure_text", "iso_from_unix_s", "landmark_values", "landmarks_from_values",
    "now_iso", "person_name", "save_recording",
]
