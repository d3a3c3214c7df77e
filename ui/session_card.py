"""The card shown when a session stops: what it came to, in plain figures, with "Open in review" and "Export…".

Read on the way back to the laptop, so the text is large; non-modal, so the coaching goes on behind it.
"""
from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from analysis.rules import KNEE_VALGUS, PELVIC_DROP, cue_thresholds_with
from analysis.trends import SessionFigures
from gaitcoach.display_text import duration_text, figure_text
from gaitcoach.live import SessionEnded

MISSING = "\u2013"
CARD_FONT_PX = 20  # read from arm's length after walking back to the laptop
TITLE_FONT_PX = 30


def _whole(value: float) -> str:
    return str(round(value)) if math.isfinite(value) else MISSING  # round(): never "-0"


def _pair(left: float, right: float, aim: float, unit: str, words: tuple[str, str]) -> str:
    if not (math.isfinite(left) or math.isfinite(right)):
        return f"{MISSING} (walk toward or away from the camera to measure it)"
    return f"{words[0]} {_whole(left)}{unit}, {words[1]} {_whole(right)}{unit} (aim below {aim:g}{unit})"


def card_rows(ended: SessionEnded) -> list[tuple[str, str]]:
    """The card's (label, text) rows for a session that ended."""
    session = ended.session
    figures = SessionFigures.from_summary(session.summary)
    thresholds = cue_thresholds_with(session.config.cue_thresholds)
    duration_s = ended.walked_s
    symmetry = figures.step_time_symmetry.text(missing=f"{MISSING} (more steps needed: 6 a side)")
    cues = ", ".join(cue.text + (f" (\u00d7{times})" if times > 1 else "") for cue, times in ended.cues)
    return [
        ("Duration", duration_text(duration_s) + " min" if math.isfinite(duration_s) else MISSING),
        ("Steps", str(figures.step_count)),
        ("Cadence", f"{figure_text(figures.cadence_steps_per_min, '.0f', MISSING)} steps/min"),
        ("Step-time difference", symmetry),
        ("Knees (+ = in)", _pair(figures.knee_fppa_left_deg, figures.knee_fppa_right_deg,
                                 thresholds[KNEE_VALGUS.key], KNEE_VALGUS.unit_symbol, ("left", "right"))),
        ("Pelvic drop", _pair(figures.pelvic_drop_left_deg, figures.pelvic_drop_right_deg,
                              thresholds[PELVIC_DROP.key], PELVIC_DROP.unit_symbol,
                              ("on the left leg", "on the right leg"))),
        ("Cues given", cues or "none: nothing to correct"),
        ("Data", "; ".join(ended.data_notes) or "good"),
    ]


class SessionCard(QDialog):
    """A stopped session's figures. ``review`` and ``export`` (None: not offered) act on the stored session."""

    export_finished = Signal(str)  # a line for the card's status (from the export thread)

    def __init__(self, ended: SessionEnded, saved_text: str, review: Callable[[], None] | None,
                 export: Callable[[], None] | None, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Session summary")
        self.setModal(False)
        self.rows = card_rows(ended)
        layout = QVBoxLayout(self)
        self.title = QLabel(saved_text)
        self.title.setStyleSheet(f"font-size: {TITLE_FONT_PX}px; font-weight: bold;")
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        for row, (label, text) in enumerate(self.rows):
            name, value = QLabel(label), QLabel(text)
            name.setStyleSheet(f"font-size: {CARD_FONT_PX}px; color: #555555;")
            value.setStyleSheet(f"font-size: {CARD_FONT_PX}px;")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(name, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(value, row, 1)
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        buttons = QHBoxLayout()
        self.review_button = QPushButton("Open in review")
        self.export_button = QPushButton("Export CSV\u2026")
        close = QPushButton("Close")
        for button, action in ((self.review_button, review), (self.export_button, export)):
            button.setEnabled(action is not None)
            if action is not None:
                button.clicked.connect(action)
        close.clicked.connect(self.close)
        buttons.addStretch(1)
        for button in (self.review_button, self.export_button, close):
            button.setMinimumHeight(48)
            button.setStyleSheet(f"font-size: {CARD_FONT_PX}px; padding: 4px 16px;")
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.export_finished.connect(self.status.setText)
        self.setMinimumWidth(720)
