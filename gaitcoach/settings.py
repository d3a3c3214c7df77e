"""What the app remembers between runs (QSettings): camera, last video folder, model, height, cue thresholds,
spoken cues, demo fault. A missing or damaged value reads as its default, never as an error."""
from __future__ import annotations

import math
import re

from PySide6.QtCore import QSettings

from analysis.rules import COACHING_RULES, DEFAULT_CUE_THRESHOLDS, rule_named
from analysis.thresholds import USER_HEIGHT_MAX_M, USER_HEIGHT_MIN_M, check_user_height_m
from gaitcoach.demo import DEMO_FAULTS
from gaitcoach.live import LiveConfig
from gaitcoach.store.schema import DEFAULT_PERSON, StoreError
from gaitcoach.store.sessions import person_name

CM_PER_INCH = 2.54
INCHES_PER_FOOT = 12
_NUMBER = r"(\d+(?:[.,]\d+)?)"
_FEET_INCHES = re.compile(
    rf"^{_NUMBER}\s*(?:'|ft|feet|foot)\s*(?:{_NUMBER}\s*(?:\"|''|in|inch|inches)?)?$")
_WITH_UNIT = re.compile(rf"^{_NUMBER}\s*(m|cm|in|inch|inches|\")$")


def parse_height(text: str) -> float | None:
    """A height as people type it, in metres: "1.75", "1,75 m", "175", "175 cm", "5'9\"", "5 ft 9 in", "69 in";
    None for an empty text. ValueError says what was not understood, or the plausible range."""
    cleaned = text.strip().lower().replace("\u2032", "'").replace("\u2033", '"')
    if not cleaned:
        return None

    def number(digits: str) -> float:
        return float(digits.replace(",", "."))

    if match := _FEET_INCHES.match(cleaned):
        feet, inches = number(match[1]), number(match[2]) if match[2] else 0.0
        height_m = (feet * INCHES_PER_FOOT + inches) * CM_PER_INCH / 100
    elif match := _WITH_UNIT.match(cleaned):
        value, unit = number(match[1]), match[2]
        height_m = value if unit == "m" else value / 100 if unit == "cm" else value * CM_PER_INCH / 100
    elif re.fullmatch(_NUMBER, cleaned):
        value = number(cleaned)
        if 3 <= value < 8:  # no one is 5.9 m tall: feet and inches meant
            raise ValueError(f'"{text.strip()}": for feet and inches type e.g. 5 ft 9 in (or 5\'9")')
        height_m = value / 100 if value >= 100 else value  # 175 is centimetres, 1.75 metres
    else:
        raise ValueError(f'"{text.strip()}" is not a height: type e.g. 1.75 m, 175 cm or 5 ft 9 in')
    try:
        return check_user_height_m(height_m)
    except ValueError:
        low, high = USER_HEIGHT_MIN_M, USER_HEIGHT_MAX_M
        raise ValueError(f'"{text.strip()}" reads as {height_m:.2f} m; a height between {low:g} and {high:g} m '
                         "is expected") from None


def height_text(height_m: float) -> str:
    """ "1.75 m (5 ft 9 in)": a height in metres and in feet and inches."""
    total_in = round(height_m * 100 / CM_PER_INCH)
    return f"{height_m:.2f} m ({total_in // INCHES_PER_FOOT} ft {total_in % INCHES_PER_FOOT} in)"


class AppSettings:
    """Typed access to the remembered settings. Pass a ``QSettings`` (tests use a temporary INI file)."""

    def __init__(self, store: QSettings | None = None) -> None:
        self.store = store if store is not None else QSettings()

    def _float(self, key: str) -> float | None:
        try:
            value = float(self.store.value(key, math.nan))
        except (TypeError, ValueError):
            return None
        return value if math.isfinite(value) else None

    # --- source --------------------------------------------------------------------------------------------
    @property
    def camera_index(self) -> int | None:
        value = self._float("source/camera_index")
        return int(value) if value is not None and value >= 0 and value == int(value) else None

    @camera_index.setter
    def camera_index(self, index: int) -> None:
        self.store.setValue("source/camera_index", int(index))

    @property
    def last_video_dir(self) -> str:
        return str(self.store.value("source/last_video_dir", "") or "")

    @last_video_dir.setter
    def last_video_dir(self, folder: str) -> None:
        self.store.setValue("source/last_video_dir", folder)

    @property
    def demo_fault(self) -> str:
        fault = str(self.store.value("demo/fault", "valgus"))
        return fault if fault in DEMO_FAULTS else "valgus"

    @demo_fault.setter
    def demo_fault(self, fault: str) -> None:
        if fault not in DEMO_FAULTS:
            raise ValueError(f"demo fault must be one of {', '.join(DEMO_FAULTS)}, got {fault!r}")
        self.store.setValue("demo/fault", fault)

    # --- who walks ----------------------------------------------------------------------------------------
    @property
    def person(self) -> str:
        """Who is walking: the sessions recorded now are theirs (progress is per person)."""
        try:
            return person_name(str(self.store.value("user/person", DEFAULT_PERSON))) or DEFAULT_PERSON
        except StoreError:
            return DEFAULT_PERSON

    @person.setter
    def person(self, name: str) -> None:
        name = person_name(name) or DEFAULT_PERSON  # StoreError says what a name may be
        self.store.setValue("user/person", name)
        self.store.setValue("user/people", [*dict.fromkeys([*self.people, name])])

    @property
    def people(self) -> list[str]:
        """Everyone named here so far (the settings dialog offers them)."""
        stored = self.store.value("user/people", [])
        names = [stored] if isinstance(stored, str) else list(stored or [])
        kept = []
        for name in names:
            try:
                kept.append(person_name(str(name)))
            except StoreError:
                continue
        return [*dict.fromkeys(name for name in [DEFAULT_PERSON, *kept] if name)]

    # --- model ---------------------------------------------------------------------------------------------
    @property
    def model_choice(self) -> str | None:
        """A variant (lite, full, heavy) or a .task path the user picked; None: the default search."""
        value = self.store.value("model/choice", "")
        return str(value) if value else None

    @model_choice.setter
    def model_choice(self, choice: str | None) -> None:
        self.store.setValue("model/choice", choice or "")

    @property
    def faster_model_when_slow(self) -> bool:
        """Switch to the lite model by itself when the computer cannot keep up (off: the window offers it)."""
        return self._flag("model/faster_when_slow", default=False)

    @faster_model_when_slow.setter
    def faster_model_when_slow(self, on: bool) -> None:
        self._set_flag("model/faster_when_slow", on)

    # --- analysis and coaching ---------------------------------------------------------------------------
    @property
    def user_height_m(self) -> float | None:
        try:
            return check_user_height_m(self._float("user/height_m"))
        except ValueError:  # a damaged value reads as its default
            return None

    @user_height_m.setter
    def user_height_m(self, height_m: float | None) -> None:
        height_m = check_user_height_m(height_m)
        self.store.setValue("user/height_m", "" if height_m is None else height_m)

    @property
    def cue_thresholds(self) -> dict[str, float]:
        """Rule key -> threshold: the remembered value where the rule allows it (``analysis.rules``), else the
        default."""
        thresholds = dict(DEFAULT_CUE_THRESHOLDS)
        for rule in COACHING_RULES:
            value = self._float(f"coach/{rule.key}")
            low, high = rule.allowed_range
            if value is not None and low <= value <= high:
                thresholds[rule.key] = value
        return thresholds

    @cue_thresholds.setter
    def cue_thresholds(self, thresholds: dict[str, float]) -> None:
        checked = {key: rule_named(key).check_threshold(value) for key, value in thresholds.items()}
        for key, value in checked.items():  # all checked before any is written
            self.store.setValue(f"coach/{key}", value)

    def _flag(self, key: str, *, default: bool) -> bool:
        # QSettings' INI back-end hands booleans back as strings
        text = str(self.store.value(key, "true" if default else "false")).lower()
        return text in ("true", "1", "yes") if not default else text not in ("false", "0", "no")

    def _set_flag(self, key: str, on: bool) -> None:
        self.store.setValue(key, "true" if on else "false")

    @property
    def speak_cues(self) -> bool:
        return self._flag("coach/speak", default=True)

    @speak_cues.setter
    def speak_cues(self, on: bool) -> None:
        self._set_flag("coach/speak", on)

    @property
    def safety_note_seen(self) -> bool:
        """The user acknowledged, at first start, that this is coaching and not a diagnosis."""
        return self._flag("app/safety_note_seen", default=False)

    @safety_note_seen.setter
    def safety_note_seen(self, seen: bool) -> None:
        self._set_flag("app/safety_note_seen", seen)

    @property
    def save_video(self) -> bool:
        """Keep the video of each session beside its measurements (off by default: only figures are stored)."""
        return self._flag("sessions/save_video", default=False)

    @save_video.setter
    def save_video(self, on: bool) -> None:
        self._set_flag("sessions/save_video", on)

    @property
    def pain_diary(self) -> bool:
        """Ask about pain before and after each walking session (the pain diary; one key skips it)."""
        return self._flag("sessions/pain_diary", default=True)

    @pain_diary.setter
    def pain_diary(self, on: bool) -> None:
        self._set_flag("sessions/pain_diary", on)

    def live_config(self) -> LiveConfig:
        return LiveConfig(user_height_m=self.user_height_m, cue_thresholds=self.cue_thresholds)
