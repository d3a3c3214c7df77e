"""The review window: stored sessions in a table; for the selected one, its charts and the cues it showed; a
progress view across sessions; CSV export and PNG export of each chart.

Open it with ``ReviewWindow(store).show()`` (the live window's Review button) or ``gaitcoach sessions review``.
Reading a session for the charts happens on the UI thread, on demand (a few tens of ms for a long session); the
CSV export runs on a thread of its own with its own connection; the window writes to the database only to delete
a session or to say who walked in it.
"""
from __future__ import annotations

import datetime as dt
import math
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QInputDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from analysis.results import StepMetrics
from analysis.rules import DEFAULT_CUE_THRESHOLDS, KNEE_VALGUS, PELVIC_DROP, STEP_SYMMETRY, CoachingRule
from analysis.thresholds import CADENCE_WINDOW_STEPS, SYMMETRY_MIN_STEPS_PER_SIDE
from analysis.trends import (
    SYMMETRY_WINDOW_STEPS, compare_sessions, foot_series, progress_sentence, rolling_step_time_symmetry,
)
from analysis.types import LEFT, RIGHT
from gaitcoach.export import ExportError, export_session
from analysis.checkup import SINGLE_LEG_SQUAT, STANDING_ALIGNMENT, STANDING_POSTURE, CheckupRow
from analysis.pain import highest_pain_by_day
from gaitcoach.store import (CHECKUP_KIND, DEFAULT_PERSON, INTERRUPTED, RECORDING, SessionInfo, SessionStore,
                             StoreError, duration_text, figure_text)
from ui import palette
from ui.help_text import FIGURES

# Okabe-Ito colours (safe for colour-blind viewers), as in the live window: left blue and solid with circles,
# right orange and dashed with triangles (never colour alone), thresholds vermillion and dotted. Darker blue than
# the live window's sky blue, because review charts are drawn on white (printable PNGs).
FOOT_STYLE = {  # colour, line, symbol, the symbol in text (for the legend in the title), name
    LEFT: (palette.BLUE, Qt.PenStyle.SolidLine, "o", "\u25cf", "left"),
    RIGHT: (palette.ORANGE, Qt.PenStyle.DashLine, "t", "\u25bc", "right"),
}
THRESHOLD_COLOUR = palette.VERMILLION
LINE_COLOUR = palette.BLUISH_GREEN
TEXT_COLOUR = "#222222"
DAY_S = 86400.0
SINGLE_POINT_PAD_DAYS = 3.0  # a progress chart with one session shows a week around it
AXIS_FONT_PX = 13
TITLE_FONT_PX = 16
NO_SESSIONS_TEXT = ("No sessions yet. Walk in front of the camera in the live window, or store a video's analysis "
                    "with `gaitcoach analyze VIDEO --save`.")
REPORT_WEEKS = 8  # a report's trend: the person's sessions of the 8 weeks before the one reported
MIN_STEPS_TO_CHART = 4  # fewer steps of a figure (a turn seen side-on in a frontal walk) are not charted
NOBODY = "Nobody (not in anyone's progress)"
NOT_MEASURED = {  # figures of one view, said in one line when a session has none: chart key -> (figure, how)
    "knee-fppa": ("knee alignment", "walk toward or away from the camera"),
    "pelvic-drop": ("pelvic drop", "walk toward or away from the camera"),
    "step-length": ("step length", "walk across the camera's view, not on a treadmill"),
}
COLUMN_HELP = {"Cadence": "cadence", "Step-time difference": "symmetry", "Knee FPPA L / R": "knee"}
CHART_HELP = {"knee-fppa": "knee", "step-time": "symmetry", "symmetry": "symmetry", "cadence": "cadence",
              "pelvic-drop": "pelvic_drop", "step-length": "step_length", "progress-symmetry": "symmetry",
              "progress-knees": "knee"}
TABLE_COLUMNS = ("Date", "Who", "Duration", "Steps", "Cadence\n(steps/min)", "Step-time difference\n(%, 95 % interval)",
                 "Knee FPPA L / R\n(deg, + = in)", "Data", "Status", "Source")
DATA_TOOLTIP = ("What the figures rest on: how much of the session you were seen in, how many steps it has, and "
                "from where you were seen (knee alignment needs you facing or back to the camera; step length "
                "side-on). 'good' when there is nothing to say.")


def _number(value: float, fmt: str) -> str:
    return figure_text(value, fmt, "–")


def _known_points(points) -> tuple[np.ndarray, np.ndarray]:
    """(x, y) arrays of the ``(x, y)`` points whose y is known (not NaN); empty arrays if none is."""
    known = [(x, y) for x, y in points if math.isfinite(y)]
    return tuple(np.array(v, dtype=float) for v in zip(*known)) if known else (np.empty(0), np.empty(0))


def local_time(info: SessionInfo) -> str:
    return info.started.astimezone().strftime("%Y-%m-%d %H:%M")


@dataclass(frozen=True)
class ChartSpec:
    key: str  # short name, used for the PNG file name
    title: str
    y_label: str
    empty_text: str  # shown instead of the chart when the session has nothing to draw
    include_zero: bool = False  # the y axis starts (or ends) at 0: a step of 0.60 s vs 0.62 s looks as small as it is
    min_span: float = 0.0  # the y axis spans at least this much, so small wobbles do not look like big changes


SESSION_CHARTS = (
    ChartSpec("step-time", "Step time per step", "step time (s)", "No step times in this session.",
              include_zero=True),
    ChartSpec("symmetry", f"Step-time difference, last {SYMMETRY_WINDOW_STEPS} steps (shaded: 95 % interval)",
              "SI (%)",
              f"Too few steps for symmetry (it needs {SYMMETRY_MIN_STEPS_PER_SIDE:g} left and right step times).",
              include_zero=True, min_span=20.0),
    ChartSpec("cadence", f"Cadence (last {CADENCE_WINDOW_STEPS:g} steps)", "steps/min",
              "No cadence in this session.", min_span=40.0),
    ChartSpec("knee-fppa", "Knee alignment (FPPA) per step", "FPPA (deg, + = in)",
              "No knee alignment: it is measured while walking toward or away from the camera.",
              include_zero=True, min_span=20.0),
    ChartSpec("pelvic-drop", "Pelvic drop per step", "drop (deg)",
              "No pelvic drop: it is measured while walking toward or away from the camera.",
              include_zero=True, min_span=12.0),
    ChartSpec("step-length", "Step length per step", "step length",
              "No step length: it is measured while walking across the camera's view, not on a treadmill.",
              include_zero=True),
)
@dataclass(frozen=True)
class ProgressFigure:
    """A figure the progress tab can chart, one point per session: left and right (``feet``), one value, or the
    step-time difference with its interval."""

    spec: ChartSpec
    help_key: str  # ui.help_text.FIGURES
    rule: CoachingRule | None = None  # its coaching threshold, drawn as a line
    feet: tuple[str, str] | None = None  # SessionFigures attributes (left, right)
    value: str | None = None  # a SessionFigures attribute
    checkup: tuple[str, str] | None = None  # a check-up figure (test, metric): its left and right, or overall
    pain: bool = False  # the pain diary: the highest score noted each day


PROGRESS_FIGURES = (
    ProgressFigure(ChartSpec("progress-symmetry", "Step-time difference by session (bars: 95 % interval)",
                             "symmetry index (%, lower = more even)",
                             "Progress appears once sessions with left and right steps are stored.",
                             include_zero=True, min_span=20.0), "symmetry", STEP_SYMMETRY),
    ProgressFigure(ChartSpec("progress-knees", "Knee alignment (mean FPPA) by session", "FPPA (deg, + = knee in)",
                             "Knee progress appears once sessions walked toward or away from the camera are stored.",
                             include_zero=True, min_span=20.0), "knee", KNEE_VALGUS,
                   feet=("knee_fppa_left_deg", "knee_fppa_right_deg")),
    ProgressFigure(ChartSpec("progress-pelvic-drop", "Pelvic drop (mean) by session, by stance leg", "drop (deg)",
                             "Pelvic drop progress appears once sessions walked toward or away from the camera "
                             "are stored.", include_zero=True, min_span=12.0), "pelvic_drop", PELVIC_DROP,
                   feet=("pelvic_drop_left_deg", "pelvic_drop_right_deg")),
    ProgressFigure(ChartSpec("progress-cadence", "Cadence by session", "steps/min",
                             "Cadence progress appears once sessions with steps are stored.", min_span=40.0),
                   "cadence", value="cadence_steps_per_min"),
    ProgressFigure(ChartSpec("progress-steps", "Steps by session", "steps",
                             "Step counts appear once sessions are stored.", include_zero=True),
                   "cadence", value="step_count"),
    ProgressFigure(ChartSpec("progress-pain", "Pain diary: the highest score noted each day", "pain (0-10)",
                             "Appears once pain is noted (before or after a session, or 'Pain diary…').",
                             include_zero=True, min_span=10.0), "pain", pain=True),
    ProgressFigure(ChartSpec("progress-checkup-squat", "Check-up: knee at the bottom of a single-leg squat",
                             "FPPA (deg, + = knee in)", "Appears once check-ups with single-leg squats are stored.",
                             include_zero=True, min_span=20.0), "squat",
                   checkup=(SINGLE_LEG_SQUAT, "knee_fppa_peak_deg")),
    ProgressFigure(ChartSpec("progress-checkup-standing-knees", "Check-up: knee alignment standing",
                             "FPPA (deg, + = knee in)", "Appears once check-ups are stored.", include_zero=True,
                             min_span=20.0), "knee", checkup=(STANDING_ALIGNMENT, "knee_fppa_deg")),
    ProgressFigure(ChartSpec("progress-checkup-toe-out", "Check-up: feet (toe-out) standing", "toe-out (deg)",
                             "Appears once check-ups are stored.", include_zero=True, min_span=20.0), "toe_out",
                   checkup=(STANDING_ALIGNMENT, "toe_out_deg")),
    ProgressFigure(ChartSpec("progress-checkup-head", "Check-up: head position side-on", "shoulder-to-ear line (deg, "
                             "+ = forward)", "Appears once check-ups are stored.", include_zero=True, min_span=20.0),
                   "head_posture", checkup=(STANDING_POSTURE, "head_forward_deg")),
    *(ProgressFigure(ChartSpec(f"progress-checkup-{metric}", f"Check-up: {title}", y_label,
                               "Appears once check-ups are stored.", include_zero=True, min_span=span), help_key,
                     checkup=(test, metric))
      for test, metric, title, y_label, span, help_key in (
          (STANDING_ALIGNMENT, "pelvis_tilt_deg", "pelvis level standing", "tilt (deg, + = left hip higher)", 6.0,
           "pelvic_drop"),
          (STANDING_ALIGNMENT, "shoulder_tilt_deg", "shoulders level standing", "tilt (deg, + = left higher)", 6.0,
           "head_posture"),
          (STANDING_POSTURE, "ear_ahead_of_plumb_line_cm", "ear and the plumb line side-on", "cm (+ = ahead)", 10.0,
           "head_posture"),
          (STANDING_POSTURE, "hip_ahead_of_plumb_line_cm", "hip and the plumb line side-on", "cm (+ = ahead)", 10.0,
           "head_posture"),
          (STANDING_POSTURE, "trunk_lean_forward_deg", "trunk lean side-on", "deg (+ = forward)", 10.0,
           "head_posture"))),
)
PROGRESS_SLOTS = ("progress-symmetry", "progress-knees")  # the two progress charts, and what each shows first


class DayAxis(pg.DateAxisItem):
    """Dates on the progress charts: "04 May", with the time of day only when ticks are closer than a day
    ("04 May 16:10"), never a bare time that hides which day it was."""

    def tickStrings(self, values, scale, spacing):  # noqa: N802 - pyqtgraph naming
        layout = "%d %b" if spacing >= DAY_S else "%d %b %H:%M"
        return [dt.datetime.fromtimestamp(value).strftime(layout) for value in values]


class ChartPanel(QWidget):
    """One pyqtgraph chart with its title, a legend, a message instead of the chart when there is nothing to
    draw, and a "Save PNG…" button (``status`` says where it was saved, or why not)."""

    status = Signal(str, bool)  # text, is an error

    def __init__(self, spec: ChartSpec, x_label: str, *, date_axis: bool = False) -> None:
        super().__init__()
        self.spec = spec
        self.date_axis = date_axis
        axis_items = {"bottom": DayAxis()} if date_axis else None
        self.plot = pg.PlotWidget(background="w", axisItems=axis_items)
        item = self.plot.getPlotItem()
        item.setMenuEnabled(False)
        item.hideButtons()
        item.showGrid(x=False, y=True, alpha=0.2)
        font = QFont()
        font.setPixelSize(AXIS_FONT_PX)
        for name in ("left", "bottom"):
            axis = item.getAxis(name)
            axis.setStyle(tickFont=font)
            axis.setTextPen(TEXT_COLOUR)
            axis.setPen("#888888")
            axis.enableAutoSIPrefix(False)  # seconds stay seconds (no "x0.001")
        item.setLabel("left", spec.y_label, color=TEXT_COLOUR)
        item.setLabel("bottom", x_label, color=TEXT_COLOUR)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setStyleSheet("color: #555; font-size: 13px; padding: 12px; background: white;")
        # The title and legend are a wrapping label above the plot: a long legend can never widen the chart
        # past its cell (pyqtgraph's title would, cutting off the last points).
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setStyleSheet(f"color: {TEXT_COLOUR}; background: white; font-size: {TITLE_FONT_PX}px;"
                                 " padding: 4px 4px 0 4px;")
        self.chart_area = QWidget()  # title + plot: what a PNG shows
        self.chart_area.setStyleSheet("background: white;")
        chart_layout = QVBoxLayout(self.chart_area)
        chart_layout.setContentsMargins(0, 0, 0, 0)
        chart_layout.setSpacing(0)
        chart_layout.addWidget(self.title)
        chart_layout.addWidget(self.plot, 1)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.chart_area)
        self.stack.addWidget(self.message)
        self.save_button = QPushButton("Save PNG…")
        self.save_button.setToolTip(f"Save the chart \"{spec.title}\" as a PNG image")
        self.save_button.clicked.connect(self._ask_and_save)
        self.default_name = f"{spec.key}.png"
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.setSpacing(2)
        layout.addWidget(self.stack, 1)
        layout.addLayout(buttons)
        self.clear()

    def set_spec(self, spec: ChartSpec) -> None:
        """Show another figure (the progress charts' pickers)."""
        self.spec = spec
        self.default_name = f"{spec.key}.png"
        self.plot.getPlotItem().setLabel("left", spec.y_label, color=TEXT_COLOUR)
        self.save_button.setToolTip(f"Save the chart \"{spec.title}\" as a PNG image")

    def clear(self) -> None:
        self.plot.getPlotItem().clear()
        self._x: list[np.ndarray] = []
        self._y: list[np.ndarray] = []
        self._legend: list[str] = []  # shown in the title line, where it never hides a point
        self._thresholds: list[float] = []

    def show_empty(self, text: str | None = None) -> None:
        self.clear()
        self.message.setText(f"<b>{self.spec.title}</b><br><br>{text or self.spec.empty_text}")
        self.stack.setCurrentWidget(self.message)
        self.save_button.setEnabled(False)

    def feet(self, series: dict[str, tuple[np.ndarray, np.ndarray]], x_offset: float = 0.0) -> None:
        """Left and right series (x, y) in the feet's styles."""
        for foot in (LEFT, RIGHT):
            x, y = series[foot]
            if len(x):
                colour, style, symbol, glyph, name = FOOT_STYLE[foot]
                self._add(np.asarray(x) - x_offset, y, colour, style, symbol)
                self._legend.append(f"<span style='color:{colour.name()}'>{glyph} {name}</span>")

    def line(self, x: np.ndarray, y: np.ndarray, *, symbols: bool = True) -> None:
        """One series that is not per foot (symmetry, cadence): the title says what it is."""
        self._add(np.asarray(x), y, LINE_COLOUR, Qt.PenStyle.SolidLine, "o" if symbols else None)

    def band(self, x: np.ndarray, low: np.ndarray, high: np.ndarray) -> None:
        """A shaded band from ``low`` to ``high`` (an interval), behind the lines."""
        x = np.asarray(x, dtype=float)
        edges = [pg.PlotCurveItem(x, np.asarray(y, dtype=float)) for y in (low, high)]  # outline only, not drawn
        fill = pg.FillBetweenItem(*edges, brush=pg.mkBrush(LINE_COLOUR.red(), LINE_COLOUR.green(),
                                                            LINE_COLOUR.blue(), 60))
        fill.setZValue(-10)
        self.plot.addItem(fill)
        self._x.append(x)
        self._y += [np.asarray(low, dtype=float), np.asarray(high, dtype=float)]

    def error_bars(self, x: np.ndarray, low: np.ndarray, high: np.ndarray, y: np.ndarray) -> None:
        """Vertical bars from ``low`` to ``high`` at ``x`` (intervals of the points ``y``)."""
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        self.plot.addItem(pg.ErrorBarItem(x=x, y=y, top=np.asarray(high) - y, bottom=y - np.asarray(low),
                                          beam=0.0, pen=pg.mkPen(LINE_COLOUR, width=2)))
        self._y += [np.asarray(low, dtype=float), np.asarray(high, dtype=float)]

    def _add(self, x, y, colour, style, symbol) -> None:
        self.plot.plot(x, y, pen=pg.mkPen(colour, width=2, style=style), symbol=symbol, symbolSize=8,
                       symbolBrush=colour, symbolPen=colour)
        self._x.append(np.asarray(x, dtype=float))
        self._y.append(np.asarray(y, dtype=float))

    def threshold(self, value: float, unit: str) -> None:
        """The coach's threshold for this figure, as a dotted line."""
        self.plot.addItem(pg.InfiniteLine(
            pos=value, angle=0, pen=pg.mkPen(THRESHOLD_COLOUR, width=1.5, style=Qt.PenStyle.DotLine),
            label=f"coaching threshold {value:g} {unit}",
            labelOpts={"color": THRESHOLD_COLOUR, "position": 0.03, "anchors": [(0, 1), (0, 1)]}))
        self._y.append(np.array([value]))
        self._thresholds.append(value)

    def show_plot(self, x_range: tuple[float, float] | None = None) -> None:
        """Show what was added: x padded; y from the figure's meaningful spread (0 in view where the spec says,
        at least ``min_span`` tall, centred on the data) with room above each threshold line for its label."""
        x, y = np.concatenate(self._x), np.concatenate(self._y)
        low, high = float(np.nanmin(y)), float(np.nanmax(y))
        if self.spec.include_zero:
            low, high = min(low, 0.0), max(high, 0.0)
        grow = self.spec.min_span - (high - low)
        if grow > 0:  # widen away from 0 when 0 is an edge, else on both sides
            below = 0.0 if low == 0.0 else grow if high == 0.0 else grow / 2
            low, high = low - below, high + grow - below
        span = (high - low) or max(abs(high), 1.0)
        for value in self._thresholds:  # the label sits above its line: keep it inside the plot
            high = max(high, value + 0.15 * span)
        x_low, x_high = x_range if x_range is not None else (float(np.nanmin(x)), float(np.nanmax(x)))
        # One point alone: a few days either side on a date axis (4 % of a timestamp would be two years).
        x_pad = 0.04 * (x_high - x_low) if x_high > x_low else (SINGLE_POINT_PAD_DAYS * DAY_S if self.date_axis
                                                               else 0.04 * max(abs(x_high), 1.0))
        view = self.plot.getPlotItem().getViewBox()
        view.setRange(xRange=(x_low - x_pad, x_high + x_pad), yRange=(low - 0.05 * span, high + 0.08 * span),
                      padding=0)
        legend = "&nbsp;&nbsp;&nbsp;" + "&nbsp;&nbsp;".join(self._legend) if self._legend else ""
        self.title.setText(f"{self.spec.title}{legend}")
        self.stack.setCurrentWidget(self.chart_area)
        self.save_button.setEnabled(True)

    @property
    def has_data(self) -> bool:
        return self.stack.currentWidget() is self.chart_area

    def save_png(self, path: str | Path) -> Path:
        """Save the chart (title, axes, legend) as a PNG; OSError if it cannot be written."""
        path = Path(path)
        if path.suffix.lower() != ".png":
            path = path.with_suffix(".png")
        if not self.chart_area.grab().save(str(path), "PNG"):
            raise OSError(f"Cannot write {path}")
        return path

    def _ask_and_save(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save chart as PNG", self.default_name, "PNG images (*.png)")
        if path:
            try:
                saved = self.save_png(path)
            except OSError as error:
                self.status.emit(f"⚠ {error}", True)
            else:
                self.status.emit(f"Saved {saved}", False)


class ReviewWindow(QMainWindow):
    """Stored sessions: a table, the selected session's charts, progress across sessions, CSV export.

    Parameters
    ----------
    store
        The session store (opened on this thread); None opens the user's store (may raise ``StoreError``).
    """

    export_finished = Signal(str, bool)  # message, ok (emitted by the export thread)

    def __init__(self, store: SessionStore | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store if store is not None else SessionStore.open_default()
        self.sessions: list[SessionInfo] = []
        self.setWindowTitle("GaitCoach – sessions")
        self.resize(1400, 900)

        self.table = QTableWidget(0, len(TABLE_COLUMNS))
        self.table.setHorizontalHeaderLabels(TABLE_COLUMNS)
        for column, name in enumerate(TABLE_COLUMNS):  # what each figure means (ui.help_text)
            figure = COLUMN_HELP.get(name.split("\n")[0])
            if figure is not None:
                self.table.horizontalHeaderItem(column).setToolTip(FIGURES[figure].tooltip())
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)  # more rows in view
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.export_button = QPushButton("Export CSV…")
        self.export_button.setToolTip("Write the selected session's frames.csv, steps.csv and summary.csv")
        self.export_button.clicked.connect(self._ask_and_export)
        self.delete_button = QPushButton("Delete…")
        self.delete_button.setToolTip("Delete the selected session for good")
        self.delete_button.clicked.connect(self._ask_and_delete)
        self.pain_button = QPushButton("Pain diary…")
        self.pain_button.setToolTip("Note how much it hurts today, on a day without a session (the person in "
                                    "Progress)")
        self.pain_button.clicked.connect(self._ask_pain)
        self.report_button = QPushButton("Report…")
        self.report_button.setToolTip(f"A PDF for your physiotherapist: the selected session summarised and charted, "
                                      f"with the trend over its person's sessions of the {REPORT_WEEKS} weeks "
                                      "before it")
        self.report_button.clicked.connect(self._ask_and_report)
        self.person_button = QPushButton("Who walked…")
        self.person_button.setToolTip("Say whose progress the selected session is (e.g. a video of yourself "
                                      "analysed with `gaitcoach analyze --save`), or nobody's")
        self.person_button.clicked.connect(self._ask_who_walked)
        refresh_button = QPushButton("Refresh")
        refresh_button.clicked.connect(self.refresh)
        table_buttons = QHBoxLayout()
        table_buttons.addWidget(QLabel("<b>Sessions</b> (select one to see its charts)"))
        table_buttons.addStretch(1)
        table_buttons.addWidget(refresh_button)
        table_buttons.addWidget(self.pain_button)
        table_buttons.addWidget(self.person_button)
        table_buttons.addWidget(self.delete_button)
        table_buttons.addWidget(self.report_button)
        table_buttons.addWidget(self.export_button)
        table_panel = QWidget()
        table_layout = QVBoxLayout(table_panel)
        table_layout.setContentsMargins(6, 6, 6, 0)
        table_layout.addLayout(table_buttons)
        table_layout.addWidget(self.table)

        self.session_header = QLabel(NO_SESSIONS_TEXT)
        self.session_header.setWordWrap(True)
        self.session_header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.charts = {spec.key: ChartPanel(spec, "time in session (s)") for spec in SESSION_CHARTS}
        self.cue_list = QListWidget()
        self.cue_list.setWordWrap(True)  # a long cue wraps: no text behind a scrollbar
        self.cue_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.cue_panel = QWidget()
        cue_layout = QVBoxLayout(self.cue_panel)
        cue_layout.setContentsMargins(2, 2, 2, 2)
        cue_layout.addWidget(QLabel("<b>Cues shown</b> (time in session)"))
        cue_layout.addWidget(self.cue_list)
        self.not_measured = QLabel()  # the figures this session could not give, and why (instead of empty charts)
        self.not_measured.setWordWrap(True)
        self.not_measured.setStyleSheet("color: #555;")
        self.chart_grid = QGridLayout()
        # A check-up's result cards (instead of the walk's charts).
        self.checkup_panel = QLabel()
        self.checkup_panel.setWordWrap(True)
        self.checkup_panel.setTextFormat(Qt.TextFormat.RichText)
        self.checkup_panel.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.checkup_panel.setStyleSheet("font-size: 15px; padding: 8px;")
        self.checkup_scroll = QScrollArea()
        self.checkup_scroll.setWidgetResizable(True)
        self.checkup_scroll.setWidget(self.checkup_panel)
        self.checkup_scroll.hide()
        # Compare with another session: each figure's change, real only beyond the smallest the app can detect.
        self.compare_picker = QComboBox()
        self.compare_picker.setToolTip("Compare this session with another (e.g. last week, or before new shoes)")
        self.compare_picker.currentIndexChanged.connect(lambda _index: self._show_comparison())
        self.comparison = QLabel()
        self.comparison.setWordWrap(True)
        self.comparison.setTextFormat(Qt.TextFormat.RichText)
        self.comparison.hide()
        compare_row = QHBoxLayout()
        compare_row.addWidget(QLabel("<b>Compare with</b>"))
        compare_row.addWidget(self.compare_picker)
        compare_row.addStretch(1)
        session_tab = QWidget()
        session_layout = QVBoxLayout(session_tab)
        session_layout.addWidget(self.session_header)
        session_layout.addLayout(compare_row)
        session_layout.addWidget(self.comparison)
        session_layout.addWidget(self.not_measured)
        session_layout.addLayout(self.chart_grid, 1)
        session_layout.addWidget(self.checkup_scroll, 1)

        # Progress is per person: the picker says whose; each chart has a picker of what it shows.
        self.person_picker = QComboBox()
        self.person_picker.setToolTip("Whose progress: sessions are theirs when recorded while they were chosen "
                                      "in Settings, or when 'Who walked…' says so. The demo walker is nobody.")
        self.person_picker.currentIndexChanged.connect(lambda _index: self._show_progress())
        self.progress_header = QLabel()
        self.progress_header.setWordWrap(True)
        person_row = QHBoxLayout()
        person_row.addWidget(QLabel("<b>Progress of</b>"))
        person_row.addWidget(self.person_picker)
        person_row.addWidget(self.progress_header, 1)
        progress_tab = QWidget()
        progress_layout = QVBoxLayout(progress_tab)
        progress_layout.addLayout(person_row)
        progress_row = QHBoxLayout()
        self.progress_charts: dict[str, ChartPanel] = {}
        self.figure_pickers: dict[str, QComboBox] = {}
        for slot in PROGRESS_SLOTS:
            first = next(figure for figure in PROGRESS_FIGURES if figure.spec.key == slot)
            panel = self.progress_charts[slot] = ChartPanel(first.spec, "session date", date_axis=True)
            picker = self.figure_pickers[slot] = QComboBox()
            for figure in PROGRESS_FIGURES:
                picker.addItem(figure.spec.title.split(" by session")[0], figure.spec.key)
            picker.setCurrentIndex(picker.findData(slot))
            picker.currentIndexChanged.connect(lambda _index: self._show_progress())
            column = QVBoxLayout()
            column.addWidget(picker)
            column.addWidget(panel, 1)
            progress_row.addLayout(column)
        for key, panel in self.chart_panels().items():
            panel.status.connect(self.show_status)
            panel.plot.setToolTip(FIGURES[CHART_HELP[key]].tooltip())
        progress_layout.addLayout(progress_row, 1)

        self.tabs = QTabWidget()
        self.tabs.addTab(session_tab, "Session")
        self.tabs.addTab(progress_tab, "Progress")
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(table_panel)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 4)
        splitter.setSizes([260, 640])
        self.setCentralWidget(splitter)
        self.status_label = QLabel()
        self.statusBar().addWidget(self.status_label, 1)
        self.export_finished.connect(self._export_finished)
        self._exporting = False
        self._shown_before = False
        self._session_x: tuple[float, float] | None = None
        self.refresh()

    # --- sessions -------------------------------------------------------------------------------------------------
    @Slot()
    def refresh(self) -> None:
        """Re-read the session list (keeps the selection when the session is still there)."""
        selected = self.selected_session_id()
        try:
            self.sessions = self.store.list_sessions()
        except StoreError as error:
            self.sessions = []
            self.show_status(f"⚠ {error}", error=True)
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.sessions))
        for row, info in enumerate(self.sessions):
            f = info.figures
            cells = (local_time(info), info.person or "–", duration_text(info.duration_s), str(f.step_count),
                     _number(f.cadence_steps_per_min, ".0f"), f.step_time_symmetry.text(".1f"),
                     f"{_number(f.knee_fppa_left_deg, '.1f')} / {_number(f.knee_fppa_right_deg, '.1f')}",
                     "; ".join(info.data_notes) or "good", info.status,
                     f"Check-up · {info.source}" if info.kind == CHECKUP_KIND else info.source)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, info.id)
                if 0 < column < len(cells) - 1:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                item.setToolTip(DATA_TOOLTIP if TABLE_COLUMNS[column] == "Data" else self._tooltip(info))
                self.table.setItem(row, column, item)
        self.table.blockSignals(False)
        ids = [info.id for info in self.sessions]
        if ids:
            self.table.selectRow(ids.index(selected) if selected in ids else len(ids) - 1)
        else:
            self._show_session(None)
        self.export_button.setEnabled(bool(ids) and not self._exporting)
        self.report_button.setEnabled(bool(ids))
        self.delete_button.setEnabled(bool(ids))
        self.person_button.setEnabled(bool(ids))
        self._fill_person_picker()
        self._show_progress()

    def _fill_person_picker(self) -> None:
        """Everyone with sessions; keeps the one chosen, else the person of the latest session that has one."""
        people = list(dict.fromkeys(info.person for info in self.sessions if info.person is not None))
        latest = next((info.person for info in reversed(self.sessions) if info.person is not None), None)
        chosen = self.person_picker.currentText() if self.person_picker.currentText() in people else latest
        self.person_picker.blockSignals(True)
        self.person_picker.clear()
        self.person_picker.addItems(people)
        self.person_picker.setCurrentIndex(people.index(chosen) if chosen in people else -1)
        self.person_picker.blockSignals(False)

    def _ask_who_walked(self) -> None:
        session_id = self.selected_session_id()
        if session_id is None:
            return
        info = next(info for info in self.sessions if info.id == session_id)
        people = list(dict.fromkeys([*(s.person for s in self.sessions if s.person), DEFAULT_PERSON]))
        choices = [*people, NOBODY]
        name, ok = QInputDialog.getItem(
            self, "Who walked", f"Session {session_id} ({local_time(info)}): who walked? Type a new name to add "
            "someone.", choices, choices.index(info.person) if info.person in choices else len(choices) - 1, True)
        if ok:
            self.set_who_walked(session_id, None if name == NOBODY else name)

    def set_who_walked(self, session_id: int, person: str | None) -> None:
        """Say whose progress a session is (None: nobody's); the status line says what was done or why not."""
        try:
            self.store.set_person(session_id, person)
        except StoreError as error:
            self.show_status(f"⚠ {error}", error=True)
            return
        whose = f"{person}'s" if person else "nobody's"
        self.show_status(f"Session {session_id} is {whose} progress now.")
        self.refresh()

    @staticmethod
    def _tooltip(info: SessionInfo) -> str:
        notes = {INTERRUPTED: "GaitCoach stopped before this session ended; what was recorded until then is kept.",
                 RECORDING: "Still being recorded."}
        return f"Session {info.id}: {info.source} (model {info.model}). {notes.get(info.status, '')}".strip()

    def selected_session_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        return self.table.item(rows[0].row(), 0).data(Qt.ItemDataRole.UserRole)

    def select_session(self, session_id: int) -> None:
        for row, info in enumerate(self.sessions):
            if info.id == session_id:
                self.table.selectRow(row)
                return
        raise StoreError(f"There is no session {session_id}.")

    @Slot()
    def _selection_changed(self) -> None:
        session_id = self.selected_session_id()
        self._show_session(next((s for s in self.sessions if s.id == session_id), None))

    # --- one session's charts -----------------------------------------------------------------------------------
    def _show_session(self, info: SessionInfo | None) -> None:
        if info is None:
            self.session_header.setText(NO_SESSIONS_TEXT)
            for panel in self.charts.values():
                panel.show_empty(" ")
            self.cue_list.clear()
            self._arrange_charts()
            return
        try:
            steps = self.store.steps(info.id)
            frames = self.store.frame_series(info.id, ("t_s", "cadence_steps_per_min"))
            cues = self.store.cues(info.id)
        except StoreError as error:
            self.show_status(f"⚠ {error}", error=True)
            return
        pain = self.pain_text(info.id)
        self.session_header.setText(self._header_text(info) + (f"<br>{pain}" if pain else ""))
        self._fill_compare_picker(info)
        self._show_checkup(info)
        t0 = float(frames["t_s"][0]) if len(frames["t_s"]) else 0.0
        # Every chart of the session on one time axis, the whole session long, so they line up and compare.
        self._session_x = (0.0, float(frames["t_s"][-1]) - t0) if len(frames["t_s"]) else None
        for panel in self.charts.values():
            panel.default_name = f"session-{info.id}-{panel.spec.key}.png"
        thresholds = info.thresholds()  # as coached (older sessions: today's defaults)
        self._feet_chart("knee-fppa", steps, "knee_fppa_deg", t0, KNEE_VALGUS, thresholds)
        self._feet_chart("step-time", steps, "step_time_s", t0)
        self._feet_chart("pelvic-drop", steps, "pelvic_drop_deg", t0, PELVIC_DROP, thresholds)
        metres = any(math.isfinite(step.step_length_m) for step in steps)  # with the user's height; else leg lengths
        self.charts["step-length"].plot.getPlotItem().setLabel(
            "left", "step length (m)" if metres else "step length (leg lengths)", color=TEXT_COLOUR)
        self._feet_chart("step-length", steps, "step_length_m" if metres else "step_length_leg", t0)
        symmetry = self.charts["symmetry"]
        t_s, si, low, high = rolling_step_time_symmetry(steps)
        if len(t_s):
            symmetry.clear()
            symmetry.band(t_s - t0, low, high)
            symmetry.line(t_s - t0, si)
            symmetry.threshold(thresholds[STEP_SYMMETRY.key], STEP_SYMMETRY.unit)
            symmetry.show_plot(self._session_x)
        else:
            symmetry.show_empty()
        cadence = self.charts["cadence"]
        known = np.isfinite(frames["cadence_steps_per_min"])
        if known.any():
            cadence.clear()
            cadence.line(frames["t_s"][known] - t0, frames["cadence_steps_per_min"][known], symbols=False)
            cadence.show_plot(self._session_x)
        else:
            cadence.show_empty()
        self.cue_list.clear()
        for t_s, cue in cues:
            detail = f" — {cue.detail}" if cue.detail else ""
            self.cue_list.addItem(f"{duration_text(t_s - t0)}  {cue.text}{detail}")
        if not cues:
            self.cue_list.addItem("No cues were shown.")
        self._arrange_charts()

    def _fill_compare_picker(self, info: SessionInfo) -> None:
        """The other sessions to compare with (the latest earlier one first, then the rest by date)."""
        others = [s for s in self.sessions if s.id != info.id]
        self.compare_picker.blockSignals(True)
        self.compare_picker.clear()
        self.compare_picker.addItem("– (no comparison)", None)
        for other in sorted(others, key=lambda s: (s.started >= info.started, -s.started.timestamp())):
            self.compare_picker.addItem(f"{local_time(other)} (session {other.id})", other.id)
        self.compare_picker.setCurrentIndex(0)
        self.compare_picker.blockSignals(False)
        self.comparison.hide()

    def compare_with(self, session_id: int) -> None:
        """Compare the selected session with ``session_id``."""
        self.compare_picker.setCurrentIndex(self.compare_picker.findData(session_id))

    def _show_comparison(self) -> None:
        other_id, this_id = self.compare_picker.currentData(), self.selected_session_id()
        if other_id is None or this_id is None:
            self.comparison.hide()
            return
        this = next(s for s in self.sessions if s.id == this_id)
        other = next(s for s in self.sessions if s.id == other_id)
        earlier, later = sorted((this, other), key=lambda s: s.started)
        try:
            changes = compare_sessions(self.store.summary(earlier.id), self.store.summary(later.id))
        except StoreError as error:
            self.show_status(f"⚠ {error}", error=True)
            return
        rows = [f"<tr><th align=left>Figure</th><th>{local_time(earlier)}</th><th>{local_time(later)}</th>"
                "<th>Change</th><th align=left>Verdict (a change counts beyond the smallest GaitCoach can detect)"
                "</th></tr>"]
        for change in changes:
            if change.real is None and not (math.isfinite(change.before) or math.isfinite(change.after)):
                continue
            fmt = ".2f" if change.unit == "m" else ".1f"
            side = f" ({change.side})" if change.side else ""
            delta = f"{change.change:+{fmt}}" if change.real is not None else "–"
            colour = "#b35900" if change.real else "#555555"
            rows.append(f"<tr><td>{change.label}{side}</td><td align=center>{_number(change.before, fmt)}</td>"
                        f"<td align=center>{_number(change.after, fmt)}</td><td align=center>{delta} {change.unit}"
                        f"</td><td style='color:{colour}'>{change.verdict()} (smallest {change.smallest:g} "
                        f"{change.unit})</td></tr>")
        self.comparison.setText(f"<table cellspacing=4>{''.join(rows)}</table>")
        self.comparison.show()

    def _show_checkup(self, info: SessionInfo) -> None:
        """A check-up session: its result cards; its walk's charts stay below them."""
        from ui.checkup_window import checkup_html

        rows = self._checkup_rows(info) if info.kind == CHECKUP_KIND else []
        self.checkup_panel.setText(f"<p><b>Check-up</b> (coaching, not a diagnosis)</p>{checkup_html(rows)}"
                                   if rows else "")
        self.checkup_scroll.setVisible(bool(rows))

    def _checkup_rows(self, info: SessionInfo) -> list[CheckupRow]:
        try:
            return self.store.checkup_results(info.id)
        except StoreError as error:
            self.show_status(f"⚠ {error}", error=True)
            return []

    def _arrange_charts(self) -> None:
        """Three columns of the charts this session can draw, then the cues; what it could not measure is said
        in one line above them, not as empty charts."""
        while self.chart_grid.count():
            self.chart_grid.takeAt(0)
        drawn = [panel for panel in self.charts.values() if panel.has_data]
        needs: dict[str, list[str]] = {}  # how to walk -> the figures that need it
        for panel in self.charts.values():
            if not panel.has_data and panel.spec.key in NOT_MEASURED:
                figure, how = NOT_MEASURED[panel.spec.key]
                needs.setdefault(how, []).append(figure)
        missing = "; ".join(f"{' and '.join(figures)} ({how})" for how, figures in needs.items())
        for panel in self.charts.values():
            panel.setVisible(panel.has_data)
        columns = 3 if len(drawn) < 6 else 4  # two rows: charts stay tall enough to read
        # A check-up without a walk's charts: its result cards take the room (no empty cue list).
        cues = not (self.checkup_scroll.isVisibleTo(self) and not drawn)
        self.cue_panel.setVisible(cues)
        for index, widget in enumerate([*drawn, self.cue_panel] if cues else drawn):
            self.chart_grid.addWidget(widget, index // columns, index % columns)
        self.not_measured.setText(f"Not measured in this session: {missing}." if drawn and missing else "")
        self.not_measured.setVisible(bool(drawn and missing))

    @staticmethod
    def _header_text(info: SessionInfo) -> str:
        f = info.figures
        lines = [f"<b>Session {info.id}</b> · {local_time(info)} · {duration_text(info.duration_s)} min · "
                 f"{info.status} · {info.source}",
                 f"{f.step_count} steps · cadence {_number(f.cadence_steps_per_min, '.0f')} steps/min · "
                 f"step-time difference {f.step_time_symmetry.text('.1f')}"]
        if math.isfinite(f.knee_fppa_left_deg) or math.isfinite(f.knee_fppa_right_deg):
            lines[1] += (f" · knee FPPA left {_number(f.knee_fppa_left_deg, '.1f')}°, "
                         f"right {_number(f.knee_fppa_right_deg, '.1f')}°")
        if math.isfinite(f.pelvic_drop_left_deg) or math.isfinite(f.pelvic_drop_right_deg):
            lines[1] += (f" · pelvic drop on the left leg {_number(f.pelvic_drop_left_deg, '.1f')}°, "
                         f"on the right {_number(f.pelvic_drop_right_deg, '.1f')}°")
        return "<br>".join(lines)

    def _feet_chart(self, key: str, steps: list[StepMetrics], field: str, t0: float,
                    rule: CoachingRule | None = None, thresholds: Mapping[str, float] | None = None) -> None:
        """Each foot's ``field`` per step; with ``rule``, its threshold from ``thresholds`` as a line."""
        panel = self.charts[key]
        series = foot_series(steps, field)
        if sum(len(x) for x, _ in series.values()) < MIN_STEPS_TO_CHART:  # a stray step seen from this view
            panel.show_empty()
            return
        panel.clear()
        panel.feet(series, x_offset=t0)
        if rule is not None:
            panel.threshold(thresholds[rule.key], rule.unit)
        panel.show_plot(self._session_x)

    # --- progress across sessions ---------------------------------------------------------------------------------
    def _show_progress(self) -> None:
        person = self.person_picker.currentText() if self.person_picker.count() else None
        self._pain_by_person: dict[str | None, dict[str, int]] = {}  # read afresh at each refresh
        sessions = [info for info in self.sessions if person is not None and info.person == person]
        # The lines: the thresholds of their latest session (what they are coached with now).
        thresholds = sessions[-1].thresholds() if sessions else DEFAULT_CUE_THRESHOLDS
        if sessions:
            self.progress_header.setText(
                f"{len(sessions)} session{'' if len(sessions) == 1 else 's'} from {local_time(sessions[0])} "
                f"to {local_time(sessions[-1])}; each "
                "point is one session (the demo walker and sessions of nobody in particular are left out).<br>"
                + self._progress_words(sessions, person))
        else:
            self.progress_header.setText("No sessions are anyone's yet: sessions recorded in the live window are "
                                         "the person chosen in Settings; 'Who walked…' says it for others.")
        for slot, panel in self.progress_charts.items():
            key = self.figure_pickers[slot].currentData()
            figure = next(figure for figure in PROGRESS_FIGURES if figure.spec.key == key)
            panel.set_spec(figure.spec)
            panel.plot.setToolTip(FIGURES[figure.help_key].tooltip())
            if figure.pain:
                self._pain_progress(panel, person)
            elif figure.checkup is not None:
                self._checkup_progress(panel, figure, [s for s in sessions if s.kind == CHECKUP_KIND])
            else:
                self._progress_chart(panel, figure, sessions, thresholds)

    def _progress_words(self, sessions: list[SessionInfo], person: str | None) -> str:
        """What changed over the period, in words (a change counts beyond the smallest GaitCoach can detect)."""
        figures = [s.figures for s in sessions]
        sentences = [progress_sentence("Step-time difference", "step_time_si_pct",
                                       [f.step_time_symmetry_pct for f in figures], " %")]
        for side, attribute in (("Left", "knee_fppa_left_deg"), ("Right", "knee_fppa_right_deg")):
            values = [getattr(f, attribute) for f in figures]
            if sum(math.isfinite(v) for v in values) >= 2:
                sentences.append(progress_sentence(f"{side} knee alignment", "knee_fppa_deg", values, "°"))
        highest = self._daily_pain(person)
        if highest:
            sentences.append(progress_sentence("Pain (highest noted each day)", "pain",
                                               [float(score) for score in highest.values()], "/10")
                             .replace(" sessions", " days"))
        return " ".join(sentences)

    def _daily_pain(self, person: str | None) -> dict[str, int]:
        """The person's pain diary: the highest score noted each day, by day in order (cached per refresh)."""
        if person not in self._pain_by_person:
            try:
                notes = self.store.pain_notes(person=person) if person is not None else []
            except StoreError as error:
                self.show_status(f"⚠ {error}", error=True)
                notes = []
            self._pain_by_person[person] = highest_pain_by_day(notes)
        return self._pain_by_person[person]

    def _pain_progress(self, panel: ChartPanel, person: str | None) -> None:
        """The pain diary by date: the highest score noted each day (any place, before or after walking)."""
        highest = self._daily_pain(person)
        panel.clear()
        if not highest:
            panel.show_empty()
            return
        x = np.array([dt.datetime.fromisoformat(day).replace(hour=12).timestamp() for day in highest])
        panel.line(x, np.array(list(highest.values()), dtype=float))
        panel.show_plot()

    def pain_text(self, session_id: int) -> str:
        """The session's pain notes in a line ("" without any)."""
        try:
            notes = self.store.pain_notes(session_id)
        except StoreError:
            return ""
        return "Pain diary: " + "; ".join(note.text() for note in notes) if notes else ""

    def _ask_pain(self) -> None:
        from analysis.pain import DAY
        from ui.pain_dialog import PainDialog

        dialog = PainDialog(DAY, self)
        if dialog.exec() == PainDialog.DialogCode.Accepted:
            self.note_pain(dialog.notes())

    def note_pain(self, notes) -> None:
        """Keep a day's pain notes in the person's diary (the person in Progress, else the default)."""
        if not notes:
            return
        person = self.person_picker.currentText() or DEFAULT_PERSON
        try:
            self.store.add_pain_notes(notes, person=person)
        except StoreError as error:
            self.show_status(f"⚠ {error}", error=True)
            return
        self.show_status(f"Noted in {person}'s pain diary: " + "; ".join(note.text() for note in notes))
        self._show_progress()

    def _checkup_progress(self, panel: ChartPanel, figure: ProgressFigure, checkups: list[SessionInfo]) -> None:
        """One point per check-up of a test's figure: left and right, or the one figure; its usual range's end
        as the line."""
        test, metric = figure.checkup
        found = [(info.started.timestamp(), row) for info in checkups for row in self._checkup_rows(info)
                 if (row.test, row.metric) == (test, metric)]
        panel.clear()
        series = {foot: _known_points((t, getattr(row, foot)) for t, row in found) for foot in (LEFT, RIGHT)}
        overall = _known_points((t, row.overall) for t, row in found)
        if any(len(x) for x, _ in series.values()):
            panel.feet(series)
        elif len(overall[0]):
            panel.line(*overall)
        else:
            panel.show_empty()
            return
        ends = [row.normal_high for _, row in found if math.isfinite(row.normal_high)]
        if ends:
            panel.threshold(ends[-1], found[-1][1].unit)
        panel.show_plot()

    @staticmethod
    def _progress_chart(panel: ChartPanel, figure: ProgressFigure, sessions: list[SessionInfo],
                        thresholds: Mapping[str, float]) -> None:
        """One point per session of ``figure`` (left and right, one value, or the SI with its interval)."""
        dated = [(info.started.timestamp(), info.figures) for info in sessions]
        panel.clear()
        if figure.feet is not None:
            series = {foot: _known_points((t, getattr(f, attribute)) for t, f in dated)
                      for foot, attribute in zip((LEFT, RIGHT), figure.feet)}
            drawn = any(len(x) for x, _ in series.values())
            if drawn:
                panel.feet(series)
        elif figure.value is not None:
            points = [(t, float(getattr(f, figure.value))) for t, f in dated
                      if math.isfinite(float(getattr(f, figure.value)))]
            drawn = bool(points)
            if drawn:
                panel.line(*np.array(points).T)
        else:  # the step-time difference, with its interval where the session has one
            points = [(t, *f.step_time_symmetry) for t, f in dated if math.isfinite(f.step_time_symmetry_pct)]
            drawn = bool(points)
            if drawn:
                x, y, low, high = np.array(points).T
                known = np.isfinite(low)  # sessions stored before GaitCoach gave an interval have none
                if known.any():
                    panel.error_bars(x[known], low[known], high[known], y[known])
                panel.line(x, y)
        if not drawn:
            panel.show_empty()
            return
        if figure.rule is not None:
            panel.threshold(thresholds[figure.rule.key], figure.rule.unit)
        panel.show_plot()

    # --- report ---------------------------------------------------------------------------------------------------
    def report_sessions(self, session_id: int) -> list[int]:
        """The sessions a report of ``session_id`` covers: it, and its person's sessions of the REPORT_WEEKS
        weeks before it (its trend); a session of nobody's, alone."""
        info = next(s for s in self.sessions if s.id == session_id)
        if info.person is None:
            return [session_id]
        since = info.started - dt.timedelta(weeks=REPORT_WEEKS)
        return [s.id for s in self.sessions if s.person == info.person and since <= s.started <= info.started]

    def _ask_and_report(self) -> None:
        session_id = self.selected_session_id()
        if session_id is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, "Save the report as", f"gaitcoach-report-{session_id}.pdf",
                                              "PDF files (*.pdf)")
        if path:
            self.write_report(session_id, path)

    def write_report(self, session_id: int, path: str | Path) -> None:
        """Write the report of ``session_id`` (``report_sessions``); the status line says where, or why not."""
        from ui.report import ReportError, write_report

        try:
            written, pages = write_report(self.store, self.report_sessions(session_id), path)
        except ReportError as error:
            self.show_status(f"⚠ {error}", error=True)
        else:
            self.show_status(f"Report saved: {written} ({pages} pages)")

    # --- delete ---------------------------------------------------------------------------------------------------
    def _ask_and_delete(self) -> None:
        session_id = self.selected_session_id()
        info = next((s for s in self.sessions if s.id == session_id), None)
        if info is None:
            return
        answer = QMessageBox.question(
            self, "Delete session",
            f"Delete session {info.id} ({local_time(info)}, {info.source}) for good?\n"
            "Its figures, steps and charts cannot be recovered.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            self.delete_selected()

    def delete_selected(self) -> bool:
        """Delete the selected session (no question asked); False, with the reason shown, when it cannot be."""
        session_id = self.selected_session_id()
        if session_id is None:
            return False
        try:
            info = self.store.delete_session(session_id)
        except StoreError as error:
            self.show_status(f"⚠ {error}", error=True)
            return False
        self.refresh()
        self.show_status(f"Deleted session {info.id} ({local_time(info)}, {info.source}).")
        return True

    # --- export ---------------------------------------------------------------------------------------------------
    def _ask_and_export(self) -> None:
        session_id = self.selected_session_id()
        if session_id is None:
            return
        folder = QFileDialog.getExistingDirectory(self, f"Export session {session_id} into folder")
        if folder:
            self.export_selected(folder)

    def export_selected(self, folder: str | Path) -> None:
        """Export the selected session's CSV files into ``folder`` on a thread of its own (the result arrives in
        the status bar)."""
        session_id = self.selected_session_id()
        if session_id is None or self._exporting:
            return
        self._exporting = True
        self.export_button.setEnabled(False)
        self.show_status(f"Exporting session {session_id} to {folder}…")
        path = self.store.path

        def work() -> None:
            try:
                with SessionStore(path) as store:
                    written = export_session(store, session_id, folder)
            except (StoreError, ExportError) as error:
                self.export_finished.emit(str(error), False)
            except Exception as error:  # noqa: BLE001 - shown to the user instead of vanishing with the thread
                self.export_finished.emit(f"Export failed: {type(error).__name__}: {error}", False)
            else:
                self.export_finished.emit(
                    f"Exported session {session_id} to {folder}: {', '.join(p.name for p in written)}", True)

        threading.Thread(target=work, name="gaitcoach-export", daemon=True).start()

    @Slot(str, bool)
    def _export_finished(self, message: str, ok: bool) -> None:
        self._exporting = False
        self.export_button.setEnabled(bool(self.sessions))
        self.show_status(message if ok else f"⚠ {message}", error=not ok)

    def show_status(self, text: str, error: bool = False) -> None:
        self.status_label.setStyleSheet("color: #b00020;" if error else "")
        self.status_label.setText(text)

    def chart_panels(self) -> dict[str, ChartPanel]:
        """Every chart by key (the session's and the progress view's), e.g. to save them as PNGs."""
        return {**self.charts, **self.progress_charts}

    def showEvent(self, event) -> None:  # noqa: N802 - Qt naming
        """Shown again (e.g. from the live window's Review button after another walk): list the new sessions."""
        super().showEvent(event)
        if self._shown_before and not event.spontaneous():
            self.refresh()
        self._shown_before = True
