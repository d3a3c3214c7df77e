#!/usr/bin/env python3
"""Writes ui/assets/chime.wav, the short two-tone chime played for a cue where no speech engine exists.

    python tools/make_chime.py            write the file
    python tools/make_chime.py --check    exit 1 if the committed file differs from what this script makes

Deterministic (no randomness, fixed rounding), so the committed file can be checked against this script.
Two soft notes, G5 then C6 (a rising fourth), each a sine with a little second harmonic, a 6 ms attack and an
exponential decay; 16-bit mono PCM at 22050 Hz, 0.26 s, about 11 KB.
"""
from __future__ import annotations

import io
import sys
import wave
from pathlib import Path

import numpy as np

RATE_HZ = 22050
DURATION_S = 0.26
PEAK = 0.5  # of full scale: soft, yet heard across a room
NOTES = ((0.0, 783.99), (0.09, 1046.50))  # (start s, frequency Hz): G5, C6
ATTACK_S = 0.006
DECAY_S = 0.07  # time constant of the exponential decay
FADE_OUT_S = 0.02  # ends at exactly zero: no click
TARGET = Path(__file__).resolve().parents[1] / "ui" / "assets" / "chime.wav"


def samples() -> np.ndarray:
    t = np.arange(round(DURATION_S * RATE_HZ)) / RATE_HZ
    signal = np.zeros_like(t)
    for start, frequency in NOTES:
        local = t - start
        on = local >= 0
        envelope = np.where(on, np.minimum(local / ATTACK_S, 1.0) * np.exp(-np.clip(local, 0, None) / DECAY_S), 0.0)
        phase = 2 * np.pi * frequency * local
        signal += envelope * (np.sin(phase) + 0.15 * np.sin(2 * phase))
    signal *= np.clip((t[-1] - t) / FADE_OUT_S, 0.0, 1.0)
    signal *= PEAK / np.max(np.abs(signal))
    return np.round(signal * 32767).astype("<i2")


def wav_bytes() -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE_HZ)
        out.writeframes(samples().tobytes())
    return buffer.getvalue()


def main(argv: list[str]) -> int:
    data = wav_bytes()
    if argv[:1] == ["--check"]:
        same = TARGET.is_file() and TARGET.read_bytes() == data
        print(f"{TARGET}: {'up to date' if same else 'differs from tools/make_chime.py'}")
        return 0 if same else 1
    TARGET.write_bytes(data)
    print(f"wrote {TARGET} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
