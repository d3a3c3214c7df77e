"""The coaching rules are defined once (analysis.rules) and everything reads them: the coach, the live updates,
the settings. Pure: runs with numpy alone."""
from __future__ import annotations

import math

import pytest

from analysis.coaching import Coach
from analysis.rules import (
    COACHING_RULES, DEFAULT_CUE_THRESHOLDS, KNEE_VALGUS, RULES, STEP_SYMMETRY, cue_thresholds_with, rule_named,
)
from analysis.thresholds import THRESHOLDS


def test_each_rule_has_a_sourced_default_inside_its_allowed_range():
    sourced = {t.value for t in THRESHOLDS.values() if t.unit in ("deg", "%") and t.source}
    for rule in COACHING_RULES:
        low, high = rule.allowed_range
        assert 0 < low < rule.cue_above < high, rule.key
        assert rule.cue_above in sourced, rule.key  # from analysis.thresholds, with its source
        assert 0 < rule.off_below < rule.cue_above and rule.unit in ("deg", "%")
    assert list(RULES) == [rule.key for rule in COACHING_RULES] == list(DEFAULT_CUE_THRESHOLDS)


def test_thresholds_outside_a_rule_range_or_unknown_rules_are_refused_by_name():
    assert cue_thresholds_with({"knee_valgus": 11}) == {**DEFAULT_CUE_THRESHOLDS, "knee_valgus": 11.0}
    for bad in (2.9, 25.1, math.nan, math.inf, "12", None):
        with pytest.raises(ValueError, match=r"knee_valgus\) must be between 3 and 25 deg"):
            cue_thresholds_with({"knee_valgus": bad})
    with pytest.raises(ValueError, match="unknown rule 'knee'"):
        rule_named("knee")
    with pytest.raises(ValueError, match="step_symmetry"):
        Coach(cue_thresholds={"step_symmetry": 50.0})  # the coach checks the same ranges as the settings


def test_the_coach_and_the_live_updates_follow_the_registry():
    coach = Coach({"knee_valgus": 12.0})
    assert coach.cue_thresholds == {**DEFAULT_CUE_THRESHOLDS, "knee_valgus": 12.0}
    for rule in COACHING_RULES:
        assert coach.rule_status(rule.key).state == "unknown"
    assert STEP_SYMMETRY.value(type("Step", (), {"step_time_s": 0.55})()) == 0.55
    assert not STEP_SYMMETRY.per_foot and KNEE_VALGUS.per_foot and KNEE_VALGUS.unit_symbol == "\u00b0"

