"""Settings: the user's height (for step length in metres), the coaching thresholds, and whether sessions keep their
video."""
from __future__ import annotations

from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFormLayout, QLabel,
                               QPushButton)

from analysis.rules import COACHING_RULES, DEFAULT_CUE_THRESHOLDS
from analysis.thresholds import USER_HEIGHT_MAX_M, USER_HEIGHT_MIN_M
from gaitcoach.settings import AppSettings

NOT_SET = "not set"


class SettingsDialog(QDialog):
    """Edits a copy of the settings; :meth:`save` writes them back (the window calls it on OK)."""

    def __init__(self, settings: AppSettings, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("GaitCoach settings")
        self.settings = settings
        form = QFormLayout(self)
        self.height_m = QDoubleSpinBox()
        self.height_m.setRange(USER_HEIGHT_MIN_M - 0.01, USER_HEIGHT_MAX_M)  # the minimum stands for "not set"
        self.height_m.setSingleStep(0.01)
        self.height_m.setDecimals(2)
        self.height_m.setSuffix(" m")
        self.height_m.setSpecialValueText(NOT_SET)
        self.height_m.setValue(settings.user_height_m or self.height_m.minimum())
        form.addRow("Your height (for step length in metres)", self.height_m)
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
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def restore_defaults(self) -> None:
        for key, box in self.thresholds.items():
            box.setValue(DEFAULT_CUE_THRESHOLDS[key])

    def save(self) -> None:
        height = self.height_m.value()
        self.settings.user_height_m = None if height < USER_HEIGHT_MIN_M else round(height, 2)
        self.settings.cue_thresholds = {key: box.value() for key, box in self.thresholds.items()}
        self.settings.save_video = self.save_video.isChecked()
