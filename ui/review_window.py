"""The review window: stored sessions in a table; for the selected one, its charts and the cues it showed; a
progress view across sessions; CSV export and PNG export of each chart.

Open it with ``ReviewWindow(store).show()`` (the live window's Review button) or ``gaitcoach sessions review``.
Reading a session for the charts happens on the UI thread, on demand (a few tens of ms for a long session); the
CSV export runs on a thread of its own with its own connection; the window never writes to the database.
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
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QPushButton,
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
from analysis.trends import SYMMETRY_WINDOW_STEPS, foot_series, rolling_step_time_symmetry
from analysis.types import LEFT, RIGHT
from gaitcoach.export import ExportError, export_session
from gaitcoach.store import (INTERRUPTED, RECORDING, SessionInfo, SessionStore, StoreError, duration_text,
                             figure_text)
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
AXIS_FONT_PX = 13
TITLE_SIZE = "12pt"
NO_SESSIONS_TEXT = ("No sessions yet. Walk in front of the camera in the live window, or store a video's analysis "
                    "with `gaitcoach analyze VIDEO --save`.")
COLUMN_HELP = {"Cadence": "cadence", "Step-time difference": "symmetry", "Knee FPPA L / R": "knee"}
CHART_HELP = {"knee-fppa": "knee", "step-time": "symmetry", "symmetry": "symmetry", "cadence": "cadence",
              "pelvic-drop": "pelvic_drop", "progress-symmetry": "symmetry", "progress-knees": "knee"}
TABLE_COLUMNS = ("Date", "Duration", "Steps", "Cadence\n(steps/min)", "Step-time difference\n(%, 95 % interval)",
                 "Knee FPPA L / R\n(deg, + = in)", "Data", "Status", "Source")
DATA_TOOLTIP = ("What the figures rest on: how much of the session you were seen in, how many steps it has, and "
                "from where you were seen (knee alignment needs you facing or back to the camera; step length "
                "side-on). 'good' when there is nothing to say.")


def _number(value: float, fmt: str) -> str:
    return figure_text(value, fmt, "–")


def _local_time(info: SessionInfo) -> str:
    return info.started.astimezone().strftime("%Y-%m-%d %H:%M")


@dataclass(frozen=True)
class ChartSpec:
    key: str  # short name, used for the PNG file name
    title: str
    y_label: str
    empty_text: str  # shown instead of the chart when the session has nothing to draw


SESSION_CHARTS = (
    ChartSpec("knee-fppa", "Knee alignment (FPPA) per step", "FPPA (deg, + = knee in)",
              "No knee alignment in this session: it is measured while walking toward or away from the camera."),
    ChartSpec("step-time", "Step time per step", "step time (s)", "No step times in this session."),
    ChartSpec("symmetry", f"Step-time difference (last {SYMMETRY_WINDOW_STEPS} steps)",
              "SI (%; shaded: 95 % interval)",
              f"Too few steps for symmetry (it needs {SYMMETRY_MIN_STEPS_PER_SIDE:g} left and right step times)."),
    ChartSpec("cadence", f"Cadence (last {CADENCE_WINDOW_STEPS:g} steps)", "cadence (steps/min)",
              "No cadence in this session."),
    ChartSpec("pelvic-drop", "Pelvic drop per step", "drop (deg)",
              "No pelvic drop in this session: it is measured while walking toward or away from the camera."),
)
PROGRESS_CHARTS = (
    ChartSpec("progress-symmetry", "Step-time difference by session (bars: 95 % interval)",
              "symmetry index (%, lower = more even)",
              "Progress appears once sessions with left and right steps are stored."),
    ChartSpec("progress-knees", "Knee alignment (mean FPPA) by session", "FPPA (deg, + = knee in)",
              "Knee progress appears once sessions walked toward or away from the camera are stored."),
)


class DayAxis(pg.DateAxisItem):
    """Dates on the progress charts: day ticks read "04 May" (pyqtgraph alone writes only the day's number)."""

    def tickStrings(self, values, scale, spacing):  # noqa: N802 - pyqtgraph naming
        if spacing >= DAY_S:
            return [dt.datetime.fromtimestamp(value).strftime("%d %b") for value in values]
        return super().tickStrings(values, scale, spacing)


class ChartPanel(QWidget):
    """One pyqtgraph chart with its title, a legend, a message instead of the chart when there is nothing to
    draw, and a "Save PNG…" button (``status`` says where it was saved, or why not)."""

    status = Signal(str, bool)  # text, is an error

    def __init__(self, spec: ChartSpec, x_label: str, *, date_axis: bool = False) -> None:
        super().__init__()
        self.spec = spec
        axis_items = {"bottom": DayAxis()} if date_axis else None
        self.plot = pg.PlotWidget(background="w", axisItems=axis_items)
        item = self.plot.getPlotItem()
        item.setTitle(spec.title, size=TITLE_SIZE, color=TEXT_COLOUR)
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
        self.stack = QStackedWidget()
        self.stack.addWidget(self.plot)
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

    def clear(self) -> None:
        self.plot.getPlotItem().clear()
        self._x: list[np.ndarray] = []
        self._y: list[np.ndarray] = []
        self._legend: list[str] = []  # shown in the title line, where it never hides a point

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

    def show_plot(self, *, include_zero: bool = False) -> None:
        """Show what was added: x padded, y with room above the data for the legend (and 0 in view if asked)."""
        x, y = np.concatenate(self._x), np.concatenate(self._y)
        low, high = float(np.nanmin(y)), float(np.nanmax(y))
        if include_zero:
            low, high = min(low, 0.0), max(high, 0.0)
        span = (high - low) or max(abs(high), 1.0)
        x_low, x_high = float(np.nanmin(x)), float(np.nanmax(x))
        x_pad = 0.04 * ((x_high - x_low) or max(abs(x_high), 1.0))
        view = self.plot.getPlotItem().getViewBox()
        view.setRange(xRange=(x_low - x_pad, x_high + x_pad), yRange=(low - 0.05 * span, high + 0.08 * span),
                      padding=0)
        legend = "&nbsp;&nbsp;&nbsp;" + "&nbsp;&nbsp;".join(self._legend) if self._legend else ""
        self.plot.getPlotItem().setTitle(self.spec.title + legend, size=TITLE_SIZE, color=TEXT_COLOUR)
        self.stack.setCurrentWidget(self.plot)
        self.save_button.setEnabled(True)

    @property
    def has_data(self) -> bool:
        return self.stack.currentWidget() is self.plot

    def save_png(self, path: str | Path) -> Path:
        """Save the chart (title, axes, legend) as a PNG; OSError if it cannot be written."""
        path = Path(path)
        if path.suffix.lower() != ".png":
            path = path.with_suffix(".png")
        if not self.plot.grab().save(str(path), "PNG"):
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
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.export_button = QPushButton("Export CSV…")
        self.export_button.setToolTip("Write the selected session's frames.csv, steps.csv and summary.csv")
        self.export_button.clicked.connect(self._ask_and_export)
        self.delete_button = QPushButton("Delete…")
        self.delete_button.setToolTip("Delete the selected session for good")
        self.delete_button.clicked.connect(self._ask_and_delete)
        refresh_button = QPushButton("Refresh")
        refresh_button.clicked.connect(self.refresh)
        table_buttons = QHBoxLayout()
        table_buttons.addWidget(QLabel("<b>Sessions</b> (select one to see its charts)"))
        table_buttons.addStretch(1)
        table_buttons.addWidget(refresh_button)
        table_buttons.addWidget(self.delete_button)
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
        cue_panel = QWidget()
        cue_layout = QVBoxLayout(cue_panel)
        cue_layout.setContentsMargins(2, 2, 2, 2)
        cue_layout.addWidget(QLabel("<b>Cues shown</b> (time in session)"))
        cue_layout.addWidget(self.cue_list)
        grid = QGridLayout()
        for index, panel in enumerate([*self.charts.values(), cue_panel]):
            grid.addWidget(panel, index // 3, index % 3)
        session_tab = QWidget()
        session_layout = QVBoxLayout(session_tab)
        session_layout.addWidget(self.session_header)
        session_layout.addLayout(grid, 1)

        self.progress_charts = {spec.key: ChartPanel(spec, "session date", date_axis=True) for spec in PROGRESS_CHARTS}
        self.progress_header = QLabel()
        self.progress_header.setWordWrap(True)
        progress_tab = QWidget()
        progress_layout = QVBoxLayout(progress_tab)
        progress_layout.addWidget(self.progress_header)
        progress_row = QHBoxLayout()
        for panel in self.progress_charts.values():
            progress_row.addWidget(panel)
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
        splitter.setSizes([230, 670])
        self.setCentralWidget(splitter)
        self.status_label = QLabel()
        self.statusBar().addWidget(self.status_label, 1)
        self.export_finished.connect(self._export_finished)
        self._exporting = False
        self._shown_before = False
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
            cells = (_local_time(info), duration_text(info.duration_s), str(f.step_count),
                     _number(f.cadence_steps_per_min, ".0f"), f.step_time_symmetry.text(".1f"),
                     f"{_number(f.knee_fppa_left_deg, '.1f')} / {_number(f.knee_fppa_right_deg, '.1f')}",
                     "; ".join(info.data_notes) or "good", info.status, info.source)
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
        self.delete_button.setEnabled(bool(ids))
        self._show_progress()

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
            return
        try:
            steps = self.store.steps(info.id)
            frames = self.store.frame_series(info.id, ("t_s", "cadence_steps_per_min"))
            cues = self.store.cues(info.id)
        except StoreError as error:
            self.show_status(f"⚠ {error}", error=True)
            return
        f = info.figures
        self.session_header.setText(
            f"<b>Session {info.id}</b> · {_local_time(info)} · {duration_text(info.duration_s)} min · {info.status} · "
            f"{info.source}<br>{f.step_count} steps · cadence {_number(f.cadence_steps_per_min, '.0f')} steps/min · "
            f"step-time difference {f.step_time_symmetry.text('.1f')} · knee FPPA left "
            f"{_number(f.knee_fppa_left_deg, '.1f')} deg, right {_number(f.knee_fppa_right_deg, '.1f')} deg")
        t0 = float(frames["t_s"][0]) if len(frames["t_s"]) else 0.0
        for panel in self.charts.values():
            panel.default_name = f"session-{info.id}-{panel.spec.key}.png"
        thresholds = info.thresholds()  # as coached (older sessions: today's defaults)
        self._feet_chart("knee-fppa", steps, "knee_fppa_deg", t0, KNEE_VALGUS, thresholds)
        self._feet_chart("step-time", steps, "step_time_s", t0)
        self._feet_chart("pelvic-drop", steps, "pelvic_drop_deg", t0, PELVIC_DROP, thresholds)
        symmetry = self.charts["symmetry"]
        t_s, si, low, high = rolling_step_time_symmetry(steps)
        if len(t_s):
            symmetry.clear()
            symmetry.band(t_s - t0, low, high)
            symmetry.line(t_s - t0, si)
            symmetry.threshold(thresholds[STEP_SYMMETRY.key], STEP_SYMMETRY.unit)
            symmetry.show_plot(include_zero=True)
        else:
            symmetry.show_empty()
        cadence = self.charts["cadence"]
        known = np.isfinite(frames["cadence_steps_per_min"])
        if known.any():
            cadence.clear()
            cadence.line(frames["t_s"][known] - t0, frames["cadence_steps_per_min"][known], symbols=False)
            cadence.show_plot()
        else:
            cadence.show_empty()
        self.cue_list.clear()
        for t_s, cue in cues:
            detail = f" — {cue.detail}" if cue.detail else ""
            self.cue_list.addItem(f"{duration_text(t_s - t0)}  {cue.text}{detail}")
        if not cues:
            self.cue_list.addItem("No cues were shown.")

    def _feet_chart(self, key: str, steps: list[StepMetrics], field: str, t0: float,
                    rule: CoachingRule | None = None, thresholds: Mapping[str, float] | None = None) -> None:
        """Each foot's ``field`` per step; with ``rule``, its threshold from ``thresholds`` as a line."""
        panel = self.charts[key]
        series = foot_series(steps, field)
        if not any(len(x) for x, _ in series.values()):
            panel.show_empty()
            return
        panel.clear()
        panel.feet(series, x_offset=t0)
        if rule is not None:
            panel.threshold(thresholds[rule.key], rule.unit)
        panel.show_plot(include_zero=rule is not None)

    # --- progress across sessions ---------------------------------------------------------------------------------
    def _show_progress(self) -> None:
        dated = [(info.started.timestamp(), info.figures) for info in self.sessions]
        # The lines: the thresholds of the latest session (what the user is coached with now).
        thresholds = self.sessions[-1].thresholds() if self.sessions else DEFAULT_CUE_THRESHOLDS
        first_last = (f" from {_local_time(self.sessions[0])} to {_local_time(self.sessions[-1])}"
                      if self.sessions else "")
        self.progress_header.setText(
            f"<b>{len(self.sessions)} sessions</b>{first_last}. Each point is one session: lower symmetry means more "
            f"even steps; knee FPPA nearer 0 means knees over the feet.")
        symmetry = self.progress_charts["progress-symmetry"]
        points = [(t, *f.step_time_symmetry) for t, f in dated if math.isfinite(f.step_time_symmetry_pct)]
        if points:
            symmetry.clear()
            x, y, low, high = np.array(points).T
            known = np.isfinite(low)  # sessions stored before GaitCoach gave an interval have none
            if known.any():
                symmetry.error_bars(x[known], low[known], high[known], y[known])
            symmetry.line(x, y)
            symmetry.threshold(thresholds[STEP_SYMMETRY.key], STEP_SYMMETRY.unit)
            symmetry.show_plot(include_zero=True)
        else:
            symmetry.show_empty()
        knees = self.progress_charts["progress-knees"]
        series = {}
        for foot, attribute in ((LEFT, "knee_fppa_left_deg"), (RIGHT, "knee_fppa_right_deg")):
            pairs = [(t, getattr(f, attribute)) for t, f in dated if math.isfinite(getattr(f, attribute))]
            series[foot] = tuple(np.array(v, dtype=float) for v in zip(*pairs)) if pairs else (np.empty(0),
                                                                                              np.empty(0))
        if any(len(x) for x, _ in series.values()):
            knees.clear()
            knees.feet(series)
            knees.threshold(thresholds[KNEE_VALGUS.key], KNEE_VALGUS.unit)
            knees.show_plot(include_zero=True)
        else:
            knees.show_empty()

    # --- delete ---------------------------------------------------------------------------------------------------
    def _ask_and_delete(self) -> None:
        session_id = self.selected_session_id()
        info = next((s for s in self.sessions if s.id == session_id), None)
        if info is None:
            return
        answer = QMessageBox.question(
            self, "Delete session",
            f"Delete session {info.id} ({_local_time(info)}, {info.source}) for good?\n"
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
        self.show_status(f"Deleted session {info.id} ({_local_time(info)}, {info.source}).")
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
