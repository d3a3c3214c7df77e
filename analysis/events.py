"""Gait events (initial contact, toe off): how they are found in each view, and their scoring.

How contacts and feet are found, and why (one camera, MediaPipe's 33 landmarks):

* **Side view** (walking across the picture, or on a treadmill seen from the side): the image's x axis is the
  walking direction. Zeni et al. (2008, "coordinate-based"): initial contact (IC) is the instant the heel is
  furthest *ahead* of the pelvis, toe off (TO) the instant the toe is furthest *behind* it, in leg lengths (thigh
  + shank in pixels). Relative to the pelvis, so it works overground and on a treadmill. Seen from the side
  MediaPipe often swaps its left/right leg labels for long stretches, so the rule is applied to the *envelopes*
  (the front heel peaks once per step, at the contact of the foot that just landed; the back toe bottoms out once
  per step) and the feet come from alternation, each run's phase decided by the evidence of the whole run: which
  heel is clearly lifted (the swinging foot lands next) and, as a tie-breaker, the front heel's label. A limping
  foot that lands level with or behind the other one (step-to gait, a cane) never makes the front heel peak: the
  *back* heel's peak is its contact when both feet then stand (the heels keep their distance, neither is lifted),
  unlike where a swinging heel passes a standing one.
* **Facing the camera, walking toward it** (the laptop set-up): no image axis measures fore-aft position, and
  MediaPipe's world depth is too noisy to show real contacts (it found none on a real walk toward the camera). What
  the camera does see: a foot on the ground stays put in the picture while the swinging foot sweeps down it. So
  ``SwingDetector`` follows each labelled foot's speed in the image (leg lengths per second): a swing starts when
  the toe speeds up (TO) while the other foot stands still, and ends when the heel, past its peak speed, slows
  down again (IC). Facing the camera MediaPipe sees the face and its leg labels are reliable, so the feet are its
  labels (alternation still checked).
* **On a treadmill facing the camera, or walking in place** (the feet do not travel through the picture,
  ``TravelMeter``): a stance foot moves with the belt, so stillness means nothing; Zeni's rule on the world depth
  axis (hip-centred, signed toward the walking direction) is used instead. MediaPipe's world axes follow the
  camera, whose pitch tilts height into depth (7-32 deg on the real clips; at 25 deg a synthetic treadmill walk
  toward the camera lost every contact): ``analysis.view.BodyVertical`` levels them first.
* **Back to the camera**: for now also Zeni's rule on world depth, which finds none of the two contacts of the
  real walk away. Levelled, MediaPipe's depth from behind does peak at that clip's contacts (frames 30 and 42;
  by eye ~32 and 41), but it compresses the heel's travel to 0.2 leg lengths (below ``MIN_FOOT_EXCURSION_LEG``)
  and the closing step never gets ahead of the pelvis; lowering the excursion for one clip would fit it, not
  generalise. The swing rule was tried
  there (the foot's both ends slowing, as the heel alone pauses mid-swing: seen from behind by a camera below the
  hip its fall cancels its travel away in the picture): it found one of the two real contacts, but on the
  synthetic walker it lost or delayed each pass's last contact, where the foot pivots into the turn, and shifted
  cadence by 3-4 steps/min; not yet trusted there.

Each candidate must show a real excursion and sit ahead of / behind the pelvis (side and depth rules), or a real
swing (``MIN_SWING_TRAVEL_LEG``), which rejects standing, swaying and stepping on the spot; ``EventDetector`` then
enforces the order and timing of walking (contacts alternate, one toe off per step, plausible step and stance
times) and rejects the rest. Side-view contacts are timed at the heel's corner on the raw samples where it has one
(``ContactTimer``: smoothing moves a sharp corner's peak earlier by an amount that differs between the feet of a
limping walker). Every event is confirmed within ``MAX_EVENT_LATENCY_S`` of its time, and the live and offline
paths find the same ones.
"""
from __future__ import annotations

import math
import statistics
import warnings
from collections import deque
from dataclasses import dataclass

import numpy as np

from analysis.thresholds import (
    BACK_HEEL_SPREAD_CHANGE_LEG,
    BACK_HEEL_STANCE_S,
    CONTACT_APPROACH_S,
    CONTACT_MAX_EARLY_S,
    CONTACT_ROUNDED_RSS_RATIO,
    FLIGHT_TOE_OFF_STEP_FRACTION,
    FRONTAL_LEAD_VOTE_S,
    HEEL_LIFT_VOTE_LEG,
    MAX_EVENT_LATENCY_S,
    MAX_GAP_FILL_S,
    MAX_STANCE_TIME_S,
    MAX_STEP_TIME_S,
    MIN_FLIGHT_STANCE_TIME_S,
    MIN_EXTREMUM_RISE_S,
    MIN_FOOT_EXCURSION_LEG,
    MIN_HEEL_AHEAD_AT_IC_LEG,
    MIN_STANCE_TIME_S,
    MIN_STEP_TIME_S,
    MIN_TOE_BEHIND_AT_TO_LEG,
    MIN_STEP_TYPICAL_RATIO,
    MISSED_CONTACT_STEP_RATIO,
    SIDE_LEAD_VOTE_S,
    STANCE_SLOPE_CONTACTS,
    STANCE_SLOPE_FROM_STEP,
    STANCE_SLOPE_TO_STEP,
    SWING_CONFIRM_FRACTION,
    SWING_DEFAULT_PEAK_SPEED_LEG_S,
    SWING_END_FRACTION,
    SWING_PEAK_HISTORY,
    SWING_START_FRACTION,
    SWING_STOP_FRACTION,
    MAX_SWING_TIME_S,
    MIN_SWING_TRAVEL_LEG,
    MIN_TRAVEL_SPEED_LEG_S,
    TRAVEL_WINDOW_S,
)
from analysis.types import INITIAL_CONTACT, LEFT, RIGHT, TOE_OFF, GaitEvent

FEET = (LEFT, RIGHT)
_TYPICAL_STEP_COUNT = 4  # step times in the running median of EventDetector
# A "missed contact" is judged against a typical step time of at least 2 step times: one false early contact at
# the start of a run (a step time half the real one) would otherwise make every later step look like two, all
# labelled the same foot, and the typical step time never recovers (missed contacts do not update it).
_MIN_TYPICAL_STEPS = 2


def other_foot(foot: str) -> str:
    """The contralateral foot."""
    if foot not in FEET:
        raise ValueError(f"foot must be {LEFT!r} or {RIGHT!r}, got {foot!r}")
    return RIGHT if foot == LEFT else LEFT


def parabola_vertex(t: tuple[float, float, float], y: tuple[float, float, float]) -> float:
    """Time of the vertex of the parabola through three points (uneven spacing allowed), kept within them.

    Falls back to the middle time when the points are collinear.
    """
    (t0, t1, t2), (y0, y1, y2) = t, y
    d1 = (y1 - y0) / (t1 - t0)
    d2 = (y2 - y1) / (t2 - t1)
    a = (d2 - d1) / (t2 - t0)
    if a == 0.0 or not math.isfinite(a):
        return t1
    b = d1 - a * (t0 + t1)
    tv = -b / (2.0 * a)
    return min(max(tv, 0.5 * (t0 + t1)), 0.5 * (t1 + t2))


class PeakFinder:
    """Streaming detector of prominent local maxima of one signal, one sample at a time.

    Parameters
    ----------
    min_prominence
        The maximum must rise at least this much above the lowest value since the previous accepted maximum.
    min_level
        The maximum itself must be at least this high.
    min_rise_s
        ... and that lowest value must be at least this long before the maximum: a rise seen over less time
        (e.g. right after a reset, from a start-up glitch) is not trusted.

    Notes
    -----
    A maximum at sample ``i`` is reported when sample ``i + 1`` arrives (one sample of delay). NaN samples reset
    the finder (a gap: nothing is reported across it).
    """

    def __init__(self, min_prominence: float, min_level: float = -math.inf, min_rise_s: float = 0.0) -> None:
        self.min_prominence = min_prominence
        self.min_level = min_level
        self.min_rise_s = min_rise_s
        self.reset()

    def reset(self) -> None:
        self._t: list[float] = []
        self._y: list[float] = []
        self._low = math.inf
        self._low_t = math.inf

    def _lower(self, t: float, y: float) -> None:
        if y < self._low:
            self._low, self._low_t = y, t

    def push(self, t_s: float, y: float) -> float | None:
        """Add a sample; return the (sub-sample) time of a newly confirmed maximum, else None."""
        if not math.isfinite(y):
            self.reset()
            return None
        self._t.append(t_s)
        self._y.append(y)
        if len(self._t) > 3:
            del self._t[0], self._y[0]
        if len(self._t) < 3:
            self._lower(t_s, y)
            return None
        y0, y1, y2 = self._y
        found = None
        if (y1 > y0 and y1 >= y2 and y1 >= self.min_level and y1 - self._low >= self.min_prominence
                and self._t[1] - self._low_t >= self.min_rise_s):
            found = parabola_vertex(tuple(self._t), (y0, y1, y2))
            self._low, self._low_t = y2, self._t[2]
        else:
            self._lower(self._t[2], y2)
        return found


def fit_corner(t_s: np.ndarray, y: np.ndarray, stance_slope: float, radii_s, resolution_s: float = 0.001
               ) -> tuple[float, float, float]:
    """Least-squares fit of a corner: an approach of free slope ``b`` meeting a stance line of known slope
    ``-stance_slope`` at ``c``, sharp or rounded by a hyperbola of radius ``r`` (seconds).

    The model is ``y = a + b * (u - h) / 2 - stance_slope * (u + h) / 2`` with ``u = t - c`` and
    ``h = sqrt(u**2 + r**2)`` (``r = 0``: two lines meeting at ``c``). For every candidate ``c`` (every
    ``resolution_s`` between the second and the second-to-last sample) and ``r`` in ``radii_s`` (the first must
    be 0), ``a`` and ``b`` are a linear fit. A rounded corner's ``c`` is where its two lines meet: where the heel
    landed before the tracking rounded its stop (the rounded path's own peak lies before or after that by an
    amount set by the two slopes).

    Returns
    -------
    (c of the best sharp corner, and c of the best corner of any radius, each NaN if it has no rising approach or
     cannot be fitted; the residual sum of squares of the best sharp corner over that of the best corner of any
     radius, >= 1: large when the samples follow a rounded peak)
    """
    t = np.asarray(t_s, dtype=float)
    y = np.asarray(y, dtype=float)
    radii = np.asarray(radii_s, dtype=float)
    if t.size < 4 or radii[0] != 0.0:
        return math.nan, math.nan, math.nan
    grid = np.arange(t[1], t[-2] + 0.5 * resolution_s, resolution_s)
    u = t[None, None, :] - grid[None, :, None]
    h = np.sqrt(u * u + (radii * radii)[:, None, None])
    before = 0.5 * (u - h)
    z = y + stance_slope * 0.5 * (u + h)
    n = t.size
    sb, sbb, sz, sbz = before.sum(-1), (before * before).sum(-1), z.sum(-1), (before * z).sum(-1)
    det = n * sbb - sb * sb
    ok = det > 1e-12 * n
    if not ok[0].any():
        return math.nan, math.nan, math.nan
    b = np.where(ok, (n * sbz - sb * sz) / np.where(ok, det, 1.0), 0.0)
    a = (sz - b * sb) / n
    rss = ((z - a[..., None] - b[..., None] * before) ** 2).sum(-1)
    rss[~ok] = np.inf
    j = int(np.argmin(rss[0]))
    ratio = float(rss[0, j]) / max(float(rss.min()), 1e-300)
    kr, jr = np.unravel_index(int(np.argmin(rss)), rss.shape)
    return (float(grid[j]) if b[0, j] > 0.0 else math.nan), (float(grid[jr]) if b[kr, jr] > 0.0 else math.nan), ratio


_RADII_S = np.arange(0.0, 0.0801, 0.01)  # corner roundings tried per contact (0 to 80 ms)
_MIN_ROUNDINGS = 3  # contacts whose rounding is known before the sharp-corner test is trusted
_MIN_OFFSETS = 3  # corner offsets of a foot known before they move its contacts


class ContactTimer:
    """Initial-contact times without the smoothing's slope-dependent bias: the smoothed peak moved by each foot's
    offset to the corner of the heel's path, fitted on the raw (unsmoothed) samples.

    Relative to the pelvis the heel approaches the contact slowly (terminal swing) and then, on the ground, moves
    back at the walking speed. Where it lands still moving and stops at once, that is a sharp corner, and the event
    path's smoothing (a local quadratic leaning on 2.5x more past samples) puts its peak earlier by an amount set
    by the approach slope, which differs between the feet of a limping walker: a 10 % step-time asymmetry read
    ~4-7 %. So, for each contact:

    * the corner is fitted (``fit_corner``) on the raw samples from ``CONTACT_APPROACH_S`` before the smoothed
      peak to the newest one (the look-ahead the live path has when it confirms the peak: no extra latency), an
      approach line meeting a stance line. The stance slope is not fitted per contact (three or four noisy
      samples): the stance heel moves back relative to the pelvis at the walking speed, so it is measured on each
      contact's raw samples from ``STANCE_SLOPE_FROM_STEP`` to ``STANCE_SLOPE_TO_STEP`` of a step after it, and
      the median of the person's last ``STANCE_SLOPE_CONTACTS`` is used;
    * where the heel's path has no sharp corner (the median, over the person's last ``STANCE_SLOPE_CONTACTS``
      contacts, of the sharp corner's residual over the best rounded corner's exceeds
      ``CONTACT_ROUNDED_RSS_RATIO``: real MediaPipe tracking rounds the heel's stop over 30-80 ms), the corner is
      the rounded one's (a hyperbola, where its two lines meet): a rounded path's peak lies before or after the
      landing by an amount set by the two slopes, which differ between the feet of a limping walker (with
      MediaPipe's rounding as measured, ``pose_noise="mediapipe"``, a 20 % antalgic limp seen side-on on a
      treadmill read 9.8 % from the peaks, 18.8 % from the rounded corners);
    * the contact is the smoothed peak plus the median corner-minus-peak offset of the person's last
      ``STANCE_SLOPE_CONTACTS`` contacts of the same foot (at least ``_MIN_OFFSETS``; the foot the run's evidence
      so far points to, as ``FootLabeller`` decides live, so both paths agree): the offset is a property of the
      foot's landing, so it is measured per foot over several contacts, across bouts (overground passes are a few
      steps long), and added to the peak, which keeps the smoothed peak's low jitter from contact to contact (a
      single corner fit is noisier: over a few steps the symmetry index would swing by twice as much).

    The peak's time is kept (the old behaviour) where the corner cannot be trusted: a person's first contacts
    (a few per foot, or until the corner's sharpness is known); and a corner more than ``CONTACT_MAX_EARLY_S``
    before its peak is left out of the offsets (such a corner is noise or a turn). A contact is never put more
    than ``MAX_EVENT_LATENCY_S`` before the newest sample.

    Fed in time order: ``push`` each raw sample before the smoothed samples it helps confirm reach the detector,
    which calls ``time`` for each accepted contact and ``accepted`` after it; both paths, fed the same way, time
    contacts identically. The stance slopes, corner shapes and offsets are the person's, across bouts (walking
    speed, the tracking's smoothness and a foot's landing change slowly); ``new_person`` forgets them.
    """

    _HISTORY_S = 1.0  # raw samples kept: the approach window and a slope window (<= 0.45 s at 40 steps/min)

    def __init__(self) -> None:
        self.new_person()

    def new_person(self) -> None:
        self._raw: deque[tuple[float, float]] = deque()
        self._slopes: deque[float] = deque(maxlen=int(STANCE_SLOPE_CONTACTS))
        self._pending: list[tuple[float, float]] = []  # (from, to) slope windows still waiting for samples
        self._newest_t = -math.inf
        self._roundings: deque[float] = deque(maxlen=int(STANCE_SLOPE_CONTACTS))
        self._rounding = math.nan  # of the contact being timed
        # Each foot's corner-minus-peak offsets, of the sharp corner (False) and of the rounded one (True).
        self._offsets = {(foot, rounded): deque(maxlen=int(STANCE_SLOPE_CONTACTS))
                         for foot in FEET for rounded in (False, True)}

    def push(self, t_s: float, heel_front: float) -> None:
        """Add a raw front-heel sample (NaN: not tracked, skipped)."""
        self._newest_t = t_s
        if math.isfinite(heel_front):
            self._raw.append((t_s, heel_front))
        while self._raw and t_s - self._raw[0][0] > self._HISTORY_S:
            self._raw.popleft()
        if self._pending and t_s >= self._pending[0][1]:
            still = []
            for lo, hi in self._pending:
                if t_s >= hi:
                    self._measure(lo, hi)
                else:
                    still.append((lo, hi))
            self._pending = still

    def _measure(self, lo: float, hi: float) -> None:
        pts = [(t, y) for t, y in self._raw if lo <= t <= hi]
        if len(pts) < 3 or pts[-1][0] - pts[0][0] < 0.5 * (hi - lo):
            return
        t = np.array([p[0] for p in pts])
        y = np.array([p[1] for p in pts])
        tc = t - t.mean()
        slope = -float(tc @ (y - y.mean()) / (tc @ tc))
        if slope > 0.0:
            self._slopes.append(slope)

    @property
    def newest_t_s(self) -> float:
        """The newest raw sample's time (the live path's now)."""
        return self._newest_t

    def time(self, t_peak_s: float, foot: str) -> float:
        """The time of a contact of ``foot`` (as far as the evidence so far tells) confirmed now, whose smoothed
        front-heel peak is at ``t_peak_s``: the peak moved by the median corner-minus-peak offset of that foot's
        last contacts, or the peak itself where that is not known or the path has no sharp corner; never more
        than ``MAX_EVENT_LATENCY_S`` before the newest sample."""
        for rounded, c in enumerate(self._corners(t_peak_s)):
            if math.isfinite(c):
                self._offsets[foot, bool(rounded)].append(c - t_peak_s)
        if len(self._roundings) < _MIN_ROUNDINGS:
            return t_peak_s
        offsets = self._offsets[foot, statistics.median(self._roundings) > CONTACT_ROUNDED_RSS_RATIO]
        if len(offsets) < _MIN_OFFSETS:
            return t_peak_s
        return max(t_peak_s + statistics.median(offsets), self._newest_t - MAX_EVENT_LATENCY_S + 0.001)

    def _corners(self, t_peak_s: float) -> tuple[float, float]:
        """The sharp and the rounded corner fitted around the peak at ``t_peak_s`` (each NaN when it cannot be, or
        lies more than ``CONTACT_MAX_EARLY_S`` before the peak); records the rounding test's residual ratio."""
        self._rounding = math.nan
        if not self._slopes:
            return math.nan, math.nan
        pts = [(t, y) for t, y in self._raw if t >= t_peak_s - CONTACT_APPROACH_S]
        gaps = [k for k in range(1, len(pts)) if pts[k][0] - pts[k - 1][0] > MAX_GAP_FILL_S]
        if gaps:  # only the samples on the peak's side of a gap (a new bout starts after it)
            pts = pts[:gaps[0]] if pts[gaps[0]][0] > t_peak_s else pts[gaps[-1]:]
        if len(pts) < 5 or not pts[0][0] < t_peak_s < pts[-1][0]:
            return math.nan, math.nan
        t = np.array([p[0] for p in pts])
        y = np.array([p[1] for p in pts])
        slope = statistics.median(self._slopes)
        _, rounded, self._rounding = fit_corner(t, y, slope, _RADII_S, resolution_s=0.002)
        sharp = fit_corner(t, y, slope, (0.0,))[0]  # finer grid
        return tuple(c if c >= t_peak_s - CONTACT_MAX_EARLY_S else math.nan for c in (sharp, rounded))

    def accepted(self, t_contact_s: float, step_s: float) -> None:
        """A contact at ``t_contact_s`` was accepted; ``step_s``: the typical step time (NaN: unknown, its stance
        slope is not measured)."""
        if math.isfinite(self._rounding):
            self._roundings.append(self._rounding)
        if math.isfinite(step_s) and step_s > 0:
            self._pending.append((t_contact_s + STANCE_SLOPE_FROM_STEP * step_s,
                                  t_contact_s + STANCE_SLOPE_TO_STEP * step_s))


class _FootSwing:
    """One foot's motion in ``SwingDetector``: speeds in leg lengths per second, each over the last
    ``_SPEED_SPAN`` sample intervals (half the jitter of one interval), timed at the middle of its span."""

    __slots__ = ("recent", "t_s", "heel_speed", "toe_speed", "prev_t_s", "prev_heel_speed", "prev_toe_speed",
                 "lift_t_s", "swinging", "settled", "start_t_s", "peak", "stance_heel", "landing_t_s")
    _SPEED_SPAN = 2

    def __init__(self) -> None:
        self.recent: deque[tuple[float, tuple[float, ...]]] = deque(maxlen=self._SPEED_SPAN + 1)  # tracked samples
        self.t_s = self.prev_t_s = math.nan
        self.heel_speed = self.toe_speed = self.prev_heel_speed = self.prev_toe_speed = math.nan
        self.lift_t_s = math.nan  # when the toe got faster than the start threshold: a toe off, if a swing follows
        self.swinging = False
        self.settled = False  # still (heel and toe) since its last swing: only a settled foot can lift off
        self.start_t_s = self.peak = math.nan
        self.stance_heel: tuple[float, float, float] | None = None  # heel x, y, leg length (px) when last still
        self.landing_t_s = math.nan  # when the heel slowed below the end level: a contact, if it stays slow

    def update(self, t_s: float, points: tuple[float, float, float, float], leg_px: float) -> None:
        if not all(math.isfinite(v) for v in points):
            self.recent.clear()
        else:
            self.recent.append((t_s, points))
        heel_speed = toe_speed = math.nan
        mid_t = t_s
        if len(self.recent) == self.recent.maxlen and math.isfinite(leg_px) and leg_px > 0:
            (t0, p0), (t1, p1) = self.recent[0], self.recent[-1]
            mid_t = 0.5 * (t0 + t1)
            heel_speed = math.hypot(p1[0] - p0[0], p1[1] - p0[1]) / (t1 - t0) / leg_px
            toe_speed = math.hypot(p1[2] - p0[2], p1[3] - p0[3]) / (t1 - t0) / leg_px
        self.prev_t_s, self.prev_heel_speed, self.prev_toe_speed = self.t_s, self.heel_speed, self.toe_speed
        self.t_s, self.heel_speed, self.toe_speed = mid_t, heel_speed, toe_speed

    def fast(self, level: float) -> bool:
        """Is either end of the foot at least ``level`` fast (False when not tracked)?"""
        return self.heel_speed >= level or self.toe_speed >= level

    def heel_travel_leg(self) -> float:
        """How far the heel is from where it last stood still (leg lengths): a step's length in the picture, which
        a shuffle on the spot lacks however much MediaPipe's jitter adds to its path."""
        if self.stance_heel is None or not self.recent:
            return math.nan
        heel = self.recent[-1][1]
        return math.hypot(heel[0] - self.stance_heel[0], heel[1] - self.stance_heel[1]) / self.stance_heel[2]


class SwingDetector:
    """Frontal views: initial contacts and toe offs of each labelled foot from how fast it moves in the image.

    Walking toward or away from a still camera, a foot on the ground stays put in the picture (only MediaPipe's
    jitter and camera drift move it) while the swinging foot sweeps down or up it, growing or shrinking. Speeds
    are in the walker's own leg lengths (hip-knee-ankle in the image) per second, so they do not depend on the
    distance or the camera. Per foot:

    * a **toe off** is where the toe's speed rises through ``SWING_START_FRACTION`` of the typical swing peak
      (the heel lifts earlier, at heel off: only the toe leaving ends the stance), in a foot that has settled
      since its last swing (after a contact the forefoot still comes down); it is reported once the swing is
      confirmed: the foot faster than ``SWING_CONFIRM_FRACTION`` of the typical peak while the other foot is
      slower than that (both fast: the whole body or the camera moved, not a step);
    * an **initial contact** is confirmed when the heel, past its swing's peak speed, has been slower than
      ``SWING_END_FRACTION`` of that peak for two samples while the toe is slower than the confirm level, if the
      heel landed at least ``MIN_SWING_TRAVEL_LEG`` from where it last stood still (not a shuffle on the spot) and
      the swing lasted at most ``MAX_SWING_TIME_S``; it is timed
      where the heel's falling speed, extrapolated, reaches ``SWING_STOP_FRACTION`` of the peak (the end level,
      which must clear MediaPipe's jitter, is crossed a little before the heel stops).

    The typical swing peak is the median of the person's last ``SWING_PEAK_HISTORY`` peaks (both feet; at first
    ``SWING_DEFAULT_PEAK_SPEED_LEG_S``). Crossing times are interpolated between samples. ``EventDetector`` checks
    the order of both feet's events.
    """

    def __init__(self) -> None:
        self._peaks: deque[float] = deque(maxlen=int(SWING_PEAK_HISTORY))
        self.typical_peak_leg_s = SWING_DEFAULT_PEAK_SPEED_LEG_S  # the median of _peaks, kept with it
        self.reset()

    def new_person(self) -> None:
        self._peaks.clear()
        self.typical_peak_leg_s = SWING_DEFAULT_PEAK_SPEED_LEG_S
        self.reset()

    def reset(self) -> None:
        """Forget the feet's motion (a gap, another view): a swing must be seen whole again."""
        self._feet = {foot: _FootSwing() for foot in FEET}

    def feet_moving(self) -> bool:
        """Does a foot move in the picture as fast as a swing (``SWING_CONFIRM_FRACTION`` of the typical peak)?"""
        confirm = SWING_CONFIRM_FRACTION * self.typical_peak_leg_s
        return any(state.fast(confirm) for state in self._feet.values())

    def push(self, t_s: float, feet: dict[str, tuple[float, float, float, float]], leg_px: float
             ) -> list[tuple[float, str, str]]:
        """Add one smoothed sample: each foot's (heel x, heel y, toe x, toe y) in px and the leg length in px.

        Returns the events it confirms as ``(t_s, kind, foot)``, in time order.
        """
        for foot, points in feet.items():
            self._feet[foot].update(t_s, points, leg_px)
        start = SWING_START_FRACTION * self.typical_peak_leg_s
        confirm = SWING_CONFIRM_FRACTION * self.typical_peak_leg_s
        events = []
        for foot in FEET:
            state, other = self._feet[foot], self._feet[other_foot(foot)]
            if state.swinging:
                contact = self._landing(state)
                if contact is not None:
                    events.append((contact, INITIAL_CONTACT, foot))
                continue
            if not state.toe_speed >= start:
                state.lift_t_s = math.nan
                if state.heel_speed < start:  # flat on the ground
                    state.settled = True
                    state.stance_heel = (*state.recent[-1][1][:2], leg_px)
                continue
            if not state.settled:  # still coming down (the forefoot after the heel): not a new swing
                continue
            if not math.isfinite(state.lift_t_s):
                state.lift_t_s = _crossing(state.prev_t_s, state.prev_toe_speed, state.t_s, state.toe_speed, start)
            if state.fast(confirm) and not other.fast(confirm):
                if other.swinging:
                    # Walking has double support: the other foot landed before this one left the ground, but its
                    # landing was not seen (e.g. a foot pivoting as a turn begins): no contact rather than a late one.
                    other.swinging, other.landing_t_s = False, math.nan
                state.swinging, state.start_t_s = True, state.lift_t_s
                state.peak = state.heel_speed if math.isfinite(state.heel_speed) else 0.0
                state.settled = False
                events.append((state.lift_t_s, TOE_OFF, foot))
        return sorted(events)

    def _landing(self, state: _FootSwing) -> float | None:
        """A swinging foot's initial contact, if this sample confirms that its swing ended: the heel slowed below
        the end level one sample ago and is still below it (a brief dip, e.g. a heel moving away from the camera
        while it comes down, is not a landing)."""
        if not math.isfinite(state.heel_speed) or state.t_s - state.start_t_s > MAX_SWING_TIME_S:
            state.swinging, state.landing_t_s = False, math.nan  # lost, or too slow to be a swing: no contact
            return None
        end = SWING_END_FRACTION * state.peak
        if state.heel_speed >= end or state.toe_speed >= SWING_CONFIRM_FRACTION * self.typical_peak_leg_s:
            # Still swinging (a heel can pause in the picture mid-swing, seen from behind, while the toe sweeps on).
            state.landing_t_s = math.nan
            state.peak = max(state.peak, state.heel_speed)
            return None
        if not math.isfinite(state.landing_t_s):  # below the end level for the first time: a landing, if it stays
            # The heel stops where its falling speed reaches the stance foot's level (extrapolated, at most one
            # sample on): the end level, which must clear MediaPipe's jitter, is crossed a little before the stop.
            state.landing_t_s = _crossing(state.prev_t_s, state.prev_heel_speed, state.t_s, state.heel_speed,
                                          SWING_STOP_FRACTION * state.peak, beyond=1.0)
            return None
        state.swinging, state.lift_t_s = False, math.nan
        landing_t_s, state.landing_t_s = state.landing_t_s, math.nan
        if not state.heel_travel_leg() >= MIN_SWING_TRAVEL_LEG:
            return None
        self._peaks.append(state.peak)
        self.typical_peak_leg_s = statistics.median(self._peaks)
        return landing_t_s


def _crossing(t0: float, y0: float, t1: float, y1: float, level: float, beyond: float = 0.0) -> float:
    """Time at which the line through ``(t0, y0)`` and ``(t1, y1)`` reaches ``level``: between them, or extrapolated
    up to ``beyond`` intervals after ``t1`` (``t1`` if it cannot tell)."""
    if not (math.isfinite(t0) and math.isfinite(y0) and math.isfinite(y1)) or y0 == y1:
        return t1
    return t0 + (t1 - t0) * min(max((level - y0) / (y1 - y0), 0.0), 1.0 + beyond)


class TravelMeter:
    """Frontal views: is the person walking toward or away from the camera, or in place (a treadmill)?

    Overground the feet move on through the picture, step after step; in place they swing back and forth about the
    same spot. The feet's mean position (both heels and toes) is fitted by a line over the last
    ``TRAVEL_WINDOW_S``: travelling when its speed reaches ``MIN_TRAVEL_SPEED_LEG_S`` (leg lengths in the image per
    second). Overground a stance foot stands still in the picture (``SwingDetector``); in place it moves with the
    belt, and contacts come from the feet relative to the pelvis (``PeakFinder`` on world depth).
    """

    def __init__(self) -> None:
        self._feet: deque[tuple[float, float, float, float]] = deque()  # t, mean x, mean y (px), leg length (px)

    def reset(self) -> None:
        self._feet.clear()

    def push(self, t_s: float, feet: dict[str, tuple[float, float, float, float]], leg_px: float) -> bool | None:
        """Add a sample (each foot's heel x, y and toe x, y in px); None until half a window is known."""
        points = [v for foot in FEET for v in feet[foot]]
        if math.isfinite(leg_px) and leg_px > 0 and all(math.isfinite(v) for v in points):
            self._feet.append((t_s, statistics.fmean(points[0::2]), statistics.fmean(points[1::2]), leg_px))
        while self._feet and t_s - self._feet[0][0] > TRAVEL_WINDOW_S:
            self._feet.popleft()
        if len(self._feet) < 3 or self._feet[-1][0] - self._feet[0][0] < 0.5 * TRAVEL_WINDOW_S:
            return None
        t_mean = statistics.fmean(p[0] for p in self._feet)
        sxx = sum((p[0] - t_mean) ** 2 for p in self._feet)
        velocity = [sum((p[0] - t_mean) * p[k] for p in self._feet) / sxx for k in (1, 2)]
        return math.hypot(*velocity) / statistics.fmean(p[3] for p in self._feet) >= MIN_TRAVEL_SPEED_LEG_S


@dataclass(frozen=True)
class Contact:
    """A gait event found without trusting MediaPipe's left/right leg labels (see the module notes).

    Attributes
    ----------
    t_s
        Time of the event (sub-frame).
    kind
        ``INITIAL_CONTACT`` or ``TOE_OFF``.
    run
        Number of the run of contacts it belongs to; within a run initial contacts alternate feet.
    index
        Which foot, as a parity count within the run: initial contacts count 0, 1, 2, ... (2 steps on when one
        contact was missed); a toe off carries the index of the contact of the foot that leaves the ground.
    evidence
        Initial contacts only (0 for toe offs): signed evidence that the landing foot is the person's left (+)
        or right (-), in seconds of clear heel lift (see ``EventDetector``).
    """

    t_s: float
    kind: str
    run: int
    index: int
    evidence: float = 0.0


class EventDetector:
    """Streaming, label-free detection of initial contacts and toe offs, validated by the order of walking.

    Parameters
    ----------
    min_excursion_leg
        Minimum travel (leg lengths) of the front heel (back toe) between its extremes.
    min_heel_ahead_leg, min_toe_behind_leg
        At IC the front heel must be this far ahead of the pelvis; at TO the back toe this far behind.

    Attributes
    ----------
    rejected_
        Candidates rejected by the sequence rules so far.

    Notes
    -----
    Input per sample: the *front heel* (the more forward of the two heels, relative to the pelvis along the
    walking direction, leg lengths) and the *back toe* (the more backward toe), both smoothed; plus the label
    evidence ``heel_lift_left`` (side view: + when the left heel is higher than the right, leg lengths) and
    ``heel_lead_left`` (+ when the left heel is ahead of the right). IC = maximum of the front heel, TO = minimum
    of the back toe (Zeni et al. 2008 applied to the envelopes, so a leg-label swap cannot move an event).

    Each extremum needs its excursion seen over at least ``MIN_EXTREMUM_RISE_S`` (the swing before a contact takes
    longer): a bout that starts on a pose glitch cannot fake one. Sequence rules: contacts at least
    ``MIN_STEP_TIME_S`` apart; a gap longer than ``MAX_STEP_TIME_S`` starts a new run; a gap over
    ``MISSED_CONTACT_STEP_RATIO`` typical step times (median of the last four) means one contact was missed (the
    same foot lands again). One toe off per step: in walking it is the foot that landed one step earlier (its stance
    ``MIN_STANCE_TIME_S``-``MAX_STANCE_TIME_S``), after the other foot has landed; a toe off later than
    ``FLIGHT_TOE_OFF_STEP_FRACTION`` of a step after the contact belongs to the foot that just landed (running:
    no double support). Toe offs before the first contact of a run are dropped (their foot is not known yet).

    Foot evidence for a contact: the time, since the previous contact, during which one heel was at least
    ``HEEL_LIFT_VOTE_LEG`` higher than the other (the swinging foot, which lands next: in initial swing the
    heel rises ~0.3 leg lengths, far more than a stance heel lifting at heel off), signed by that heel's label;
    plus the label of the front heel at the contact weighted ``SIDE_LEAD_VOTE_S`` in side view (MediaPipe often
    swaps the legs there) and ``FRONTAL_LEAD_VOTE_S`` in frontal views (where the labels are reliable).
    """

    def __init__(
        self,
        min_excursion_leg: float = MIN_FOOT_EXCURSION_LEG,
        min_heel_ahead_leg: float = MIN_HEEL_AHEAD_AT_IC_LEG,
        min_toe_behind_leg: float = MIN_TOE_BEHIND_AT_TO_LEG,
    ) -> None:
        for name, value in (("min_excursion_leg", min_excursion_leg), ("min_heel_ahead_leg", min_heel_ahead_leg),
                            ("min_toe_behind_leg", min_toe_behind_leg)):
            if not (math.isfinite(value) and value >= 0):
                raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
        self.min_excursion_leg = min_excursion_leg
        self.min_heel_ahead_leg = min_heel_ahead_leg
        self.min_toe_behind_leg = min_toe_behind_leg
        self._ic = PeakFinder(min_excursion_leg, min_heel_ahead_leg, MIN_EXTREMUM_RISE_S)
        # The back heel's peaks, wherever they are: a step-to limp's painful foot lands level with or behind the
        # other one, so the front heel never peaks at its contact (see _back_heel_contact).
        self._ic_back = PeakFinder(min_excursion_leg, -math.inf, MIN_EXTREMUM_RISE_S)
        self._to = PeakFinder(min_excursion_leg, min_toe_behind_leg, MIN_EXTREMUM_RISE_S)
        self.timer = ContactTimer()
        self.back_timer = ContactTimer()  # the back heel's contacts (a step-to limp's painful foot)
        self.swings = SwingDetector()
        self.rejected_ = 0
        self._run = -1
        self.reset()

    def new_person(self) -> None:
        """Another person from the next sample: forget the sequence and the contact timers' stance slopes."""
        self.timer.new_person()
        self.back_timer.new_person()
        self.swings.new_person()
        self.reset()

    def push_raw(self, t_s: float, heel_front: float, heel_lead_left: float = math.nan) -> None:
        """Add one *raw* front-heel sample and the left heel's lead (for the contact timers of the front and the
        back heel), before the smoothed samples it helps confirm are ``push``ed."""
        self.timer.push(t_s, heel_front)
        self.back_timer.push(t_s, heel_front - abs(heel_lead_left))

    def reset(self) -> None:
        """Forget the sequence (a gap, a change of view): the next contact starts a new run."""
        self._ic.reset()
        self._ic_back.reset()
        self._back_peak: tuple[float, float, float] | None = None  # a back-heel peak: (t, spread, back heel's lead)
        self._to.reset()
        self.swings.reset()
        self._new_run()
        self._last_ic_t = -math.inf  # the last accepted contact, of any run (new_run keeps it)
        self._last_swing_t = -math.inf  # frontal views: when a foot last moved in the picture as fast as a swing
        self._vote = 0.0
        self._prev_t: float | None = None
        self._prev_lead = self._prev_lift = math.nan
        self._prev_side = True

    def _new_run(self) -> None:
        self._run += 1
        self._score = 0.0  # the run's foot evidence so far (as FootLabeller), for the contact timer's feet
        self._index = -1
        self._ic_times: list[float] = []  # contacts of this run (the last two are used)
        self._last_foot: str | None = None  # the labelled foot of the run's last contact (frontal views)
        self._steps_s: list[float] = []  # the last few step times of this run
        self._to_since_ic = False

    @property
    def _step_s(self) -> float:
        """Typical recent step time: the median of the last few, so one early or late contact does not skew it."""
        return statistics.median(self._steps_s) if self._steps_s else math.nan

    def push(self, t_s: float, heel_front: float, toe_back: float, heel_lift_left: float = math.nan,
             heel_lead_left: float = math.nan, side_view: bool = True,
             feet: dict[str, tuple[float, float, float, float]] | None = None, leg_px: float = math.nan,
             swings: bool = False) -> list[Contact]:
        """Add one smoothed sample; return the contacts accepted because of it (time order).

        Frontal views also give each labelled foot's heel and toe in the image (``feet``, px) and the leg length in
        the image (``leg_px``): both detectors follow every sample, so either can take over at once, and
        ``swings`` says whose contacts count (``SwingDetector``'s, overground; else the front heel's peaks).
        """
        if self._prev_t is not None and math.isfinite(heel_lift_left) and abs(heel_lift_left) >= HEEL_LIFT_VOTE_LEG:
            # Each sample counts for the time since the previous one (at most a bridgeable gap).
            self._vote += math.copysign(min(t_s - self._prev_t, MAX_GAP_FILL_S), heel_lift_left)
        # (time, kind, labelled foot or None, a back heel's contact: the landing heel's lead; else NaN)
        candidates: list[tuple[float, str, str | None, float]] = []
        t_ic = self._ic.push(t_s, heel_front)
        if t_ic is not None:
            candidates.append((t_ic, INITIAL_CONTACT, None, math.nan))
        # Side-on only: on MediaPipe's world depth (frontal views) the back heel is not to be trusted (walking away
        # from the camera its depth put both heels ahead of the pelvis, and the one contact it found was on the
        # wrong foot).
        back = self._back_heel_contact(t_s, heel_front if side_view else math.nan, heel_lead_left, heel_lift_left)
        if back is not None:
            t_back, lead = back
            candidates.append((t_back, INITIAL_CONTACT, None, lead))
        t_to = self._to.push(t_s, -toe_back)
        if t_to is not None:
            candidates.append((t_to, TOE_OFF, None, math.nan))
        if feet is not None:
            # Confirmed at most MAX_EVENT_LATENCY_S after the time given (as ContactTimer does for side views).
            earliest = self.timer.newest_t_s - MAX_EVENT_LATENCY_S + 0.001
            labelled = [(max(t, earliest), kind, foot, math.nan)
                        for t, kind, foot in self.swings.push(t_s, feet, leg_px)]
            if self.swings.feet_moving():
                self._last_swing_t = t_s
            if swings:
                candidates = labelled
            elif not t_s - self._last_swing_t <= MAX_STEP_TIME_S:
                # In place, the depth rule's contacts only where a foot swings: a person standing and shifting
                # their weight moves their feet in MediaPipe's noisy depth, not in the picture.
                candidates = [c for c in candidates if c[1] != INITIAL_CONTACT]
        accepted = []
        for t_event, kind, foot, lead in sorted(candidates, key=lambda c: c[0]):
            contact = self._offer_ic(t_event, foot, lead) if kind == INITIAL_CONTACT else self._offer_to(t_event, foot)
            if contact is None:
                self.rejected_ += 1
            else:
                accepted.append(contact)
        self._prev_t, self._prev_lead, self._prev_lift, self._prev_side = t_s, heel_lead_left, heel_lift_left, side_view
        return accepted

    def new_run(self) -> None:
        """The next contact starts a new run (the other detector takes over), the detectors' states kept."""
        self._new_run()

    def _back_heel_contact(self, t_s: float, heel_front: float, heel_lead_left: float, heel_lift_left: float
                           ) -> tuple[float, float] | None:
        """A contact of the back heel, confirmed now: ``(its time, the landing heel's lead)``, else None.

        In a step-to gait the painful foot lands level with or behind the other one: the front heel (the other
        foot, in stance) never peaks then, but the back heel does. It also peaks in every normal stride, where the
        swinging heel passes the stance one (mid-swing); there the heels part again at once, at the swing's speed,
        whereas after a contact both feet stand and the distance between the heels holds. So a back-heel peak is a
        contact if, for ``BACK_HEEL_STANCE_S`` after it, that distance changes by less than
        ``BACK_HEEL_SPREAD_CHANGE_LEG`` (label-free, as the front heel: MediaPipe's side-on leg swaps cannot move
        it), and, seen from the side, neither heel is lifted at the peak by ``HEEL_LIFT_VOTE_LEG`` (mid-swing the
        swinging heel is; where the legs overlap in the picture MediaPipe can blur their distance)."""
        if not (math.isfinite(heel_front) and math.isfinite(heel_lead_left)):
            self._ic_back.push(t_s, math.nan)
            self._back_peak = None
            return None
        spread = abs(heel_lead_left)
        found = None
        if self._back_peak is not None:
            t_peak, spread_at_peak, lead = self._back_peak
            if abs(spread - spread_at_peak) > BACK_HEEL_SPREAD_CHANGE_LEG:
                self._back_peak = None  # the heels part: the swinging heel passed the other one
            elif t_s - t_peak >= BACK_HEEL_STANCE_S:
                found, self._back_peak = (t_peak, lead), None
        t_peak = self._ic_back.push(t_s, heel_front - spread)
        at_peak = self._prev_lead  # the peak is the previous sample: the back heel then is the one not in front
        if t_peak is not None and math.isfinite(at_peak) and not abs(self._prev_lift) >= HEEL_LIFT_VOTE_LEG:
            self._back_peak = (t_peak, abs(at_peak), -at_peak)
        return found

    def _offer_ic(self, t: float, foot: str | None = None, lead: float = math.nan) -> Contact | None:
        """An initial contact candidate at ``t``: of an unknown foot (the front heel's peak; or the back heel's, with
        ``lead`` the landing heel's lead over the other) or of the labelled ``foot`` (frontal views:
        ``SwingDetector``)."""
        if t - self._last_ic_t < MIN_STEP_TIME_S:
            return None  # the other detector's contact, already accepted before this one took over
        step = 1
        if self._ic_times:
            dt = t - self._ic_times[-1]
            if dt < MIN_STEP_TIME_S or (len(self._steps_s) >= _MIN_TYPICAL_STEPS
                                        and dt < MIN_STEP_TYPICAL_RATIO * self._step_s):
                return None  # too soon after the last contact for this walker's steps: not a contact
            if dt > MAX_STEP_TIME_S:
                self._new_run()
            elif (foot is not None and foot == self._last_foot) or (
                    foot is None and len(self._steps_s) >= _MIN_TYPICAL_STEPS
                    and dt > MISSED_CONTACT_STEP_RATIO * self._step_s):
                step = 2  # the other foot's contact was missed: the same foot lands again
            else:
                self._steps_s = (self._steps_s + [dt])[-_TYPICAL_STEP_COUNT:]
        back_heel = math.isfinite(lead)
        if foot is None:
            if not back_heel:
                lead = self._prev_lead  # the sample before the one that confirmed the peak is the peak
            weight = SIDE_LEAD_VOTE_S if self._prev_side else FRONTAL_LEAD_VOTE_S
            evidence = self._vote + (math.copysign(weight, lead) if math.isfinite(lead) and lead != 0 else 0.0)
        else:
            evidence = FRONTAL_LEAD_VOTE_S if foot == LEFT else -FRONTAL_LEAD_VOTE_S
        self._vote = 0.0
        self._last_foot = foot
        self._last_ic_t = t
        self._index += step
        self._ic_times = (self._ic_times + [t])[-2:] if step == 1 else [t]
        self._to_since_ic = False
        signed = evidence if self._index % 2 == 0 else -evidence
        self._score += signed
        phase = 1 if (self._score if self._score != 0 else signed) >= 0 else -1
        if foot is not None:  # the swing's end is timed on the raw speeds already
            return Contact(t, INITIAL_CONTACT, self._run, self._index, evidence)
        timer = self.back_timer if back_heel else self.timer
        t_contact = timer.time(t, foot_of(self._index, phase))
        timer.accepted(t_contact, self._step_s)
        return Contact(t_contact, INITIAL_CONTACT, self._run, self._index, evidence)

    def _offer_to(self, t: float, foot: str | None = None) -> Contact | None:
        """A toe off candidate at ``t``: of an unknown foot (side views: the back toe's trough) or of the labelled
        ``foot`` (frontal views), which tells walking (the other foot than the last contact's) from running."""
        times = self._ic_times
        if not times or self._to_since_ic:
            return None
        since_ic = t - times[-1]
        if foot is not None and since_ic <= 0:
            return None  # confirmed after a contact it came before: out of order
        if (foot == self._last_foot) if foot is not None else (
                math.isfinite(self._step_s) and since_ic > FLIGHT_TOE_OFF_STEP_FRACTION * self._step_s):
            # Running: the foot that just landed leaves the ground before the other lands.
            if not MIN_FLIGHT_STANCE_TIME_S <= since_ic <= MAX_STANCE_TIME_S:
                return None
            index = self._index
        else:
            if len(times) == 2 and not MIN_STANCE_TIME_S <= t - times[0] <= MAX_STANCE_TIME_S:
                return None
            index = self._index + 1
        self._to_since_ic = True
        return Contact(t, TOE_OFF, self._run, index)


def foot_of(index: int, phase: int) -> str:
    """The foot of the contact with parity ``index`` in a run whose even contacts are left (``phase`` +1) or
    right (``phase`` -1)."""
    return LEFT if (phase if index % 2 == 0 else -phase) > 0 else RIGHT


def run_phase(contacts) -> dict[int, int]:
    """Phase (+1: even contacts are left, -1: right) of each run, from all of its contacts' evidence."""
    score: dict[int, float] = {}
    first: dict[int, float] = {}
    for c in contacts:
        if c.kind == INITIAL_CONTACT:
            signed = c.evidence if c.index % 2 == 0 else -c.evidence
            score[c.run] = score.get(c.run, 0.0) + signed
            first.setdefault(c.run, signed)
    return {run: (1 if (s if s != 0 else first[run]) >= 0 else -1) for run, s in score.items()}


class FootLabeller:
    """Streaming foot assignment: each contact gets the foot its run's evidence *so far* points to.

    Attributes
    ----------
    phase_flips_
        How often later evidence reversed a run's phase (each flip breaks the bout: no step spans it).

    Notes
    -----
    The offline path labels each run once with all of its evidence (``run_phase``); the two agree whenever the
    evidence never changes sign within a run.
    """

    def __init__(self) -> None:
        self.phase_flips_ = 0
        self._run = -1
        self._score = 0.0
        self._phase = 0

    def label(self, contact: Contact) -> tuple[GaitEvent, bool]:
        """The contact as a ``GaitEvent`` and whether the phase flipped just now (break the bout before it)."""
        if contact.run != self._run:
            self._run, self._score, self._phase = contact.run, 0.0, 0
        flipped = False
        if contact.kind == INITIAL_CONTACT:
            signed = contact.evidence if contact.index % 2 == 0 else -contact.evidence
            self._score += signed
            phase = 1 if (self._score if self._score != 0 else signed) >= 0 else -1
            if self._phase and phase != self._phase:
                flipped = True
                self.phase_flips_ += 1
            self._phase = phase
        phase = self._phase or 1
        return GaitEvent(contact.t_s, foot_of(contact.index, phase), contact.kind), flipped


# --- Scoring against ground truth ---------------------------------------------------------------------------

@dataclass(frozen=True)
class EventScore:
    """Detected events matched one-to-one to true events of the same foot and kind within a tolerance.

    Attributes
    ----------
    hits, misses, false_events
        Matched true events, unmatched true events, unmatched detected events.
    mean_abs_error_s
        Mean absolute time error of the hits (NaN without hits).
    errors_s
        Signed errors (detected - true) of the hits, in true-event order.
    """

    hits: int
    misses: int
    false_events: int
    mean_abs_error_s: float
    errors_s: tuple[float, ...]

    def mean_abs_error_frames(self, fps: float) -> float:
        return self.mean_abs_error_s * fps


def score_events(detected, truth, tolerance_s: float = 0.15, kinds=(INITIAL_CONTACT, TOE_OFF),
                 t_min_s: float = -math.inf, t_max_s: float = math.inf) -> EventScore:
    """Match ``detected`` to ``truth`` (iterables of ``GaitEvent``) for the given kinds.

    Parameters
    ----------
    tolerance_s
        Largest |detected - true| that still counts as a hit.
    kinds
        Event kinds to score (e.g. only ``(INITIAL_CONTACT,)``).
    t_min_s, t_max_s
        Only true and detected events in this time range are scored (skip start-up and the last events).

    Notes
    -----
    Greedy matching by closeness per (foot, kind): events of one kind are a stride apart, far more than the
    tolerance, so greedy equals optimal matching here.
    """
    if not tolerance_s > 0:
        raise ValueError(f"tolerance_s must be > 0, got {tolerance_s!r}")
    errors: list[tuple[float, float]] = []
    misses = false_events = 0
    for foot in FEET:
        for kind in kinds:
            det = sorted(e.t_s for e in detected if e.foot == foot and e.kind == kind and t_min_s <= e.t_s <= t_max_s)
            tru = sorted(e.t_s for e in truth if e.foot == foot and e.kind == kind and t_min_s <= e.t_s <= t_max_s)
            pairs = sorted((abs(d - t), i, j) for i, t in enumerate(tru) for j, d in enumerate(det)
                           if abs(d - t) <= tolerance_s)
            used_t: set[int] = set()
            used_d: set[int] = set()
            for _, i, j in pairs:
                if i not in used_t and j not in used_d:
                    used_t.add(i)
                    used_d.add(j)
                    errors.append((tru[i], det[j] - tru[i]))
            misses += len(tru) - len(used_t)
            false_events += len(det) - len(used_d)
    errors.sort()
    errs = tuple(e for _, e in errors)
    mae = float(np.mean(np.abs(errs))) if errs else math.nan
    if not errs and (misses or false_events):
        warnings.warn("score_events: no detected event matched a true event", stacklevel=2)
    return EventScore(len(errs), misses, false_events, mae, errs)
