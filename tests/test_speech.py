"""Spoken cues' fallback: the bundled chime is a valid, reproducible WAV found through the ``ui`` package, the
speaker picks speech, the chime or the system beep by what this machine can load, and never raises or blocks."""
from __future__ import annotations

import importlib.util
import os
import time
import tomllib
import wave
from fnmatch import fnmatch
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

import ui  # noqa: E402
from analysis.coaching import SETUP_CUES  # noqa: E402
from ui.speech import Chime, CueSpeaker, chime_path  # noqa: E402

PROJECT_DIR = Path(__file__).resolve().parents[1]


def test_chime_is_a_short_soft_mono_16bit_wav():
    path = chime_path()
    with wave.open(str(path), "rb") as chime:
        assert (chime.getnchannels(), chime.getsampwidth(), chime.getframerate()) == (1, 2, 22050)
        assert chime.getcomptype() == "NONE"
        duration_s = chime.getnframes() / chime.getframerate()
        samples = np.frombuffer(chime.readframes(chime.getnframes()), dtype="<i2").astype(float) / 32768
    assert 0.15 <= duration_s <= 0.4
    assert path.stat().st_size < 16_000
    peak = np.abs(samples).max()
    assert 0.3 <= peak <= 0.7  # heard across a room, never clipped
    assert abs(samples[0]) < 0.01 and abs(samples[-1]) < 0.01  # no click at either end
    spectrum = np.abs(np.fft.rfft(samples))
    frequencies = np.fft.rfftfreq(samples.size, 1 / 22050)
    assert 500 <= frequencies[np.argmax(spectrum)] <= 1500  # a soft tone, not a buzz or a hiss


def test_chime_is_what_the_committed_generator_makes():
    spec = importlib.util.spec_from_file_location("make_chime", PROJECT_DIR / "tools" / "make_chime.py")
    make_chime = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_chime)
    assert make_chime.TARGET == chime_path()
    assert make_chime.wav_bytes() == chime_path().read_bytes()


def test_chime_ships_inside_the_ui_package():
    """Found next to ``ui`` (a source checkout and an installed package alike) and named by the package data."""
    assert chime_path() == Path(ui.__file__).parent / "assets" / "chime.wav"
    setuptools = tomllib.loads((PROJECT_DIR / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert "ui.assets" in setuptools["packages"]
    assert any(fnmatch("chime.wav", pattern) for pattern in setuptools["package-data"].get("ui.assets", []))


def _loads(module: str) -> bool:
    try:
        __import__(f"PySide6.{module}")
    except (ImportError, OSError):
        return False
    return True


def expected_voice() -> str:
    """What this machine should use, found independently of ``ui.speech``."""
    if _loads("QtTextToSpeech"):
        from PySide6.QtTextToSpeech import QTextToSpeech

        if QTextToSpeech.availableEngines() and QTextToSpeech().state() != QTextToSpeech.State.Error:
            return "speech"  # an engine that starts (with libpulse but no speech daemon, the default one fails)
    if _loads("QtMultimedia"):
        from PySide6.QtMultimedia import QMediaDevices

        if QMediaDevices.audioOutputs():
            return "chime"
    return "beep"


@pytest.fixture
def beeps(monkeypatch) -> list[int]:
    calls = []
    monkeypatch.setattr(QApplication, "beep", staticmethod(lambda: calls.append(1)))
    return calls


def test_this_machine_speaks_through_the_voice_it_can_load_and_never_blocks(qtbot, beeps, capsys):
    speaker = CueSpeaker()
    expected = expected_voice()
    with capsys.disabled():
        print(f"\nspoken cues on this machine: {speaker.voice}")
    if expected == "chime":  # the effect loads in the background; a format the output rejects turns it to beep
        qtbot.waitUntil(lambda: speaker._say._effect is None or speaker._say._effect.isLoaded(), timeout=3000)
        assert speaker.voice in ("chime", "beep")
    else:
        assert speaker.voice == expected
    cues = list(SETUP_CUES.values())[:3]
    started = time.perf_counter()
    assert all(speaker.speak(cue) for cue in cues)
    assert time.perf_counter() - started < 0.1  # asynchronous: the UI thread never waits for the sound
    assert len(beeps) == (len(cues) if speaker.voice == "beep" else 0)


def test_chime_without_its_file_or_with_a_broken_one_beeps(qtbot, beeps, tmp_path):
    missing = Chime(None, tmp_path / "missing.wav")
    assert missing.voice == "beep"
    missing("Knees out")
    assert beeps == [1]
    broken_path = tmp_path / "broken.wav"
    broken_path.write_bytes(b"RIFF\x00\x00\x00\x00WAVEnot really")
    broken = Chime(None, broken_path)
    qtbot.waitUntil(lambda: broken.voice == "beep" or broken._effect.status().name != "Loading", timeout=3000)
    qtbot.wait(50)
    assert broken.voice == "beep"  # the effect reports Error: the beep, never an exception
    broken("Knees out")
    assert beeps == [1, 1]
