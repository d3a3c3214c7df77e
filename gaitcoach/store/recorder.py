"""Recording a session: the writer thread that packs what the live window records and commits it to the store.

Crash safety
------------
The writer thread commits at least every ``COMMIT_INTERVAL_S`` while data arrives (the database runs in WAL
mode), so a process killed mid-session loses at most the frames of the last half second; while nothing arrives it
still beats every ``HEARTBEAT_INTERVAL_S``, so that a session whose writer died can be told apart
(``gaitcoach.store.sessions``).

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
    # A guided check-up: recorder.start(..., kind=CHECKUP_KIND), then recorder.finish(summary, checkup_rows)
    recorder.error                           # None, or a message to show (e.g. "the disk is full")
    ReviewWindow(store).show()               # ui.review_window: charts, progress, export
"""
from __future__ import annotations

import json
import logging
import math
import os
import queue
import socket
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np

from analysis.checkup import CheckupRow
from analysis.coaching import Cue
from analysis.columns import FRAME_GAIT_COLUMNS
from analysis.results import FrameMetrics, StepMetrics, SummaryRow
from gaitcoach.export import PRIVATE_FILE_MODE, make_private_dir
from gaitcoach.store.codec import LANDMARK_DTYPE, LANDMARK_VALUES, encode_landmark_chunk, landmark_values
from gaitcoach.store.paths import VIDEO_DIR_NAME
from gaitcoach.store.schema import (
    _CHECKUP_INSERT, _CHUNK_INSERT, _CUE_INSERT, _FRAME_INSERT, _STEP_INSERT, _SUMMARY_INSERT, COMMIT_INTERVAL_S,
    FINISHED, HEARTBEAT_INTERVAL_S, INTERRUPTED, RECORDING, SESSION_KINDS, WALK_KIND, StoreError, now_iso,
)
from gaitcoach.store.sessions import SessionStore, _describe

log = logging.getLogger(__name__)

_FRAME, _STEP, _CUE, _FINISH, _ABANDON = range(5)  # what a queued record is


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


def _checkup_values(row: CheckupRow) -> list:
    """A ``CheckupRow``'s values in column order, as any result's (``passed`` True/False/None: SQLite's 1/0/NULL).
    Raises TypeError for anything else."""
    if not isinstance(row, CheckupRow):
        raise TypeError(f"check-up rows must be analysis.checkup.CheckupRow, got {type(row).__name__}")
    return _record_values(row)


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
              cue_thresholds: Mapping[str, float] | None = None, save_video: bool = False,
              video_fps: float = 30.0, person: str | None = None, kind: str = WALK_KIND) -> None:
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
        cue_thresholds
            Rule key -> the cue threshold coached with (``analysis.rules``; None: not known).
        save_video
            Also keep the video frames (``PoseResult.image_bgr``) as ``videos/session-<id>.mp4``. Off: no image
            is ever written.
        video_fps
            Frame rate written into the saved video.
        person
            Who walks (their progress gets this session); None: nobody's (the demo walker, another's video).
        kind
            ``"walk"`` (``WALK_KIND``) or ``"checkup"`` (``CHECKUP_KIND``: a guided check-up, whose figures
            :meth:`finish` writes).
        """
        if self._thread is not None:
            raise RuntimeError("a SessionRecorder records one session: start() was already called")
        if kind not in SESSION_KINDS:
            raise ValueError(f"kind must be one of {SESSION_KINDS}, got {kind!r}")
        self._save_video = save_video
        thresholds = None if cue_thresholds is None else json.dumps(
            {str(key): float(value) for key, value in cue_thresholds.items()}, sort_keys=True)
        session = (now_iso(), str(source), str(model), _real(user_height_m), str(app_version), thresholds, person,
                   kind, video_fps)
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

    def finish(self, summary_rows: Iterable[SummaryRow], checkup_rows: Iterable[CheckupRow] = ()) -> None:
        """End the session normally: the writer writes the summary and a check-up's result figures
        (``analysis.checkup.CheckupRow``, in order) in one commit, marks the session finished and stops.

        Raises TypeError (nothing is queued, the recording goes on) if a check-up row is not a ``CheckupRow``.
        """
        if self._accepting():
            checkup = tuple(_checkup_values(row) for row in checkup_rows)
            self._queue.put((_FINISH, (tuple(summary_rows), checkup)))

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
        started_at, source, model, height, version, thresholds, person, kind, self.video_fps = session
        cursor = self.conn.execute(  # one statement: its own transaction
            "INSERT INTO sessions (started_at, status, source, model, user_height_m, app_version, cue_thresholds, "
            "person, kind, writer_pid, writer_host, heartbeat_unix_s) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (started_at, RECORDING, source, model, height, version, thresholds, person, kind, os.getpid(),
             socket.gethostname(), time.time()))
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
                summary, checkup = payload if kind == _FINISH else (None, ())
                self._commit(summary=summary, checkup=checkup, end=True)
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

    def _commit(self, summary: Sequence[SummaryRow] | None = None, checkup: Sequence[tuple] = (),
                end: bool = False) -> None:
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
                conn.executemany(_CHECKUP_INSERT, [(session_id, position, *values)
                                                   for position, values in enumerate(checkup)])
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
                   user_height_m: float | None, app_version: str,
                   cue_thresholds: Mapping[str, float] | None = None, person: str | None = None) -> int:
    """Store a whole analysed recording as a finished session (``gaitcoach analyze --save``); returns its id.

    Goes through :class:`SessionRecorder`, the same path as a live session.
    """
    recorder = SessionRecorder(store)
    recorder.start(source, model, user_height_m, app_version, cue_thresholds=cue_thresholds, person=person)
    for frame, metrics in zip(frames, frame_metrics, strict=True):
        recorder.record_frame(frame, metrics)
    for step in steps:
        recorder.record_step(step)
    recorder.finish(summary)
    recorder.close(timeout_s=None)
    if recorder.error is not None:
        raise StoreError(recorder.error)
    return recorder.session_id
