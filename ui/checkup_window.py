"""The guided check-up's window: one screen per step, read from 3 m away.

Each screen shows the step ("Step 2 of 6"), a large instruction (also spoken), a line under it (a countdown, the
repetitions so far, what to change in the set-up), a progress bar, the person's own picture with the skeleton,
and on the right the set-up check-list or the test's result card: each figure, its usual range and what it means.
:class:`CheckupRunner` connects it to the live run: it starts a check-up session, feeds each frame to a
:class:`gaitcoach.checkup_flow.CheckupFlow` and, at the end (or when stopped), stores the figures with the session.
"""
from __future__ import annotations

import math

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout, QLabel, QProgressBar, QPushButton, QScrollArea, QVBoxLayout, QWidget,
)

from analysis.checkup import (
    SETUP, CheckupRow, SetupItem, SquatRep, TestResult, alignment_guides, explain, metric_label, posture_guides,
    squat_guides,
)
from analysis.landmarks import LEFT_HIP, RIGHT_HIP, Y_PX
from analysis.types import LEFT, RIGHT, View
from gaitcoach.checkup_flow import DONE, MEASURING, RESULT, STEPS, CheckupFlow, FlowState
from gaitcoach.display_text import figure_text
from gaitcoach.live import LiveUpdate, image_brightness
from ui.palette import BACKGROUND, BLUISH_GREEN, GREY, PANEL, VERMILLION, YELLOW, css
from ui.video_view import VideoView

INSTRUCTION_FONT_PX = 38  # read from 3 m
DETAIL_FONT_PX = 28
CARD_FONT_PX = 19
MISSING = "\u2013"
PASS, FAIL, UNJUDGED = ("\u2714", BLUISH_GREEN), ("\u25b2", VERMILLION), ("\u25cb", GREY)  # never colour alone


def _mark(passed: bool | None) -> tuple[str, object]:
    return PASS if passed else FAIL if passed is False else UNJUDGED


def _unit_text(row: CheckupRow) -> str:
    return "\u00b0" if row.unit == "deg" else "" if row.unit in ("repetitions", "steps") else f" {row.unit}"


def _value_text(row: CheckupRow, interval: tuple[float, float] | None = None) -> str:
    """``"L 7°  R 8°"``, ``"110 steps/min"``, ``"L 39  R 39 · 78 in all"``; ``interval``: a figure's 95 % interval,
    shown after it."""
    unit = _unit_text(row)
    sides = "  ".join(f"{letter} {figure_text(value, '.0f', MISSING)}{unit}"
                      for letter, value in (("L", row.left), ("R", row.right)) if math.isfinite(value))
    overall = (f"{figure_text(row.overall, '.1f' if abs(row.overall) < 10 else '.0f', MISSING)}{unit}"
               if math.isfinite(row.overall) else "")
    if interval is not None and overall and all(math.isfinite(v) for v in interval):
        overall += f" ({interval[0]:.0f}-{interval[1]:.0f}{unit}, 95 %)"
    if sides and overall:
        return f"{sides} \u00b7 {overall} in all"
    return sides or overall or MISSING


def _range_text(row: CheckupRow) -> str:
    unit = _unit_text(row)
    low, high = row.normal_low, row.normal_high
    if math.isfinite(low) and math.isfinite(high):
        return f"usual {low:g} to {high:g}{unit}"
    if math.isfinite(high):
        return f"usual up to {high:g}{unit}"
    if math.isfinite(low):
        return f"usual from {low:g}{unit}"
    return ""


class CheckupWindow(QWidget):
    """Shows a :class:`FlowState`; asks to skip a test or stop through its signals."""

    skip_requested = Signal()
    repeat_requested = Signal()
    stop_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle("GaitCoach check-up")
        self.resize(1280, 800)
        self.setStyleSheet(f"QWidget {{ background: {css(BACKGROUND)}; color: white; }}"
                           f" QPushButton {{ font-size: 20px; padding: 8px 18px; background: {css(PANEL)};"
                           " border: 1px solid #555; border-radius: 6px; }")
        self.step_label = QLabel()
        self.step_label.setStyleSheet(f"font-size: 22px; color: {css(YELLOW)};")
        self.instruction = QLabel()
        self.instruction.setWordWrap(True)
        self.instruction.setStyleSheet(f"font-size: {INSTRUCTION_FONT_PX}px; font-weight: bold;")
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setStyleSheet(f"font-size: {DETAIL_FONT_PX}px; color: {css(YELLOW)};")
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setTextVisible(False)
        self.progress.setFixedHeight(22)
        self.progress.setStyleSheet(f"QProgressBar {{ background: {css(PANEL)}; border: none; border-radius: 6px; }}"
                                    f" QProgressBar::chunk {{ background: {css(BLUISH_GREEN)}; border-radius: 6px; }}")
        self.video = VideoView()
        self.panel = QLabel()
        self.panel.setWordWrap(True)
        self.panel.setTextFormat(Qt.TextFormat.RichText)
        self.panel.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.panel.setStyleSheet(f"font-size: {CARD_FONT_PX}px; background: {css(PANEL)}; padding: 14px;"
                                 " border-radius: 8px;")
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.panel)
        scroll.setStyleSheet("QScrollArea { border: none; }")
        self.skip_button = QPushButton("Skip this test")
        self.skip_button.clicked.connect(self.skip_requested.emit)
        self.repeat_button = QPushButton("Repeat this test")
        self.repeat_button.clicked.connect(self.repeat_requested.emit)
        self.stop_button = QPushButton("Stop the check-up")
        self.stop_button.clicked.connect(self.stop_requested.emit)
        middle = QHBoxLayout()
        middle.addWidget(self.video, 11)
        middle.addWidget(scroll, 9)
        self.scroll = scroll
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.repeat_button)
        buttons.addWidget(self.skip_button)
        buttons.addWidget(self.stop_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.setSpacing(10)
        layout.addWidget(self.step_label)
        layout.addWidget(self.instruction)
        layout.addWidget(self.detail)
        layout.addWidget(self.progress)
        layout.addLayout(middle, 1)
        layout.addLayout(buttons)
        self.state: FlowState | None = None
        self._shown: tuple | None = None

    def show_frame(self, update: LiveUpdate, guides: list | None = None) -> None:
        """The live picture, or (``guides``) a still of it with the test's lines drawn over it."""
        self.video.guides = guides or []
        self.video.show_frame(update.display_image, update.pose.image_landmarks, mirrored=update.mirrored)

    def show_state(self, state: FlowState, rows: list[CheckupRow] | None = None,
                   reps: list[SquatRep] | None = None) -> None:
        """Show the flow's state (``rows``: every figure, for the last screen; ``reps``: the squat's so far)."""
        # What the screen shows, to redraw only when it changes (a rich-text panel is slow to lay out every frame).
        shown = (state.step, state.phase, state.detail, round(100 * state.progress), id(state.result),
                 tuple((item.key, item.passed, item.advice) for item in state.setup_items), len(reps or ()))
        if shown == self._shown:
            return
        self._shown = shown
        self.state = state
        done = state.phase == DONE
        self.step_label.setText("Check-up complete" if done else f"Step {state.step + 1} of {len(STEPS)} \u00b7 "
                                f"{state.title}")
        self.instruction.setText(state.instruction)
        self.detail.setText(state.detail)
        self.progress.setValue(round(100 * (1.0 if state.phase == RESULT else state.progress)))
        self.progress.setVisible(state.phase in (MEASURING, RESULT))
        self.skip_button.setVisible(not done and state.step > 0 and state.phase != RESULT)
        self.repeat_button.setVisible(not done and state.phase == RESULT)
        self.stop_button.setText("Close" if done else "Stop the check-up")
        self.video.setVisible(not done)  # the last screen is the results, full width
        if done:
            self.panel.setText(self._summary_html(rows or []))
        elif state.step == 0:
            self.panel.setText(self._setup_html(state.setup_items))
        elif state.result is not None:
            self.panel.setText(self._result_html(state.result))
        elif reps:
            self.panel.setText(self._reps_html(reps))
        else:
            self.panel.setText(f"<p style='color:{css(GREY)}'>{STEPS[state.step][2]}: the result appears here.</p>")

    # --- panels ----------------------------------------------------------------------------------------------
    @staticmethod
    def _setup_html(items: tuple[SetupItem, ...]) -> str:
        if not items:
            return "<p>Checking the camera and the light\u2026</p>"
        lines = ["<p style='font-size:22px'><b>Set-up check</b></p>"]
        for item in items:
            glyph, colour = _mark(item.passed)
            line = f"<span style='color:{css(colour)}'>{glyph}</span> {item.label}"
            if item.advice:
                line += f"<br><span style='color:{css(YELLOW)}'>&nbsp;&nbsp;&nbsp;{item.advice}</span>"
            lines.append(f"<p>{line}</p>")
        return "".join(lines)

    @staticmethod
    def _reps_html(reps: list[SquatRep]) -> str:
        lines = ["<p style='font-size:22px'><b>Repetitions</b></p>"]
        for number, rep in enumerate(reps, 1):
            glyph, colour = _mark(True if rep.scored else None)
            why = ("too shallow: bend the knee more" if rep.too_shallow else
                   "the other foot came down" if rep.touched_down else
                   f"knee {abs(rep.knee_fppa_peak_deg):.0f}\u00b0 {'inside' if rep.knee_fppa_peak_deg > 0 else 'outside'}"
                   " the hip-to-ankle line")
            lines.append(f"<p><span style='color:{css(colour)}'>{glyph}</span> {number}: {why}</p>")
        return "".join(lines)

    def _result_html(self, result: TestResult) -> str:
        if not result.measured:
            return f"<p style='color:{css(YELLOW)}'>Not measured: {result.reason}</p>"
        return rows_html(result.rows)

    @staticmethod
    def _summary_html(rows: list[CheckupRow]) -> str:
        return checkup_html(rows) or "<p>No test was measured.</p>"


def rows_html(rows) -> str:
    """Result-card HTML of check-up rows: each figure named, its value (a symmetry index with its interval, from
    its ``_low_pct`` and ``_high_pct`` rows), usual range, mark and meaning."""
    by_metric = {(row.test, row.metric): row for row in rows}
    out = []
    for row in rows:
        if row.metric.endswith(("_low_pct", "_high_pct")) or row.metric in ("repetitions_counted",):
            continue
        interval = None
        if row.metric.endswith("_pct"):
            low = by_metric.get((row.test, row.metric.removesuffix("_pct") + "_low_pct"))
            high = by_metric.get((row.test, row.metric.removesuffix("_pct") + "_high_pct"))
            interval = (low.overall, high.overall) if low is not None and high is not None else None
        glyph, colour = _mark(row.passed)
        range_text = _range_text(row)
        out.append(f"<p><span style='color:{css(colour)}'>{glyph}</span> <b>{metric_label(row)}: "
                   f"{_value_text(row, interval)}</b>"
                   f"{' &nbsp;<span style=color:#999999>(' + range_text + ')</span>' if range_text else ''}"
                   f"<br>{explain(row)}</p>")
    return "".join(out)


def checkup_html(rows: list[CheckupRow]) -> str:
    """A whole check-up's results (the last screen; the review's check-up sessions), test by test."""
    titles = {test: title for _, test, title, _ in STEPS}
    titles["single_leg_squat"] = "Single-leg squat"
    out = []
    setup = [row for row in rows if row.test == SETUP]
    if setup:  # the set-up had to pass to go on: one line, its figures are in checkup.csv
        out.append(f"<p style='font-size:22px'><b>Set-up check</b></p><p><span style='color:{css(PASS[1])}'>"
                   f"{PASS[0]}</span> {sum(bool(r.passed) for r in setup)} of {len(setup)} items right: the whole "
                   "body in view, the distance, the camera level and at hip height, the light, the frame rate."
                   "</p>")
    for test in dict.fromkeys(row.test for row in rows if row.test != SETUP):
        out.append(f"<p style='font-size:22px; margin-top:10px'><b>{titles.get(test, test)}</b></p>")
        out.append(rows_html([row for row in rows if row.test == test]))
    return "".join(out)


class CheckupRunner(QObject):
    """One check-up on the live run the controller plays: a session of its own kind, the flow fed each frame,
    the window shown, the figures stored when it ends."""

    finished = Signal()

    def __init__(self, controller, speaker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.speaker = speaker
        self.flow = CheckupFlow(controller.settings.live_config().user_height_m)
        self.window = CheckupWindow(parent)
        self.window.skip_requested.connect(self.flow.skip)
        self.window.repeat_requested.connect(self.flow.repeat)
        self.window.stop_requested.connect(self.stop)
        self._ended = False
        self._candidate: LiveUpdate | None = None  # the frame a test's result will show still (one kept)
        self._still: tuple[LiveUpdate, list] | None = None  # the result's still and its lines

    def start(self) -> bool:
        """Begin the check-up's session and show the window; False (and a notice) when nothing is playing."""
        if not self.controller.start_session(kind="checkup"):
            return False
        self.window.show()
        self._show(self.flow.state)
        return True

    def add(self, update: LiveUpdate) -> None:
        """A frame from the live run (the UI thread's newest)."""
        if self._ended:
            return
        before = self.flow.state
        state = self.flow.add(update.pose.to_pose_frame(), image_brightness(update.pose.image_bgr))
        if state.phase == MEASURING and update.pose.image_landmarks is not None:
            self._keep_candidate(update, STEPS[state.step][0])
        if state.phase == RESULT and before.phase != RESULT:
            self._still = self._snapshot(STEPS[state.step][0])
        elif state.phase != RESULT:
            self._still = None
        if self._still is not None:
            self.window.show_frame(*self._still)
        else:
            self.window.show_frame(update)
        self._show(state)
        if self.flow.done:
            self._end()

    def _keep_candidate(self, update: LiveUpdate, key: str) -> None:
        """Keep the frame a result will show: the newest standing still, or a squat's deepest (lowest hips)."""
        if key.startswith("squat") and self._candidate is not None:
            hip_y = (lambda u: float(u.pose.image_landmarks[[LEFT_HIP, RIGHT_HIP], Y_PX].mean()))
            if hip_y(update) < hip_y(self._candidate):
                return
        self._candidate = update

    def _snapshot(self, key: str) -> tuple[LiveUpdate, list] | None:
        """The still for a test's result, with its lines: the last frame standing, or a squat's deepest."""
        still, self._candidate = self._candidate, None
        if still is None:
            return None
        if key.startswith("squat"):
            return still, squat_guides(still.pose.image_landmarks, RIGHT if key == "squat_right" else LEFT)
        if key == "standing_alignment":
            return still, alignment_guides(still.pose.image_landmarks)
        if key == "standing_posture" and still.metrics.view in View.SIDE:
            return still, posture_guides(still.pose.image_landmarks, still.metrics.view, self.flow.user_height_m)
        return None

    def _show(self, state: FlowState) -> None:
        for line in state.speech:
            self.speaker.say(line)
        key = STEPS[state.step][0] if state.step < len(STEPS) else ""
        reps = None
        if key.startswith("squat") and state.phase == MEASURING:
            leg = RIGHT if key == "squat_right" else LEFT
            reps = [r for r in self.flow.squat_counter.reps if r.leg == leg]
        self.window.show_state(state, self.flow.rows() if state.phase == DONE else None, reps)

    def _end(self) -> None:
        if not self._ended:
            self._ended = True
            self.controller.end_checkup_session(self.flow.rows())

    def stop(self) -> None:
        """Stop (or close, once complete): what was measured so far is stored with the session."""
        self._end()
        self.window.close()
        self.finished.emit()
