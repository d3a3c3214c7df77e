"""Text sizes for reading from where the walker is, not from the chair.

The rule: text the walker must read has a cap height (the height of a capital letter) of at least 1/200 of the
reading distance (15 mm at 3 m, a visual angle of 0.29 deg: what signage guidance asks for text read at a
glance), secondary text at least 1/300 (10 mm at 3 m). Pixels follow from the screen's physical dots per inch
(Qt's ``QScreen.physicalDotsPerInch``, from the monitor's own size), so a 15.6" 1080p laptop (141 dpi) and a
27" 1080p monitor (82 dpi) get the same millimetres.
"""
from __future__ import annotations

from PySide6.QtGui import QFont, QFontMetricsF
from PySide6.QtWidgets import QWidget

READING_DISTANCE_M = 3.0  # the walker's distance from the screen in coach mode
PRIMARY_CAP_PER_DISTANCE = 1 / 200  # the cue, tile figures and state words
SECONDARY_CAP_PER_DISTANCE = 1 / 300  # the cue's detail line, tile titles, knee labels
FALLBACK_DPI = 96.0  # when the screen does not know its size (virtual displays report nonsense)
PLAUSIBLE_DPI = (50.0, 400.0)
MM_PER_INCH = 25.4


def screen_dpi(widget: QWidget) -> float:
    """Physical dots per inch of the screen ``widget`` is on (``FALLBACK_DPI`` if implausible)."""
    screen = widget.screen()
    dpi = screen.physicalDotsPerInch() if screen is not None else 0.0
    return dpi if PLAUSIBLE_DPI[0] <= dpi <= PLAUSIBLE_DPI[1] else FALLBACK_DPI


def cap_height_mm(font: QFont, dpi: float) -> float:
    """The cap height of ``font`` on a screen of ``dpi``, in millimetres."""
    return QFontMetricsF(font).capHeight() / dpi * MM_PER_INCH


def font_px_for_cap_mm(cap_mm: float, dpi: float, font: QFont | None = None) -> int:
    """The smallest pixel size of ``font`` (default: the application's) whose cap height is at least ``cap_mm``."""
    probe = QFont(font) if font is not None else QFont()
    probe.setPixelSize(100)
    cap_per_px = QFontMetricsF(probe).capHeight() / 100.0
    return int(-(-cap_mm / MM_PER_INCH * dpi // cap_per_px))  # ceiling


def reading_font_px(widget: QWidget, *, primary: bool = True, distance_m: float = READING_DISTANCE_M) -> int:
    """Pixel size for text on ``widget``'s screen read from ``distance_m`` (primary or secondary text)."""
    ratio = PRIMARY_CAP_PER_DISTANCE if primary else SECONDARY_CAP_PER_DISTANCE
    return font_px_for_cap_mm(distance_m * 1000.0 * ratio, screen_dpi(widget), widget.font())
