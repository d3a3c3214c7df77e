"""App entry: the live window, fed by the pose pipeline and the live analysis through Qt signals.

Threads: the capture and pose threads belong to :class:`gaitcoach.worker.PoseWorker`; the analysis runs on the
pose thread right after inference (:class:`gaitcoach.live.LiveAnalysis`). Opening a camera, finding the model
and listing cameras run on short-lived threads of their own. The UI thread only draws: every result reaches it
through a queued Qt signal and a one-slot :class:`gaitcoach.live.UpdateSlot` (newest frame only).
"""
from __future__ import annotations

import itertools
import logging
import sys
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from functools import partial

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QApplication

from gaitcoach.demo import DemoSource, demo_estimator_factory
from gaitcoach.live import LiveAnalysis, LiveUpdate, LiveSession, SessionRecorder, UpdateSlot
from gaitcoach.models import ModelError, ResolvedModel, resolve_model
from gaitcoach.settings import AppSettings
from gaitcoach.sources import FrameSource, SourceError, list_cameras, open_source
from gaitcoach import APP_NAME, ORGANIZATION_NAME
from gaitcoach.worker import STOP_TIMEOUT_S, PoseResult, PoseWorker
from ui.main_window import EMPTY_STATE_TEXT, MainWindow

log = logging.getLogger(__name__)

DEMO_MODEL_TEXT = "model none (demo)"


class _Run:
    """One source being played: its worker, its analysis and its slot to the window."""

    def __init__(self, run_id: int, analysis: LiveAnalysis, source: FrameSource, spec: str | None) -> None:
        self.id = run_id
        self.analysis = analysis
        self.source = source
        self.spec = spec  # what start_source was given; None for the demo
        self.slot = UpdateSlot()
        self.worker: PoseWorker | None = None
        self.last_update: LiveUpdate | None = None  # set on the pose thread


class LiveController(QObject):
    """Answers the window's requests (sources, demo, model, sessions) and feeds it the pipeline's updates.

    Hooks for the session store (sessions issue): ``session_started(LiveSession)`` and
    ``session_stopped(LiveSession)`` (with ``ended_at`` and the session's ``summary``); a
    :class:`gaitcoach.live.SessionRecorder` attached with :meth:`set_recorder` receives every processed frame of
    a session on the pose thread; the window's ``review_requested`` signal asks for the review.
    """

    session_started = Signal(object)  # LiveSession
    session_stopped = Signal(object)  # LiveSession, with ended_at
    _update_ready = Signal(int)  # run id: its slot holds an update
    _run_finished = Signal(int, str)  # run id, error message ("" when the source simply ended)
    _model_ready = Signal(int, object)  # request id, ResolvedModel or error message
    _source_ready = Signal(int, str, object)  # request id, spec, opened source or error message
    _cameras_ready = Signal(object)  # list[CameraInfo]
    _recorder_failed = Signal(str)

    def __init__(self, window: MainWindow, settings: AppSettings, requested_model: str | None = None) -> None:
        super().__init__()
        self.window = window
        self.settings = settings
        self.requested_model = requested_model or settings.model_choice
        self.model: ResolvedModel | None = None
        self._run: _Run | None = None
        self.played_anything = False  # has any source (camera, video, demo) played in this window?
        self._session: LiveSession | None = None
        self._recorder: SessionRecorder | None = None
        self._ids = itertools.count(1)
        self._model_request = 0
        self._source_request = 0
        self._pending_spec: str | None = None  # a source waiting for the model
        self._pending_paced = True
        self._closing = False
        self._update_ready.connect(self._deliver)
        self._run_finished.connect(self._on_run_finished)
        self._model_ready.connect(self._on_model_ready)
        self._source_ready.connect(self._on_source_ready)
        self._cameras_ready.connect(self._on_cameras)
        self._recorder_failed.connect(self._on_recorder_failed)
        window.open_video_requested.connect(self.start_source)
        window.camera_requested.connect(lambda index: self.start_source(str(index)))
        window.demo_requested.connect(self.start_demo)
        window.model_requested.connect(self.change_model)
        window.session_start_requested.connect(self.start_session)
        window.session_stop_requested.connect(self.stop_session)
        window.config_changed.connect(self._on_config_changed)
        window.closed.connect(self.shutdown)

    # --- background work -----------------------------------------------------------------------------------
    def _in_background(self, name: str, work: Callable[[], object], deliver: Callable[[object], None]) -> None:
        """Run ``work`` on a thread of its own; ``deliver`` (which emits a signal) gets its result or error."""

        def run() -> None:
            try:
                outcome = work()
            except (ModelError, SourceError) as error:
                outcome = str(error)
            if not self._closing:
                deliver(outcome)
            elif hasattr(outcome, "close"):
                outcome.close()  # a camera opened while the window closed

        threading.Thread(target=run, name=f"gaitcoach-{name}", daemon=True).start()

    # --- model ---------------------------------------------------------------------------------------------
    def prepare_model(self, requested: str | None = None) -> None:
        """Find (or download) the pose model off the UI thread; a queued source starts once it is ready."""
        request = self._model_request = next(self._ids)
        wanted = requested if requested is not None else self.requested_model
        self._in_background("model", lambda: resolve_model(wanted),
                            lambda outcome: self._model_ready.emit(request, outcome))

    def change_model(self, choice: str) -> None:
        """The user picked another model: load it, then restart the camera or video with it."""
        self.window.show_notice(f"Loading pose model {choice}\u2026")
        self.prepare_model(choice)

    @Slot(int, object)
    def _on_model_ready(self, request: int, outcome: object) -> None:
        if request != self._model_request:
            return
        if isinstance(outcome, str):
            if self.model is not None:  # keep using the model we have
                self.window.show_notice(outcome)
                self.window.set_model_choice(self.requested_model or "full")
            elif self._run is None:
                self.window.show_message(f"{outcome}\n\nYou can still try the demo walker.")
            else:  # the demo plays on
                self.window.show_notice(outcome)
            self._pending_spec = None
            return
        changed = self.model is not None and outcome.path != self.model.path
        self.model = outcome
        self.window.set_model_choice(outcome.variant or str(outcome.path))
        if changed:
            self.requested_model = outcome.variant or str(outcome.path)
            self.settings.model_choice = self.requested_model
            self.window.show_notice(f"Using pose model {outcome.label}.")
            if self._run is not None and self._run.spec is not None and self._pending_spec is None:
                self._pending_spec, self._pending_paced = self._run.spec, self._run.source.live
        if self._pending_spec is not None:
            spec, self._pending_spec = self._pending_spec, None
            self.start_source(spec, paced=self._pending_paced)

    # --- sources -------------------------------------------------------------------------------------------
    def start_default_camera(self) -> None:
        """At start-up: list the cameras (off the UI thread) and start the remembered or the first one."""
        self._in_background("cameras", list_cameras, self._cameras_ready.emit)

    @Slot(object)
    def _on_cameras(self, cameras) -> None:
        remembered = self.settings.camera_index
        self.window.set_cameras(cameras, remembered)
        if self._run is not None:  # e.g. the demo, started from the command line: the pickers say so
            self._show_playing(self._run)
            return
        if not cameras:
            self.window.show_message(EMPTY_STATE_TEXT)
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
            if self._run is None:
                self.window.show_message("Loading the pose model\u2026")
            self.prepare_model()
            return
        request = self._source_request = next(self._ids)
        if self._run is None:
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
            if self._run is not None:
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
        run = _Run(next(self._ids), LiveAnalysis(self.settings.live_config()), source, spec)
        if spec is None:
            model_text, badge = DEMO_MODEL_TEXT, "DEMO"
            worker = PoseWorker(source, None, partial(self._on_result, run), partial(self._on_finished, run),
                                estimator_factory=demo_estimator_factory(source.fault))
        else:
            model_text, badge = f"model {self.model.label}", ""
            worker = PoseWorker(source, self.model.path, partial(self._on_result, run),
                                partial(self._on_finished, run))
        run.worker = worker
        self._run = run
        self.played_anything = True
        self.window.set_pipeline_info(source.description, model_text, badge)
        self._show_playing(run)
        worker.start()

    def _show_playing(self, run: _Run) -> None:
        self.window.show_playing(camera_index=getattr(run.source, "index", None),
                                 demo_fault=run.source.fault if run.spec is None else None)

    @property
    def worker(self) -> PoseWorker | None:
        return self._run.worker if self._run is not None else None

    def stop(self) -> bool:
        """Stop what is playing (and its session); True if its threads ended within ``STOP_TIMEOUT_S``."""
        self.stop_session()
        run, self._run = self._run, None
        if run is None or run.worker is None:
            return True
        stopped = run.worker.stop(STOP_TIMEOUT_S)
        if not stopped:
            log.warning("the pose pipeline did not stop within %.1f s", STOP_TIMEOUT_S)
        return stopped

    @Slot()
    def shutdown(self) -> bool:
        """The window closes: stop everything, ignore late results."""
        self._closing = True
        return self.stop()

    # --- pipeline callbacks (pose thread) -------------------------------------------------------------------
    def _on_result(self, run: _Run, result: PoseResult) -> None:
        if self._closing or run is not self._run:
            return
        update = run.last_update = run.analysis.process(result)
        recorder = self._recorder
        if recorder is not None and update.session is not None:
            try:
                recorder.record(update)
                failure = recorder.error  # the writer thread's (e.g. the disk is full): say it now, not at Stop
            except Exception as error:  # noqa: BLE001 - a failing recorder must not stop the coaching
                failure = f"Recording stopped: {error}"
            if failure:
                self._recorder = None
                self._recorder_failed.emit(failure)
        if run.slot.put(update):
            self._update_ready.emit(run.id)

    def _on_finished(self, run: _Run, error: BaseException | None) -> None:
        if not self._closing:
            self._run_finished.emit(run.id, "" if error is None else str(error))

    # --- UI thread -----------------------------------------------------------------------------------------
    @Slot(int)
    def _deliver(self, run_id: int) -> None:
        run = self._run
        if run is None or run.id != run_id:
            return
        update = run.slot.take()
        if update is not None:
            self.window.show_update(update)

    @Slot(int, str)
    def _on_run_finished(self, run_id: int, message: str) -> None:
        run = self._run
        if run is None or run.id != run_id:
            return
        self.stop_session()
        if not self.window.video_view.has_frame:
            self.window.show_message(message or f"{run.source.description} ended before any frame.")
        else:
            self.window.show_notice(message or f"End of {run.source.description}. Open another video, a camera "
                                               "or the demo to go on.")

    @Slot(object)
    def _on_config_changed(self, config) -> None:
        if self._run is not None:
            self._run.analysis.restart(config)

    # --- sessions (hooks for the session store) ------------------------------------------------------------
    def set_recorder(self, recorder: SessionRecorder | None) -> None:
        """Receive every processed frame of every session from now on (None: stop recording)."""
        self._recorder = recorder

    @property
    def current_source(self) -> FrameSource | None:
        """The frame source playing now (None: nothing plays)."""
        return self._run.source if self._run is not None else None

    @property
    def session(self) -> LiveSession | None:
        return self._session

    @Slot()
    def start_session(self) -> None:
        run = self._run
        if run is None:
            self.window.show_notice("Start a camera, a video or the demo walker first, then start a session.")
            return
        if self._session is not None:
            return
        model = DEMO_MODEL_TEXT.removeprefix("model ") if run.spec is None else self.model.label
        self._session = LiveSession(datetime.now().astimezone(), run.source.description, model,
                                    self.settings.live_config())
        run.analysis.begin_session(self._session)
        self.window.set_session_active(True)
        self.session_started.emit(self._session)

    @Slot()
    def stop_session(self) -> None:
        if self._session is None:
            return
        run, last = self._run, self._run.last_update if self._run is not None else None
        summary = last.session_summary if last is not None and last.session is self._session else ()
        session = replace(self._session, ended_at=datetime.now().astimezone(), summary=summary)
        self._session = None
        if run is not None:
            run.analysis.end_session()
        self.window.set_session_active(False)
        self.session_stopped.emit(session)

    @Slot(str)
    def _on_recorder_failed(self, message: str) -> None:
        """Recording failed mid-session: the session ends here (its clock stops; what was written is kept) and
        the coaching goes on; the window says so at once."""
        self.stop_session()
        self.window.show_notice(f"{message} What was recorded until now is kept; the coaching goes on.")


def run_app(source: str | None = None, model: str | None = None, demo: str | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORGANIZATION_NAME)
    settings = AppSettings()
    window = MainWindow(settings)
    controller = LiveController(window, settings, model)
    from gaitcoach.session_keeper import SessionKeeper

    keeper = SessionKeeper(controller, window)
    window.show()
    if demo is not None:
        controller.start_demo(demo)
        controller.start_default_camera()  # fills the camera picker; a running demo is not replaced
    elif source is not None:
        controller.start_source(source)
    else:
        controller.start_default_camera()
    app.aboutToQuit.connect(controller.shutdown)
    app.aboutToQuit.connect(keeper.close)
    from gaitcoach.cli import EXIT_BAD_INPUT

    code = app.exec()
    # The source asked for (`--source 99`) never played, nor anything else: the window said why; so does the code.
    return EXIT_BAD_INPUT if code == 0 and source is not None and not controller.played_anything else code
