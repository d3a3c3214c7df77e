"""The live run: one source played through pose estimation, gait analysis, coaching and (during a session) the
session recorder, headless, reporting through one callback.

Data flows one way::

    FrameSource -> PoseWorker (capture thread, newest-frame mailbox, pose thread)
                -> LiveAnalysis (analyser + coach, on the pose thread right after inference)
                -> report(LiveUpdate) for every frame; during a session also SessionRecorder.record(update)

:class:`LiveRun` owns that chain, started and stopped as one. It reports a :class:`LiveUpdate` per processed frame,
a :class:`SessionEnded` when a session ends (asked for, the source ended, or its recording failed), a
:class:`gaitcoach.keepup.FallingBehind` once if the computer analyses too few of a camera's frames, and a
:class:`RunEnded` when the source ends or fails. The Qt window only relays these (``ui.controller``); a benchmark
or a test drives the same run without Qt. Stale frames are dropped in the mailbox, never queued.
"""
from __future__ import annotations

import logging
import math
import threading
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Protocol

import cv2
import numpy as np

from analysis.analyser import GaitAnalyser
from analysis.coaching import Coach, Cue, RuleStatus, SetupObservation
from analysis.landmarks import VISIBILITY, WHOLE_BODY_LANDMARKS, X_PX, Y_PX
from analysis.quality import data_notes
from analysis.results import FrameMetrics, StepMetrics, SummaryRow
from analysis.rules import COACHING_RULES, KNEE_VALGUS
from analysis.thresholds import MIN_VISIBILITY
from analysis.types import LEFT, RIGHT, View
from gaitcoach.estimate import PoseEstimatorLike
from gaitcoach.keepup import FallingBehind, KeepUpMonitor
from gaitcoach.sources import FrameSource
from gaitcoach.worker import STOP_TIMEOUT_S, PoseResult, PoseWorker, RateMeter

log = logging.getLogger(__name__)

SUMMARY_WINDOW_S = 10.0  # the tiles show figures over the steps of the last 10 s
SUMMARY_REFRESH_S = 1.0  # ... recomputed once a second (slow text people can read)
RATE_WINDOW_S = 1.0  # frame rates are measured over the last second
MIRROR_HOLD_S = 0.5  # the display's mirroring changes only after a new view has lasted this long
BRIGHTNESS_STRIDE_PX = 8  # brightness is the mean luma of every 8th pixel in each direction
KNEE_RULE = KNEE_VALGUS.key
_UNCHANGED = object()  # no session change pending
# Rules each update carries (analysis.rules): every rule for either foot, and per-foot rules for each foot too.
RULE_KEYS: tuple[tuple[str, str | None], ...] = tuple(
    (rule.key, foot) for rule in COACHING_RULES for foot in ((None, LEFT, RIGHT) if rule.per_foot else (None,)))


def rule_key(rule: str, foot: str | None = None) -> str:
    """Key of :attr:`LiveUpdate.rules`: ``"knee_valgus:left"``, or the rule alone for either foot."""
    return rule if foot is None else f"{rule}:{foot}"


@dataclass(frozen=True)
class LiveConfig:
    """What the user set that changes the analysis (from the settings)."""

    user_height_m: float | None = None  # for step length in metres; None: reported in leg lengths only
    cue_thresholds: Mapping[str, float] = field(default_factory=dict)  # rule key -> threshold (see Coach)


@dataclass(frozen=True)
class LiveSession:
    """One coaching session (Start to Stop): what was watched, with which model and settings."""

    started_at: datetime  # local wall-clock time, timezone-aware
    source: str  # e.g. "camera 0", a file name, "demo walker (knee valgus)"
    model: str  # e.g. "full", or "none (demo)"
    config: LiveConfig
    ended_at: datetime | None = None
    summary: tuple[SummaryRow, ...] = ()  # at the end: the whole session (as of its last second)
    kind: str = "walk"  # "walk", or "checkup": a guided check-up (gaitcoach.checkup_flow), stored with its figures


@dataclass(frozen=True)
class LiveUpdate:
    """Everything the window shows for one processed frame.

    Attributes
    ----------
    pose
        The pose worker's result (image, landmarks, timing, dropped frames).
    metrics
        The analyser's live figures for this frame.
    new_steps
        Steps confirmed since the previous update the receiver got (never lost when updates are merged).
    cue
        The coach's cue to display (None: nothing to say).
    speech
        Cues to say aloud now (never lost when updates are merged).
    rules
        ``rule_key(rule, foot)`` -> the coach's :class:`analysis.coaching.RuleStatus` (state and recent value).
    summary
        Summary rows by metric name over the last ``SUMMARY_WINDOW_S``, refreshed every ``SUMMARY_REFRESH_S``.
    session_summary
        During a session: summary rows over the whole session so far (``SUMMARY_COLUMNS`` order), refreshed
        every ``SUMMARY_REFRESH_S``; empty outside a session.
    cue_thresholds
        The coach's thresholds in use (rule key -> value), e.g. for the chart's threshold band.
    mirrored
        Show the image mirrored (the person faces the camera, steadily).
    camera_fps, processed_fps
        Frames delivered by the source and frames analysed, per second over the last ``RATE_WINDOW_S``.
    session
        The session this frame belongs to (None outside a session); the analysis restarted when it began.
    display_image
        The frame as 4-byte BGRx pixels (what Qt paints fastest, ``QImage.Format_RGB32``), made here on the
        pose thread so the UI thread only draws it; None without an image.
    """

    pose: PoseResult
    metrics: FrameMetrics
    new_steps: tuple[StepMetrics, ...]
    cue: Cue | None
    speech: tuple[Cue, ...]
    rules: Mapping[str, RuleStatus]
    summary: Mapping[str, SummaryRow]
    cue_thresholds: Mapping[str, float]
    mirrored: bool
    camera_fps: float
    processed_fps: float
    session: LiveSession | None = None
    session_summary: tuple[SummaryRow, ...] = ()
    display_image: np.ndarray | None = field(default=None, repr=False)

    @property
    def t_s(self) -> float:
        return self.pose.t_ms / 1000.0

    def merged_with(self, newer: LiveUpdate) -> LiveUpdate:
        """``newer``, also carrying this update's steps and speech (for a receiver that skipped this one)."""
        return replace(newer, new_steps=self.new_steps + newer.new_steps, speech=self.speech + newer.speech)


class SessionRecorder(Protocol):
    """Receives every processed frame of a session (``gaitcoach.store.SessionRecorder`` implements it).

    ``record`` is called on the pose thread, in frame order, with every update (none merged or skipped): keep it
    quick. ``finish`` gets the session's summary when it ends normally (and a check-up's result figures).
    ``error``: None, or a one-line message once recording failed (the run then ends the session and says so).
    """

    error: str | None

    def record(self, update: LiveUpdate) -> None: ...

    def finish(self, summary_rows: Iterable[SummaryRow], checkup_rows: Iterable = ()) -> None: ...


class UpdateSlot:
    """One slot between the pose thread and the window: the newest update, carrying the steps and speech of any
    update it replaced, so a busy window skips stale frames but never loses a step or a spoken cue."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._update: LiveUpdate | None = None
        self.merged_count = 0  # updates the receiver never saw (their steps and speech were carried on)

    def put(self, update: LiveUpdate) -> bool:
        """Store ``update``; True when the slot was empty, i.e. the receiver must be told (once)."""
        with self._lock:
            if self._update is None:
                self._update = update
                return True
            self._update = self._update.merged_with(update)
            self.merged_count += 1
            return False

    def take(self) -> LiveUpdate | None:
        with self._lock:
            update, self._update = self._update, None
            return update


class MirrorHold:
    """Mirror the display while the person faces the camera; change only after a view has lasted ``hold_s``.

    The first known view decides at once; ``View.UNKNOWN`` (turning, nobody) keeps the current state, so the
    picture does not flip back and forth while someone turns or a view flickers at a sector edge.
    """

    def __init__(self, hold_s: float = MIRROR_HOLD_S) -> None:
        self.hold_s = hold_s
        self.mirrored: bool | None = None  # None until the first known view
        self._change_since_s: float | None = None

    def update(self, t_s: float, view: str) -> bool:
        if view == View.UNKNOWN:
            return bool(self.mirrored)
        wanted = view == View.FACING
        if self.mirrored is None or wanted == self.mirrored:
            self.mirrored = wanted
            self._change_since_s = None
        elif self._change_since_s is None:
            self._change_since_s = t_s
        elif t_s - self._change_since_s >= self.hold_s:
            self.mirrored = wanted
            self._change_since_s = None
        return self.mirrored


class DisplayConverter:
    """BGR frames -> BGRx (4 bytes a pixel), which Qt scales and paints about 4x faster than 3-byte BGR.

    A frame that is the same array as the previous one (the demo's still background) is converted only once.
    """

    def __init__(self) -> None:
        self._source: np.ndarray | None = None
        self._converted: np.ndarray | None = None

    def convert(self, image_bgr: np.ndarray | None) -> np.ndarray | None:
        if image_bgr is None:
            return None
        if image_bgr is not self._source:
            self._source, self._converted = image_bgr, cv2.cvtColor(image_bgr, cv2.COLOR_BGR2BGRA)
        return self._converted


def setup_observation(result: PoseResult, pose_plausible: bool = True) -> SetupObservation:
    """What the camera sees in one result: a person, the whole body inside the picture, others, light;
    ``pose_plausible``: the analyser could measure the pose (not sitting, no odd proportions)."""
    whole_body = False
    landmarks = result.image_landmarks
    if landmarks is not None:
        body = landmarks[list(WHOLE_BODY_LANDMARKS)]
        inside = ((body[:, X_PX] >= 0) & (body[:, X_PX] <= result.image_width_px)
                  & (body[:, Y_PX] >= 0) & (body[:, Y_PX] <= result.image_height_px))
        whole_body = bool(np.all(inside & (body[:, VISIBILITY] >= MIN_VISIBILITY)))
    return SetupObservation(
        t_s=result.t_ms / 1000.0,
        person_found=result.pose_detected,
        whole_body_in_view=whole_body,
        other_people_count=result.other_people_count,
        brightness=image_brightness(result.image_bgr),
        pose_plausible=pose_plausible,
    )


def image_brightness(image_bgr: np.ndarray | None) -> float:
    """Mean luma (ITU-R BT.601, 0-255) of a sparse pixel grid; NaN without an image."""
    if image_bgr is None:
        return math.nan
    sample = image_bgr[::BRIGHTNESS_STRIDE_PX, ::BRIGHTNESS_STRIDE_PX].reshape(-1, 3).mean(axis=0)
    return float(0.114 * sample[0] + 0.587 * sample[1] + 0.299 * sample[2])


class LiveAnalysis:
    """The analyser and the coach for one stream of pose results; call :meth:`process` from one thread.

    :meth:`restart`, :meth:`begin_session` and :meth:`end_session` may be called from any thread; they take
    effect at the next frame.
    """

    def __init__(self, config: LiveConfig | None = None) -> None:
        self._lock = threading.Lock()
        self._restart_with: LiveConfig | None = None
        self._session: LiveSession | None = None
        self._next_session: LiveSession | None | object = _UNCHANGED
        self._start(config or LiveConfig())
        self._mirror = MirrorHold()
        self._camera_rate = RateMeter(RATE_WINDOW_S)
        self._processed_rate = RateMeter(RATE_WINDOW_S)
        self._processed_count = 0
        self._display = DisplayConverter()

    def _start(self, config: LiveConfig) -> None:
        self.config = config
        self.analyser = GaitAnalyser(user_height_m=config.user_height_m)
        self.coach = Coach(config.cue_thresholds)
        self._cue_thresholds = self.coach.cue_thresholds
        self._summary: dict[str, SummaryRow] = {}
        self._session_summary: tuple[SummaryRow, ...] = ()
        self._summary_due_s = -math.inf
        self._last_t_s = -math.inf

    def restart(self, config: LiveConfig | None = None) -> None:
        """Start the analysis and coaching afresh at the next frame (with ``config``, or the current one)."""
        with self._lock:
            self._restart_with = config or self.config

    def begin_session(self, session: LiveSession) -> None:
        """From the next frame on, updates belong to ``session``, analysed afresh with its settings."""
        with self._lock:
            self._restart_with = session.config
            self._next_session = session

    def end_session(self) -> None:
        with self._lock:
            self._next_session = None

    def process(self, result: PoseResult) -> LiveUpdate:
        with self._lock:
            config, self._restart_with = self._restart_with, None
            if self._next_session is not _UNCHANGED:
                self._session, self._next_session = self._next_session, _UNCHANGED
        if config is not None:
            self._start(config)
        t_s = result.t_ms / 1000.0
        if t_s <= self._last_t_s:  # a source that starts its clock again (never within one stream)
            self._start(self.config)
        self._last_t_s = t_s
        metrics = self.analyser.update(result.to_pose_frame())
        steps = tuple(self.analyser.new_steps_)
        coach = self.coach
        for step in steps:
            coach.add_step(step)
        coach.observe_frame(setup_observation(result, self.analyser.implausible_reason_ is None), metrics)
        if t_s >= self._summary_due_s:
            self._summary = {row.metric: row for row in self.analyser.summary(window_s=SUMMARY_WINDOW_S)}
            self._session_summary = tuple(self.analyser.summary()) if self._session is not None else ()
            self._summary_due_s = t_s + SUMMARY_REFRESH_S
        self._processed_count += 1
        return LiveUpdate(
            pose=result,
            metrics=metrics,
            new_steps=steps,
            cue=coach.cue,
            speech=tuple(coach.take_speech()),
            rules={rule_key(rule, foot): coach.rule_status(rule, foot) for rule, foot in RULE_KEYS},
            summary=self._summary,
            cue_thresholds=self._cue_thresholds,
            mirrored=self._mirror.update(t_s, metrics.view),
            camera_fps=self._camera_rate.add(result.read_monotonic_ms / 1000.0, result.frame_index),
            processed_fps=self._processed_rate.add(result.emitted_monotonic_ms / 1000.0, self._processed_count),
            session=self._session,
            session_summary=self._session_summary if self._session is not None else (),
            display_image=self._display.convert(result.image_bgr),
        )


@dataclass(frozen=True)
class SessionEnded:
    """A session ended: asked for, its source ended, the run stopped, or its recording failed.

    ``session`` has ``ended_at`` and the whole session's ``summary``. ``recording_error``: None, or why the
    recording is incomplete; ``recording_failed``: the failure is what ended the session (the coaching goes on).
    """

    session: LiveSession
    recording_error: str | None = None
    recording_failed: bool = False
    cues: tuple[tuple[Cue, int], ...] = ()  # each cue shown in the session (first shown first), and how often
    data_notes: tuple[str, ...] = ()  # what to know about the data its figures rest on (analysis.quality)
    walked_s: float = math.nan  # from the session's first analysed frame to its last (the video's own time)


@dataclass(frozen=True)
class RunEnded:
    """The source ended (``error`` empty) or failed; ``frames_processed``: how many frames the run analysed."""

    error: str
    frames_processed: int


RunReport = LiveUpdate | SessionEnded | RunEnded | FallingBehind


class _SessionTally:
    """What a session's end card says besides its summary: the cues shown and how much of it could be measured."""

    def __init__(self) -> None:
        self.cues: dict[str, tuple[Cue, int]] = {}  # key -> (cue as first shown, times shown)
        self._shown_key: str | None = None
        self.frames = self.with_pose = 0
        self.views = {View.FACING: 0, View.BACK: 0, "side": 0}
        self.first_t_s = self.last_t_s = math.nan

    def add(self, update: LiveUpdate) -> None:
        if not self.frames:
            self.first_t_s = update.t_s
        self.last_t_s = update.t_s
        self.frames += 1
        self.with_pose += update.pose.pose_detected
        view = "side" if update.metrics.view in View.SIDE else update.metrics.view
        if view in self.views:
            self.views[view] += 1
        key = update.cue.key if update.cue is not None else None
        if key is not None and key != self._shown_key:
            cue, times = self.cues.get(key, (update.cue, 0))
            self.cues[key] = (cue, times + 1)
        self._shown_key = key

    def data_notes(self, summary: tuple[SummaryRow, ...]) -> tuple[str, ...]:
        rows = {row.metric: row for row in summary}
        steps = rows["step_count"].overall if "step_count" in rows else 0.0
        has_symmetry = "step_time_s" in rows and math.isfinite(rows["step_time_s"].symmetry_index_pct)
        return data_notes(self.frames, self.with_pose, self.views[View.FACING], self.views[View.BACK],
                          self.views["side"], int(steps) if math.isfinite(steps) else 0, has_symmetry)
RecorderFactory = Callable[[LiveSession], SessionRecorder]


class LiveRun:
    """One source played live: pose worker -> :class:`LiveAnalysis` -> reports (and a session's recorder).

    Parameters
    ----------
    source
        An opened frame source (the run closes it when it ends).
    model_path, model_label
        The pose model (None with an ``estimator_factory`` that needs none) and how sessions name it.
    config
        The analysis settings to start with (:meth:`restart` and :meth:`begin_session` may change them).
    report
        Called with each :data:`RunReport`: a ``LiveUpdate`` per frame and ``RunEnded`` on the pose thread,
        ``SessionEnded`` on whichever thread ended the session. Keep it quick (hand the report on).
    estimator_factory
        See :class:`gaitcoach.worker.PoseWorker` (the demo walker's estimator).
    """

    def __init__(self, source: FrameSource, model_path: str | Path | None, model_label: str, config: LiveConfig,
                 report: Callable[[RunReport], None], *,
                 estimator_factory: Callable[[Path | None], PoseEstimatorLike] | None = None) -> None:
        self.source = source
        self.model_label = model_label
        self.analysis = LiveAnalysis(config)
        self._report = report
        self._lock = threading.Lock()
        self._session: LiveSession | None = None
        self._recorder: SessionRecorder | None = None
        self._tally = _SessionTally()
        self._stopped = False
        self.last_update: LiveUpdate | None = None  # set on the pose thread
        self.frames_processed = 0
        self.worker = PoseWorker(source, model_path, self._on_result, self._on_finished,
                                 estimator_factory=estimator_factory)
        # A live source analysed by a pose model: say once if the computer falls behind the camera.
        self._keep_up = KeepUpMonitor(model_label) if source.live and model_path is not None else None

    # --- start and stop ---------------------------------------------------------------------------------------
    def start(self) -> None:
        self.worker.start()

    def stop(self, timeout_s: float = STOP_TIMEOUT_S) -> bool:
        """End the session (reported), stop the threads and report nothing more; True if they ended in time."""
        self.end_session()
        self._stopped = True
        stopped = self.worker.stop(timeout_s)
        if not stopped:
            log.warning("the pose pipeline did not stop within %.1f s", timeout_s)
        return stopped

    @property
    def running(self) -> bool:
        return self.worker.running

    def restart(self, config: LiveConfig | None = None) -> None:
        """Analyse and coach afresh from the next frame on (with ``config``, or the current settings)."""
        self.analysis.restart(config)

    # --- sessions ---------------------------------------------------------------------------------------------
    @property
    def session(self) -> LiveSession | None:
        return self._session

    def begin_session(self, config: LiveConfig | None = None, recorder_factory: RecorderFactory | None = None,
                      kind: str = "walk") -> LiveSession:
        """Start a session of ``kind`` (analysed afresh from the next frame, with ``config`` or the current
        settings); its frames go to the recorder ``recorder_factory`` makes for it. The current session, if any,
        ends first."""
        self.end_session()
        session = LiveSession(datetime.now().astimezone(), self.source.origin, self.model_label,
                              config or self.analysis.config, kind=kind)
        recorder = recorder_factory(session) if recorder_factory is not None else None
        with self._lock:
            self._session, self._recorder, self._tally = session, recorder, _SessionTally()
        self.analysis.begin_session(session)
        return session

    def end_session(self, checkup_rows: Iterable = ()) -> None:
        """End the session, if there is one: its recorder gets the summary (and a check-up's ``checkup_rows``,
        ``analysis.checkup.CheckupRow``) and :class:`SessionEnded` is reported."""
        self._end_session(None, tuple(checkup_rows))

    def _end_session(self, recording_failure: str | None, checkup_rows: tuple = ()) -> None:
        with self._lock:
            session, recorder, tally = self._session, self._recorder, self._tally
            self._session = self._recorder = None
        if session is None:
            return
        self.analysis.end_session()
        last = self.last_update
        summary = last.session_summary if last is not None and last.session is session else ()
        ended = replace(session, ended_at=datetime.now().astimezone(), summary=summary)
        error = recording_failure
        if recorder is not None and recording_failure is None:
            recorder.finish(summary, checkup_rows)
            error = recorder.error
        self._report(SessionEnded(ended, error, recording_failed=recording_failure is not None,
                                  cues=tuple(tally.cues.values()), data_notes=tally.data_notes(summary),
                                  walked_s=tally.last_t_s - tally.first_t_s))

    # --- the pose thread --------------------------------------------------------------------------------------
    def _on_result(self, result: PoseResult) -> None:
        if self._stopped:
            return
        update = self.last_update = self.analysis.process(result)
        self.frames_processed += 1
        self._report(update)
        if self._keep_up is not None:
            behind = self._keep_up.add(result.emitted_monotonic_ms / 1000.0, update.camera_fps, update.processed_fps)
            if behind is not None:
                self._report(behind)
        if update.session is None or update.session is not self._session:
            return
        self._tally.add(update)
        recorder = self._recorder
        if recorder is None:
            return
        try:
            recorder.record(update)
            failure = recorder.error  # the writer thread's (e.g. the disk is full): said now, not at Stop
        except Exception as error:  # noqa: BLE001 - a failing recorder must not stop the coaching
            failure = f"Recording stopped: {error}"
        if failure:
            self._end_session(failure)

    def _on_finished(self, error: BaseException | None) -> None:
        self.end_session()
        if not self._stopped:
            self._report(RunEnded("" if error is None else str(error), self.frames_processed))
