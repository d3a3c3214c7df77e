"""Big metric tiles: cadence, step-time difference, knee alignment left/right, pelvic drop, step length.

Slow text: the window refreshes them about once a second so people can read them while walking.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from analysis.coaching import STATE_FAULT, STATE_OK, STATE_UNKNOWN, STATE_WATCH, RuleStatus
from analysis.summary import SymmetryIndex
from analysis.rules import KNEE_VALGUS, PELVIC_DROP, STEP_SYMMETRY, UNIT_SYMBOLS
from analysis.types import LEFT, RIGHT
from gaitcoach.live import SUMMARY_WINDOW_S, LiveUpdate, rule_key
from ui.help_text import FIGURE_HELP_FOR_TILE, FIGURES
from ui.palette import FOOT_LETTER, PANEL, STATE_STYLES, css

NO_VALUE = "\u2013"  # en dash: not measured (never a fake 0)


@dataclass(frozen=True)
class TileSpec:
    """One tile: where its figure comes from and how to say its state.

    ``value`` maps an update to (value, unit); ``rule`` names the coach's rule (``LiveUpdate.rules`` key) whose
    state the tile shows, in ``words`` (a state without a word of its own says its palette word, e.g. WATCH);
    ``missing`` says why there is no value yet; ``interval`` (optional) maps an update to the value's interval as
    text, shown beside it; ``other_side`` prefixes a fault's word with the side opposite its feet ("R HIP DROPS"
    when standing on the left leg).
    """

    key: str
    title: str
    value: Callable[[LiveUpdate], tuple[float, str]]
    digits: int
    rule: str | None = None
    words: Mapping[str, str] | None = None
    missing: str = ""
    interval: Callable[[LiveUpdate], str] | None = None
    other_side: bool = False

    def state_word(self, status: RuleStatus) -> str:
        word = self.words.get(status.state, STATE_STYLES[status.state].word)
        if self.other_side and status.state == STATE_FAULT and status.fault_feet:
            sides = "/".join(FOOT_LETTER[RIGHT if foot == LEFT else LEFT] for foot in status.fault_feet)
            word = f"{sides} {word}"
        return word


def _summary(metric: str, unit: str):
    return lambda update: (update.summary[metric].overall if metric in update.summary else math.nan, unit)


def _rule(key: str, unit: str):
    return lambda update: (update.rules[key].recent_value if key in update.rules else math.nan, unit)


def _symmetry_interval(update: LiveUpdate) -> str:
    status = update.rules.get(STEP_SYMMETRY.key)
    if status is None:
        return ""
    return SymmetryIndex(status.recent_value, status.recent_low, status.recent_high).interval_text()


def _step_length(update: LiveUpdate) -> tuple[float, str]:
    metres, _ = _summary("step_length_m", "m")(update)
    return (metres, "m") if math.isfinite(metres) else _summary("step_length_leg", "leg lengths")(update)


def _rule_tile(key: str, title: str, rule, words: Mapping[str, str], missing: str, foot: str | None = None,
               **extra) -> TileSpec:
    """A tile showing a coaching rule's recent value (in its unit, ``analysis.rules``) and state."""
    status_key = rule_key(rule.key, foot)
    return TileSpec(key, title, _rule(status_key, rule.unit_symbol), 0, status_key, words, missing, **extra)


VALUE_OVER_PRIMARY = 1.3  # in coach mode the figure is a little larger than the reading minimum
LINE_SPACING = 1.3  # a line's height over its font's pixel size
# Coach mode: the tiles that matter in each kind of view, most important first (as many as fit are shown).
COACH_TILES = {
    "frontal": ("knee_left", "knee_right", "symmetry"),
    "side": ("symmetry", "cadence", "step_length"),
    "unknown": ("symmetry", "cadence"),
}
KNEE_WORDS = {STATE_OK: "OK", STATE_FAULT: "IN"}
TILES: tuple[TileSpec, ...] = (
    TileSpec("cadence", "Cadence", _summary("cadence_last_10_steps_per_min", "steps/min"), 0,
             missing="walk a few steps"),
    # The tile says what the cue says: a difference between the feet's step times (higher is more uneven).
    _rule_tile("symmetry", STEP_SYMMETRY.label, STEP_SYMMETRY,
               {STATE_OK: "EVEN", STATE_FAULT: "UNEVEN", STATE_WATCH: "NOT SURE"}, "more steps needed",
               interval=_symmetry_interval),
    _rule_tile("knee_left", "Left knee", KNEE_VALGUS, KNEE_WORDS, "walk toward the camera", LEFT),
    _rule_tile("knee_right", "Right knee", KNEE_VALGUS, KNEE_WORDS, "walk toward the camera", RIGHT),
    _rule_tile("pelvic_drop", "Pelvic drop", PELVIC_DROP, {STATE_OK: "LEVEL", STATE_FAULT: "HIP DROPS"},
               "walk toward the camera", other_side=True),
    TileSpec("step_length", "Step length", _step_length, 2, missing="walk across the camera"),
)


class MetricTile(QFrame):
    """Title (small), value with unit (large), state with shape and word (medium); text sized to fit the tile."""

    TITLE_FRACTION, VALUE_FRACTION, STATE_FRACTION = 0.15, 0.38, 0.15  # of the tile's height
    UNIT_SCALE = 0.4  # unit text relative to the value's (degrees stay full size, glued to the number)
    INTERVAL_SCALE = 0.55  # an interval beside the value: secondary, still readable from a few metres

    def __init__(self, spec: TileSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.setObjectName("metricTile")
        self.setStyleSheet(f"#metricTile {{ background: {css(PANEL)}; border-radius: 10px; }}")
        self.setToolTip(FIGURES[FIGURE_HELP_FOR_TILE[spec.key]].tooltip())
        self.title_label = QLabel(spec.title)
        self.value_label = QLabel(NO_VALUE)
        self.state_label = QLabel("")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 4, 10, 4)
        layout.setSpacing(0)
        for label, stretch in ((self.title_label, 2), (self.value_label, 5), (self.state_label, 2)):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(label, stretch)
        self.title_label.setStyleSheet("color: #dddddd; background: transparent;")
        self.value_label.setStyleSheet("color: white; background: transparent;")
        self._shown: tuple[str, str, str, str, str] = (NO_VALUE, "", "", "#aaaaaa", "")  # value, unit, state,
        # colour, interval
        self.reading_px: tuple[int, int] | None = None  # coach mode: (primary, secondary) text px (ui.reading)

    def show_values(self, update: LiveUpdate | None) -> None:
        """Refresh from ``update`` (None: nothing measured); redraws only when the text changes."""
        spec = self.spec
        value, unit = spec.value(update) if update is not None else (math.nan, "")
        status = update.rules[spec.rule] if update is not None and spec.rule else None
        state = status.state if status is not None else STATE_UNKNOWN
        measured = math.isfinite(value)
        text = _number(value, spec.digits) if measured else NO_VALUE
        interval = spec.interval(update) if spec.interval is not None and update is not None and measured else ""
        if state == STATE_UNKNOWN or (not measured and spec.interval is not None):
            note = spec.missing if not measured else (f"last {SUMMARY_WINDOW_S:.0f} s" if spec.rule is None else "")
            shown = (text, unit if measured else "", note, "#aaaaaa", interval)
        else:
            style = STATE_STYLES[state]
            shown = (text, unit if measured else "", f"{style.glyph} {spec.state_word(status)}", css(style.colour),
                     interval)
        if shown != self._shown:
            self._shown = shown
            self._render()

    def _render(self) -> None:
        text, unit, state, colour, interval = self._shown
        width, height = max(1, self.contentsRect().width() - 8), max(1, self.height())
        title_px, value_px, state_px = (height * self.TITLE_FRACTION, height * self.VALUE_FRACTION,
                                        height * self.STATE_FRACTION)
        if self.reading_px is not None:  # coach mode: the sizes read from the walker's distance (ui.reading), not
            # fractions of the tile, whose height those very sizes set
            primary, secondary = self.reading_px
            title_px, value_px, state_px = secondary, primary * VALUE_OVER_PRIMARY, primary
        _fit(self.title_label, ((self.spec.title, 1.0),), title_px, width)
        glued = not unit or unit == UNIT_SYMBOLS["deg"]
        # With an interval the unit reads with it, at its size: "23 % (18-28)".
        small, scale = (f" {unit} {interval}", self.INTERVAL_SCALE) if interval else (" " + unit, self.UNIT_SCALE)
        parts = ((text + unit, 1.0),) if glued else ((text, 1.0), (small, scale))
        value_px = _fit(self.value_label, parts, value_px, width)
        if glued:
            self.value_label.setText(text + unit)
        else:
            self.value_label.setText(f"{text}<span style='font-size:{max(10, int(value_px * scale))}px'>{small}</span>")
        _fit(self.state_label, ((state, 1.0),), state_px, width)
        self.state_label.setText(state)
        bold = "font-weight: bold;" if colour != "#aaaaaa" else ""
        self.state_label.setStyleSheet(f"color: {colour}; background: transparent; {bold}")

    @property
    def value_text(self) -> str:
        return self._shown[0]

    @property
    def state_text(self) -> str:
        return self._shown[2]

    @property
    def interval_text(self) -> str:
        return self._shown[4]

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt naming
        super().resizeEvent(event)
        self._render()


def tile_height_px(primary_px: int, secondary_px: int) -> int:
    """A tile's height for text at reading sizes: title, value, state word, each with its line spacing."""
    return int(LINE_SPACING * (secondary_px + VALUE_OVER_PRIMARY * primary_px + primary_px)) + 8


def _number(value: float, digits: int) -> str:
    """``value`` rounded to ``digits``, never "-0"."""
    text = f"{value:.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def _fit(label: QLabel, parts: tuple[tuple[str, float], ...], wanted_px: float, width_px: float) -> int:
    """Give ``label`` the largest font up to ``wanted_px`` in which its text fits ``width_px``; returns the size.

    ``parts``: the text as (piece, size relative to the font) pairs, e.g. a value and its smaller unit.
    """
    font = label.font()
    size = max(10, int(wanted_px))
    font.setPixelSize(size)
    metrics = QFontMetricsF(font)
    text_width = sum(scale * metrics.horizontalAdvance(piece) for piece, scale in parts if piece)
    if text_width > width_px:
        size = max(10, int(size * width_px / text_width))
        font.setPixelSize(size)
    label.setFont(font)
    return size


class MetricTiles(QWidget):
    """The six tiles in a 2 x 3 grid; in coach mode a few of them, one above the other, in reading sizes."""

    SPACING_PX = 8

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tiles = {spec.key: MetricTile(spec) for spec in TILES}
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(self.SPACING_PX)
        self.coach_keys: tuple[str, ...] | None = None
        self._place(tuple(self.tiles))

    def _place(self, keys: tuple[str, ...]) -> None:
        for tile in self.tiles.values():
            self._grid.removeWidget(tile)
            tile.setVisible(tile.spec.key in keys)
        columns = 2 if self.coach_keys is None else 1
        for i, key in enumerate(keys):
            self._grid.addWidget(self.tiles[key], i // columns, i % columns)

    def set_coach(self, keys: tuple[str, ...] | None, reading_px: tuple[int, int] | None = None) -> None:
        """Coach mode: only the tiles ``keys``, in one column, text at least ``reading_px`` (primary, secondary);
        None: all six again, sized to their tiles."""
        if keys == self.coach_keys and all(t.reading_px == reading_px for t in self.tiles.values()):
            return
        self.coach_keys = keys
        for tile in self.tiles.values():
            tile.reading_px = reading_px
        self._place(keys if keys is not None else tuple(self.tiles))
        for tile in self.tiles.values():
            tile._render()

    @staticmethod
    def tiles_that_fit(height_px: int, reading_px: tuple[int, int], wanted: int) -> int:
        """How many coach-mode tiles (at most ``wanted``; 0 when not even one fits, the video then takes the room)
        fit one above the other in ``height_px`` with their text at reading sizes."""
        tile = tile_height_px(*reading_px) + MetricTiles.SPACING_PX
        return max(0, min(wanted, (height_px + MetricTiles.SPACING_PX) // tile))

    def show_update(self, update: LiveUpdate | None) -> None:
        """About once a second (and None to clear); skipped while hidden."""
        if update is not None and not self.isVisible():
            return
        for tile in self.tiles.values():
            tile.show_values(update)

    def clear(self) -> None:
        self.show_update(None)
