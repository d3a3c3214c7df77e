"""The pain diary's question: how much does it hurt, and where (0-10), before or after a walk or on any day.

Never required: Esc (or "Skip") closes it without a note; Enter saves what was given. A site left at "–" is not
noted (no pain noted is not the same as 0).
"""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QGridLayout, QLabel, QLineEdit, QVBoxLayout, QWidget,
)

from analysis.pain import AFTER, BEFORE, NOTE_MAX_CHARS, PAIN_MAX, PAIN_MIN, SITES, PainNote

NOT_NOTED = "\u2013"
QUESTIONS = {BEFORE: "Before you walk: how much does it hurt?", AFTER: "After your walk: how much does it hurt?"}
DAY_QUESTION = "How much does it hurt today?"


class PainDialog(QDialog):
    """Asks for each site's pain (0 = none, 10 = the worst imaginable) and a short note."""

    def __init__(self, when: str, parent: QWidget | None = None, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.when = when
        self.today = today or dt.date.today()
        self.setWindowTitle("Pain diary")
        self.setStyleSheet("QLabel, QComboBox, QLineEdit, QPushButton { font-size: 18px; }")
        question = QLabel(QUESTIONS.get(when, DAY_QUESTION))
        question.setStyleSheet("font-size: 22px; font-weight: bold;")
        hint = QLabel("0 = no pain, 10 = the worst you can imagine. Leave a place at \u2013 to skip it. "
                      "Esc skips the whole question.")
        hint.setWordWrap(True)
        grid = QGridLayout()
        self.scores: dict[str, QComboBox] = {}
        for row, (site, label) in enumerate(SITES.items()):
            picker = QComboBox()
            picker.addItem(NOT_NOTED, None)
            for score in range(PAIN_MIN, PAIN_MAX + 1):
                picker.addItem(str(score), score)
            grid.addWidget(QLabel(label), row, 0)
            grid.addWidget(picker, row, 1)
            self.scores[site] = picker
        self.note = QLineEdit()
        self.note.setMaxLength(NOTE_MAX_CHARS)
        self.note.setPlaceholderText("A short note (optional): e.g. stairs at work, new shoes")
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton("Save", QDialogButtonBox.ButtonRole.AcceptRole)
        self.skip_button = buttons.addButton("Skip", QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(question)
        layout.addWidget(hint)
        layout.addLayout(grid)
        layout.addWidget(self.note)
        layout.addWidget(buttons)
        self.setWindowModality(Qt.WindowModality.NonModal)  # the live window goes on (Space, F11) behind it

    def notes(self) -> list[PainNote]:
        """The notes given (one per site with a score; the note goes with each)."""
        note = self.note.text().strip()
        return [PainNote(self.today.isoformat(), self.when, site, int(picker.currentData()), note)
                for site, picker in self.scores.items() if picker.currentData() is not None]
