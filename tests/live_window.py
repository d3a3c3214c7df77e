"""The live window as the tests open it: throwaway settings beside the test, speech to ``say``, and its
controller."""
from __future__ import annotations

from PySide6.QtCore import QSettings

from gaitcoach.settings import AppSettings
from ui.controller import LiveController
from ui.main_window import MainWindow
from ui.speech import CueSpeaker


def open_live_window(qtbot, tmp_path, *, say=lambda _text: None, size: tuple[int, int] | None = None,
                     show: bool = True) -> tuple[MainWindow, LiveController, AppSettings]:
    """The window (resized to ``size``, shown unless ``show`` is False), its controller and its settings."""
    settings = AppSettings(QSettings(str(tmp_path / "gaitcoach.ini"), QSettings.Format.IniFormat))
    window = MainWindow(settings, CueSpeaker(say=say))
    qtbot.addWidget(window)
    if size is not None:
        window.resize(*size)
    if show:
        window.show()
    return window, LiveController(window, settings), settings
