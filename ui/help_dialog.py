"""The Help panel (F1): the safety note and what every figure means, how it is measured, its usual range and
what to do about it (``ui.help_text``)."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout

from ui.help_text import SAFETY_NOTE, help_html

HELP_FONT_PX = 17


class HelpDialog(QDialog):
    """Non-modal: it can stay open beside the live window."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("GaitCoach help: what the figures mean")
        self.browser = QTextBrowser()
        self.browser.setHtml(help_html())
        self.browser.setStyleSheet(f"font-size: {HELP_FONT_PX}px;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(760, 640)


class SafetyNote(QDialog):
    """Shown at first start (non-modal): coaching, not a diagnosis."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Before you start")
        self.text = QTextBrowser()
        self.text.setHtml(f"<h2>Before you start</h2><p>{SAFETY_NOTE}</p><p>F1 explains every figure.</p>")
        self.text.setStyleSheet(f"font-size: {HELP_FONT_PX + 3}px;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("I understand")
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.resize(640, 360)
