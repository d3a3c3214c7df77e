"""The live window's controller: answers its requests and relays a headless :class:`gaitcoach.live.LiveRun`.

The run (source -> pose -> analysis -> coach -> session recorder) lives in ``gaitcoach.live`` and works without
Qt; this controller only starts and stops it and relays its reports to the UI thread as Qt signals: each frame's
update through a one-slot :class:`gaitcoach.live.UpdateSlot` (the newest only, so a busy window skips stale
frames), the end of a session and of the source as they come. Opening a camera, finding the model and listing
cameras run on short-lived threads of their own; the UI thread only draws.
"""
from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QObject, Signal, Slot

from gaitcoach.demo import DemoSource, demo_estimator_factory
from gaitcoach.keepup import FallingBehind
from gaitcoach.live import (
    LiveRun, LiveSession, LiveUpdate, RecorderFactory, RunEnded, RunReport, SessionEnded, UpdateSlot,
)
from gaitcoach.models import VARIANTS, ModelError, ModelUnavailable, ResolvedModel, resolve_model
from gaitcoach.settings import AppSettings
from gaitcoach.sources import FrameSource, SourceError, list_cameras, open_source
from gaitcoach.worker import PoseWorker
from ui.main_window import EMPTY_STATE_TEXT, MainWindow

DEMO_MODEL_TEXT = "model none (demo)"
FASTEST_MODEL = VARIANTS[0]  # what a computer that cannot keep up is offered


class _Playing:
    """What the controller keeps of the run it plays: its id (late reports of an older run are ignored), what
    ``start_source`` was given (None: the demo walker) and the slot its updates wait in for the UI thread."""

    def __init__(self, run_id: int, spec: str | None) -> None:
        self.id = run_id
        self.spec = spec
        self.slot = UpdateSlot()
        self.run: LiveRun | None = None


class LiveController(QObject):
    """Answers the window's requests (sources, demo, model, sessions) and relays the live run's reports.

    Sessions: ``session_started(LiveSession)`` and ``session_stopped(SessionEnded)`` (its session has ``ended_at``
    and the ``summary``); each session's frames go to the recorder ``recorder_factory`` makes for it
    (``ui.session_keeper`` sets it; None: sessions are not recorded).
    """

    session_started = Signal(object)  # LiveSession
    session_stopped = Signal(object)  # SessionEnded
    _update_ready = Signal(int)  # run id: its slot holds an update
    _run_finished = Signal(int, object)  # run id, RunEnded
    _session_ended = Signal(object)  # SessionEnded, from whichever thread ended it
    _falling_behind = Signal(int, object)  # run id, FallingBehind
    _model_ready = Signal(int, object)  # request id, ResolvedModel or error message
    _source_ready = Signal(int, str, object)  # request id, spec, opened source or error message
    _cameras_ready = Signal(object)  # list[CameraInfo]

    def __init__(self, window: MainWindow, settings: AppSettings, requested_model: str | None = None) -> None:
        super().__init__()
        self.window = window
        self.settings = settings
        self.requested_model = requested_model or settings.model_choice
        self.model: ResolvedModel | None = None
        self._playing: _Playing | None = None
        self.played_anything = False  # has any source (camera, video, demo) played in this window?
        self.recorder_factory: RecorderFactory | None = None
        self.checkup = None  # the guided check-up running (ui.checkup_window.CheckupRunner), if any
        self._checkup_pending = False  # open the check-up at the first frame (gaitcoach --checkup)
        self._ids = itertools.count(1)
        self._model_request = 0
        self._user_choice = False  # the model being loaded was picked in the window (so it is remembered)
        self._source_request = 0
        self._pending_spec: str | None = None  # a source waiting for the model
        self._pending_paced = True
        self._closing = False
        self._update_ready.connect(self._deliver)
        self._run_finished.connect(self._on_run_finished)
        self._falling_behind.connect(self._on_falling_behind)
        self._model_ready.connect(self._on_model_ready)
        self._source_ready.connect(self._on_source_ready)
        self._cameras_ready.connect(self._on_cameras)
        self._session_ended.connect(self._on_session_ended)
        window.open_video_requested.connect(self.start_source)
        window.camera_requested.connect(lambda index: self.start_source(str(index)))
        window.demo_requested.connect(self.start_demo)
        window.model_requested.connect(self.change_model)
        window.session_start_requested.connect(self.start_session)
        window.session_stop_requested.connect(self.stop_session)
        window.checkup_requested.connect(self.open_checkup)
        window.config_changed.connect(self._on_config_changed)
        window.closed.connect(self.shutdown)

    # --- background work -----------------------------------------------------------------------------------
    def _in_background(self, name: str, work: Callable[[], object], deliver: Callable[[object], None]) -> None:
        """Run ``work`` on a thread of its own; ``deliver`` (which emits a signal) gets its result or error."""

        def run() -> None:
            try:
                outcome = work()
            except ModelUnavailable as error:
                outcome = error  # the window offers a model file and the link
            except (ModelError, SourceError) as error:
                outcome = str(error)
            if not self._closing:
                deliver(outcome)
            elif hasattr(outcome, "close"):
                outcome.close()  # a camera opened while the window closed

        threading.Thread(target=run, name=f"gaitcoach-{name}", daemon=True).start()

    # --- model ---------------------------------------------------------------------------------------------
    def prepare_model(self, requested: str | None = None, *, chosen: bool = False) -> None:
        """Find (or download) the pose model off the UI thread; a queued source starts once it is ready."""
        self._user_choice = chosen
        request = self._model_request = next(self._ids)
        wanted = requested if requested is not None else self.requested_model
        self._in_background("model", lambda: resolve_model(wanted),
                            lambda outcome: self._model_ready.emit(request, outcome))

    def change_model(self, choice: str) -> None:
        """The user picked another model: load it, then restart the camera or video with it."""
        self.window.show_notice(f"Loading pose model {choice}\u2026")
        self.prepare_model(choice, chosen=True)

    @Slot(int, object)
    def _on_model_ready(self, request: int, outcome: object) -> None:
        if request != self._model_request:
            return
        if not isinstance(outcome, ResolvedModel):
            self._on_model_missing(str(outcome), outcome if isinstance(outcome, ModelUnavailable) else None)
            return
        first = self.model is None
        changed = not first and outcome.path != self.model.path
        self.model = outcome
        self.window.set_model_choice(outcome.variant or str(outcome.path))
        if changed or (first and self._user_choice):
            self.requested_model = outcome.variant or str(outcome.path)
            self.settings.model_choice = self.requested_model
            self.window.show_notice(f"Using pose model {outcome.label}.")
        if changed:
            playing = self._playing
            if playing is not None and playing.spec is not None and self._pending_spec is None:
                self._pending_spec, self._pending_paced = playing.spec, playing.run.source.live
        if self._pending_spec is not None:
            spec, self._pending_spec = self._pending_spec, None
            self.start_source(spec, paced=self._pending_paced)
        elif first and self._user_choice and self._playing is None:  # a model file chosen after none could
            self.start_default_camera()  # be had: now the camera

    def _on_model_missing(self, message: str, missing: ModelUnavailable | None) -> None:
        if self.model is not None:  # keep using the model we have
            self.window.show_notice(message)
            self.window.set_model_choice(self.requested_model or "full")
        elif self._playing is not None:  # the demo plays on
            self.window.show_notice(message)
        elif missing is not None:
            self.window.show_model_missing(missing)
        else:
            self.window.show_message(f"{message}\n\nYou can still try the demo walker.")
        self._pending_spec = None

    # --- sources -------------------------------------------------------------------------------------------
    def start_default_camera(self) -> None:
        """At start-up: list the cameras (off the UI thread) and start the remembered or the first one."""
        self._in_background("cameras", list_cameras, self._cameras_ready.emit)

    @Slot(object)
    def _on_cameras(self, cameras) -> None:
        remembered = self.settings.camera_index
        self.window.set_cameras(cameras, remembered)
        if self._playing is not None:  # e.g. the demo, started from the command line: the pickers say so
            self._show_playing(self._playing)
            return
        if not cameras:
            self.window.show_message(EMPTY_STATE_TEXT)
            if self.model is None:
                self.prepare_model()  # a missing model is said now, not once a video has been chosen
            return
        indices = [camera.index for camera in cameras]
        self.start_source(str(remembered if remembered in indices else indices[0]))

    @Slot(str)
    def start_source(self, spec: str, *, paced: bool = True) -> None:
        """A camera index or a video file; opened off the UI thread, then played through MediaPipe.

        ``paced=False`` analyses every frame of a video as fast as it can (tests) instead of playing it live.
        """
        if self.model is None:
            self._pending_spec, self._pending_paced = spec, paced
            if self._playing is None:
                self.window.show_message("Loading the pose model\u2026")
            self.prepare_model()
            return
        request = self._source_request = next(self._ids)
        if self._playing is None:
            self.window.show_message(f"Opening {spec}\u2026")
        self._in_background("open-source", lambda: open_source(spec, paced=paced),
                            lambda outcome: self._source_ready.emit(request, spec, outcome))

    @Slot(int, str, object)
    def _on_source_ready(self, request: int, spec: str, outcome: object) -> None:
        if request != self._source_request or self._closing:
            if not isinstance(outcome, str):
                outcome.close()  # a newer request won
            return
        if isinstance(outcome, str):
            if self._playing is not None:
                self.window.show_notice(outcome)
            else:
                self.window.show_message(f"{outcome}\n\n{EMPTY_STATE_TEXT.splitlines()[-1]}")
            return
        self._start_run(outcome, spec)

    @Slot(str)
    def start_demo(self, fault: str, *, paced: bool = True) -> None:
        """The synthetic walker with ``fault``, through the same worker, analysis and window (no model).
        ``paced=False`` plays it as fast as it is analysed (tests)."""
        self._source_request = next(self._ids)  # a camera or video still opening is no longer wanted
        self._start_run(DemoSource(fault, paced=paced), None)

    def _start_run(self, source: FrameSource, spec: str | None) -> None:
        """Play ``source`` (opened from ``spec``; None: the demo walker)."""
        self.stop()
        playing = _Playing(next(self._ids), spec)
        report = partial(self._on_report, playing)
        if spec is None:
            model_text, badge = DEMO_MODEL_TEXT, "DEMO"
            playing.run = LiveRun(source, None, DEMO_MODEL_TEXT.removeprefix("model "), self.settings.live_config(),
                                  report, estimator_factory=demo_estimator_factory(source.fault))
        else:
            model_text, badge = f"model {self.model.label}", ""
            playing.run = LiveRun(source, self.model.path, self.model.label, self.settings.live_config(), report)
        self._playing = playing
        self.played_anything = True
        self.window.set_pipeline_info(source.description, model_text, badge)
        self._show_playing(playing)
        playing.run.start()

    def _show_playing(self, playing: _Playing) -> None:
        source = playing.run.source
        self.window.show_playing(camera_index=source.camera_index,
                                 demo_fault=source.fault if playing.spec is None else None)

    @property
    def closing(self) -> bool:
        """The window is closing: nothing more is shown."""
        return self._closing

    @property
    def run(self) -> LiveRun | None:
        """The live run playing now (None: nothing plays)."""
        return self._playing.run if self._playing is not None else None

    @property
    def worker(self) -> PoseWorker | None:
        return self.run.worker if self.run is not None else None

    def stop(self) -> bool:
        """Stop what is playing (its session ends); True if its threads ended in time."""
        playing, self._playing = self._playing, None
        return playing is None or playing.run.stop()

    @Slot()
    def shutdown(self) -> bool:
        """The window closes: stop everything, ignore late results."""
        self._closing = True
        return self.stop()

    # --- the run's reports (any thread) -------------------------------------------------------------------
    def _on_report(self, playing: _Playing, report: RunReport) -> None:
        if isinstance(report, SessionEnded):
            self._session_ended.emit(report)  # always: the session's recorder must be closed
        elif self._closing or playing is not self._playing:
            return
        elif isinstance(report, LiveUpdate):
            if playing.slot.put(report):
                self._update_ready.emit(playing.id)
        elif isinstance(report, RunEnded):
            self._run_finished.emit(playing.id, report)
        elif isinstance(report, FallingBehind):
            self._falling_behind.emit(playing.id, report)

    # --- UI thread -----------------------------------------------------------------------------------------
    @Slot(int)
    def _deliver(self, run_id: int) -> None:
        playing = self._playing
        if playing is None or playing.id != run_id:
            return
        update = playing.slot.take()
        if update is not None:
            self.window.show_update(update)
            if self._checkup_pending:
                self._checkup_pending = False
                self.open_checkup()
            if self.checkup is not None:
                self.checkup.add(update)

    @Slot(int, object)
    def _on_run_finished(self, run_id: int, ended: RunEnded) -> None:
        playing = self._playing
        if playing is None or playing.id != run_id:
            return
        description = playing.run.source.description
        if ended.frames_processed == 0:
            self.window.show_message(ended.error or f"{description} ended before any frame.")
        else:
            self.window.show_notice(ended.error or f"End of {description}. Open another video, a camera or the "
                                                   "demo to go on.")

    @Slot(int, object)
    def _on_falling_behind(self, run_id: int, behind: FallingBehind) -> None:
        """Too few frames analysed: say so, and offer (or, as set, make) the switch to the faster model."""
        playing = self._playing
        if playing is None or playing.id != run_id:
            return
        if self.model is not None and self.model.variant == FASTEST_MODEL:
            self.window.show_notice(f"{behind.text} This is already the fastest pose model: closing other programs "
                                    "may help.")
        elif self.settings.faster_model_when_slow:
            self.change_model(FASTEST_MODEL)
            self.window.show_notice(f"{behind.text} Switching to the faster pose model ({FASTEST_MODEL})\u2026")
        else:
            self.window.show_notice(behind.text, "Use the faster pose model",
                                    lambda: self.change_model(FASTEST_MODEL))

    @Slot(object)
    def _on_config_changed(self, config) -> None:
        if self.run is not None:
            self.run.restart(config)

    # --- sessions ------------------------------------------------------------------------------------------
    @property
    def session(self) -> LiveSession | None:
        return self.run.session if self.run is not None else None

    @Slot()
    def start_session(self, kind: str = "walk") -> bool:
        """Start a session of ``kind`` ("walk"; "checkup": the guided check-up's); False when none could start."""
        run = self.run
        if run is None:
            what = "a check-up" if kind == "checkup" else "a session"
            self.window.show_notice(f"Start a camera, a video or the demo walker first, then start {what}.")
            return False
        if run.session is not None:
            if kind == "walk":
                return False
            run.end_session()  # a check-up replaces a walk being recorded (which is kept)
        session = run.begin_session(self.settings.live_config(), self.recorder_factory, kind=kind)
        self.window.set_session_active(True)
        self.session_started.emit(session)
        return True

    @Slot()
    def stop_session(self) -> None:
        """End the session (Space, Stop); a check-up's ends as its own Stop does, with what it measured."""
        if self.checkup is not None:
            self.checkup.stop()
        elif self.run is not None:
            self.run.end_session()  # reported back as SessionEnded

    def end_checkup_session(self, checkup_rows) -> None:
        """End the check-up's session with its figures (``analysis.checkup.CheckupRow``)."""
        if self.run is not None:
            self.run.end_session(checkup_rows)  # reported back as SessionEnded

    @Slot()
    def open_checkup(self) -> None:
        """The guided check-up (``ui.checkup_window``) on what is playing, as a session of its own."""
        from ui.checkup_window import CheckupRunner

        if self.checkup is not None:
            self.checkup.window.raise_()
            return
        runner = CheckupRunner(self, self.window.speaker, self.window)
        if runner.start():
            self.checkup = runner
            runner.finished.connect(self._checkup_finished)

    def open_checkup_when_playing(self) -> None:
        """Open the check-up as soon as a source plays (``gaitcoach --checkup``)."""
        self._checkup_pending = True

    @Slot()
    def _checkup_finished(self) -> None:
        self.checkup = None

    @Slot(object)
    def _on_session_ended(self, ended: SessionEnded) -> None:
        """A session ended (asked for, its source ended, or its recording failed): the session clock stops; a
        failed recording is said at once and the coaching goes on."""
        if self.session is None:
            self.window.set_session_active(False)
        if ended.recording_failed:
            self.window.show_notice(f"{ended.recording_error} What was recorded until now is kept; the coaching "
                                    "goes on.")
        elif ended.recording_error:
            self.window.show_notice(f"The session was only partly saved: {ended.recording_error}")
        self.session_stopped.emit(ended)
