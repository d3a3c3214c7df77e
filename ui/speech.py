"""Spoken cues: Qt's text-to-speech where the system has an engine, else a short chime; never an error.

The chime is ``ui/assets/chime.wav`` (made by ``tools/make_chime.py``) played by QtMultimedia's QSoundEffect, which
plays asynchronously and never blocks the UI thread. Where QtMultimedia does not load (e.g. no libpulse), there is
no audio output, the file is missing or the effect reports an error, the chime is the system beep instead.

The coach already queues each cue at most once per ``SPEAK_COOLDOWN_S`` of its own clock; the speaker keeps the
same promise on the wall clock, across coaches (a new session or source starts a new coach).
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path

from PySide6.QtCore import QObject, QUrl
from PySide6.QtWidgets import QApplication

from analysis.coaching import SPEAK_COOLDOWN_S, Cooldown, Cue

log = logging.getLogger(__name__)

CHIME_VOLUME = 0.8


def chime_path() -> Path:
    """The bundled chime, found through the ``ui`` package (a source checkout and an installed package alike)."""
    return Path(str(resources.files("ui") / "assets" / "chime.wav"))


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


def _sound_effect(parent: QObject, path: Path) -> QObject | None:
    """A QSoundEffect loading ``path``, or None where QtMultimedia, an audio output or the file is missing."""
    if not path.is_file():
        log.warning("chime %s is missing; cues will beep", path)
        return None
    try:
        from PySide6.QtMultimedia import QMediaDevices, QSoundEffect
    except (ImportError, OSError) as error:  # e.g. no libpulse on this system
        log.info("no QtMultimedia for the chime: %s", error)
        return None
    if not QMediaDevices.audioOutputs():
        log.info("no audio output for the chime")
        return None
    effect = QSoundEffect(parent)
    effect.setSource(QUrl.fromLocalFile(str(path)))  # loads in the background, long before the first cue
    effect.setVolume(CHIME_VOLUME)
    return effect


class Chime:
    """Plays the bundled chime (``voice`` "chime"), or the system beep (``voice`` "beep") where it cannot."""

    def __init__(self, parent: QObject, path: Path | None = None) -> None:
        self._effect = _sound_effect(parent, path or chime_path())

    @property
    def voice(self) -> str:
        return "beep" if self._failed() else "chime"

    def _failed(self) -> bool:
        if self._effect is None:
            return True
        if self._effect.status() == type(self._effect).Status.Error:  # e.g. a format the output cannot play
            log.info("chime failed to load; cues will beep")
            self._effect = None
            return True
        return False

    def __call__(self, _text: str) -> None:
        if self._failed():
            QApplication.beep()
        else:
            self._effect.play()  # asynchronous


class CueSpeaker(QObject):
    """Says cues aloud (on by default). ``say`` is a callable taking the text (tests pass a recorder).

    ``voice`` tells what is heard: "speech", "chime" (the bundled chime), "beep" (the system beep) or "custom".
    """

    def __init__(self, parent: QObject | None = None, *, say: Callable[[str], None] | None = None,
                 clock: Callable[[], float] = time.monotonic, cooldown_s: float = SPEAK_COOLDOWN_S) -> None:
        super().__init__(parent)
        if say is None:
            say = _text_to_speech(self) or Chime(self)
            self._voice = "speech" if not isinstance(say, Chime) else None
        else:
            self._voice = "custom"
        self._say = say
        self._clock = clock
        self._cooldown = Cooldown(cooldown_s)
        self.enabled = True

    @property
    def voice(self) -> str:
        return self._voice or self._say.voice  # the chime's turns into "beep" once its effect fails

    def say(self, text: str) -> bool:
        """Say ``text`` now (a guided check-up's instruction) unless speech is off; True if said."""
        if not self.enabled or not text:
            return False
        try:
            self._say(text)
        except Exception as error:  # noqa: BLE001 - a broken audio system must not stop the check-up
            log.warning("could not speak %r: %s", text, error)
            return False
        return True

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
