"""The gait analyser: live (``GaitAnalyser.update``, one frame at a time) and offline (``analyse_recording``).

Both paths share every step: the same per-frame preprocessing (view, label-free event signals, glitch test), the
same event detector and validator (``analysis.events``) and the same step builder (``analysis.steps``).

* Events: both paths smooth the event signals with the same local quadratic fit (Savitzky & Golay 1964,
  ``_LocalSmoother``) with a fixed delay of a few frames, so events are confirmed within ``MAX_EVENT_LATENCY_S``
  (150 ms) of happening live, and the offline path finds exactly the same ones
  (``tests/test_analysis_accuracy.py``). Initial contacts are then moved to the heel's corner fitted on the raw
  samples the live path has seen when it confirms them, where the path has one (``analysis.events.ContactTimer``);
  the offline path feeds the timer the same raw samples in the same order. Only the feet may differ: offline, each
  run of contacts gets the phase all of its evidence points to; live, the evidence so far
  (``analysis.events.FootLabeller``).
* Metrics (angles, step lengths): live, the same local fit; offline, a 4th-order 6 Hz Butterworth run forwards
  and backwards (Winter 2009) over each gap-free segment. The per-frame display figures of the live path
  (``FrameMetrics``) use a One Euro filter with no delay (Casiez et al. 2012).
"""
from __future__ import annotations

import math
import statistics
from collections import deque
from dataclasses import dataclass, replace

import numpy as np

from analysis.events import Contact, EventDetector, FootLabeller, TravelMeter, foot_of, run_phase
from analysis.filters import OneEuroFilter, butterworth_zero_phase, local_quadratic
from analysis.landmarks import (
    LEFT_ANKLE, LEFT_FOOT_INDEX, LEFT_HEEL, LEFT_HIP, LEFT_KNEE, LEFT_SHOULDER, PRESENCE,
    RIGHT_ANKLE, RIGHT_FOOT_INDEX, RIGHT_HEEL, RIGHT_HIP, RIGHT_KNEE, RIGHT_SHOULDER, VISIBILITY, X_PX, Y_PX,
)
from analysis.geometry import (
    EV, FOOT_IMAGE_SIGNALS, SAMPLE_IMAGE_WORLD_LEN, SAMPLE_LANDMARKS_LEN, SAMPLE_LEN, USED_LANDMARKS, F, SampleGeometry, landmark_fields, sample_features, sample_landmarks, N_USED,
)
from analysis.results import FrameMetrics, StepMetrics, SummaryRow
from analysis.steps import StepBuilder
from analysis.summary import RunningSummary, cadence_steps_per_min, summarise
from analysis.thresholds import (
    BACKWARD_WALKING_SPEED_LEG_S,
    BACKWARD_WINDOW_S,
    BUTTERWORTH_CUTOFF_HZ,
    CADENCE_WINDOW_STEPS,
    ENVELOPE_GLITCH_LEG,
    ENVELOPE_GLITCH_WINDOW_S,
    ENVELOPE_MAX_BACKWARD_SPEED_LEG_S,
    EVENT_MIN_VISIBILITY,
    EVENT_SMOOTHING_PAST_FACTOR,
    EVENT_SMOOTHING_HALF_WINDOW_S,
    LABEL_SWAP_GAIN,
    LABEL_SWAP_MAX_S,
    MAX_GAP_FILL_S,
    MAX_STEP_TIME_S,
    MIN_VISIBILITY,
    ONE_EURO_BETA_PER_M,
    ONE_EURO_BETA_PER_PX,
    ONE_EURO_MIN_CUTOFF_HZ,
    SEGMENT_LENGTH_HISTORY,
    SEATED_THIGH_TO_TRUNK_DEG,
    SEGMENT_LENGTH_MAX_RATIO,
    SEGMENT_LENGTH_MIN_FRAMES,
    UPRIGHT_ANKLES_BELOW_HIPS_TORSO,
    UPRIGHT_HIPS_BELOW_SHOULDERS_TORSO,
    UPRIGHT_KNEES_BELOW_HIPS_TORSO,
    check_user_height_m,
)
from analysis.types import INITIAL_CONTACT, GaitEvent, PoseFrame, View
from analysis.view import BodyVertical, ViewClassifier

# Sample fields (analysis.geometry: a frame as one flat vector) of each used landmark, and of the leg landmarks
# whose left/right labels MediaPipe may swap, as (left, right) pairs.
_FIELDS = [landmark_fields(landmark) for landmark in USED_LANDMARKS]
_LEG_PAIRS = [(landmark_fields(left), landmark_fields(right)) for left, right in (
    (LEFT_KNEE, RIGHT_KNEE), (LEFT_ANKLE, RIGHT_ANKLE), (LEFT_HEEL, RIGHT_HEEL), (LEFT_FOOT_INDEX, RIGHT_FOOT_INDEX))]
# The live display's One Euro speed coefficient of each image (px) and world (m) coordinate of a sample.
_ONE_EURO_BETA = np.concatenate([np.full(2 * N_USED, ONE_EURO_BETA_PER_PX), np.full(3 * N_USED, ONE_EURO_BETA_PER_M)])
# The signals events are detected from (smoothed the same way in both paths).
_DETECTION_NAMES = ("heel_front", "toe_back", "heel_lift_left", "heel_lead_left", "leg_px",
                    *(name for names in FOOT_IMAGE_SIGNALS.values() for name in names))
_DETECTION_SIGNALS = np.array([EV[n] for n in _DETECTION_NAMES])
_DETECTION_COLUMNS = np.array([F[n] for n in _DETECTION_NAMES])
_SWING_VIEWS = (View.FACING,)  # where SwingDetector's contacts count, when walking overground (analysis.events)
_RAW_HEEL_FRONT = SAMPLE_LANDMARKS_LEN + EV["heel_front"]  # the raw front heel in a sample (contact timing)
_RAW_HEEL_LEAD = SAMPLE_LANDMARKS_LEN + EV["heel_lead_left"]  # and the left heel's lead (the back heel's timing)


@dataclass(frozen=True)
class RecordingAnalysis:
    """Result of ``analyse_recording``.

    Attributes
    ----------
    frame_indices, t_s
        Per analysed frame (same order as ``frames``).
    frames
        ``FrameMetrics`` per frame (from the zero-phase filtered landmarks).
    events
        Accepted gait events in time order.
    steps
        Completed steps.
    summary
        Summary rows (``analysis.columns.SUMMARY_METRICS`` order).
    rejected_events
        Candidate events the sequence validator rejected.
    gated_frames
        Frames whose pose was not plausible (``implausible_pose``), by reason: gaps, never figures.
    measured
        Per frame: was its pose measured (found and plausible)?
    other_people_contacts
        Initial contacts of people other than the walker, left out of the events, steps and summary: a recording
        is one person's walk (see ``_walker``).
    """

    frame_indices: tuple[int, ...]
    t_s: tuple[float, ...]
    frames: tuple[FrameMetrics, ...]
    events: tuple[GaitEvent, ...]
    steps: tuple[StepMetrics, ...]
    summary: tuple[SummaryRow, ...]
    rejected_events: int
    gated_frames: dict[str, int]
    measured: tuple[bool, ...]
    other_people_contacts: int = 0


class _Preprocessor:
    """Per raw frame: level the world landmarks for the camera's pitch, mask low-visibility landmarks, undo brief
    left/right leg label swaps, classify the view, compute the frame's event signals, drop front-heel glitches and
    blank the envelopes while walking backward.

    Sequential and deterministic, so the live and offline paths see identical inputs. Works on the frame's sample
    (``analysis.geometry``) as a list of floats: cheaper than numpy for the few values of one frame.
    """

    def __init__(self, min_visibility: float) -> None:
        self.metric_visibility = min_visibility
        self.min_visibility = min(min_visibility, EVENT_MIN_VISIBILITY)
        self.views = ViewClassifier()
        self.vertical = BodyVertical()
        self.swaps_ = 0
        self.glitches_ = 0
        self.gated_: dict[str, int] = {}  # frames whose pose was not plausible, by reason
        self.gated_reason_: str | None = None  # the last frame's reason, if its pose was not plausible
        self.backward_frames_ = 0
        self.new_person()

    def new_person(self) -> None:
        """Forget the previous frames' person (legs, front heel, pelvis and yaw history): the next frame is
        another person's."""
        self.views.reset()
        self.vertical.reset()
        # Leg image points (left, right) of the last frame with both legs tracked; were all its 33 landmarks tracked?
        self._prev_legs: tuple[list, list] | None = None
        self._prev_fully_tracked = False
        self._swapped_since_s = math.nan  # since when the legs have been given each other's labels
        self._front: deque[tuple[float, float]] = deque()  # recent (t_s, front heel) kept by the glitch test
        self._front_view = View.UNKNOWN
        self._pelvis: deque[tuple[float, float]] = deque()  # recent (t_s, pelvis image x / leg length), side views
        self._segments: deque[list[float]] = deque(maxlen=int(SEGMENT_LENGTH_HISTORY))  # plausible frames' lengths
        self._segment_median: list[float] | None = None  # their median, renewed every SEGMENT_LENGTH_MIN_FRAMES
        self._segments_since_median = 0

    def __call__(self, frame: PoseFrame) -> tuple[str, float, np.ndarray | None]:
        """Return (view, yaw_deg, the frame's sample or None without a pose)."""
        self.gated_reason_ = None
        if frame.image_landmarks is None or frame.world_landmarks is None:
            self.views.update(frame.t_s, None)
            return View.UNKNOWN, math.nan, None
        lm = frame.image_landmarks
        img = lm[:, [X_PX, Y_PX]]
        reason = implausible_pose(img, frame.image_width_px, frame.image_height_px) or self._odd_proportions(
            frame.world_landmarks)
        reason = reason or seated(frame.world_landmarks)
        if reason is not None:
            self.gated_reason_ = reason  # a gap, as without a pose: nothing measured on it
            self.gated_[reason] = self.gated_.get(reason, 0) + 1
            self.views.update(frame.t_s, None)
            return View.UNKNOWN, math.nan, None
        seen = np.minimum(lm[:, VISIBILITY], lm[:, PRESENCE])
        fully_tracked = bool((seen >= self.min_visibility).all() and np.isfinite(img).all())
        self.vertical.learn(frame.t_s, frame.world_landmarks, seen, self.min_visibility)
        world = self.vertical.level(frame.world_landmarks)
        sample = sample_landmarks(img, world, seen).tolist()
        for fields in _FIELDS:
            if not sample[fields[-1]] >= self.min_visibility:
                for i in fields[:-1]:
                    sample[i] = math.nan
        self._unswap(frame.t_s, sample, fully_tracked)
        view = self.views.update(frame.t_s, world)
        geometry = SampleGeometry(sample, view, self.metric_visibility)
        signals = geometry.event_signals()
        signals[EV["heel_front"]] = self._deglitch(frame.t_s, view, signals[EV["heel_front"]])
        if self._walking_backward(frame.t_s, view, geometry.hip_img[0], geometry.leg_px):
            signals[EV["heel_front"]] = signals[EV["toe_back"]] = math.nan
        return view, self.views.yaw_deg_, np.array(sample + signals)

    def _odd_proportions(self, world: np.ndarray) -> str | None:
        """``ODD_PROPORTIONS`` when a thigh, shank or side of the trunk (MediaPipe's 3-D world lengths) is more than
        ``SEGMENT_LENGTH_MAX_RATIO`` times longer or shorter than its median over the person's last plausible frames
        (a pose fitted to something else: a reflection, a table's legs, a fragment at the picture's edge)."""
        points = world.tolist()  # plain floats: cheaper than numpy for six short segments per frame
        lengths = [math.dist(points[a], points[b]) for a, b in _SEGMENT_ENDS]
        if self._segment_median is not None and not all(
                median / SEGMENT_LENGTH_MAX_RATIO <= length <= median * SEGMENT_LENGTH_MAX_RATIO
                for length, median in zip(lengths, self._segment_median)):
            return ODD_PROPORTIONS
        self._segments.append(lengths)
        self._segments_since_median += 1
        if self._segments_since_median >= SEGMENT_LENGTH_MIN_FRAMES:  # proportions change slowly: renew now and then
            self._segment_median = np.median(np.array(self._segments), axis=0).tolist()
            self._segments_since_median = 0
        return None

    def _walking_backward(self, t_s: float, view: str, hip_x_px: float, leg_px: float) -> bool:
        """Side view: is the pelvis (image x ``hip_x_px``) moving against the way the person faces (walking
        backward, or a video played in reverse)? Zeni's rule assumes forward walking, so such frames give no
        events.

        The pelvis speed along the facing direction is measured over the last ``BACKWARD_WINDOW_S`` of image
        positions, in leg lengths (``leg_px``) per second; backward is faster than ``BACKWARD_WALKING_SPEED_LEG_S``.
        Standing, treadmill walking (pelvis still) and forward walking never trigger it.
        """
        if view not in View.SIDE:
            self._pelvis.clear()
            return False
        if math.isfinite(hip_x_px) and math.isfinite(leg_px) and leg_px > 0:
            self._pelvis.append((t_s, hip_x_px / leg_px))
        while self._pelvis and t_s - self._pelvis[0][0] > BACKWARD_WINDOW_S:
            self._pelvis.popleft()
        if len(self._pelvis) < 2 or self._pelvis[-1][0] - self._pelvis[0][0] < 0.5 * BACKWARD_WINDOW_S:
            return False
        (t0, x0), (t1, x1) = self._pelvis[0], self._pelvis[-1]
        facing = 1.0 if view == View.SIDE_RIGHT else -1.0
        backward = bool(facing * (x1 - x0) / (t1 - t0) < -BACKWARD_WALKING_SPEED_LEG_S)
        self.backward_frames_ += backward
        return backward

    def _deglitch(self, t_s: float, view: str, front: float) -> float:
        """NaN for a front-heel sample that dropped faster than a stance foot can move back (a pose glitch).

        The front heel moves back relative to the pelvis only with the stance foot (at most
        ``ENVELOPE_MAX_BACKWARD_SPEED_LEG_S``); it moves forward fast (the swinging foot), so only drops are tested,
        against every sample kept in the last ``ENVELOPE_GLITCH_WINDOW_S``. Past samples only: no latency.
        """
        if view != self._front_view:
            self._front.clear()
            self._front_view = view
        while self._front and t_s - self._front[0][0] > ENVELOPE_GLITCH_WINDOW_S:
            self._front.popleft()
        if not math.isfinite(front):
            return front
        bound = max((f - ENVELOPE_MAX_BACKWARD_SPEED_LEG_S * (t_s - t) for t, f in self._front), default=-math.inf)
        if front < bound - ENVELOPE_GLITCH_LEG:
            self.glitches_ += 1
            return math.nan
        self._front.append((t_s, front))
        return front

    def _unswap(self, t_s: float, sample: list[float], fully_tracked: bool) -> None:
        """Swap the left and right leg landmarks in place when they match the previous frame's legs much better
        swapped (a brief label swap). The previous frame counts only if every one of its 33 landmarks was tracked
        (``fully_tracked``), not just its legs. A swap kept up for ``LABEL_SWAP_MAX_S`` ends: the one "undone" was
        likely the end of a swap whose start went unseen (the legs crossing), and undoing it would keep the legs
        mislabelled from then on."""
        left = [(sample[lf[0]], sample[lf[1]]) for lf, _ in _LEG_PAIRS]
        right = [(sample[rf[0]], sample[rf[1]]) for _, rf in _LEG_PAIRS]
        legs_tracked = all(math.isfinite(v) for point in left + right for v in point)
        swapped = False
        if self._prev_legs is not None and legs_tracked and self._prev_fully_tracked:
            prev_left, prev_right = self._prev_legs
            keep = _distance_sum_px(left, prev_left) + _distance_sum_px(right, prev_right)
            swap = _distance_sum_px(left, prev_right) + _distance_sum_px(right, prev_left)
            swapped = swap < LABEL_SWAP_GAIN * keep
            if swapped and not math.isfinite(self._swapped_since_s):
                self._swapped_since_s = t_s
            if swapped and t_s - self._swapped_since_s <= LABEL_SWAP_MAX_S:
                for left_fields, right_fields in _LEG_PAIRS:
                    for a, b in zip(left_fields, right_fields):
                        sample[a], sample[b] = sample[b], sample[a]
                left, right = right, left
                self.swaps_ += 1
        if not swapped:
            self._swapped_since_s = math.nan
        if legs_tracked:
            self._prev_legs, self._prev_fully_tracked = (left, right), fully_tracked


FEET_OUT_OF_FRAME, NOT_UPRIGHT, ODD_PROPORTIONS = "feet out of the picture", "not upright", "odd body proportions"
# Thighs, shanks and the sides of the trunk, as (from, to) landmark pairs.
_SEGMENT_ENDS = ((LEFT_HIP, LEFT_KNEE), (RIGHT_HIP, RIGHT_KNEE), (LEFT_KNEE, LEFT_ANKLE), (RIGHT_KNEE, RIGHT_ANKLE),
                 (LEFT_SHOULDER, LEFT_HIP), (RIGHT_SHOULDER, RIGHT_HIP))
_FOOT_POINTS = [LEFT_ANKLE, RIGHT_ANKLE, LEFT_HEEL, RIGHT_HEEL, LEFT_FOOT_INDEX, RIGHT_FOOT_INDEX]


def implausible_pose(image_xy: np.ndarray, width_px: int, height_px: int) -> str | None:
    """Why one frame's pose cannot be measured (None: it can): a foot landmark outside the picture (MediaPipe then
    guesses it), or not upright: hips not below the shoulders, knees or ankles not below the hips (sitting, lying,
    a reflection or garbage landmarks), by the ``UPRIGHT_*`` margins in torso lengths."""
    feet = image_xy[_FOOT_POINTS]
    if not (np.all(feet >= 0.0) and np.all(feet[:, 0] <= width_px) and np.all(feet[:, 1] <= height_px)):
        return FEET_OUT_OF_FRAME
    shoulders = 0.5 * (image_xy[LEFT_SHOULDER] + image_xy[RIGHT_SHOULDER])
    hips = 0.5 * (image_xy[LEFT_HIP] + image_xy[RIGHT_HIP])
    torso_px = math.hypot(*(shoulders - hips))
    knees_y = 0.5 * (image_xy[LEFT_KNEE, 1] + image_xy[RIGHT_KNEE, 1])
    ankles_y = 0.5 * (image_xy[LEFT_ANKLE, 1] + image_xy[RIGHT_ANKLE, 1])
    if not (torso_px > 0
            and hips[1] - shoulders[1] >= UPRIGHT_HIPS_BELOW_SHOULDERS_TORSO * torso_px
            and knees_y - hips[1] >= UPRIGHT_KNEES_BELOW_HIPS_TORSO * torso_px
            and ankles_y - hips[1] >= UPRIGHT_ANKLES_BELOW_HIPS_TORSO * torso_px):
        return NOT_UPRIGHT
    return None


_SEATED_COS = math.cos(math.radians(SEATED_THIGH_TO_TRUNK_DEG))  # computed once, not per frame


def seated(world: np.ndarray) -> str | None:
    """``NOT_UPRIGHT`` when both thighs (hip to knee, MediaPipe's 3-D world landmarks) are more than
    ``SEATED_THIGH_TO_TRUNK_DEG`` from the trunk's line (shoulders to hips): sitting, crouching or bent over. The
    picture's order of hips, knees and ankles (``implausible_pose``) tells that from a camera at hip height, not
    from one looking down, where a seated person's knees sit well below their hips in the image. Measured against
    the trunk, it does not depend on the camera's pitch."""
    points = world[[LEFT_SHOULDER, RIGHT_SHOULDER, LEFT_HIP, RIGHT_HIP, LEFT_KNEE, RIGHT_KNEE]].tolist()
    down = [0.5 * (h1 + h2 - s1 - s2) for s1, s2, h1, h2 in zip(*points[:4])]
    down_len = math.hypot(*down)
    for hip, knee in ((points[2], points[4]), (points[3], points[5])):
        thigh = [k - h for h, k in zip(hip, knee)]
        length = math.hypot(*thigh) * down_len
        if not length > 0 or sum(a * b for a, b in zip(thigh, down)) / length >= _SEATED_COS:  # this thigh: upright
            return None
    return NOT_UPRIGHT


def _distance_sum_px(points, others) -> float:
    """Sum of the distances between corresponding image points."""
    return sum(math.hypot(p[0] - q[0], p[1] - q[1]) for p, q in zip(points, others))


class _PersonChange:
    """Per frame, in order: does its pose belong to another person than the last pose of a known person
    (``PoseFrame.person_id``)? Frames without a pose or without a known person never count."""

    def __init__(self) -> None:
        self._person: int | None = None

    def __call__(self, frame: PoseFrame) -> bool:
        if frame.person_id is None or not frame.pose_detected:
            return False
        changed = self._person is not None and frame.person_id != self._person
        self._person = frame.person_id
        return changed


class _Core:
    """Everything after smoothing: events, validation, feet and steps, fed one smoothed sample at a time.

    ``push`` is the live path (feet from the evidence so far); the offline path calls ``detect`` for every
    sample, labels each run with all of its evidence, then replays the samples with ``build``.
    """

    def __init__(self, user_height_m: float | None, max_gap_s: float) -> None:
        self.detector = EventDetector()
        self.travel = TravelMeter()
        self._swings = False  # the frontal contacts come from SwingDetector (not the Zeni rule)
        self.labeller = FootLabeller()
        self.steps = StepBuilder(user_height_m)
        self._whole = RunningSummary()  # the summary of every step so far, kept step by step
        self.max_gap_s = max_gap_s
        self._last_t = -math.inf
        self._bout_view = View.UNKNOWN  # the known view of the current bout
        self._last_known_t = -math.inf
        self._cadence = math.nan
        self._cadence_steps = 0  # len(self.steps.ic_step_times_) when _cadence was computed

    def end_bout(self) -> None:
        """The next sample starts a new bout, as after a gap (another person is followed from then on)."""
        self._last_t = -math.inf
        self.detector.new_person()

    def push_raw(self, t_s: float, sample: np.ndarray) -> None:
        """A raw (unsmoothed) sample, before the smoothed samples it helps confirm: the contact timer's input."""
        self.detector.push_raw(t_s, float(sample[_RAW_HEEL_FRONT]), float(sample[_RAW_HEEL_LEAD]))

    def detect(self, t_s: float, view: str, features: np.ndarray) -> tuple[bool, list[Contact]]:
        """New bout? and the contacts this sample confirms.

        A bout ends at a gap in the poses, at a change to another known view, after more than
        ``MAX_STEP_TIME_S`` in no known view, or when told (``end_bout``). A brief drop to ``View.UNKNOWN`` (yaw
        jitter at a sector edge) does not end it: the event signals are NaN meanwhile, which only restarts the
        extremum search, and the run of contacts (its parity and foot evidence) goes on.
        """
        known = view != View.UNKNOWN
        new_bout = t_s - self._last_t > self.max_gap_s or (known and (
            view != self._bout_view or t_s - self._last_known_t > MAX_STEP_TIME_S))
        if new_bout:
            self.detector.reset()
            self.travel.reset()
        self._last_t = t_s
        if known:
            self._bout_view, self._last_known_t = view, t_s
        feet, leg_px, swings = None, math.nan, False
        if view in View.FRONTAL:
            # Overground, the feet's stillness in the picture; in place (or not known yet), the Zeni rule on depth.
            feet = {foot: tuple(float(features[F[name]]) for name in names)
                    for foot, names in FOOT_IMAGE_SIGNALS.items()}
            leg_px = float(features[F["leg_px"]])
            # Back views keep the Zeni rule for now: seen from behind by a camera below the hip, the heel's fall in
            # terminal swing cancels its travel away in the picture and the image speed dips before the contact.
            swings = self.travel.push(t_s, feet, leg_px) is True and view in _SWING_VIEWS
            if swings != self._swings:  # the other detector takes over: no step time spans both
                self._swings = swings
                self.detector.new_run()
                new_bout = True
        contacts = self.detector.push(
            t_s, features[F["heel_front"]], features[F["toe_back"]], features[F["heel_lift_left"]],
            features[F["heel_lead_left"]], side_view=view in View.SIDE, feet=feet, leg_px=leg_px, swings=swings)
        return new_bout, contacts

    def build(self, t_s: float, frame_index: int, view: str, features: np.ndarray, new_bout: bool,
              events: list[tuple[GaitEvent, bool]]) -> list[StepMetrics]:
        """Feed one sample and the labelled events it confirmed (each with "break the bout before it": the feet
        so far were reversed, so the steps still waiting are dropped); returns the steps completed.

        A new bout completes the steps still waiting for a toe off without it (e.g. the last steps before a turn,
        whose toe offs fall in the turn): their IC figures are kept, their stance figures are NaN.
        """
        steps = self.steps.break_bout() if new_bout else []
        self.steps.add_sample(t_s, frame_index, view, features)
        for event, brk in events:
            if brk:
                self.steps.break_bout(keep=False)
            steps += self.steps.add_event(event)
        return steps

    def close(self) -> list[StepMetrics]:
        """The end of the recording: complete the steps still waiting for a toe off without it."""
        return self.steps.break_bout()

    def push(self, t_s: float, frame_index: int, view: str, features: np.ndarray
             ) -> tuple[list[GaitEvent], list[StepMetrics]]:
        new_bout, contacts = self.detect(t_s, view, features)
        labelled = [self.labeller.label(c) for c in contacts]
        steps = self.build(t_s, frame_index, view, features, new_bout, labelled)
        return [e for e, _ in labelled], steps

    @property
    def events(self) -> list[GaitEvent]:
        """The labelled events accepted so far."""
        return self.steps.events_

    @property
    def completed_steps(self) -> list[StepMetrics]:
        return self.steps.steps_

    @property
    def rejected_events(self) -> int:
        """Candidate events the sequence validator rejected so far."""
        return self.detector.rejected_

    def summary(self, window_s: float | None = None) -> list[SummaryRow]:
        """Summary rows over every step so far (kept step by step: as cheap an hour in as a minute in), or over the
        steps of the last ``window_s`` seconds."""
        if window_s is not None:
            return summarise(self.steps, since_t_s=self._last_t - window_s)
        steps = self.steps
        return self._whole.catch_up(steps).rows(steps.trunk_lean_mean_deg("frontal"), steps.trunk_lean_mean_deg("side"))

    def live_cadence(self) -> float:
        """Cadence over the last ``CADENCE_WINDOW_STEPS`` step times (recomputed only when one was added)."""
        times = self.steps.ic_step_times_
        if len(times) != self._cadence_steps:
            self._cadence_steps = len(times)
            self._cadence = cadence_steps_per_min([st for _, _, st in times[-int(CADENCE_WINDOW_STEPS):]])
        return self._cadence


def _frame_metrics(view: str, yaw_deg: float, feats, cadence: float) -> FrameMetrics:
    return FrameMetrics(
        view=view, yaw_deg=yaw_deg,
        knee_fppa_left_deg=float(feats[F["knee_fppa_left_deg"]]),
        knee_fppa_right_deg=float(feats[F["knee_fppa_right_deg"]]),
        knee_flexion_left_deg=float(feats[F["knee_flexion_left_deg"]]),
        knee_flexion_right_deg=float(feats[F["knee_flexion_right_deg"]]),
        pelvic_obliquity_deg=float(feats[F["pelvic_obliquity_deg"]]),
        trunk_lean_deg=float(feats[F["trunk_lean_deg"]]),
        foot_progression_left_deg=float(feats[F["foot_progression_left_deg"]]),
        foot_progression_right_deg=float(feats[F["foot_progression_right_deg"]]),
        cadence_steps_per_min=cadence,
    )


def _check_options(user_height_m, min_visibility, max_gap_s) -> None:
    check_user_height_m(user_height_m)
    if not (isinstance(min_visibility, (int, float)) and 0.0 <= min_visibility <= 1.0):
        raise ValueError(f"min_visibility must be between 0 and 1, got {min_visibility!r}")
    if not (isinstance(max_gap_s, (int, float)) and max_gap_s > 0):
        raise ValueError(f"max_gap_s must be > 0, got {max_gap_s!r}")


MAX_DROPPED_RUN_FRAMES = 15  # at most this many dropped frames in a row are filled in (200 ms at 60-75 fps)


class _LocalSmoother:
    """The event path's smoother: a local quadratic fit (Savitzky & Golay 1964) with a fixed delay.

    Each sample is fitted over the ``EVENT_SMOOTHING_PAST_FACTOR * k`` samples before it and the ``k`` after it
    (``k`` = ``half_window_s`` in frames): exact for any quadratic (so for a peak, whatever its height), with less
    jitter than a symmetric fit of the same delay. Both paths run it over the same frames, so they find the same
    events. A gap longer than ``max_gap_s`` flushes it (no fit spans a gap).
    """

    def __init__(self, half_window_s: float, max_gap_s: float) -> None:
        self.half_window_s = half_window_s
        self.max_gap_s = max_gap_s
        self._buffer: deque[tuple[float, int, str, np.ndarray]] = deque()
        self._next_centre = 0  # index into _buffer of the next sample to smooth
        self._intervals: deque[float] = deque(maxlen=15)

    def half_window_samples(self) -> int:
        dt = statistics.median(self._intervals) if self._intervals else 1.0 / 30.0
        return max(1, int(round(self.half_window_s / dt)))

    def gap(self, t_s: float) -> list[tuple[float, int, str, np.ndarray]]:
        """A frame without a pose at ``t_s``: flush if the samples waiting are now too old to be bridged."""
        if self._buffer and t_s - self._buffer[-1][0] > self.max_gap_s:
            return self.flush()
        return []

    def push(self, t_s: float, frame_index: int, view: str, sample: np.ndarray
             ) -> list[tuple[float, int, str, np.ndarray]]:
        """Add a raw sample; return the samples smoothed because of it (time, frame index, view, vector)."""
        out = []
        if self._buffer:
            dt = t_s - self._buffer[-1][0]
            if dt <= 0:
                raise ValueError(f"frame times must increase: got t_s={t_s} after {self._buffer[-1][0]}")
            if dt > self.max_gap_s:
                out = self.flush()
            else:
                self._intervals.append(dt)
        self._buffer.append((t_s, frame_index, view, sample))
        k = self.half_window_samples()
        past = int(EVENT_SMOOTHING_PAST_FACTOR * k)
        while self._next_centre < len(self._buffer) - k:
            out.append(self._smooth(self._next_centre, k))
            self._next_centre += 1
        while self._next_centre > past:  # keep the past samples of the next centre
            self._buffer.popleft()
            self._next_centre -= 1
        return out

    def flush(self) -> list[tuple[float, int, str, np.ndarray]]:
        """Smooth every sample still waiting (a gap, the end of a recording)."""
        k = self.half_window_samples()
        out = []
        while self._next_centre < len(self._buffer):
            out.append(self._smooth(self._next_centre, k))
            self._next_centre += 1
        self._buffer.clear()
        self._next_centre = 0
        return out

    def _smooth(self, centre: int, k: int) -> tuple[float, int, str, np.ndarray]:
        past = int(EVENT_SMOOTHING_PAST_FACTOR * k)
        lo, hi = max(0, centre - past), min(len(self._buffer), centre + k + 1)
        rows = [self._buffer[i] for i in range(lo, hi)]
        t_c, fi, view, raw = self._buffer[centre]
        t = np.array([r[0] for r in rows])
        y = np.array([r[3] for r in rows])
        smoothed = local_quadratic(t, y, t_c) if len(rows) >= 3 else raw
        return t_c, fi, view, smoothed


class GaitAnalyser:
    """Streaming gait analysis: feed one ``PoseFrame`` at a time, get live figures, events and steps.

    Parameters
    ----------
    user_height_m
        Body height in metres; when given, step lengths are also reported in metres.
    min_visibility
        Landmarks less visible than this are treated as missing (never become metrics).
    smoothing_half_window_s
        How far ahead the local quadratic fit before event detection looks (it also uses
        ``EVENT_SMOOTHING_PAST_FACTOR`` times as many past frames); the event latency is this (rounded to whole
        frames) plus one frame. ``analyse_recording`` always uses the default, so only with the default do both
        paths find the same events.
    max_gap_s
        Frames missing for up to this long are bridged; a longer gap ends the walking bout.

    Attributes
    ----------
    new_events_, new_steps_
        Events and completed steps confirmed by the last ``update`` (usually empty).
    events_, steps_
        Everything confirmed so far.
    frames_seen_, frames_without_pose_
        Counters.
    implausible_reason_
        Why the last frame's pose was not measured although a pose was found (``implausible_pose`` and the body
        proportions: e.g. sitting, a reflection), else None.

    Notes
    -----
    Constant work per frame: the smoother sees a fixed number of frames, the detector keeps three samples per
    signal, the glitch and backward-walking tests a fixed time window; step metrics are computed once per step
    from a bounded history. Events: Zeni et al. 2008 on the front-heel / back-toe envelopes, feet from each run's
    evidence so far (see ``analysis.events``). A pose of another person (``PoseFrame.person_id``) ends the walking
    bout as a gap does, and restarts the display smoothing. Call ``finish()`` at the end of a recording to flush
    the last few frames.

    Example
    -------
    >>> analyser = GaitAnalyser(user_height_m=1.70)
    >>> for frame in frames:                     # doctest: +SKIP
    ...     live = analyser.update(frame)
    ...     for step in analyser.new_steps_:
    ...         print(step.foot, step.step_time_s)
    """

    def __init__(
        self,
        user_height_m: float | None = None,
        min_visibility: float = MIN_VISIBILITY,
        smoothing_half_window_s: float = EVENT_SMOOTHING_HALF_WINDOW_S,
        max_gap_s: float = MAX_GAP_FILL_S,
    ) -> None:
        _check_options(user_height_m, min_visibility, max_gap_s)
        if not (isinstance(smoothing_half_window_s, (int, float)) and smoothing_half_window_s > 0):
            raise ValueError(f"smoothing_half_window_s must be > 0, got {smoothing_half_window_s!r}")
        self.user_height_m = user_height_m
        self.min_visibility = min_visibility
        self.smoothing_half_window_s = smoothing_half_window_s
        self.max_gap_s = max_gap_s
        self._pre = _Preprocessor(min_visibility)
        self._core = _Core(user_height_m, max_gap_s)
        self._euro = OneEuroFilter(ONE_EURO_MIN_CUTOFF_HZ, _ONE_EURO_BETA, reset_after_s=max_gap_s)
        self._smoother = _LocalSmoother(smoothing_half_window_s, max_gap_s)
        self._person_change = _PersonChange()
        self._latest: FrameMetrics | None = None
        self._last_frame: PoseFrame | None = None  # the last frame analysed (frames dropped after it are filled in)
        self.new_events_: list[GaitEvent] = []
        self.new_steps_: list[StepMetrics] = []
        self.frames_seen_ = 0
        self.frames_without_pose_ = 0
        self.implausible_reason_: str | None = None

    # --- public ---------------------------------------------------------------------------------------------
    @property
    def events_(self) -> list[GaitEvent]:
        return self._core.events

    @property
    def steps_(self) -> list[StepMetrics]:
        return self._core.completed_steps

    @property
    def rejected_events_(self) -> int:
        return self._core.rejected_events

    def update(self, frame: PoseFrame) -> FrameMetrics:
        """Analyse one frame; returns its live figures. New events / steps are in ``new_events_`` /
        ``new_steps_``."""
        if not isinstance(frame, PoseFrame):
            raise TypeError(f"frame must be a PoseFrame, got {type(frame).__name__}")
        self.new_events_, self.new_steps_ = [], []
        self.frames_seen_ += 1
        for dropped in self._dropped_frames(frame):
            self._analyse(dropped, interpolated=True)
        metrics = self._analyse(frame)
        self._last_frame = frame
        return metrics

    def _dropped_frames(self, frame: PoseFrame) -> list[PoseFrame]:
        """The frames the live pipeline dropped just before ``frame`` (its source's frame index jumps by up to
        ``MAX_DROPPED_RUN_FRAMES``), each interpolated between its neighbours, when both have a pose of the same
        person and the gap is bridged (``max_gap_s``): every detector then sees the camera's own frame rate, as
        when nothing is dropped (``benchmarks/dropped_frames.py``). Contacts are still timed on the frames seen."""
        before = self._last_frame
        if (before is None or before.image_landmarks is None or frame.image_landmarks is None
                or before.person_id != frame.person_id or frame.t_s - before.t_s > self.max_gap_s
                or before.image_landmarks.shape != frame.image_landmarks.shape):
            return []
        span = frame.frame_index - before.frame_index
        if not 1 < span <= MAX_DROPPED_RUN_FRAMES + 1:
            return []
        missing = range(before.frame_index + 1, frame.frame_index)
        out = []
        for index in missing:
            w = (index - before.frame_index) / span

            def between(a, b):
                return None if a is None or b is None else (1 - w) * a + w * b

            out.append(replace(frame, t_s=between(before.t_s, frame.t_s), frame_index=index,
                               image_landmarks=between(before.image_landmarks, frame.image_landmarks),
                               world_landmarks=between(before.world_landmarks, frame.world_landmarks)))
        return out

    def _analyse(self, frame: PoseFrame, interpolated: bool = False) -> FrameMetrics:
        if self._person_change(frame):
            # Another person: the previous one's bout ends here, as at a gap (no step joins two people's).
            self._flush()
            self._core.end_bout()
            self._pre.new_person()
            self._euro.reset()
        view, yaw, sample = self._pre(frame)
        self.implausible_reason_ = self._pre.gated_reason_
        if sample is None:
            self.frames_without_pose_ += 1
            metrics = _frame_metrics(view, yaw, [math.nan] * len(F), self._core.live_cadence())
            self._latest = metrics
            self._push_smoothed(self._smoother.gap(frame.t_s))
            return metrics
        # Live display figures: image and world coordinates One Euro filtered, no delay (visibility and event
        # signals pass unsmoothed: the display figures do not use the signals).
        display = np.concatenate([self._euro(frame.t_s, sample[:SAMPLE_IMAGE_WORLD_LEN]),
                                  sample[SAMPLE_IMAGE_WORLD_LEN:]])
        feats = sample_features(display.tolist(), view, self.min_visibility)
        # Event path: local fit with a fixed delay; contacts are timed on the raw samples seen so far.
        if not interpolated:  # contacts are timed on what the camera saw
            self._core.push_raw(frame.t_s, sample)
        self._push_smoothed(self._smoother.push(frame.t_s, frame.frame_index, view, sample))
        metrics = _frame_metrics(view, yaw, feats, self._core.live_cadence())
        self._latest = metrics
        return metrics

    def finish(self) -> None:
        """Flush the frames still waiting in the smoother (end of a recording); adds to ``new_events_`` and
        ``new_steps_`` (also the last steps, whose toe off was not seen: their stance figures are NaN)."""
        self.new_events_, self.new_steps_ = [], []
        self._flush()
        self.new_steps_.extend(self._core.close())

    def latest(self) -> FrameMetrics | None:
        """The figures of the last frame (None before the first)."""
        return self._latest

    def summary(self, window_s: float | None = None) -> list[SummaryRow]:
        """Summary rows over the whole session, or over steps in the last ``window_s`` seconds."""
        if window_s is not None and not window_s > 0:
            raise ValueError(f"window_s must be > 0 or None, got {window_s!r}")
        return self._core.summary(window_s)

    # --- internals -------------------------------------------------------------------------------------------
    def _push_smoothed(self, samples) -> None:
        for t_c, fi, view, smoothed in samples:
            feats = sample_features(smoothed.tolist(), view, self.min_visibility)
            events, steps = self._core.push(t_c, fi, view, feats)
            self.new_events_.extend(events)
            self.new_steps_.extend(steps)

    def _flush(self) -> None:
        self._push_smoothed(self._smoother.flush())


def analyse_recording(
    frames,
    user_height_m: float | None = None,
    min_visibility: float = MIN_VISIBILITY,
    cutoff_hz: float = BUTTERWORTH_CUTOFF_HZ,
    max_gap_s: float = MAX_GAP_FILL_S,
) -> RecordingAnalysis:
    """Offline analysis of a whole recording.

    Metrics come from landmarks smoothed by a zero-phase Butterworth filter (Winter 2009); events from the live
    path's smoother (the same events as ``GaitAnalyser``), with each run's feet decided by all of its evidence.

    Parameters
    ----------
    frames
        Sequence of ``PoseFrame`` in time order (frames without a pose allowed). A change of person ends the
        walking bout, as in ``GaitAnalyser``, and each person's frames are filtered apart.
    user_height_m, min_visibility, max_gap_s
        As for ``GaitAnalyser``.
    cutoff_hz
        Butterworth cut-off (4th order, run forwards and backwards) for the metrics.

    Returns
    -------
    RecordingAnalysis
    """
    frames = list(frames)
    _check_options(user_height_m, min_visibility, max_gap_s)
    for i, f in enumerate(frames):
        if not isinstance(f, PoseFrame):
            raise TypeError(f"frames[{i}] must be a PoseFrame, got {type(f).__name__}")
    t = np.array([f.t_s for f in frames], dtype=float)
    if t.size > 1 and np.any(np.diff(t) <= 0):
        raise ValueError("frames must be in strictly increasing t_s order")
    # Another person's first frame ends the bout, as at a gap: every step below treats it so.
    person_change = _PersonChange()
    new_person = [person_change(f) for f in frames]
    pre = _Preprocessor(min_visibility)
    views, yaws, samples = [], [], np.full((len(frames), SAMPLE_LEN), np.nan)
    has_pose = np.zeros(len(frames), dtype=bool)
    for i, f in enumerate(frames):
        if new_person[i]:
            pre.new_person()
        view, yaw, sample = pre(f)
        views.append(view)
        yaws.append(yaw)
        if sample is not None:
            samples[i] = sample
            has_pose[i] = True
    smooth = np.full_like(samples, np.nan)
    starts = [0] + [i for i, new in enumerate(new_person) if new] + [len(frames)]
    for a, b in zip(starts[:-1], starts[1:]):  # each person's frames filtered apart
        if b > a:
            smooth[a:b] = butterworth_zero_phase(t[a:b], samples[a:b], cutoff_hz=cutoff_hz, max_gap_s=max_gap_s)
    feats = np.array([sample_features(s, v, min_visibility) for s, v in zip(smooth.tolist(), views)],
                     dtype=float).reshape(len(frames), len(F))
    # Event signals: the live path's smoother over the same frames, so both paths find the same events.
    # ``newest[i]``: the last raw frame pushed when frame i was smoothed (the live path's look-ahead then).
    smoother = _LocalSmoother(EVENT_SMOOTHING_HALF_WINDOW_S, max_gap_s)
    local, newest, last_raw = [], {}, -1

    def collect(smoothed_samples) -> None:
        local.extend(smoothed_samples)
        newest.update((sample[1], last_raw) for sample in smoothed_samples)

    for i, f in enumerate(frames):
        if new_person[i]:
            collect(smoother.flush())
        if has_pose[i]:
            out = smoother.push(f.t_s, i, views[i], samples[i])
            last_raw = i
        else:
            out = smoother.gap(f.t_s)
        collect(out)
    collect(smoother.flush())
    for _, i, _, smoothed in local:
        feats[i, _DETECTION_COLUMNS] = smoothed[SAMPLE_LANDMARKS_LEN + _DETECTION_SIGNALS]
    # Pass 1: contacts and their evidence; each run gets the foot phase all of its evidence points to.
    # The raw samples reach the contact timer as they reach it live: up to ``newest[i]`` before frame i is detected.
    core = _Core(user_height_m, max_gap_s)
    found: dict[int, tuple[bool, list[Contact]]] = {}
    pushed = -1
    for i, f in enumerate(frames):
        if new_person[i]:
            core.end_bout()
        if has_pose[i]:  # frames without a pose are bridged by the filter, as in the live path
            for r in range(pushed + 1, newest[i] + 1):
                if has_pose[r]:
                    core.push_raw(frames[r].t_s, samples[r])
            pushed = max(pushed, newest[i])
            found[i] = core.detect(f.t_s, views[i], feats[i])
    phases = run_phase([c for _, contacts in found.values() for c in contacts])
    walker, others = _walker(frames, found)
    # Pass 2: the same samples and the labelled events, in time order, make the steps (the walker's only).
    frame_rows = []
    for i, f in enumerate(frames):
        if i in found and (walker is None or f.person_id in (walker, None)):
            new_bout, contacts = found[i]
            events = [(GaitEvent(c.t_s, foot_of(c.index, phases[c.run]), c.kind), False) for c in contacts]
            core.build(f.t_s, f.frame_index, views[i], feats[i], new_bout, events)
        frame_rows.append(_frame_metrics(views[i], yaws[i], feats[i], core.live_cadence()))
    core.close()
    return RecordingAnalysis(
        frame_indices=tuple(f.frame_index for f in frames),
        t_s=tuple(float(x) for x in t),
        frames=tuple(frame_rows),
        events=tuple(core.events),
        steps=tuple(core.completed_steps),
        summary=tuple(core.summary()),
        rejected_events=core.rejected_events,
        gated_frames=dict(pre.gated_),
        measured=tuple(bool(x) for x in has_pose),
        other_people_contacts=others,
    )


def _walker(frames: list[PoseFrame], found: dict[int, tuple[bool, list[Contact]]]) -> tuple[int | None, int]:
    """The person whose walk a recording is, if other people's steps are to be left out, and how many contacts
    those others made.

    The walker is the followed person (``PoseFrame.person_id``) with the most initial contacts (the first followed
    on a tie). If someone else was in the picture while the walker was followed (``other_people_count``), any
    other person followed is taken for someone else (a family member passing by, a bystander followed once the
    walker has left) and left out; if the walker was alone, a later "person" is most likely the walker back in
    the picture, and every person's steps are kept (still never joined across a change of person). Returns
    ``(None, 0)`` when nobody is left out."""
    counts: dict[int, int] = {}
    for i in sorted(found):
        person = frames[i].person_id
        if person is not None:
            counts[person] = counts.get(person, 0) + sum(c.kind == INITIAL_CONTACT for c in found[i][1])
    if not counts or not any(counts.values()):
        return None, 0
    walker = max(counts, key=lambda p: counts[p])  # dicts keep insertion order: the first followed on a tie
    if not any(f.other_people_count > 0 for f in frames if f.person_id == walker):
        return None, 0
    return walker, sum(counts.values()) - counts[walker]
