"""Live charts (pyqtgraph): knee FPPA left/right over the last 10 s with the cue threshold band, step times of
the last 10 steps as bars, and the cadence trend.

The knee chart leads with what the coach judges: each step's peak FPPA over mid-stance, as a big lettered disc
(L or R) at that stance's middle, readable across a room. The frame-by-frame angle, which also swings through
the swing phase where FPPA means nothing, is only a thin faint line behind the discs.

Plot items are created once; each frame only writes into preallocated arrays and calls ``setData``; the step
discs are set when a step arrives and only slide (one transform) per frame. A hidden chart keeps collecting data
but does not draw.
"""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainterPath, QTransform
from PySide6.QtWidgets import QGraphicsItem, QHBoxLayout, QWidget

from analysis.results import StepMetrics
from analysis.types import LEFT, RIGHT
from gaitcoach.live import KNEE_RULE, LiveUpdate
from ui.help_text import FIGURES
from ui.palette import BACKGROUND, FOOT_COLOUR, FOOT_LETTER, GREY, VERMILLION

FPPA_WINDOW_S = 10.0
FPPA_CAPACITY = 1200  # samples: 10 s at up to 120 fps
FPPA_RANGE_DEG = (-10.0, 30.0)
FPPA_PEAK_CAPACITY = 48  # steps of both feet: 10 s holds about 20
FPPA_PEAK_SIZE_PX = 24
FPPA_LINE_ALPHA = 90  # the frame-by-frame angle: context only
FEET = (LEFT, RIGHT)
STEP_BARS = 10
CADENCE_WINDOW_S = 120.0
CADENCE_CAPACITY = 600  # one sample a second, with room to spare
CADENCE_DEFAULT_RANGE = (80.0, 130.0)  # steps/min shown at least (walking is about 100-130)
CADENCE_MIN_WINDOW_S = 20.0  # the trend's time axis grows with the walk, from this up to CADENCE_WINDOW_S
TIME_AXIS_LABEL = "time (s, 0 = now)"
AXIS_FONT_PX = 14
TITLE_SIZE = "15pt"


class RingBuffer:
    """The last ``capacity`` rows of ``columns`` floats, readable as one contiguous array without copying.

    Each row is written twice (at ``i`` and ``i + capacity``), so the newest ``n`` rows are always the slice
    ``[i + capacity - n, i + capacity)``.
    """

    def __init__(self, capacity: int, columns: int) -> None:
        if capacity < 1:
            raise ValueError(f"capacity must be >= 1, got {capacity}")
        self.capacity = capacity
        self._data = np.full((2 * capacity, columns), np.nan)
        self._next = 0
        self._count = 0

    def append(self, row) -> None:
        self._data[self._next] = row
        self._data[self._next + self.capacity] = row
        self._next = (self._next + 1) % self.capacity
        self._count = min(self._count + 1, self.capacity)

    def view(self) -> np.ndarray:
        end = self._next + self.capacity
        return self._data[end - self._count:end]

    def clear(self) -> None:
        self._count = 0

    def __len__(self) -> int:
        return self._count


def _plot(title: str, y_label: str, x_label: str = "") -> pg.PlotWidget:
    widget = pg.PlotWidget(background=BACKGROUND)
    item = widget.getPlotItem()
    item.setTitle(title, size=TITLE_SIZE, color="#dddddd")
    item.setMenuEnabled(False)
    item.hideButtons()
    widget.setMouseEnabled(x=False, y=False)
    font = QFont()
    font.setPixelSize(AXIS_FONT_PX)
    for name in ("left", "bottom"):
        axis = item.getAxis(name)
        axis.setStyle(tickFont=font)
        axis.setTextPen("#cccccc")
        axis.setPen("#888888")
        axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)  # redrawn only when its range changes
    item.setLabel("left", y_label, color="#cccccc")
    if x_label:
        item.setLabel("bottom", x_label, color="#cccccc", **{"font-size": f"{AXIS_FONT_PX}px"})
    item.showGrid(x=False, y=True, alpha=0.25)
    return widget


class LiveCharts(QWidget):
    """The three charts side by side. Feed :meth:`add_update` every displayed frame and :meth:`add_cadence`
    once a second."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fppa_plot = _plot("Knee FPPA (\u00b0, + = knee in)", "", TIME_AXIS_LABEL)
        self.step_plot = _plot("Step time (s), last 10 steps", "")
        self.cadence_plot = _plot("Cadence (steps/min)", "", TIME_AXIS_LABEL)
        self.fppa_plot.setToolTip(FIGURES["knee"].tooltip() + "<br>Discs: each step's peak (L / R); the line: "
                                  "the angle while that foot is on the ground.")
        self.step_plot.setToolTip("<b>Step time</b>: one bar per step, left (L) and right (R): bars of unequal "
                                  "height mean uneven steps.<br>" + FIGURES["symmetry"].tooltip())
        self.cadence_plot.setToolTip(FIGURES["cadence"].tooltip())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        for plot, stretch in ((self.fppa_plot, 3), (self.step_plot, 2), (self.cadence_plot, 2)):
            layout.addWidget(plot, stretch)

        # Knee FPPA: per-step peaks as lettered discs (L / R: not told by colour alone) over faint frame-by-frame
        # lines (left solid, right dashed), threshold band above the cue threshold.
        fppa = self.fppa_plot.getPlotItem()
        fppa.setXRange(-FPPA_WINDOW_S, 0.0, padding=0)
        fppa.setYRange(*FPPA_RANGE_DEG, padding=0)
        self.band = pg.LinearRegionItem(values=(8.0, FPPA_RANGE_DEG[1]), orientation="horizontal", movable=False,
                                        brush=pg.mkBrush(VERMILLION.red(), VERMILLION.green(), VERMILLION.blue(), 45),
                                        pen=pg.mkPen(VERMILLION, width=2))
        fppa.addItem(self.band)
        self.band_label = pg.TextItem("knee in", color=VERMILLION, anchor=(0, 0))
        self.band_label.setFont(_font(AXIS_FONT_PX))
        fppa.addItem(self.band_label)
        self.fppa_curves = {
            foot: fppa.plot(pen=pg.mkPen(_faint(FOOT_COLOUR[foot]), width=1.5, style=style), connect="finite")
            for foot, style in ((LEFT, Qt.PenStyle.SolidLine), (RIGHT, Qt.PenStyle.DashLine))
        }
        self.fppa_peaks = pg.ScatterPlotItem(size=FPPA_PEAK_SIZE_PX, pen=pg.mkPen(BACKGROUND, width=1.5))
        fppa.addItem(self.fppa_peaks)
        self._peak_style = [(_lettered_disc(FOOT_LETTER[foot]), pg.mkBrush(FOOT_COLOUR[foot])) for foot in FEET]
        self.fppa_hint = pg.TextItem("walk toward or away from the camera", color="#aaaaaa", anchor=(0.5, 0.5))
        self.fppa_hint.setFont(_font(AXIS_FONT_PX + 2))
        self.fppa_hint.setPos(-FPPA_WINDOW_S / 2, 1.0)  # between 0 and the threshold line
        fppa.addItem(self.fppa_hint)
        self._fppa = RingBuffer(FPPA_CAPACITY, 3)  # t_s, left, right
        self._peaks = RingBuffer(FPPA_PEAK_CAPACITY, 3)  # mid-stance t_s, peak, index of the foot in FEET
        # Each foot's stances (IC, TO): the faint line shows a knee only while its foot is on the ground (in swing
        # the knee bends and its projection is no alignment), once the step is confirmed.
        self._stances = {foot: RingBuffer(FPPA_PEAK_CAPACITY, 2) for foot in FEET}
        self._peaks_stale = False  # new peaks not yet handed to the plot (it was hidden)
        self.set_threshold(8.0)

        # Step times: one bar per step, coloured by foot and lettered L / R.
        steps = self.step_plot.getPlotItem()
        steps.setXRange(0.4, STEP_BARS + 0.6, padding=0)
        steps.getAxis("bottom").setTicks([[]])
        self.step_bars = pg.BarGraphItem(x=[], height=[], width=0.7, brushes=[], pen=pg.mkPen(None))
        steps.addItem(self.step_bars)
        self.step_letters = [pg.TextItem("", anchor=(0.5, 1)) for _ in range(STEP_BARS)]
        for letter in self.step_letters:
            letter.setFont(_font(AXIS_FONT_PX + 2, bold=True))
            steps.addItem(letter)
        self.step_hint = pg.TextItem("walk a few steps", color="#aaaaaa", anchor=(0.5, 0.5))
        self.step_hint.setFont(_font(AXIS_FONT_PX + 2))
        self.step_hint.setPos((STEP_BARS + 1) / 2, 0.4)
        steps.addItem(self.step_hint)
        self._steps: list[StepMetrics] = []

        # Cadence trend.
        cadence = self.cadence_plot.getPlotItem()
        cadence.setXRange(-CADENCE_MIN_WINDOW_S, 0.0, padding=0)
        self.cadence_curve = cadence.plot(pen=pg.mkPen(QColor(240, 228, 66), width=3), connect="finite")
        cadence.setYRange(*CADENCE_DEFAULT_RANGE, padding=0)
        self._cadence = RingBuffer(CADENCE_CAPACITY, 2)  # t_s, steps/min
        self._threshold = 8.0

    # --- input ---------------------------------------------------------------------------------------------
    def set_threshold(self, threshold_deg: float) -> None:
        self._threshold = threshold_deg
        self.band.setRegion((threshold_deg, FPPA_RANGE_DEG[1]))
        self.band_label.setPos(-FPPA_WINDOW_S, FPPA_RANGE_DEG[1])

    def add_update(self, update: LiveUpdate) -> None:
        """Per displayed frame: append the knee angles, add new steps, redraw what is visible."""
        metrics = update.metrics
        self._fppa.append((update.t_s, metrics.knee_fppa_left_deg, metrics.knee_fppa_right_deg))
        threshold = update.cue_thresholds.get(KNEE_RULE, self._threshold)
        if threshold != self._threshold:
            self.set_threshold(threshold)
        for step in update.new_steps:
            if step.foot in FEET and math.isfinite(step.to_t_s):
                self._stances[step.foot].append((step.ic_t_s, step.to_t_s))
            if step.foot in FEET and math.isfinite(step.knee_fppa_deg):  # frontal steps only
                self._peaks.append((0.5 * (step.ic_t_s + step.to_t_s), step.knee_fppa_deg, FEET.index(step.foot)))
                self._peaks_stale = True
        timed = [step for step in update.new_steps if math.isfinite(step.step_time_s)]  # not a bout's first step
        if timed:
            self._steps = (self._steps + timed)[-STEP_BARS:]
            if self.isVisible():
                self._draw_steps()
        if self.isVisible():
            self._draw_fppa(update.t_s)

    def add_cadence(self, t_s: float, cadence_steps_per_min: float) -> None:
        """About once a second."""
        self._cadence.append((t_s, cadence_steps_per_min))
        if self.isVisible():
            self._draw_cadence(t_s)

    def clear(self) -> None:
        self._fppa.clear()
        for stances in self._stances.values():
            stances.clear()
        self._cadence.clear()
        self._steps = []
        for curve in self.fppa_curves.values():
            curve.setData([], [])
        self._peaks.clear()
        self._peaks_stale = True
        self._draw_peaks()
        self.cadence_curve.setData([], [])
        self._draw_steps()

    # --- drawing -------------------------------------------------------------------------------------------
    def _draw_fppa(self, now_s: float) -> None:
        data = self._fppa.view()
        x = data[:, 0] - now_s
        recent = data[x >= -FPPA_WINDOW_S, 1:]
        self.fppa_hint.setVisible(not np.isfinite(recent).any())  # knee angles are measured front-on only
        for column, foot in ((1, LEFT), (2, RIGHT)):
            self.fppa_curves[foot].setData(x, np.where(self._in_stance(foot, data[:, 0]), data[:, column], np.nan))
        if self._peaks_stale:
            self._draw_peaks()
        if len(self._peaks):  # the discs sit at their own time: slide them, never rebuild them per frame
            self.fppa_peaks.setPos(-now_s, 0.0)
            self.fppa_peaks.viewTransformChanged()  # it caches its view rect in its own coordinates, else culls

    def _in_stance(self, foot: str, t_s: np.ndarray) -> np.ndarray:
        """Which of the times ``t_s`` fall in a confirmed stance of ``foot``."""
        stances = self._stances[foot].view()
        if not len(stances):
            return np.zeros(t_s.shape, dtype=bool)
        last = np.searchsorted(stances[:, 0], t_s, side="right") - 1  # the stance that began last before each time
        return (last >= 0) & (t_s <= stances[np.clip(last, 0, None), 1])

    def _draw_peaks(self) -> None:
        """Hand the per-step peaks to the plot (only when a step arrived); off-scale peaks sit at the edge."""
        low, high = FPPA_RANGE_DEG[0] + 1.5, FPPA_RANGE_DEG[1] - 1.5
        data = self._peaks.view()
        styles = [self._peak_style[int(foot)] for foot in data[:, 2]]
        self.fppa_peaks.setData(data[:, 0], np.clip(data[:, 1], low, high),
                                symbol=[symbol for symbol, _ in styles], brush=[brush for _, brush in styles])
        self._peaks_stale = False

    def _draw_steps(self) -> None:
        steps = self._steps
        x = np.arange(1, len(steps) + 1, dtype=float)
        heights = np.array([s.step_time_s for s in steps])
        brushes = [pg.mkBrush(FOOT_COLOUR.get(s.foot, GREY)) for s in steps]
        self.step_bars.setOpts(x=x, height=heights, brushes=brushes)
        self.step_hint.setVisible(not steps)
        top = max(0.8, float(heights.max()) * 1.4) if len(heights) else 0.8  # room for the letters
        self.step_plot.getPlotItem().setYRange(0.0, top, padding=0)
        for i, letter in enumerate(self.step_letters):
            if i < len(steps):
                letter.setText(FOOT_LETTER.get(steps[i].foot, "?"), color=FOOT_COLOUR.get(steps[i].foot, GREY))
                letter.setPos(x[i], heights[i] + top * 0.12)
                letter.setVisible(True)
            else:
                letter.setVisible(False)

    def _draw_cadence(self, now_s: float) -> None:
        data = self._cadence.view()
        self.cadence_curve.setData(data[:, 0] - now_s, data[:, 1])
        # Scaled to what there is: the axis spans the walk so far (at least CADENCE_MIN_WINDOW_S), not 2 empty minutes.
        span_s = now_s - float(data[0, 0]) if len(data) else 0.0
        window_s = min(CADENCE_WINDOW_S, max(CADENCE_MIN_WINDOW_S, span_s))
        self.cadence_plot.getPlotItem().setXRange(-window_s, 0.0, padding=0)
        finite = data[np.isfinite(data[:, 1]), 1]
        low, high = (float(finite.min()), float(finite.max())) if finite.size else CADENCE_DEFAULT_RANGE
        self.cadence_plot.getPlotItem().setYRange(min(CADENCE_DEFAULT_RANGE[0], low - 5),
                                                  max(CADENCE_DEFAULT_RANGE[1], high + 5), padding=0)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt naming
        """Catch up with what was collected while hidden."""
        super().showEvent(event)
        fppa, cadence = self._fppa.view(), self._cadence.view()
        if len(fppa):
            self._draw_fppa(float(fppa[-1, 0]))
        if len(cadence):
            self._draw_cadence(float(cadence[-1, 0]))
        self._draw_steps()


def _faint(colour: QColor) -> QColor:
    return QColor(colour.red(), colour.green(), colour.blue(), FPPA_LINE_ALPHA)


def _lettered_disc(letter: str) -> QPainterPath:
    """A disc of unit diameter with ``letter`` cut out of it (odd-even fill), centred: a scatter symbol."""
    path = QPainterPath()
    path.addEllipse(QRectF(-0.5, -0.5, 1.0, 1.0))
    text = QPainterPath()
    text.addText(QPointF(0.0, 0.0), _font(100, bold=True), letter)
    box = text.boundingRect()
    scale = 0.56 / box.height()
    text = QTransform().scale(scale, scale).translate(-box.center().x(), -box.center().y()).map(text)
    path.addPath(text)
    return path


def _font(size_px: int, bold: bool = False) -> QFont:
    font = QFont()
    font.setPixelSize(size_px)
    font.setBold(bold)
    return font
