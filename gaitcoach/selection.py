"""Which person to follow when more than one is in view (pure logic, no MediaPipe, unit-testable).

Policy:

* Acquire: the first person found (the tracker sees the whole frame); scans of the rest of the frame then
  correct that choice quickly if someone better is there.
* Keep the same person (continuity of hip centre and size) until they leave, unless a challenger seen in the
  background scans is clearly the better subject in two scans, with at most one scan that missed it between:

  - the subject's whole body is not in view but the challenger's is (and the subject is not walking, or the
    challenger walks too);
  - the challenger is much larger in the image (nearer the laptop), whole body in view;
  - the challenger walks and the subject does not (a family member standing or sitting nearer the laptop
    does not take the coach from the person walking): a coach watches the person who walks;
  - the challenger is much larger in the image (nearer the laptop), and the subject is not walking or the
    challenger walks too (the user, near, rather than someone passing far behind);
  - the challenger stands clearly lower in the image (feet nearer the bottom: nearer the camera on the
    floor), is about as large, and the subject is not walking.

  A walking subject is never replaced by someone standing (not even while turning or at the picture's edge,
  when their whole body is briefly not in view). Whether a challenger
  walks is judged from two sightings in the scans at least ``MIN_SIGHTING_GAP_MS`` apart (the scans' usual
  interval); a walking challenger's two sightings confirm it against a subject who stands, so it is followed
  from its second one.

All coordinates are normalised image coordinates (0..1, y down).
"""
from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field

import numpy as np

from analysis.landmarks import (
    LEFT_ANKLE,
    NOSE,
    LEFT_FOOT_INDEX,
    LEFT_HEEL,
    LEFT_HIP,
    LEFT_SHOULDER,
    RIGHT_ANKLE,
    RIGHT_FOOT_INDEX,
    RIGHT_HEEL,
    RIGHT_HIP,
    RIGHT_SHOULDER,
    VISIBILITY,
    WHOLE_BODY_LANDMARKS,
)

MIN_VISIBILITY = 0.5  # a landmark below this is treated as not seen
IN_FRAME_MARGIN = 0.01  # a landmark this close to the frame edge counts as cut off
LOST_AFTER_MS = 1000.0  # no pose for this long: the person has left (shorter losses are pose dropouts)
SAME_PERSON_MAX_JUMP = 0.6  # hip-centre jump between frames, in body sizes, still the same person ...
MAX_BODY_SPEED_SIZES_PER_S = 1.5  # ... plus this much per second since the last pose (brisk walking ~0.9)
TORSO_TO_HEIGHT = 3.0  # nose-to-feet height is about 3.3 torso lengths (Winter 2009); a floor for the body size
SWITCH_CONFIRM_SCANS = 2  # a challenger must win this many scans ...
CHALLENGER_MISSED_SCANS = 1  # ... missing from at most this many scans in between (the scanner misses people)
MUCH_LARGER_RATIO = 1.25  # challenger this much taller in the image: nearer the camera
LOWER_FEET_MARGIN = 0.12  # challenger's feet this much lower (fraction of frame height) ...
SIMILAR_SIZE_RATIO = 0.8  # ... and at least this tall relative to the subject
WALKER_MIN_SIZE_RATIO = 0.5  # a walking challenger at least this tall beats a subject that stands (4-5 m vs 2 m)
MIN_SIGHTING_GAP_MS = 200.0  # two scan sightings at least this far apart tell whether a challenger walks ...
SIGHTINGS_KEPT_MS = 700.0  # ... the earlier one at most this old (a person who starts walking is seen to soon) ...
SIGHTING_MAX_JUMP = 0.2  # two sightings are the same body within this (body sizes) plus walking's reach ...
SIGHTING_MAX_SIZE_CHANGE = 0.3  # ... and this change of size (log ratio: walking 2 m toward the camera in 0.7 s)
SIGHTING_MIN_CHANGE = 0.04  # ... if it moved or changed size by this much (body heights); MediaPipe's jitter moves
# a standing person's nose-to-feet height by ~1 % a frame
WALKING_WINDOW_MS = 1500.0  # history used to decide whether the subject is walking
WALKING_SPEED_BODY_HEIGHTS_PER_S = 0.25  # hip travel across the image
WALKING_SIZE_CHANGE_PER_S = 0.08  # relative change of body height per second (walking toward/away)
STEPPING_ANKLE_STD_BODY_HEIGHTS = 0.02  # alternating ankle heights (treadmill, walking on the spot)
ROI_MARGIN_SIDE_BODY_HEIGHTS = 0.45  # how far around the subject the tracker may look next frame
ROI_MARGIN_VERTICAL_BODY_HEIGHTS = 0.2


@dataclass(frozen=True)
class Person:
    """One detected pose in one frame, normalised image coordinates."""

    landmarks: np.ndarray  # (33, 5): x, y, z, visibility, presence (x, y in 0..1 of the frame)
    t_ms: float

    @property
    def box(self) -> tuple[float, float, float, float]:
        """Box around all landmarks (raised arms included), with room for the top of the head."""
        x0, y0 = self.landmarks[:, :2].min(axis=0)
        x1, y1 = self.landmarks[:, :2].max(axis=0)
        return float(x0), float(min(y0, self.landmarks[NOSE, 1] - 0.12 * self.height)), float(x1), float(y1)

    @property
    def height(self) -> float:
        """Nose-to-feet height in the image: a size measure that raised arms do not change."""
        return max(self.feet_y - float(self.landmarks[NOSE, 1]), 1e-3)

    @property
    def hip_centre(self) -> tuple[float, float]:
        hips = self.landmarks[[LEFT_HIP, RIGHT_HIP], :2]
        return float(hips[:, 0].mean()), float(hips[:, 1].mean())

    @property
    def feet_y(self) -> float:
        return float(self.landmarks[[LEFT_HEEL, RIGHT_HEEL, LEFT_FOOT_INDEX, RIGHT_FOOT_INDEX], 1].max())

    @property
    def whole_body_in_view(self) -> bool:
        points = self.landmarks[list(WHOLE_BODY_LANDMARKS)]
        visible = points[:, VISIBILITY] >= MIN_VISIBILITY
        inside = (
            (points[:, 0] > IN_FRAME_MARGIN)
            & (points[:, 0] < 1 - IN_FRAME_MARGIN)
            & (points[:, 1] > IN_FRAME_MARGIN)
            & (points[:, 1] < 1 - IN_FRAME_MARGIN)
        )
        return bool(np.all(visible & inside))

    @property
    def size(self) -> float:
        """A body size that partial and garbled poses do not shrink: the nose-to-feet height, or
        ``TORSO_TO_HEIGHT`` torso lengths (shoulder centre to hip centre) when that is more (a body cut off by
        the frame, or sitting, has feet guessed near the hips: its nose-to-feet height can be ~0)."""
        shoulders = self.landmarks[[LEFT_SHOULDER, RIGHT_SHOULDER], :2].mean(axis=0)
        torso = float(np.hypot(*(shoulders - np.array(self.hip_centre))))
        return max(self.height, TORSO_TO_HEIGHT * torso)

    def distance_to(self, other: Person) -> float:
        """Hip-centre distance in body sizes of ``self``."""
        (ax, ay), (bx, by) = self.hip_centre, other.hip_centre
        return float(np.hypot(ax - bx, ay - by) / self.size)


def _expand(box: tuple[float, float, float, float], side: float, vertical: float, height: float):
    x0, y0, x1, y1 = box
    return (
        max(0.0, x0 - side * height),
        max(0.0, y0 - vertical * height),
        min(1.0, x1 + side * height),
        min(1.0, y1 + vertical * height),
    )


@dataclass
class _Track:
    person_id: int
    last: Person
    history: deque = field(default_factory=lambda: deque(maxlen=256))
    whole_body_recent: deque = field(default_factory=lambda: deque(maxlen=3))
    walked_when_chosen: bool = False  # chosen because the scans saw them walk: walking until their history tells

    def add(self, person: Person) -> None:
        self.last = person
        ankles = person.landmarks[[LEFT_ANKLE, RIGHT_ANKLE], 1]
        x, y = person.hip_centre
        self.history.append((person.t_ms, x, y, person.height, float(ankles[0] - ankles[1])))
        while self.history and self.history[0][0] < person.t_ms - WALKING_WINDOW_MS:
            self.history.popleft()
        self.whole_body_recent.append(person.whole_body_in_view)

    @property
    def whole_body_in_view(self) -> bool:
        return any(self.whole_body_recent)

    def is_walking(self) -> bool:
        if len(self.history) < 5:
            return self.walked_when_chosen
        samples = np.array(self.history)
        span_s = (samples[-1, 0] - samples[0, 0]) / 1000.0
        if span_s < 0.5:
            return self.walked_when_chosen
        body_height = float(np.median(samples[:, 3]))
        stepping = float(np.std(samples[:, 4])) / body_height
        return (_travels(samples[0, 1], samples[0, 3], samples[-1, 1], samples[-1, 3], span_s, body_height)
                or stepping > STEPPING_ANKLE_STD_BODY_HEIGHTS)


def _travels(x0: float, height0: float, x1: float, height1: float, span_s: float, body_height: float) -> bool:
    """Does a body walk, from its hip-centre x and height in the image at two times ``span_s`` apart: across the
    picture, or toward or away from the camera (growing or shrinking)?"""
    return (abs(x1 - x0) / span_s / body_height > WALKING_SPEED_BODY_HEIGHTS_PER_S
            or abs(height1 - height0) / span_s / body_height > WALKING_SIZE_CHANGE_PER_S)


class SubjectSelector:
    """Keeps track of the one person GaitCoach follows.

    Attributes
    ----------
    person_id
        Identifier of the followed person (a new number each time a different person is chosen), or None.
    other_people_count
        How many other people the latest scan saw.
    """

    def __init__(self) -> None:
        self._track: _Track | None = None
        self._next_id = 1
        self._challenger: Person | None = None
        self._challenger_wins = 0
        self._challenger_misses = 0
        self._sightings: deque[Person] = deque()  # whole-body people the scans saw in the last SIGHTINGS_KEPT_MS
        self.other_people_count = 0

    @property
    def person_id(self) -> int | None:
        return self._track.person_id if self._track else None

    @property
    def subject(self) -> Person | None:
        return self._track.last if self._track else None

    @property
    def wants_rescan(self) -> bool:
        """A challenger won the last scan: confirm it with another scan as soon as possible (after a scan that
        missed it, the next one comes at the usual interval: the same picture would likely be missed again)."""
        return self._challenger_wins > 0 and self._challenger_misses == 0

    def tracker_roi(self) -> tuple[float, float, float, float] | None:
        """Where the tracker should look next frame (normalised box), or None for the whole frame."""
        if self._track is None:
            return None
        last = self._track.last
        return _expand(last.box, ROI_MARGIN_SIDE_BODY_HEIGHTS, ROI_MARGIN_VERTICAL_BODY_HEIGHTS, last.height)

    def scan_mask(self) -> tuple[float, float, float, float] | None:
        """The area to hide from a background scan (the subject), or None."""
        if self._track is None:
            return None
        last = self._track.last
        return _expand(last.box, 0.05, 0.02, last.height)

    def on_tracked(self, person: Person | None, t_ms: float) -> int | None:
        """Feed the tracker's pose for this frame; returns the person id it belongs to (None: nobody)."""
        track = self._track
        if person is None:
            if track is not None and t_ms - track.last.t_ms > LOST_AFTER_MS:
                self._track = None
                self._reset_challenger()
            return None
        allowed = SAME_PERSON_MAX_JUMP + MAX_BODY_SPEED_SIZES_PER_S * (t_ms - track.last.t_ms) / 1000.0 if track else 0
        if track is None or track.last.distance_to(person) > allowed:
            self._start_track(person)
        else:
            track.add(person)
        return self._track.person_id

    def on_scan(self, others: list[Person]) -> bool:
        """Feed a background scan (the subject masked out). Returns True when the subject changed."""
        self.other_people_count = len(others)
        walking = self._walking(others)
        if self._track is None:
            if others:
                self._start_track(max(others, key=lambda p: (p.whole_body_in_view, p.height)))
                return True
            return False
        best, best_walks = self._best_challenger(others, walking)
        if best_walks and not self._track.is_walking():  # two sightings of a walker, the subject still: confirmed
            self._start_track(best, walking=True)
            return True
        if best is None:
            # One scan without the challenger does not clear its wins: on side_walk_two_people.mp4 the scanner
            # missed the walker once between two sightings, which delayed the switch by 0.3 s.
            self._challenger_misses += 1
            if self._challenger_misses > CHALLENGER_MISSED_SCANS:
                self._reset_challenger()
            return False
        self._challenger_misses = 0
        if self._challenger is not None and self._challenger.distance_to(best) <= SAME_PERSON_MAX_JUMP * 2:
            self._challenger_wins += 1
        else:
            self._challenger_wins = 1
        self._challenger = best
        if self._challenger_wins >= SWITCH_CONFIRM_SCANS:
            self._start_track(best, walking=best_walks)
            return True
        return False

    def _walking(self, others: list[Person]) -> list[bool | None]:
        """For each person of a scan: do they walk, judged against an earlier sighting of the same body at least
        ``MIN_SIGHTING_GAP_MS`` before (None: not seen before). Keeps the whole-body sightings of the last
        ``SIGHTINGS_KEPT_MS``."""
        while self._sightings and others and self._sightings[0].t_ms < others[0].t_ms - SIGHTINGS_KEPT_MS:
            self._sightings.popleft()  # before judging: a sighting long ago says nothing of walking now
        walking: list[bool | None] = []
        for person in others:
            # The same body: no farther than walking takes it, about the same size (not someone close by).
            earlier = [q for q in self._sightings if person.t_ms - q.t_ms >= MIN_SIGHTING_GAP_MS
                       and q.distance_to(person) <= SIGHTING_MAX_JUMP
                       + MAX_BODY_SPEED_SIZES_PER_S * (person.t_ms - q.t_ms) / 1000.0
                       and abs(math.log(q.height / person.height)) <= SIGHTING_MAX_SIZE_CHANGE]
            if not earlier:
                walking.append(None)
                continue
            first = min(earlier, key=lambda q: q.distance_to(person) + abs(math.log(q.height / person.height)))
            size = 0.5 * (first.height + person.height)
            moved = max(abs(person.hip_centre[0] - first.hip_centre[0]), abs(person.height - first.height)) / size
            walking.append(moved >= SIGHTING_MIN_CHANGE and _travels(
                first.hip_centre[0], first.height, person.hip_centre[0], person.height,
                (person.t_ms - first.t_ms) / 1000.0, size))
        self._sightings.extend(p for p in others if p.whole_body_in_view)
        return walking

    def _best_challenger(self, others: list[Person], walking: list[bool | None]) -> tuple[Person | None, bool]:
        """The largest person of a scan who beats the subject, and whether they walk."""
        track = self._track
        assert track is not None
        subject = track.last
        winners = [(p, walks is True) for p, walks in zip(others, walking)
                   if p.whole_body_in_view and self._beats(p, walks is True, subject, track)]
        best = max(winners, key=lambda w: (w[1], w[0].height), default=None)
        return best if best is not None else (None, False)

    @staticmethod
    def _beats(challenger: Person, challenger_walks: bool, subject: Person, track: _Track) -> bool:
        subject_walks = track.is_walking()
        if not track.whole_body_in_view:  # a walker turning or at the picture's edge is kept from a bystander
            return challenger_walks or not subject_walks
        if challenger_walks and not subject_walks:
            return challenger.height >= WALKER_MIN_SIZE_RATIO * subject.height
        if challenger.height >= MUCH_LARGER_RATIO * subject.height:
            return challenger_walks or not subject_walks
        return (
            challenger.feet_y - subject.feet_y >= LOWER_FEET_MARGIN
            and challenger.height >= SIMILAR_SIZE_RATIO * subject.height
            and not subject_walks
        )

    def _start_track(self, person: Person, walking: bool = False) -> None:
        self._track = _Track(self._next_id, person, walked_when_chosen=walking)
        self._track.add(person)
        self._next_id += 1
        self._reset_challenger()

    def _reset_challenger(self) -> None:
        self._challenger = None
        self._challenger_wins = 0
        self._challenger_misses = 0
