"""The one large cue banner: readable from 5 m. Its height follows the window (about 1/8 of it)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QVBoxLayout

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
        for label in (self.text_label, self.detail_label):
            label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self._key: object = ()
        self._reading_width_px: int | None = None  # coach mode: the text wraps to this width
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
        self.detail_label.setVisible(bool(self.detail_label.text()))
        self.setStyleSheet(f"#cueBanner {{ background: {css(colour)}; border-radius: 10px; }}")
        self.setVisible(cue is not None or bool(idle_text))  # no empty box when there is nothing to say
        self._fit_height()

    def set_banner_height(self, height_px: int) -> None:
        """At the window: text as a fraction of the banner's height, one line each."""
        self._reading_width_px = None
        self._set_fonts(max(12, int(height_px * TEXT_FRACTION)), max(12, int(height_px * DETAIL_FRACTION)))
        for label in (self.text_label, self.detail_label):
            label.setWordWrap(False)
        self.setFixedHeight(height_px)

    def set_font_px(self, text_px: int, detail_px: int, width_px: int) -> None:
        """Coach mode: text of these pixel sizes (``ui.reading``), wrapped to ``width_px``; the banner as tall as
        the cue shown needs."""
        self._reading_width_px = width_px
        self._set_fonts(text_px, detail_px)
        for label in (self.text_label, self.detail_label):
            label.setWordWrap(True)
        self._fit_height()

    def _set_fonts(self, text_px: int, detail_px: int) -> None:
        for label, size in ((self.text_label, text_px), (self.detail_label, detail_px)):
            font = label.font()
            font.setPixelSize(size)
            font.setBold(label is self.text_label)
            label.setFont(font)

    def _fit_height(self) -> None:
        if self._reading_width_px is None:
            return
        text_width = self._reading_width_px - 24  # the layout's margins
        height = sum(label.heightForWidth(text_width) for label in (self.text_label, self.detail_label)
                     if label.text())
        self.setFixedHeight(height + 8)
