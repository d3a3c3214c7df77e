"""The Qt application's start: the live window (``gaitcoach``) and the review window (``gaitcoach sessions
review``). ``gaitcoach.cli`` hands over to these two functions; nothing else in the core imports the UI."""
from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

from gaitcoach import APP_NAME, ORGANIZATION_NAME


def _application() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORGANIZATION_NAME)
    return app


def run_app(source: str | None = None, model: str | None = None, demo: str | None = None,
            checkup: bool = False) -> int:
    """The live window, playing ``source`` (a camera index or a video), the ``demo`` walker, or the remembered or
    first camera (``checkup``: the guided check-up opens once it plays); the Qt exit code, or 2 when the source
    asked for never played (the window said why)."""
    from gaitcoach.cli import EXIT_BAD_INPUT
    from gaitcoach.settings import AppSettings
    from ui.controller import LiveController
    from ui.main_window import MainWindow
    from ui.session_keeper import SessionKeeper

    app = _application()
    settings = AppSettings()
    window = MainWindow(settings)
    controller = LiveController(window, settings, model)
    keeper = SessionKeeper(controller, window)
    window.show()
    window.show_safety_note_once()
    if checkup:
        controller.open_checkup_when_playing()
    if demo is not None:
        controller.start_demo(demo)
        controller.start_default_camera()  # fills the camera picker; a running demo is not replaced
    elif source is not None:
        controller.start_source(source)
    else:
        controller.start_default_camera()
    app.aboutToQuit.connect(controller.shutdown)
    app.aboutToQuit.connect(keeper.close)
    code = app.exec()
    return EXIT_BAD_INPUT if code == 0 and source is not None and not controller.played_anything else code


def write_report_offscreen(store, session_ids, path, page: str = "A4"):
    """``gaitcoach sessions report``: the PDF (``ui.report``), drawn without a display; (path, page count).
    A problem the user can fix raises ``gaitcoach.export.ExportError`` (one line)."""
    import os

    from gaitcoach.export import ExportError
    from ui.report import ReportError, write_report

    if QApplication.instance() is None and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a report needs no screen
    _application()
    try:
        return write_report(store, session_ids, path, page)
    except ReportError as error:
        raise ExportError(str(error)) from error


def run_review() -> int:
    """The review window on the user's session store (``StoreError`` if it cannot be opened)."""
    from gaitcoach.store import SessionStore
    from ui.review_window import ReviewWindow

    app = _application()
    window = ReviewWindow(SessionStore.open_default())
    window.show()
    return app.exec()
