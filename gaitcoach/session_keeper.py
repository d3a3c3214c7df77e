"""Connects the live window's sessions to the session store: Start records, Stop finishes, Review opens.

The recorder's writer thread does all disk work; the UI thread only queues (``SessionRecorder.record``) and,
when Review is asked for, opens the review window, which reads the store on demand.
"""
from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Slot

from gaitcoach import __version__
from gaitcoach.live import LiveSession
from gaitcoach.store import SessionRecorder, SessionStore, StoreError

WRITER_CLOSE_TIMEOUT_S = 10.0
DEFAULT_VIDEO_FPS = 30.0  # a saved video's frame rate when the source does not say (the demo walker)


class SessionKeeper(QObject):
    """Records every session the controller starts and offers the review window.

    Parameters
    ----------
    controller
        The ``gaitcoach.app.LiveController`` (its ``session_started``/``session_stopped`` signals and
        ``set_recorder``).
    window
        The main window (``review_requested``, ``set_review_available``, ``show_notice``).
    store
        The session store; None opens the user's store. A store that cannot be opened (corrupt, from a newer
        GaitCoach) turns recording off with a message in the window; coaching goes on.
    """

    def __init__(self, controller, window, store: SessionStore | None = None) -> None:
        super().__init__()
        self.controller = controller
        self.window = window
        self.recorder: SessionRecorder | None = None
        self.review_window = None
        try:
            self.store = store if store is not None else SessionStore.open_default()
        except StoreError as error:
            self.store = None
            window.show_notice(f"Sessions will not be saved: {error}")
        controller.session_started.connect(self._on_started)
        controller.session_stopped.connect(self._on_stopped)
        window.review_requested.connect(self.open_review)
        window.set_review_available(self.store is not None)

    @Slot(object)
    def _on_started(self, session: LiveSession) -> None:
        if self.store is None:
            return
        recorder = SessionRecorder(self.store)
        source_fps = getattr(self.controller.current_source, "fps", None) or DEFAULT_VIDEO_FPS
        recorder.start(session.source, session.model, session.config.user_height_m, __version__,
                       save_video=self.controller.settings.save_video, video_fps=source_fps)
        self.recorder = recorder
        self.controller.set_recorder(recorder)

    @Slot(object)
    def _on_stopped(self, session: LiveSession) -> None:
        recorder, self.recorder = self.recorder, None
        self.controller.set_recorder(None)
        if recorder is None:
            return
        recorder.finish(session.summary)
        # Wait for the writer off the UI thread; it has everything queued already.
        threading.Thread(target=recorder.close, args=(WRITER_CLOSE_TIMEOUT_S,), name="gaitcoach-store-close",
                         daemon=True).start()
        if recorder.error:
            self.window.show_notice(f"The session was only partly saved: {recorder.error}")

    @Slot()
    def open_review(self) -> None:
        if self.store is None:
            return
        from ui.review_window import ReviewWindow

        if self.review_window is None:
            self.review_window = ReviewWindow(self.store)
        else:
            self.review_window.refresh()
        self.review_window.show()
        self.review_window.raise_()

    def close(self) -> None:
        """The app quits: finish writing a session still being recorded (it is kept as interrupted)."""
        recorder, self.recorder = self.recorder, None
        if recorder is not None:
            self.controller.set_recorder(None)
            recorder.close(WRITER_CLOSE_TIMEOUT_S)
