"""App entry: the Qt window, fed by the pose pipeline through Qt signals."""
from __future__ import annotations

import sys
import threading

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QApplication

from gaitcoach.models import ModelError, ResolvedModel, resolve_model
from gaitcoach.sources import SourceError, list_cameras, open_source
from gaitcoach.worker import PoseResult, PoseWorker
from ui.main_window import MainWindow


class LiveController(QObject):
    """Owns the pose worker; hands the newest result to the window, never a backlog.

    The worker thread stores its newest result and emits ``result_ready`` only if the window has taken the
    previous one, so a busy UI thread skips stale frames instead of queueing them.
    """

    result_ready = Signal()
    finished = Signal(str)  # empty string: ended normally
    model_ready = Signal(object)  # ResolvedModel or an error message (str)

    def __init__(self, window: MainWindow, requested_model: str | None) -> None:
        super().__init__()
        self.window = window
        self.requested_model = requested_model
        self.model: ResolvedModel | None = None
        self.worker: PoseWorker | None = None
        self._latest: PoseResult | None = None
        self._pending = False
        self._lock = threading.Lock()
        self._pending_source: str | None = None
        self.result_ready.connect(self._show_latest)
        self.finished.connect(self._on_finished)
        self.model_ready.connect(self._on_model_ready)
        window.open_video_requested.connect(self.start_source)
        window.camera_requested.connect(lambda index: self.start_source(str(index)))

    def prepare_model(self) -> None:
        """Find (or download, off the UI thread) the pose model."""
        self.window.show_message("Loading the pose model…")

        def work() -> None:
            try:
                resolved = resolve_model(self.requested_model)
                self.model_ready.emit(resolved)
            except ModelError as error:
                self.model_ready.emit(str(error))

        threading.Thread(target=work, name="gaitcoach-model", daemon=True).start()

    @Slot(object)
    def _on_model_ready(self, outcome) -> None:
        if isinstance(outcome, str):
            self.window.show_message(outcome)
            return
        self.model = outcome
        if self._pending_source is not None:
            source, self._pending_source = self._pending_source, None
            self.start_source(source)
        else:
            cameras = list_cameras()
            self.window.set_cameras(cameras)
            if cameras:
                self.start_source(str(cameras[0].index))

    @Slot(str)
    def start_source(self, spec: str) -> None:
        if self.model is None:
            self._pending_source = spec
            return
        self.stop()
        try:
            source = open_source(spec, paced=True)
        except SourceError as error:
            self.window.show_message(str(error))
            return
        self.window.video_view.clear(f"Starting {source.description}…")
        self.worker = PoseWorker(source, self.model.path, self._on_result, self._on_worker_finished)
        self.worker.start()

    def stop(self) -> None:
        if self.worker is not None:
            self.worker.stop()
            self.worker = None

    def _on_result(self, result: PoseResult) -> None:  # pose thread
        with self._lock:
            self._latest = result
            if self._pending:
                return
            self._pending = True
        self.result_ready.emit()

    def _on_worker_finished(self, error: BaseException | None) -> None:  # pose thread
        self.finished.emit("" if error is None else str(error))

    @Slot()
    def _show_latest(self) -> None:
        with self._lock:
            result, self._pending = self._latest, False
        if result is None or self.worker is None:
            return
        worker = self.worker
        person = "person found" if result.pose_detected else "no person"
        status = (
            f"{worker.source.description} | model {self.model.label} | inference {result.inference_ms:.0f} ms | "
            f"dropped {result.dropped_frames_total} | {person}"
        )
        self.window.show_result(result, status)

    @Slot(str)
    def _on_finished(self, message: str) -> None:
        if message:
            self.window.show_message(message)


def run_app(source: str | None = None, model: str | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("GaitCoach")
    app.setOrganizationName("GaitCoach")
    window = MainWindow()
    controller = LiveController(window, model)
    if source is not None:
        controller._pending_source = source
    window.show()
    controller.prepare_model()
    app.aboutToQuit.connect(controller.stop)
    return app.exec()
