"""Guards against a PySide6 release whose signal emit loses references to True (6.12.0 aborts the app).

pyproject.toml excludes that release; this test catches it if a later release still has the bug.
"""
from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    number = Signal(int)
    anything = Signal(object)


def test_signal_emit_keeps_reference_counts_of_true_and_none():
    emitter = _Emitter()
    received = []
    emitter.number.connect(received.append)
    before = sys.getrefcount(True), sys.getrefcount(None)
    for i in range(200):
        emitter.number.emit(i)
        emitter.anything.emit(i)
    after = sys.getrefcount(True), sys.getrefcount(None)
    assert len(received) == 200
    # A few references may come and go; the broken release loses one per emit (400 here).
    assert after[0] >= before[0] - 20 and after[1] >= before[1] - 20, (before, after)
