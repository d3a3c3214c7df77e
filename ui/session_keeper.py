"""Connects the live window's sessions to the session store: Start records, Stop finishes and shows the session's
summary card (Open in review, Export), Review opens.

The live run feeds each session's recorder and finishes it (``gaitcoach.live.LiveRun``); the recorder's writer
thread does all disk work. The keeper makes a recorder for each session, closes it when the session ends (off the
UI thread) and opens the review window, which reads the store on demand.
"""
from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QFileDialog

from analysis.pain import AFTER, BEFORE
from analysis.rules import cue_thresholds_with
from gaitcoach import __version__
from gaitcoach.live import LiveSession, SessionEnded
from gaitcoach.export import ExportError, export_session
from gaitcoach.store import DEMO_SOURCE_PREFIX, SessionRecorder, SessionStore, StoreError
from ui.session_card import SessionCard

WRITER_CLOSE_TIMEOUT_S = 10.0
DEFAULT_VIDEO_FPS = 30.0  # a saved video's frame rate when the source does not say


class SessionKeeper(QObject):
    """Records every session the controller starts and offers the review window.

    Parameters
    ----------
    controller
        The ``ui.controller.LiveController`` (its ``recorder_factory`` and ``session_stopped`` signal).
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
        self._recorders: dict[object, SessionRecorder] = {}  # by the session's start time, until it ends
        self.review_window = None
        self.card: SessionCard | None = None  # the last stopped session's summary
        try:
            self.store = store if store is not None else SessionStore.open_default()
        except StoreError as error:
            self.store = None
            window.show_notice(f"Sessions will not be saved: {error}")
        if self.store is not None:
            controller.recorder_factory = self._new_recorder
        controller.session_stopped.connect(self._on_stopped)
        controller.session_started.connect(self._on_started)
        self.pain_dialog = None  # the pain diary's question now open (ui.pain_dialog.PainDialog), if any
        window.review_requested.connect(self.open_review)
        window.set_review_available(self.store is not None)

    def _new_recorder(self, session: LiveSession) -> SessionRecorder:
        """The recorder of a session that starts now (its writer thread creates the session's row)."""
        recorder = SessionRecorder(self.store)
        recorder.start(session.source, session.model, session.config.user_height_m, __version__,
                       cue_thresholds=cue_thresholds_with(session.config.cue_thresholds),
                       save_video=self.controller.settings.save_video,
                       video_fps=self.controller.run.source.fps or DEFAULT_VIDEO_FPS,
                       person=(None if session.source.startswith(DEMO_SOURCE_PREFIX)
                               else self.controller.settings.person),
                       kind=session.kind)
        self._recorders[session.started_at] = recorder
        return recorder

    @property
    def recorder(self) -> SessionRecorder | None:
        """The recorder of the session being recorded now (None: none)."""
        return next(reversed(self._recorders.values()), None)

    def _asks_about_pain(self, session: LiveSession) -> bool:
        return (self.store is not None and self.controller.settings.pain_diary and session.kind == "walk"
                and not session.source.startswith(DEMO_SOURCE_PREFIX))

    @Slot(object)
    def _on_started(self, session: LiveSession) -> None:
        """The pain diary asks how much it hurts before walking (Esc skips it)."""
        if self._asks_about_pain(session):
            recorder = self._recorders.get(session.started_at)
            self._ask_pain(BEFORE, lambda: recorder.wait_created(2.0) if recorder is not None else None)

    def _ask_pain(self, when: str, session_id) -> None:
        """Show the pain question; what is saved goes with the session ``session_id()`` names."""
        from ui.pain_dialog import PainDialog

        if self.pain_dialog is not None:
            self.pain_dialog.close()
        dialog = self.pain_dialog = PainDialog(when, self.window)

        def save() -> None:
            notes = dialog.notes()
            if not notes:
                return
            try:
                self.store.add_pain_notes(notes, session_id())
            except StoreError as error:
                self.window.show_notice(f"The pain note was not saved: {error}")

        dialog.accepted.connect(save)
        dialog.show()

    @Slot(object)
    def _on_stopped(self, ended: SessionEnded) -> None:
        recorder = self._recorders.pop(ended.session.started_at, None)
        if recorder is not None:  # finished by the run; wait for its writer off the UI thread
            threading.Thread(target=recorder.close, args=(WRITER_CLOSE_TIMEOUT_S,), name="gaitcoach-store-close",
                             daemon=True).start()
        if not self.controller.closing:
            self._show_card(ended, recorder)
            if self._asks_about_pain(ended.session):
                self._ask_pain(AFTER, lambda: recorder.wait_created(2.0) if recorder is not None else None)

    def _show_card(self, ended: SessionEnded, recorder: SessionRecorder | None) -> None:
        """The stopped session's summary card, with Open in review and Export when it was stored."""
        session_id = recorder.wait_created(1.0) if recorder is not None else None
        if session_id is None:
            saved = "Session ended (not saved)"
        elif ended.recording_failed or ended.recording_error:
            saved = f"Session {session_id} ended: only partly saved"
        else:
            saved = f"Session {session_id} saved"
        review = export = None
        if session_id is not None:
            review = lambda: self.open_review(session_id)  # noqa: E731
            export = lambda: self._export(session_id, recorder)  # noqa: E731
        if self.card is not None:
            self.card.close()
        self.card = SessionCard(ended, saved, review, export, self.window)
        self.card.show()

    def _export(self, session_id: int, recorder: SessionRecorder) -> None:
        card = self.card
        folder = QFileDialog.getExistingDirectory(card, "Export the session's CSV files into")
        if not folder:
            return
        out_dir = Path(folder) / f"session-{session_id}-gaitcoach"
        card.status.setText(f"Exporting to {out_dir}\u2026")
        path = self.store.path

        def work() -> None:
            recorder.close(WRITER_CLOSE_TIMEOUT_S)  # everything written first
            try:
                with SessionStore(path) as store:
                    written = export_session(store, session_id, out_dir)
                message = f"Exported {', '.join(p.name for p in written)} to {out_dir}"
            except (ExportError, StoreError) as error:
                message = f"\u26a0 {error}"
            card.export_finished.emit(message)

        threading.Thread(target=work, name="gaitcoach-export", daemon=True).start()

    @Slot()
    def open_review(self, session_id: int | None = None) -> None:
        """Show the review window (on ``session_id`` when given)."""
        if self.store is None:
            return
        from ui.review_window import ReviewWindow

        if self.review_window is None:
            self.review_window = ReviewWindow(self.store)
        else:
            self.review_window.refresh()
        if session_id is not None:
            self.review_window.select_session(session_id)
        self.review_window.show()
        self.review_window.raise_()

    def close(self) -> None:
        """The app quits: finish writing a session still being recorded (it is kept as interrupted)."""
        recorders, self._recorders = list(self._recorders.values()), {}
        for recorder in recorders:
            recorder.close(WRITER_CLOSE_TIMEOUT_S)
