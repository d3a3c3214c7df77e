"""The one large cue banner: readable from 5 m. Its height follows the window (about 1/8 of it)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout

from analysis.coaching import Cue
from ui.palette import CUE_STYLES, css

BANNER_HEIGHT_FRACTION = 1 / 8  # of the window height
TEXT_FRACTION = 0.46  # main line: this fraction of the banner's height
DETAIL_FRACTION = 0.2
IDLE_TEXT = "Keep walking"


class CueBanner(QFrame):
    """Shows the coach's current cue: symbol + short text, a smaller detail line; calm grey when there is none."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("cueBanner")
        self.text_label = QLabel()
        self.detail_label = QLabel()
        for label in (self.text_label, self.detail_label):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setStyleSheet("color: white; background: transparent;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 2, 12, 2)
        layout.setSpacing(0)
        layout.addWidget(self.text_label, 3)
        layout.addWidget(self.detail_label, 1)
        self._key: object = ()
        self.show_cue(None, idle_text="")

    @property
    def text(self) -> str:
        return self.text_label.text()

    def show_cue(self, cue: Cue | None, idle_text: str = IDLE_TEXT) -> None:
        """Only touches the widgets when what is shown changes (called every frame)."""
        key = (cue, idle_text)
        if key == self._key:
            return
        self._key = key
        colour, symbol = CUE_STYLES[cue.kind if cue is not None else None]
        self.text_label.setText(f"{symbol} {cue.text}" if cue is not None else idle_text)
        self.detail_label.setText(cue.detail if cue is not None else "")
        self.setStyleSheet(f"#cueBanner {{ background: {css(colour)}; border-radius: 10px; }}")

    def set_banner_height(self, height_px: int) -> None:
        self.setFixedHeight(height_px)
        for label, fraction in ((self.text_label, TEXT_FRACTION), (self.detail_label, DETAIL_FRACTION)):
            font = label.font()
            font.setPixelSize(max(12, int(height_px * fraction)))
            font.setBold(label is self.text_label)
            label.setFont(font)
