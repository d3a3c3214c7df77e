"""Coaching: from gait metrics to a few short, calm cues (pure logic; the window shows and speaks them).

Wording follows the user's own documents (../shared/seeds): knees that "go in together when walking" (knee
valgus), feet and kneecaps pointing the same way, hips level, standing tall, even steps.

Rules
-----
Each fault rule watches one per-step figure (per foot where it makes sense) and has

* a threshold (``cue_above``, defaults in ``analysis.rules``, sources in ``analysis.thresholds``) and a lower release level (``off_below``): the gap is
  the hysteresis that keeps a figure hovering near the threshold from flipping the cue on and off;
* persistence: the fault starts only when ``PERSISTENCE_HITS`` of the last ``PERSISTENCE_WINDOW`` steps are
  past the threshold, and ends only when as many are back below the release level;
* step symmetry judges the low end of the step-time SI's 95 % interval over the last ``SYMMETRY_WINDOW_STEPS``
  steps, the same way: "Even out your steps" only once the whole interval is above the threshold (the steps are
  surely uneven), and off again once its low end is below the release level (no longer surely uneven);
* a priority (setup problems first, then the faults that matter most to knee, hip and back pain);
* praise: when a fault is corrected the coach says so once ("Knees tracking well").

A displayed cue stays up at least ``MIN_DISPLAY_S`` unless a more urgent one arrives, and the same cue is not
spoken again within ``SPEAK_COOLDOWN_S``.
"""
from __future__ import annotations

import math
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from analysis.results import FrameMetrics, StepMetrics, nan_mean
from analysis.summary import NO_SYMMETRY, symmetry_index_interval
from analysis.rules import (
    HYSTERESIS_FRACTION, KNEE_VALGUS, PELVIC_DROP, STEP_SYMMETRY, TOE_OUT, CoachingRule, cue_thresholds_with, rule_named,
)
from analysis.thresholds import TRUNK_LEAN_FORWARD_CUE_DEG, TRUNK_LEAN_LATERAL_CUE_DEG
from analysis.types import View

SETUP, FAULT, PRAISE = "setup", "fault", "praise"
# RuleStatus.state values. A figure and its state never contradict each other: FAULT (the coach cues it) only while
# the figure shown is past its aim, OK only while it is within it; WATCH where the two differ: past the aim but
# not (yet) on enough steps to be a pattern, or a fault still on whose figure is already back within the aim.
STATE_FAULT, STATE_WATCH, STATE_OK, STATE_UNKNOWN = "fault", "watch", "ok", "unknown"

PERSISTENCE_WINDOW = 4  # steps considered (per foot for per-foot rules)
PERSISTENCE_HITS = 3  # ... of which this many must agree to switch a fault on or off
# Step-time SI (with its interval) over the last 12 left + 12 right steps, about 13 s of walking: the cue waits
# for the interval's low end, and the interval narrows only as 1/sqrt(steps). A 15 % limp's low end clears 10 %
# in 22 % of synthetic walks with 8 steps a side, 40 % with 12 (benchmarks/si_interval.py, part 3); even walks
# never did. On 20-step walks (tests/test_symmetry_interval.py) 16 and 24 give the same counts.
SYMMETRY_WINDOW_STEPS = 24
MIN_DISPLAY_S = 3.0  # a cue stays up at least this long unless a more urgent one replaces it
PRAISE_DISPLAY_S = 4.0
SPEAK_COOLDOWN_S = 15.0
SETUP_PERSISTENCE_S = 1.0  # a set-up problem must last this long before it is shown (one bad frame is not)
TRUNK_LEAN_PERSISTENCE_S = 2.0
TOO_DARK_BRIGHTNESS = 40.0  # mean image luma (0-255) below which pose estimation degrades
SIDE_VIEW_HINT_AFTER_STEPS = 20  # frontal-only walking this long: suggest a side-on pass once for step length


@dataclass(frozen=True)
class Cue:
    """What the banner shows (``text``) and the voice says; ``detail`` is the smaller second line."""

    key: str
    text: str
    kind: str  # SETUP, FAULT or PRAISE
    priority: int  # higher is more urgent
    detail: str = ""


@dataclass(frozen=True)
class RuleStatus:
    """One rule for one foot (or both), for markers and tiles.

    Attributes
    ----------
    state
        ``STATE_FAULT`` while the fault is on and ``recent_value`` (as shown, rounded to whole units) is past the
        aim, ``STATE_OK`` while the fault is off and the value is within the aim, ``STATE_WATCH`` where the two
        differ, ``STATE_UNKNOWN`` before the figure was ever measured (e.g. knee alignment while only seen
        side-on).
    recent_value
        Mean of the figure over the steps the rule is judging now (its persistence window), in the rule's
        unit; NaN before any. Step symmetry: the SI of the coach's last ``SYMMETRY_WINDOW_STEPS`` steps, NaN
        while they hold fewer than ``SYMMETRY_MIN_STEPS_PER_SIDE`` step times a side.
    recent_low, recent_high
        Step symmetry only (NaN otherwise): the 95 % interval of ``recent_value``.
    """

    state: str
    recent_value: float
    recent_low: float = math.nan
    recent_high: float = math.nan
    fault_feet: tuple[str, ...] = ()  # per-foot rules: the (stance) feet whose fault is on


def past_aim(value: float, aim: float) -> bool:
    """Is ``value``, as people read it (rounded to whole units), not below ``aim``? ("9 deg, aim below 8")"""
    return math.isfinite(value) and round(value) >= aim


@dataclass(frozen=True)
class SetupObservation:
    """What the camera sees this frame, independent of gait."""

    t_s: float
    person_found: bool
    whole_body_in_view: bool
    other_people_count: int
    brightness: float  # mean luma 0-255 of the frame; NaN when unknown
    pose_plausible: bool = True  # the pose can be someone standing or walking (analysis.analyser's gates)


STEP_RULES: tuple[CoachingRule, ...] = (KNEE_VALGUS, PELVIC_DROP, TOE_OUT)  # judged step by step
SYMMETRY_RULE = STEP_SYMMETRY  # judged on the step-time symmetry index of the recent steps
TRUNK_KEY = "trunk_lean"
TRUNK_TEXT, TRUNK_PRAISE, TRUNK_PRIORITY = "Stand tall", "Standing tall, good", 30

SETUP_CUES = {
    "setup_no_person": Cue("setup_no_person", "Step into view", SETUP, 100,
                           "Stand 2-5 m from the camera, whole body in the picture"),
    "setup_dark": Cue("setup_dark", "Too dark", SETUP, 95, "Turn on a light or face a window"),
    "setup_people": Cue("setup_people", "Only one person in view please", SETUP, 90,
                        "GaitCoach follows one walker at a time"),
    "setup_feet": Cue("setup_feet", "Step back until I can see your feet", SETUP, 85,
                      "Your whole body, feet included, must be in the picture"),
    "setup_pose": Cue("setup_pose", "Stand up and walk in view", SETUP, 80,
                      "What I see is not someone standing or walking (sitting? a reflection?): nothing is measured"),
}
SIDE_VIEW_HINT = Cue("hint_side_view", "Turn side-on for step length", SETUP, 10,
                     "Walk across the camera's view for a few steps")


class Cooldown:
    """Lets each key through at most once per ``period_s`` (speech: never the same cue twice within it)."""

    def __init__(self, period_s: float = SPEAK_COOLDOWN_S) -> None:
        if not (math.isfinite(period_s) and period_s >= 0):
            raise ValueError(f"period_s must be a number >= 0, got {period_s!r}")
        self.period_s = period_s
        self._last_s: dict[str, float] = {}

    def allow(self, key: str, now_s: float) -> bool:
        """True (and remembered) when ``key`` last passed at least ``period_s`` before ``now_s``."""
        if now_s - self._last_s.get(key, -math.inf) < self.period_s:
            return False
        self._last_s[key] = now_s
        return True


@dataclass
class _FaultState:
    """Persistence + hysteresis for one rule and one foot (or both feet)."""

    history: deque = field(default_factory=lambda: deque(maxlen=PERSISTENCE_WINDOW))
    active: bool = False
    last_value: float = math.nan

    def add(self, value: float, on_above: float, off_below: float) -> str | None:
        """Record one value; returns "on" or "off" when the fault state flips."""
        if not math.isfinite(value):
            return None
        self.history.append(value)
        self.last_value = value
        if not self.active and sum(v > on_above for v in self.history) >= PERSISTENCE_HITS:
            self.active = True
            return "on"
        if self.active and sum(v < off_below for v in self.history) >= PERSISTENCE_HITS:
            self.active = False
            return "off"
        return None


class Coach:
    """Turns a stream of frames and steps into the one cue to show, and the cues to speak.

    Feed :meth:`observe_frame` every processed frame and :meth:`add_step` every completed step; read
    :attr:`cue` for the banner and call :meth:`take_speech` for what to say aloud now.

    Parameters
    ----------
    cue_thresholds
        Optional per-rule cue thresholds replacing the defaults (``analysis.rules``: key -> value in the rule's
        unit, within its allowed range; ValueError otherwise); each rule's release level follows its threshold.
    """

    def __init__(self, cue_thresholds: Mapping[str, float] | None = None) -> None:
        in_use = cue_thresholds_with(cue_thresholds)
        rules = tuple(replace(rule, cue_above=in_use[rule.key]) for rule in (*STEP_RULES, SYMMETRY_RULE))
        self._step_rules, self._symmetry_rule = rules[:-1], rules[-1]
        self._rules = {rule.key: rule for rule in rules}
        self._faults: dict[tuple[str, str | None], _FaultState] = {}
        self._step_times: deque[StepMetrics] = deque(maxlen=SYMMETRY_WINDOW_STEPS)
        self._symmetry = NO_SYMMETRY  # of the steps in _step_times
        self._setup_since: dict[str, float] = {}
        self._trunk_since: float | None = None
        self._trunk_active = False
        self._praise: tuple[Cue, float] | None = None
        self._displayed: Cue | None = None
        self._displayed_since = -math.inf
        self._speech_cooldown = Cooldown(SPEAK_COOLDOWN_S)
        self._speech: list[Cue] = []
        self._frontal_steps_without_side = 0
        self._side_hint_given = False
        self._now = 0.0

    # --- inputs ----------------------------------------------------------------------------------------------
    def observe_frame(self, setup: SetupObservation, metrics: FrameMetrics | None = None) -> Cue | None:
        """Update the set-up checks (and trunk lean) for one frame; returns the cue to display."""
        self._now = setup.t_s
        conditions = {
            "setup_no_person": not setup.person_found,
            "setup_dark": math.isfinite(setup.brightness) and setup.brightness < TOO_DARK_BRIGHTNESS,
            "setup_people": setup.other_people_count > 0,
            "setup_feet": setup.person_found and not setup.whole_body_in_view,
            "setup_pose": setup.person_found and setup.whole_body_in_view and not setup.pose_plausible,
        }
        for key, holds in conditions.items():
            if holds:
                self._setup_since.setdefault(key, setup.t_s)
            else:
                self._setup_since.pop(key, None)
        if metrics is not None:
            self._observe_trunk(setup.t_s, metrics)
        return self._refresh()

    def add_step(self, step: StepMetrics) -> Cue | None:
        """Update the fault rules with one completed step; returns the cue to display."""
        self._now = max(self._now, step.ic_t_s)
        for rule in self._step_rules:
            foot = step.foot if rule.per_foot else None
            state = self._faults.setdefault((rule.key, foot), _FaultState())
            self._on_flip(rule, state.add(rule.value(step), rule.cue_above, rule.off_below))
        if math.isfinite(step.step_time_s):  # a step without one (after a gap) brings no new evidence
            self._step_times.append(step)
            self._symmetry = symmetry_index_interval([s.step_time_s for s in self._step_times],
                                                     [s.foot for s in self._step_times])
            symmetry = self._symmetry_rule
            state = self._faults.setdefault((symmetry.key, None), _FaultState())
            self._on_flip(symmetry, state.add(self._symmetry.low_pct, symmetry.cue_above, symmetry.off_below))
        if step.view in View.SIDE:
            self._frontal_steps_without_side = 0
        else:
            self._frontal_steps_without_side += 1
        return self._refresh()

    # --- outputs ---------------------------------------------------------------------------------------------
    @property
    def cue(self) -> Cue | None:
        return self._displayed

    def take_speech(self) -> list[Cue]:
        """Cues to say aloud now (each at most once per ``SPEAK_COOLDOWN_S``); clears the list."""
        speech, self._speech = self._speech, []
        return speech

    def active_faults(self) -> dict[str, float]:
        """Rule key (with ``:left``/``:right`` for per-foot rules) -> latest value, for faults now active."""
        return {
            (key if foot is None else f"{key}:{foot}"): state.last_value
            for (key, foot), state in self._faults.items()
            if state.active
        }

    @property
    def cue_thresholds(self) -> dict[str, float]:
        """Rule key -> the threshold in use (defaults, or what was passed in)."""
        return {rule.key: rule.cue_above for rule in (*self._step_rules, self._symmetry_rule)}

    def rule_status(self, key: str, foot: str | None = None) -> RuleStatus:
        """The state of a rule for ``foot`` (or for either foot when None) and its recent value."""
        rule = self._rules[key] if key in self._rules else rule_named(key)  # ValueError for an unknown rule
        states = {f: state for (k, f), state in self._faults.items() if k == key and (foot is None or f == foot)}
        values = [value for state in states.values() for value in state.history]
        if key == self._symmetry_rule.key:  # its history holds interval low ends: report the SI itself
            figures = tuple(self._symmetry)
        else:
            figures = (nan_mean(values),)
        if not values:
            return RuleStatus(STATE_UNKNOWN, *figures)
        fault_feet = tuple(sorted(f for f, state in states.items() if state.active and f is not None))
        active = any(state.active for state in states.values())
        above = past_aim(figures[0], rule.cue_above)
        condition = STATE_FAULT if active and above else STATE_OK if not (active or above) else STATE_WATCH
        return RuleStatus(condition, *figures, fault_feet=fault_feet)

    # --- internals -------------------------------------------------------------------------------------------
    def _observe_trunk(self, t_s: float, metrics: FrameMetrics) -> None:
        limit = (
            TRUNK_LEAN_LATERAL_CUE_DEG if metrics.view in View.FRONTAL
            else TRUNK_LEAN_FORWARD_CUE_DEG if metrics.view in View.SIDE
            else math.nan
        )
        lean = metrics.trunk_lean_deg
        if not (math.isfinite(limit) and math.isfinite(lean)):
            return
        release = limit * (1.0 - HYSTERESIS_FRACTION)
        beyond = abs(lean) > limit if not self._trunk_active else abs(lean) > release
        if beyond:
            if self._trunk_since is None:
                self._trunk_since = t_s
            if not self._trunk_active and t_s - self._trunk_since >= TRUNK_LEAN_PERSISTENCE_S:
                self._trunk_active = True
        else:
            self._trunk_since = None
            if self._trunk_active:
                self._trunk_active = False
                self._praise = (Cue(TRUNK_KEY + "_praise", TRUNK_PRAISE, PRAISE, TRUNK_PRIORITY - 1), t_s)

    def _on_flip(self, rule: CoachingRule, flip: str | None) -> None:
        if flip == "off" and not any(
            state.active for (key, _), state in self._faults.items() if key == rule.key
        ):
            self._praise = (Cue(rule.key + "_praise", rule.praise_text, PRAISE, rule.priority - 1), self._now)

    def _fault_cue(self, rule: CoachingRule) -> Cue | None:
        """The rule's cue while its fault is on (hysteresis and persistence keep it from flickering; a tile shows
        WATCH, not OK, while its figure is back within the aim but the fault is not yet over)."""
        active = {foot: state for (key, foot), state in self._faults.items() if key == rule.key and state.active}
        if not active:
            return None
        # The aim is the threshold the charts, tiles and settings show (``cue_above``), not the lower release level:
        # the hysteresis is how the coach avoids flicker, not a second number for the user to learn.
        aim = f"{rule.cue_above:g}"
        if rule.per_foot:
            detail = ", ".join(rule.side_text(foot, nan_mean(state.history)) for foot, state in sorted(active.items()))
            detail += f" (aim below {aim}{rule.unit_symbol})"
        else:
            detail = f"{rule.label.lower()} {self._symmetry.text(missing='unknown')}, aim below {aim} %"
        return Cue(rule.key, rule.fault_text, FAULT, rule.priority, detail)

    def _candidates(self) -> list[Cue]:
        now = self._now
        cues = [SETUP_CUES[key] for key, since in self._setup_since.items() if now - since >= SETUP_PERSISTENCE_S]
        for rule in (*self._step_rules, self._symmetry_rule):
            cue = self._fault_cue(rule)
            if cue is not None:
                cues.append(cue)
        if self._trunk_active:
            cues.append(Cue(TRUNK_KEY, TRUNK_TEXT, FAULT, TRUNK_PRIORITY))
        if self._praise is not None:
            praise, since = self._praise
            if now - since <= PRAISE_DISPLAY_S:
                cues.append(praise)
            else:
                self._praise = None
        if not self._side_hint_given and self._frontal_steps_without_side >= SIDE_VIEW_HINT_AFTER_STEPS:
            cues.append(SIDE_VIEW_HINT)
        return cues

    def _refresh(self) -> Cue | None:
        now = self._now
        candidates = self._candidates()
        best = max(candidates, key=lambda cue: cue.priority, default=None)
        current = self._displayed
        still_valid = current is not None and any(c.key == current.key for c in candidates)
        if current is not None and best is not None and best.key == current.key:
            self._displayed = best  # same cue, maybe a fresher detail line
        elif best is None:
            if not still_valid and (current is None or now - self._displayed_since >= MIN_DISPLAY_S):
                self._displayed = None
        elif current is None or best.priority > current.priority or (
            now - self._displayed_since >= MIN_DISPLAY_S or not still_valid
        ):
            self._show(best)
        return self._displayed

    def _show(self, cue: Cue) -> None:
        self._displayed = cue
        self._displayed_since = self._now
        if cue.key == SIDE_VIEW_HINT.key:
            self._side_hint_given = True
        if self._speech_cooldown.allow(cue.key, self._now):
            self._speech.append(cue)
