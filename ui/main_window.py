"""The live coaching window: video with skeleton, one large cue banner, big metric tiles, live charts, status.

It only draws what the pipeline hands it (:class:`gaitcoach.live.LiveUpdate`) and asks for everything else
(sources, model, sessions, review) through signals; it never opens a source or runs analysis itself.
Readable from 2-5 m: the banner is about 1/8 of the window's height and the tiles' text scales with them.
"""
from __future__ import annotations

import html
import math
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from analysis.coaching import STATE_FAULT, STATE_OK, STATE_UNKNOWN, STATE_WATCH, RuleStatus
from analysis.types import LEFT, RIGHT, View
from gaitcoach.demo import DEMO_FAULTS
from gaitcoach.live import KNEE_RULE, LiveUpdate, rule_key
from gaitcoach.models import ModelUnavailable
from gaitcoach.settings import AppSettings
from ui.cue_banner import BANNER_HEIGHT_FRACTION, CueBanner
from ui.help_dialog import HelpDialog, SafetyNote
from ui.live_charts import LiveCharts
from ui.metric_tiles import COACH_TILES, LINE_SPACING, MetricTiles
from ui.palette import BACKGROUND, css
from ui.reading import reading_font_px
from ui.settings_dialog import SettingsDialog
from ui.speech import CueSpeaker
from ui.video_view import VideoView

EMPTY_STATE_TEXT = "No camera found.\nOpen a video of someone walking, or try the demo walker."
VIDEO_FILTER = "Videos (*.mp4 *.mov *.avi *.mkv *.webm *.m4v);;All files (*)"
SLOW_REFRESH_MS = 1000  # tiles, cadence trend and status text: once a second
NOTICE_MS = 10000
NOTICE_WITH_ACTION_MS = 30000  # a notice that offers something stays long enough to walk back and click it
CHARTS_HEIGHT_FRACTION = 0.24
TOOLBAR_FONT_PX = 14
MODEL_CHOICES = (("full", "Model full"), ("lite", "Model lite (fast)"), ("heavy", "Model heavy (slow)"))
CHOOSE_MODEL_FILE = "Model file\u2026"


def _small_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("small")
    return label


def _copyable_row(button_text: str) -> tuple[QLineEdit, QPushButton, QHBoxLayout]:
    """A read-only, selectable text field with a button that copies it (a link or a path to pass on)."""
    field = QLineEdit()
    field.setReadOnly(True)
    copy = QPushButton(button_text)
    copy.setObjectName("copy")
    copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(field.text()))
    row = QHBoxLayout()
    row.addWidget(field, 1)
    row.addWidget(copy)
    return field, copy, row


class EmptyState(QWidget):
    """What the window shows before any video: a message and big ways to start. Without a pose model it
    offers a model file, the link to download one (selectable, copyable) and the demo, which needs none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.message = QLabel(EMPTY_STATE_TEXT)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.link, self.copy_link_button, link_row = _copyable_row("Copy link")
        self.save_as, _, save_row = _copyable_row("Copy path")
        self.model_button = QPushButton("Choose model file\u2026")
        self.open_button = QPushButton("Open a video\u2026")
        self.demo_button = QPushButton("Try the demo walker")
        self.model_help = QWidget()
        help_layout = QVBoxLayout(self.model_help)
        help_layout.addWidget(_small_label("Download the model on any computer with internet:"))
        help_layout.addLayout(link_row)
        help_layout.addWidget(_small_label("save it as this file, then start GaitCoach again (or choose it above):"))
        help_layout.addLayout(save_row)
        self.model_help.setFixedWidth(900)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.model_button, self.open_button, self.demo_button):
            button.setMinimumHeight(64)
            button.setMinimumWidth(280)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.message)
        layout.addSpacing(24)
        layout.addLayout(buttons)
        layout.addSpacing(24)
        layout.addWidget(self.model_help, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)
        self.setStyleSheet(
            f"EmptyState {{ background: {css(BACKGROUND)}; }} QLabel {{ color: #eeeeee; font-size: 26px; }}"
            " QLabel#small { font-size: 16px; color: #bbbbbb; }"
            " QLineEdit { font-size: 16px; padding: 6px; } QPushButton#copy { font-size: 16px; padding: 6px 14px; }"
            " QPushButton { font-size: 22px; padding: 10px 24px; }")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.show_model_missing(None)

    def show_model_missing(self, missing: ModelUnavailable | None) -> None:
        """``missing``: offer a model file and the link instead of a video (a video needs the model)."""
        self.model_help.setVisible(missing is not None)
        self.model_button.setVisible(missing is not None)
        self.open_button.setVisible(missing is None)
        if missing is not None:
            for field, text in ((self.link, missing.url), (self.save_as, str(missing.destination))):
                field.setText(text)
                field.setCursorPosition(0)


def _marker_state(status: RuleStatus) -> str:
    """A knee marker carries no number: it says what the banner says (IN while the knee's cue is on), so it
    neither contradicts the banner nor flickers while the figure hovers at its aim (the tile shows WATCH)."""
    if status.state == STATE_UNKNOWN:
        return STATE_UNKNOWN
    return STATE_FAULT if status.fault_feet else STATE_OK


class MainWindow(QMainWindow):
    """The live window. Requests go out as signals; :class:`ui.controller.LiveController` answers them."""

    open_video_requested = Signal(str)
    camera_requested = Signal(int)
    demo_requested = Signal(str)  # a DEMO_FAULTS key
    model_requested = Signal(str)  # a variant or a .task path
    session_start_requested = Signal()
    session_stop_requested = Signal()
    review_requested = Signal()  # the session review (sessions issue) connects here
    checkup_requested = Signal()  # the guided check-up (ui.checkup_window)
    config_changed = Signal(object)  # LiveConfig: height or thresholds changed in the settings
    closed = Signal()

    def __init__(self, settings: AppSettings, speaker: CueSpeaker | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.speaker = speaker or CueSpeaker(self)
        self.speaker.enabled = settings.speak_cues
        self.setWindowTitle("GaitCoach")
        self.resize(1280, 800)
        self.setAcceptDrops(True)
        self.setStyleSheet(f"QMainWindow {{ background: {css(BACKGROUND)}; }}")
        self._latest: LiveUpdate | None = None
        self.coach_mode = False
        self.help_dialog: HelpDialog | None = None
        self.safety_note: SafetyNote | None = None
        self._tile_states: tuple[str, ...] = ()
        self._source_text = ""
        self._model_text = ""
        self._session_started_s: float | None = None
        self._build_toolbar()
        self._build_body()
        self.status_label = QLabel()
        self.statusBar().addPermanentWidget(self.status_label, 1)
        self.statusBar().setStyleSheet("QStatusBar { color: #dddddd; background: #202024; font-size: 14px; }")
        self._slow_timer = QTimer(self)
        self._slow_timer.setInterval(SLOW_REFRESH_MS)
        self._slow_timer.timeout.connect(self.refresh_slow)
        self._slow_timer.start()
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.timeout.connect(self.notice.hide)
        self.show_message("Looking for a camera\u2026")

    # --- building ------------------------------------------------------------------------------------------
    def _build_toolbar(self) -> None:
        bar = QToolBar("Controls")
        bar.setMovable(False)
        bar.setStyleSheet(f"QToolBar {{ font-size: {TOOLBAR_FONT_PX}px; spacing: 6px; }}"
                          f" QComboBox, QToolButton {{ font-size: {TOOLBAR_FONT_PX}px; padding: 4px 8px; }}")
        self.addToolBar(bar)
        self.toolbar = bar
        self.camera_picker = QComboBox()
        self.camera_picker.setMinimumWidth(150)
        self.camera_picker.setPlaceholderText("Camera")
        self.camera_picker.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.camera_picker.activated.connect(self._camera_chosen)
        bar.addWidget(self.camera_picker)
        self.open_action = bar.addAction("Open video\u2026", self.choose_video)
        self.demo_picker = QComboBox()
        self.demo_picker.setPlaceholderText("Demo walker")
        self.demo_picker.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        for fault, (label, _) in DEMO_FAULTS.items():
            self.demo_picker.addItem(f"Demo: {label}", fault)
        self.demo_picker.setCurrentIndex(-1)  # "Demo walker" until one plays: it never looks chosen before
        self.demo_picker.activated.connect(lambda _row: self.request_demo())
        bar.addWidget(self.demo_picker)
        self.model_picker = QComboBox()
        self.model_picker.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        for choice, label in MODEL_CHOICES:
            self.model_picker.addItem(label, choice)
        self.model_picker.addItem(CHOOSE_MODEL_FILE, "")
        self.model_picker.activated.connect(self._model_chosen)
        self.set_model_choice(self.settings.model_choice or "full")
        bar.addWidget(self.model_picker)
        bar.addSeparator()
        self.session_action = QAction("Start session", self)
        self.session_action.setShortcut(QKeySequence(Qt.Key.Key_Space))
        self.session_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.session_action.setToolTip("Start or stop a session (Space)")
        self.session_action.triggered.connect(self._toggle_session)
        bar.addAction(self.session_action)
        self.addAction(self.session_action)
        self.checkup_action = bar.addAction("Check-up", self.checkup_requested.emit)
        self.checkup_action.setToolTip("A guided check-up: set-up, standing alignment, posture, single-leg squats "
                                       "and a one-minute walk")
        self.review_action = bar.addAction("Review", self.review_requested.emit)
        self.set_review_available(False)
        self.speak_action = bar.addAction("Speak cues")
        self.speak_action.setCheckable(True)
        self.speak_action.setChecked(self.speaker.enabled)
        self.speak_action.toggled.connect(self.set_speech_enabled)
        bar.addAction("Settings\u2026", self.open_settings)
        self.fullscreen_action = QAction("Full screen", self)
        self.fullscreen_action.setShortcut(QKeySequence(Qt.Key.Key_F11))
        self.fullscreen_action.setToolTip("Full-screen coach mode (F11; Esc leaves it)")
        self.fullscreen_action.triggered.connect(self.toggle_coach_mode)
        bar.addAction(self.fullscreen_action)
        self.addAction(self.fullscreen_action)
        leave = QAction(self)
        leave.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        leave.triggered.connect(lambda: self.set_coach_mode(False))
        self.addAction(leave)
        self.help_action = QAction("Help", self)
        self.help_action.setShortcut(QKeySequence(Qt.Key.Key_F1))
        self.help_action.setToolTip("What every figure means, its usual range and what to do (F1)")
        self.help_action.triggered.connect(self.show_help)
        bar.addAction(self.help_action)
        self.addAction(self.help_action)

    def _build_body(self) -> None:
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("background: #f0e442; color: black; font-size: 18px; padding: 6px 12px;"
                                  " border-radius: 6px;")
        self.notice.hide()
        self._notice_action: Callable[[], None] | None = None
        self.notice.linkActivated.connect(self._on_notice_link)
        self.banner = CueBanner()
        self.video_view = VideoView()
        self.empty_state = EmptyState()
        self.empty_state.open_button.clicked.connect(self.choose_video)
        self.empty_state.model_button.clicked.connect(self.choose_model_file)
        self.empty_state.demo_button.clicked.connect(self.request_demo)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty_state)
        self.stack.addWidget(self.video_view)
        self.tiles = MetricTiles()
        self.charts = LiveCharts()
        middle = self._middle = QHBoxLayout()
        middle.setSpacing(10)
        middle.addWidget(self.stack, 3)
        middle.addWidget(self.tiles, 2)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(10, 8, 10, 6)
        layout.setSpacing(8)
        layout.addWidget(self.banner)
        layout.addLayout(middle, 1)
        layout.addWidget(self.charts)
        self.setCentralWidget(central)
        self.notice.setParent(central)  # floats over the top: showing it never pushes the layout down

    # --- what the controller calls -------------------------------------------------------------------------
    def show_update(self, update: LiveUpdate) -> None:
        """One processed frame: video + skeleton + knee states, banner, charts, speech. Must stay cheap."""
        self._latest = update
        if not self.showing_video:
            self.stack.setCurrentWidget(self.video_view)
            self.charts.setVisible(not self.coach_mode)
            self._lay_out_for_reading()
            self.refresh_slow()
        pose = update.pose
        frontal = update.metrics.view in View.FRONTAL
        knees = {foot: _marker_state(update.rules[rule_key(KNEE_RULE, foot)]) for foot in (LEFT, RIGHT)} \
            if frontal else None
        self.video_view.show_frame(update.display_image, pose.image_landmarks, mirrored=update.mirrored,
                                   knee_states=knees)
        self.banner.show_cue(update.cue, idle_text="Keep walking" if pose.pose_detected else "")
        states = tuple(status.state for status in update.rules.values())
        if states != self._tile_states:  # a state word changes with the banner and markers, not a second later
            self._tile_states = states
            self.tiles.show_update(update)
        self.charts.add_update(update)
        for cue in update.speech:
            self.speaker.speak(cue)

    def refresh_slow(self) -> None:
        """About once a second: tiles, cadence trend, status text, session clock."""
        if self._session_started_s is not None:
            elapsed = int(time.monotonic() - self._session_started_s)
            self.video_view.session_text = f"\u25cf SESSION {elapsed // 60}:{elapsed % 60:02d}"
            self.video_view.update()
        update = self._latest
        if update is None:
            return
        if self.coach_mode:  # the tiles that matter follow the view (walking toward the camera, or across it)
            self._lay_out_for_reading()
        self.tiles.show_update(update)
        cadence = update.summary.get("cadence_last_10_steps_per_min")
        self.charts.add_cadence(update.t_s, cadence.overall if cadence is not None else math.nan)
        pose = update.pose
        self.status_label.setText(" | ".join((
            self._source_text,
            self._model_text,
            f"camera {_fps(update.camera_fps)}",
            f"processed {_fps(update.processed_fps)}",
            f"dropped {pose.dropped_frames_total}",
            f"inference {pose.inference_ms:.0f} ms",
            f"view {update.metrics.view.replace('_', ' ')}",
            "person found" if pose.pose_detected else "no person",
        )))

    def set_pipeline_info(self, source_text: str, model_text: str, badge_text: str = "") -> None:
        """A new source starts: its name and model for the status bar; fresh charts and tiles."""
        self._source_text, self._model_text = source_text, model_text
        self.video_view.badge_text = badge_text
        self._latest = None
        self._tile_states = ()
        self.charts.clear()
        self.tiles.clear()
        self.banner.show_cue(None, idle_text="")
        self.show_message(f"Starting {source_text}\u2026")
        self.status_label.setText(f"{source_text} | {model_text}")

    def set_cameras(self, cameras: list, selected_index: int | None = None) -> None:
        self.camera_picker.clear()
        for camera in cameras:
            self.camera_picker.addItem(f"Camera {camera}", camera.index)
        if not cameras:
            self.camera_picker.addItem("No camera found", -1)
        self.camera_picker.setCurrentIndex(max(0, self.camera_picker.findData(selected_index)))

    def set_model_choice(self, choice: str) -> None:
        row = self.model_picker.findData(choice)
        if row < 0:  # a file: pose_landmarker_full.task shows as "Model full (file)"
            name = Path(choice).stem.removeprefix("pose_landmarker_")
            self.model_picker.insertItem(self.model_picker.count() - 1, f"Model {name} (file)", choice)
            row = self.model_picker.findData(choice)
        self.model_picker.setCurrentIndex(row)
        self.model_picker.setToolTip(f"Pose model: {choice}")

    def select_demo_fault(self, fault: str) -> None:
        """Show which fault the demo walker plays (also when started from the command line)."""
        self.demo_picker.setCurrentIndex(self.demo_picker.findData(fault))

    def show_playing(self, *, camera_index: int | None = None, demo_fault: str | None = None) -> None:
        """The pickers say what plays: the camera's or the demo's entry, the other picker blank (a video file:
        both blank), so a picker never suggests that something plays which does not."""
        if demo_fault is not None:
            self.select_demo_fault(demo_fault)
        else:
            self.demo_picker.setCurrentIndex(-1)
        if camera_index is not None:
            self.camera_picker.setCurrentIndex(self.camera_picker.findData(camera_index))
        elif self.camera_picker.currentData() not in (None, -1):  # "No camera found" (-1) stays: news, not a choice
            self.camera_picker.setCurrentIndex(-1)

    def show_message(self, text: str) -> None:
        """Nothing to show (yet): the empty state with ``text`` and the two ways to start."""
        self.empty_state.show_model_missing(None)
        self.empty_state.message.setText(text)
        self.stack.setCurrentWidget(self.empty_state)
        for panel in (self.banner, self.tiles, self.charts):  # no dashes, bare axes or empty strip
            panel.hide()
        self.status_label.setText(text.splitlines()[0] if text else "")

    def show_model_missing(self, missing: ModelUnavailable) -> None:
        """No pose model and no download: one sentence, a model-file button, the link, and the demo."""
        self.show_message(f"GaitCoach needs its pose model, which could not be downloaded: {missing.reason}.")
        self.empty_state.show_model_missing(missing)

    def show_notice(self, text: str, action: str | None = None, on_action: Callable[[], None] | None = None) -> None:
        """A problem that does not stop what is playing (bad file dropped, model not available...); with ``action``,
        a link of that name after the text calls ``on_action`` (and hides the notice)."""
        self._notice_action = on_action if action else None
        if action:
            self.notice.setTextFormat(Qt.TextFormat.RichText)
            self.notice.setText(f'{html.escape(text, quote=False)} &nbsp;<a href="action" style="color: black;"><b>'
                                f'{html.escape(action, quote=False)}</b></a>')
        else:
            self.notice.setTextFormat(Qt.TextFormat.PlainText)
            self.notice.setText(text)
        self._place_notice()
        self.notice.setVisible(not self.coach_mode)
        self.notice.raise_()
        self._notice_timer.start(NOTICE_WITH_ACTION_MS if action else NOTICE_MS)

    def _on_notice_link(self, _link: str) -> None:
        action, self._notice_action = self._notice_action, None
        self.notice.hide()
        if action is not None:
            action()

    def set_session_active(self, active: bool) -> None:
        self._session_started_s = time.monotonic() if active else None
        self.session_action.setText("Stop session" if active else "Start session")
        self.video_view.session_text = "\u25cf SESSION 0:00" if active else ""
        self.video_view.update()
        if active:
            self.charts.clear()

    @property
    def session_active(self) -> bool:
        return self._session_started_s is not None

    def set_review_available(self, available: bool) -> None:
        """The sessions issue calls this once it has connected :attr:`review_requested`."""
        self.review_action.setEnabled(available)
        self.review_action.setToolTip("Review past sessions" if available else
                                      "Session review arrives with the session history")

    def set_speech_enabled(self, on: bool) -> None:
        self.speaker.enabled = on
        self.settings.speak_cues = on
        if self.speak_action.isChecked() != on:
            self.speak_action.setChecked(on)

    # --- user actions ----------------------------------------------------------------------------------------
    def choose_video(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open a walking video", self.settings.last_video_dir,
                                              VIDEO_FILTER)
        if path:
            self.settings.last_video_dir = str(Path(path).parent)
            self.open_video_requested.emit(path)

    def request_demo(self) -> None:
        fault = self.demo_picker.currentData() or self.settings.demo_fault  # blank while another source plays
        self.settings.demo_fault = fault
        self.demo_requested.emit(fault)

    def open_settings(self) -> None:
        dialog = SettingsDialog(self.settings, self)
        if dialog.exec():
            dialog.save()
            self.config_changed.emit(self.settings.live_config())

    def show_help(self) -> None:
        """The Help panel, beside the window (non-modal)."""
        if self.help_dialog is None:
            self.help_dialog = HelpDialog(self)
        self.help_dialog.show()
        self.help_dialog.raise_()

    def show_safety_note_once(self) -> None:
        """At first start: coaching, not a diagnosis (remembered once acknowledged)."""
        if self.settings.safety_note_seen:
            return
        self.safety_note = SafetyNote(self)
        self.safety_note.accepted.connect(lambda: setattr(self.settings, "safety_note_seen", True))
        self.safety_note.show()

    def toggle_coach_mode(self) -> None:
        """Full screen with only the coaching on show (no toolbar, status bar or notices)."""
        self.set_coach_mode(not self.coach_mode)

    @property
    def showing_video(self) -> bool:
        """False while the empty state shows (no source yet, or a message instead of one)."""
        return self.stack.currentWidget() is self.video_view

    def set_coach_mode(self, on: bool) -> None:
        """Coach mode: full screen, text sized for reading from ``ui.reading.READING_DISTANCE_M``; only the banner,
        the video and the 2-3 tiles that matter in the current view (no charts, toolbar, status or notices)."""
        self.coach_mode = on
        self.toolbar.setVisible(not on)
        self.statusBar().setVisible(not on)
        self.charts.setVisible(not on and self.showing_video)
        if on:
            self.notice.hide()
            self.showFullScreen()
        elif self.isFullScreen():
            self.showNormal()
        self._lay_out_for_reading()

    def _lay_out_for_reading(self) -> None:
        """Sizes for the window's mode: reading sizes and the tiles that fit in coach mode, fractions otherwise."""
        if not self.coach_mode:
            self.banner.set_banner_height(int(self.height() * BANNER_HEIGHT_FRACTION))
            self.tiles.set_coach(None)
            self.tiles.setVisible(self.showing_video)
            self._middle.setStretch(1, 2)
            self.video_view.min_label_px = 0
            return
        self._middle.setStretch(1, 3)  # half the width: state words at reading size need it
        primary, secondary = reading_font_px(self), reading_font_px(self, primary=False)
        self.banner.set_font_px(primary, secondary, self.width() - 20)
        view = self._latest.metrics.view if self._latest is not None else View.UNKNOWN
        kind = "frontal" if view in View.FRONTAL else "side" if view in View.SIDE else "unknown"
        wanted = COACH_TILES[kind]
        if self._latest is not None:  # a figure the coach is on about comes first, whatever the view
            severity = {STATE_FAULT: 0, STATE_WATCH: 1}
            rules = self._latest.rules
            state = {key: rules[tile.spec.rule].state for key, tile in self.tiles.tiles.items() if tile.spec.rule}
            flagged = sorted((key for key in state if state[key] in severity), key=lambda key: severity[state[key]])
            wanted = tuple(dict.fromkeys((*flagged, *wanted)))[:3]
        # Room for the tallest banner: a cue on two lines and its detail (the banner grows and shrinks with the cue).
        banner_px = int(LINE_SPACING * (2 * primary + secondary)) + 8
        count = MetricTiles.tiles_that_fit(self.height() - banner_px - 30, (primary, secondary), len(wanted))
        self.tiles.set_coach(wanted[:count], (primary, secondary))
        self.tiles.setVisible(count > 0 and self.showing_video)
        self.video_view.min_label_px = secondary

    def _toggle_session(self) -> None:
        (self.session_stop_requested if self.session_active else self.session_start_requested).emit()

    def _camera_chosen(self, row: int) -> None:
        index = self.camera_picker.itemData(row)
        if index is not None and index >= 0:
            self.settings.camera_index = int(index)
            self.camera_requested.emit(int(index))

    def _model_chosen(self, row: int) -> None:
        choice = self.model_picker.itemData(row)
        if not choice:
            self.choose_model_file()
            return
        self.model_requested.emit(choice)

    def choose_model_file(self) -> None:
        """Ask for a .task file (a pose model downloaded elsewhere, or another variant) and load it."""
        path, _ = QFileDialog.getOpenFileName(self, "Choose a pose model", "", "Pose models (*.task)")
        if not path:
            self.set_model_choice(self.settings.model_choice or "full")
            return
        self.set_model_choice(path)
        self.model_requested.emit(path)

    def _place_notice(self) -> None:
        width = min(self.width() - 40, 1000)  # the central widget spans the window's width
        self.notice.setFixedWidth(width)
        self.notice.setFixedHeight(max(self.notice.heightForWidth(width), self.notice.sizeHint().height()))
        self.notice.move((self.width() - width) // 2, 8)

    # --- Qt events -----------------------------------------------------------------------------------------
    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt naming
        self.charts.setFixedHeight(max(150, int(self.height() * CHARTS_HEIGHT_FRACTION)))
        self._lay_out_for_reading()
        super().resizeEvent(event)
        self._place_notice()

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt naming
        """Full screen left some other way (window manager): show the controls again."""
        if (event.type() == QEvent.Type.WindowStateChange and self.coach_mode and not self.isFullScreen()
                and event.oldState() & Qt.WindowState.WindowFullScreen):
            self.set_coach_mode(False)
        super().changeEvent(event)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt naming
        self._slow_timer.stop()
        self.closed.emit()
        super().closeEvent(event)

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt naming
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt naming
        urls = event.mimeData().urls()
        local = [url.toLocalFile() for url in urls if url.isLocalFile()]
        if not local:
            self.show_notice("Drop a video file from this computer (web links cannot be played).")
            return
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        self.settings.last_video_dir = str(Path(local[0]).parent)
        self.open_video_requested.emit(local[0])


def _fps(value: float) -> str:
    return f"{value:.0f} fps" if math.isfinite(value) else "-- fps"
