"""The coaching rules, defined once.

Each rule says what it watches (a per-step figure), in which unit, from which default cue threshold (its source is
in ``analysis.thresholds``), which thresholds a user may choose instead, and whether each foot is judged alone.
The coach (``analysis.coaching``), the settings and their dialog, the live tiles and charts, the review and the
CLI all read this table; a session stores the thresholds it was coached with (``cue_thresholds``).
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from analysis.thresholds import (
    FOOT_PROGRESSION_NORMAL_MAX_DEG, KNEE_FPPA_VALGUS_CUE_DEG, PELVIC_DROP_CUE_DEG, SYMMETRY_INDEX_NOTABLE_PCT,
)

UNIT_SYMBOLS = {"deg": "\u00b0", "%": "%"}
HYSTERESIS_FRACTION = 0.25  # release level = threshold * (1 - this)


@dataclass(frozen=True)
class CoachingRule:
    """One fault the coach watches.

    ``cue_above`` is the default cue threshold (the coach's copy holds the one in use); ``allowed_range`` what a user
    may set instead, in ``unit``; ``step_field`` the ``analysis.results.StepMetrics`` figure it reads (step
    symmetry reads the step times and judges their symmetry index); ``per_foot``: each foot is judged alone.
    """

    key: str
    label: str
    unit: str
    cue_above: float
    allowed_range: tuple[float, float]
    per_foot: bool
    step_field: str
    fault_text: str
    praise_text: str
    priority: int
    side_format: str = "{foot} {value:.0f}{unit}"  # one foot's figure in a cue: {foot}, {other} foot, {value}

    @property
    def off_below(self) -> float:
        """The release level: a fault ends only below it (hysteresis against a figure hovering at the threshold)."""
        return self.cue_above * (1.0 - HYSTERESIS_FRACTION)

    @property
    def unit_symbol(self) -> str:
        return UNIT_SYMBOLS.get(self.unit, self.unit)

    def side_text(self, foot: str, value: float) -> str:
        """One foot's figure as a cue says it, e.g. "left knee 12°" or "right hip drops 9° (on your left leg)"."""
        other = "right" if foot == "left" else "left"
        return self.side_format.format(foot=foot, other=other, value=value, unit=self.unit_symbol)

    def value(self, step) -> float:
        """The figure this rule reads from one step (NaN where it does not apply)."""
        return getattr(step, self.step_field)

    def check_threshold(self, value: float) -> float:
        """``value`` as a float if a user may set it (ValueError otherwise, saying the range)."""
        low, high = self.allowed_range
        if not (isinstance(value, (int, float)) and math.isfinite(value) and low <= value <= high):
            raise ValueError(f"the {self.label} threshold ({self.key}) must be between {low:g} and {high:g} "
                             f"{self.unit}, got {value!r}")
        return float(value)


KNEE_VALGUS = CoachingRule(
    "knee_valgus", "Knee in (FPPA)", "deg", KNEE_FPPA_VALGUS_CUE_DEG, (3.0, 25.0), True, "knee_fppa_deg",
    "Knees out over your toes", "Knees tracking well", 60, "{foot} knee {value:.0f}{unit}")
PELVIC_DROP = CoachingRule(
    "pelvic_drop", "Pelvic drop", "deg", PELVIC_DROP_CUE_DEG, (3.0, 20.0), True, "pelvic_drop_deg",
    "Keep your hips level", "Hips level, well done", 40,
    # Each step's figure is the swing side's hip drop while the step's foot stands (Trendelenburg).
    "{other} hip drops {value:.0f}{unit} (on your {foot} leg)")
TOE_OUT = CoachingRule(
    "toe_out", "Toe-out", "deg", FOOT_PROGRESSION_NORMAL_MAX_DEG, (5.0, 40.0), True, "foot_progression_deg",
    "Point your feet straighter", "Feet pointing well", 20, "{foot} foot {value:.0f}{unit} out")
STEP_SYMMETRY = CoachingRule(
    "step_symmetry", "Step-time difference", "%", SYMMETRY_INDEX_NOTABLE_PCT, (3.0, 40.0), False, "step_time_s",
    "Even out your steps", "Nice even steps", 50)

COACHING_RULES: tuple[CoachingRule, ...] = (KNEE_VALGUS, PELVIC_DROP, TOE_OUT, STEP_SYMMETRY)
RULES: dict[str, CoachingRule] = {rule.key: rule for rule in COACHING_RULES}
DEFAULT_CUE_THRESHOLDS: dict[str, float] = {rule.key: rule.cue_above for rule in COACHING_RULES}


def rule_named(key: str) -> CoachingRule:
    """The rule called ``key`` (ValueError naming the known ones)."""
    try:
        return RULES[key]
    except KeyError:
        raise ValueError(f"unknown rule {key!r} (known: {', '.join(RULES)})") from None


def cue_thresholds_with(overrides: Mapping[str, float] | None = None) -> dict[str, float]:
    """Every rule's threshold: the defaults with ``overrides`` (each checked against its rule's allowed range)."""
    thresholds = dict(DEFAULT_CUE_THRESHOLDS)
    for key, value in (overrides or {}).items():
        thresholds[key] = rule_named(key).check_threshold(value)
    return thresholds
