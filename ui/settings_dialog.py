"""Settings: who walks, the user's height (for step length in metres), the coaching thresholds, whether sessions keep
their video, and whether to switch to the faster pose model by itself when the computer cannot keep up."""
from __future__ import annotations

from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout,
                               QLabel, QLineEdit, QPushButton)

from analysis.rules import COACHING_RULES, DEFAULT_CUE_THRESHOLDS
from gaitcoach.settings import AppSettings, height_text, parse_height
from gaitcoach.store.schema import PERSON_NAME_MAX_CHARS

NOT_SET = "not set: step length is given in leg lengths"
HEIGHT_HINT = "e.g. 1.75 m, 175 cm or 5 ft 9 in"


class SettingsDialog(QDialog):
    """Edits a copy of the settings; :meth:`save` writes them back (the window calls it on OK)."""

    def __init__(self, settings: AppSettings, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("GaitCoach settings")
        self.settings = settings
        form = QFormLayout(self)
        self.person = QComboBox()  # who walks: their progress gets the sessions recorded from now on
        self.person.setEditable(True)
        self.person.addItems(settings.people)
        self.person.setCurrentText(settings.person)
        self.person.lineEdit().setMaxLength(PERSON_NAME_MAX_CHARS)
        self.person.setToolTip("Each person's progress is kept apart; type a new name to add someone.")
        form.addRow("Who is walking", self.person)
        self.height = QLineEdit(f"{settings.user_height_m:.2f} m" if settings.user_height_m else "")
        self.height.setPlaceholderText(HEIGHT_HINT)
        self.height.setClearButtonEnabled(True)
        self.height_read = QLabel()  # what was understood, so 175 is never silently "not set"
        form.addRow("Your height (for step length in metres)", self.height)
        form.addRow("", self.height_read)
        form.addRow(QLabel("Coaching thresholds"))
        self.thresholds: dict[str, QDoubleSpinBox] = {}
        current = settings.cue_thresholds
        for rule in COACHING_RULES:
            box = QDoubleSpinBox()
            box.setRange(*rule.allowed_range)
            box.setDecimals(1)
            box.setSuffix(f" {rule.unit_symbol}")
            box.setValue(current[rule.key])
            self.thresholds[rule.key] = box
            form.addRow(f"{rule.label} cue above", box)
        defaults = QPushButton("Restore default thresholds")
        defaults.clicked.connect(self.restore_defaults)
        form.addRow(defaults)
        self.save_video = QCheckBox("Save the video of each session (off: only the measurements are kept)")
        self.save_video.setChecked(settings.save_video)
        form.addRow(self.save_video)
        self.faster_model = QCheckBox("Switch to the faster pose model by itself when this computer cannot keep up")
        self.faster_model.setToolTip("When too few camera frames can be analysed, steps are missed. Off: GaitCoach "
                                     "says so and offers the switch.")
        self.faster_model.setChecked(settings.faster_model_when_slow)
        form.addRow(self.faster_model)
        self.pain_diary = QCheckBox("Ask how much it hurts before and after each session (the pain diary)")
        self.pain_diary.setChecked(settings.pain_diary)
        form.addRow(self.pain_diary)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.height.textChanged.connect(self._read_height)
        self._read_height()

    def _read_height(self) -> None:
        """Say what the typed height reads as; OK waits for one that can be read."""
        try:
            height_m = parse_height(self.height.text())
        except ValueError as error:
            self.height_read.setText(f"\u26a0 {error}")
            self.height_read.setStyleSheet("color: #b00020;")
            self.ok_button.setEnabled(False)
            return
        self.height_read.setText(NOT_SET if height_m is None else f"= {height_text(height_m)}")
        self.height_read.setStyleSheet("")
        self.ok_button.setEnabled(True)

    def restore_defaults(self) -> None:
        for key, box in self.thresholds.items():
            box.setValue(DEFAULT_CUE_THRESHOLDS[key])

    def save(self) -> None:
        self.settings.person = self.person.currentText()
        height_m = parse_height(self.height.text())
        self.settings.user_height_m = None if height_m is None else round(height_m, 2)
        self.settings.cue_thresholds = {key: box.value() for key, box in self.thresholds.items()}
        self.settings.save_video = self.save_video.isChecked()
        self.settings.faster_model_when_slow = self.faster_model.isChecked()
        self.settings.pain_diary = self.pain_diary.isChecked()
