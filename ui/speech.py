"""Spoken cues: Qt's text-to-speech where the system has an engine, else a short chime; never an error.

The coach already queues each cue at most once per ``SPEAK_COOLDOWN_S`` of its own clock; the speaker keeps the
same promise on the wall clock, across coaches (a new session or source starts a new coach).
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from analysis.coaching import SPEAK_COOLDOWN_S, Cooldown, Cue

log = logging.getLogger(__name__)


def _text_to_speech(parent: QObject) -> Callable[[str], None] | None:
    """Qt's text-to-speech, or None where the module, its libraries or an engine are missing."""
    try:
        from PySide6.QtTextToSpeech import QTextToSpeech
    except (ImportError, OSError) as error:  # e.g. no libpulse on this system
        log.info("no text-to-speech: %s", error)
        return None
    if not QTextToSpeech.availableEngines():
        return None
    engine = QTextToSpeech(parent)
    if engine.state() == QTextToSpeech.State.Error:
        log.info("text-to-speech engine failed: %s", engine.errorString())
        return None
    return engine.say


def _chime(_text: str) -> None:
    QApplication.beep()


class CueSpeaker(QObject):
    """Says cues aloud (on by default). ``say`` is a callable taking the text (tests pass a recorder)."""

    def __init__(self, parent: QObject | None = None, *, say: Callable[[str], None] | None = None,
                 clock: Callable[[], float] = time.monotonic, cooldown_s: float = SPEAK_COOLDOWN_S) -> None:
        super().__init__(parent)
        if say is None:
            say = _text_to_speech(self)
            self.voice = "speech" if say is not None else "chime"
            say = say or _chime
        else:
            self.voice = "custom"
        self._say = say
        self._clock = clock
        self._cooldown = Cooldown(cooldown_s)
        self.enabled = True

    def speak(self, cue: Cue) -> bool:
        """Say ``cue`` unless speech is off or the same cue was said within the cooldown; True if said."""
        if not self.enabled or not self._cooldown.allow(cue.key, self._clock()):
            return False
        try:
            self._say(cue.text)
        except Exception as error:  # noqa: BLE001 - a broken audio system must not stop the coaching
            log.warning("could not speak %r: %s", cue.text, error)
            return False
        return True
