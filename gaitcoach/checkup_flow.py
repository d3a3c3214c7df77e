"""The guided check-up, headless: which test is on, what to tell the person, when each test has its figures.

A :class:`CheckupFlow` is fed the live run's frames (``add``: the pose and the picture's brightness) and walks
through the tests of ``analysis.checkup`` the way a physiotherapist guides a patient over video: the set-up check
until every item is right, then for each test an instruction (shown large and spoken), a few seconds to get
ready, the measuring (with a progress figure; the squat's repetitions counted aloud), and its result. The Qt
window (``ui.checkup_window``) only shows :class:`FlowState` and says :attr:`FlowState.speech`; a test drives the
same flow with a synthetic or recorded stream.
"""
from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field

from analysis.analyser import GaitAnalyser
from analysis.checkup import (
    SETUP, SINGLE_LEG_SQUAT, STANDING_ALIGNMENT, STANDING_POSTURE, TIMED_WALK, CheckupRow, SetupItem,
    SquatCounter, SquatRep, TestResult, assess_setup, setup_passed, squat_results, standing_alignment, standing_posture,
    walk_results,
)
from analysis.thresholds import TIMED_WALK_S
from analysis.types import LEFT, RIGHT, PoseFrame

SETUP_WINDOW_S = 3.0  # the set-up check judges the last 3 s of frames ...
SETUP_EVERY_S = 1.0  # ... once a second
GET_READY_S = 4.0  # time to take the position after an instruction, before measuring
STANDING_MEASURE_S = 6.0  # each standing test measures this long (issue 14: ~5 s standing still)
SQUAT_REPS_PER_LEG = 5
SQUAT_MAX_S = 45.0  # a leg's squats end after this long even with fewer repetitions
RESULT_SHOW_S = 6.0  # a test's result stays up this long before the next instruction
COUNT_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")

# Steps in order: (key, test, title, instruction).
STEPS: tuple[tuple[str, str, str, str], ...] = (
    ("setup", SETUP, "Set-up check",
     "Stand facing the camera, about 3 metres away, so it sees you from head to feet."),
    ("standing_alignment", STANDING_ALIGNMENT, "Standing, facing the camera",
     "Face the camera and stand still, feet hip-width apart, arms relaxed."),
    ("standing_posture", STANDING_POSTURE, "Standing, side-on",
     "Turn side-on to the camera and stand still, arms relaxed, looking ahead."),
    ("squat_right", SINGLE_LEG_SQUAT, "Single-leg squat, right leg",
     "Face the camera. Stand on your right leg, lift the left foot, and squat slowly 5 times."),
    ("squat_left", SINGLE_LEG_SQUAT, "Single-leg squat, left leg",
     "Now stand on your left leg, lift the right foot, and squat slowly 5 times."),
    ("timed_walk", TIMED_WALK, "One-minute walk",
     "Walk toward the camera and back for one minute, turning around away from it."),
)
GET_READY, MEASURING, RESULT, DONE = "get_ready", "measuring", "result", "done"


@dataclass(frozen=True)
class FlowState:
    """What the check-up window shows now."""

    step: int  # index into STEPS (len(STEPS) when done)
    phase: str  # GET_READY, MEASURING, RESULT or DONE
    title: str
    instruction: str
    progress: float  # 0-1 of this step's measuring
    detail: str  # a line under the instruction: a countdown, the repetitions so far, the set-up's advice
    setup_items: tuple[SetupItem, ...] = ()
    result: TestResult | None = None  # the step's result (RESULT phase)
    speech: tuple[str, ...] = ()  # to say now (never repeated in later states)


@dataclass
class _Step:
    frames: list[PoseFrame] = field(default_factory=list)
    started_s: float = math.nan  # when its phase began
    measuring_from_s: float = math.nan


class CheckupFlow:
    """The check-up's steps, fed one frame at a time (from one thread); ``state`` after each ``add``."""

    def __init__(self, user_height_m: float | None = None) -> None:
        self.user_height_m = user_height_m
        self.results: dict[str, TestResult] = {}
        self.setup_items: tuple[SetupItem, ...] = ()
        self._step = 0
        self._phase = GET_READY
        self._data = _Step()
        self._recent: deque[tuple[PoseFrame, float]] = deque()  # the set-up check's window: (frame, brightness)
        self._setup_due_s = -math.inf
        self._speech: list[str] = [STEPS[0][3]]
        self._squats = SquatCounter()
        self._squat_reps: list[SquatRep] = []  # the scored legs' repetitions of both squat steps
        self._walk: GaitAnalyser | None = None
        self._walk_steps = 0  # the timed walk's steps so far
        self._last_t = math.nan
        self.state = self._state()

    # --- public ------------------------------------------------------------------------------------------------
    @property
    def done(self) -> bool:
        return self._phase == DONE

    def rows(self) -> list[CheckupRow]:
        """Every figure so far: the set-up items, then each measured test's rows (checkup.csv order)."""
        rows = [item.row() for item in self.setup_items]
        for key, test, _, _ in STEPS[1:]:
            if key == "squat_left":
                continue  # both legs' squats are one test: its rows come once, with each leg's figures
            if test == SINGLE_LEG_SQUAT and ("squat_right" in self.results or "squat_left" in self.results):
                rows += list(squat_results(self._squat_reps).rows)
            elif key in self.results:
                rows += list(self.results[key].rows)
        return rows

    @property
    def squat_counter(self) -> SquatCounter:
        """The squat step's counter (its repetitions so far)."""
        return self._squats

    def repeat(self) -> None:
        """Do the test just measured again (its result is replaced)."""
        if self._phase == RESULT:
            key = STEPS[self._step][0]
            self.results.pop(key, None)
            if key.startswith("squat"):
                leg = RIGHT if key == "squat_right" else LEFT
                self._squat_reps = [r for r in self._squat_reps if r.leg != leg]
            self._phase, self._data = GET_READY, _Step(started_s=self._last_t)
            self._speech.append(STEPS[self._step][3])
            self.state = self._state()

    def skip(self) -> None:
        """Skip the current test (e.g. a squat the person should not do); its figures stay empty."""
        if self._phase != DONE:
            self._next_step(self._last_t)
            self.state = self._state()

    def add(self, frame: PoseFrame, brightness: float) -> FlowState:
        """Feed a frame (and its picture's mean grey level); return the new state."""
        t = frame.t_s
        self._last_t = t
        if math.isnan(self._data.started_s):
            self._data.started_s = t
        key = STEPS[self._step][0] if self._step < len(STEPS) else ""
        if self._phase == DONE:
            pass
        elif key == "setup":
            self._setup(frame, brightness, t)
        elif self._phase == GET_READY and t - self._data.started_s >= GET_READY_S:
            self._phase, self._data.measuring_from_s = MEASURING, t
            self._speech.append("Go." if key != "timed_walk" else "Start walking now.")
            if key.startswith("squat"):
                self._squats = SquatCounter()
            if key == "timed_walk":
                self._walk = GaitAnalyser(user_height_m=self.user_height_m)
                self._walk_steps = 0
        elif self._phase == MEASURING:
            self._measure(key, frame, t)
        elif self._phase == RESULT and t - self._data.started_s >= RESULT_SHOW_S:
            self._next_step(t)
        self.state = self._state()
        return self.state

    # --- steps -------------------------------------------------------------------------------------------------
    def _setup(self, frame: PoseFrame, brightness: float, t: float) -> None:
        self._recent.append((frame, brightness))
        while t - self._recent[0][0].t_s > SETUP_WINDOW_S:
            self._recent.popleft()
        if t < self._setup_due_s or t - self._recent[0][0].t_s < 0.9 * SETUP_WINDOW_S:
            return
        self._setup_due_s = t + SETUP_EVERY_S
        frames = [f for f, _ in self._recent]
        lights = [b for _, b in self._recent if math.isfinite(b)]
        items = tuple(assess_setup(frames, sum(lights) / len(lights) if lights else math.nan, self.user_height_m))
        advice = next((item.advice for item in items if item.advice), "")
        if advice and advice != next((i.advice for i in self.setup_items if i.advice), ""):
            self._speech.append(advice)
        self.setup_items = items
        if setup_passed(items):
            self.results["setup"] = TestResult(SETUP, tuple(item.row() for item in items))
            self._speech.append("Your set-up is right.")
            self._next_step(t)

    def _measure(self, key: str, frame: PoseFrame, t: float) -> None:
        elapsed = t - self._data.measuring_from_s
        if key in ("standing_alignment", "standing_posture"):
            self._data.frames.append(frame)
            if elapsed >= STANDING_MEASURE_S:
                result = (standing_alignment(self._data.frames) if key == "standing_alignment"
                          else standing_posture(self._data.frames, self.user_height_m))
                self._finish(key, result, t)
        elif key.startswith("squat"):
            leg = RIGHT if key == "squat_right" else LEFT
            rep = self._squats.push(frame)
            if rep is not None and rep.leg == leg:
                count = sum(r.leg == leg for r in self._squats.reps)
                word = COUNT_WORDS[count - 1] if count <= len(COUNT_WORDS) else str(count)
                self._speech.append(word.capitalize() + ("" if rep.scored else
                                                         " - a bit deeper" if rep.too_shallow else
                                                         " - keep the other foot up"))
            done = sum(r.leg == leg for r in self._squats.reps) >= SQUAT_REPS_PER_LEG
            if done or elapsed >= SQUAT_MAX_S:
                reps = [r for r in self._squats.reps if r.leg == leg]
                self._squat_reps += reps
                self._finish(key, squat_results(reps, legs=(leg,)), t)
        elif key == "timed_walk":
            assert self._walk is not None
            self._walk.update(frame)
            self._walk_steps += len(self._walk.new_steps_)
            if elapsed >= TIMED_WALK_S:
                self._walk.finish()
                self._finish(key, walk_results(self._walk.summary()), t)

    def _finish(self, key: str, result: TestResult, t: float) -> None:
        self.results[key] = result
        self._phase, self._data = RESULT, _Step(started_s=t)
        self._speech.append("Done." if result.measured else result.reason)

    def _next_step(self, t: float) -> None:
        self._step += 1
        self._data = _Step(started_s=t)
        if self._step >= len(STEPS):
            self._phase = DONE
            self._speech.append("The check-up is complete. Well done.")
            return
        self._phase = GET_READY
        self._speech.append(STEPS[self._step][3])

    # --- state -------------------------------------------------------------------------------------------------
    def _state(self) -> FlowState:
        speech, self._speech = tuple(self._speech), []
        if self._phase == DONE:
            return FlowState(len(STEPS), DONE, "Check-up complete", "Well done: your results are below.", 1.0, "",
                             self.setup_items, None, speech)
        key, _, title, instruction = STEPS[self._step]
        t = self._last_t
        progress, detail = 0.0, ""
        if key == "setup":
            detail = next((item.advice for item in self.setup_items if item.advice), "Checking...")
        elif self._phase == RESULT:
            after = STEPS[self._step + 1][2] if self._step + 1 < len(STEPS) else "the results"
            left_s = RESULT_SHOW_S - (t - self._data.started_s)
            detail = f"Next: {after}, in {max(1, math.ceil(left_s))} s"
        elif self._phase == GET_READY:
            left_s = GET_READY_S - (t - self._data.started_s) if math.isfinite(t) else GET_READY_S
            detail = f"Starting in {max(1, math.ceil(left_s))}..."
        elif self._phase == MEASURING:
            elapsed = t - self._data.measuring_from_s
            if key.startswith("squat"):
                leg = RIGHT if key == "squat_right" else LEFT
                count = sum(r.leg == leg for r in self._squats.reps)
                progress = min(1.0, count / SQUAT_REPS_PER_LEG)
                detail = f"Repetitions: {count} of {SQUAT_REPS_PER_LEG}"
            else:
                total = TIMED_WALK_S if key == "timed_walk" else STANDING_MEASURE_S
                progress = min(1.0, elapsed / total)
                detail = f"{max(0, math.ceil(total - elapsed))} s to go"
                if key == "timed_walk":
                    detail += f" \u00b7 {self._walk_steps} steps"
        result = self.results.get(key) if self._phase == RESULT else None
        return FlowState(self._step, self._phase, title, instruction, progress, detail, self.setup_items, result,
                         speech)
