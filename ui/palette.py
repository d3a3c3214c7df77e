"""Colours, shapes and words for states, shared by every widget: the Okabe-Ito palette (safe for colour-blind
viewers), and never colour alone: each state also has a shape and a word."""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor

from analysis.coaching import FAULT, PRAISE, SETUP, STATE_FAULT, STATE_OK, STATE_UNKNOWN, STATE_WATCH
from analysis.types import LEFT, RIGHT

# Okabe M, Ito K (2008). Color Universal Design.
ORANGE = QColor(230, 159, 0)
SKY_BLUE = QColor(86, 180, 233)
BLUISH_GREEN = QColor(0, 158, 115)
YELLOW = QColor(240, 228, 66)
BLUE = QColor(0, 114, 178)
VERMILLION = QColor(213, 94, 0)
REDDISH_PURPLE = QColor(204, 121, 167)
GREY = QColor(150, 150, 150)
WHITE = QColor(255, 255, 255)
BACKGROUND = QColor(24, 24, 27)
PANEL = QColor(38, 38, 44)

FOOT_COLOUR = {LEFT: SKY_BLUE, RIGHT: ORANGE}  # charts: left solid sky blue, right dashed/hatched orange
FOOT_LETTER = {LEFT: "L", RIGHT: "R"}


@dataclass(frozen=True)
class StateStyle:
    colour: QColor
    glyph: str  # a shape, in text
    word: str  # default word; tiles name the state per figure (e.g. "IN" for a knee)


STATE_STYLES: dict[str, StateStyle] = {
    STATE_OK: StateStyle(BLUISH_GREEN, "\u25cf", "OK"),  # filled circle
    STATE_FAULT: StateStyle(VERMILLION, "\u25b2", "CHECK"),  # filled triangle
    # Past the aim but not (yet) a pattern, or a fault whose figure is back within the aim: neither OK nor cued.
    STATE_WATCH: StateStyle(YELLOW, "\u25c6", "WATCH"),  # filled diamond
    STATE_UNKNOWN: StateStyle(GREY, "\u25cb", "--"),  # hollow circle
}

# Cue banner: background by cue kind, with a leading symbol so that the kind is not told by colour alone.
CUE_STYLES: dict[str | None, tuple[QColor, str]] = {
    FAULT: (VERMILLION, "\u25b2"),
    SETUP: (BLUE, "\u25a0"),  # square
    PRAISE: (BLUISH_GREEN, "\u2714"),  # check mark
    None: (PANEL, ""),
}


def css(colour: QColor) -> str:
    return colour.name()
