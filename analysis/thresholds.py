"""Every threshold, tuning constant and formula of the gait analysis, with its unit and source, in one table.

Other modules import the constants from here; nothing else in ``analysis/`` hides a magic number that changes
results. ``THRESHOLDS`` lists them all (name, value, unit, source) for documentation and for the UI's "about"
page; ``FORMULAS`` names the formulas the metrics implement and where they come from.

References
----------
* Casiez G, Roussel N, Vogel D (2012). 1 Euro filter: a simple speed-based low-pass filter for noisy input in
  interactive systems. CHI '12, 2527-2530.
* Winter DA (2009). Biomechanics and Motor Control of Human Movement, 4th ed. Wiley. (6 Hz cut-off for walking
  kinematics, ch. 3; segment lengths as fractions of body height, ch. 4, after Drillis & Contini 1966.)
* Zeni JA, Richards JG, Higginson JS (2008). Two simple methods for determining gait events during treadmill and
  overground walking using kinematic data. Gait & Posture 27(4), 710-714.
* Savitzky A, Golay MJE (1964). Smoothing and differentiation of data by simplified least squares procedures.
  Analytical Chemistry 36(8), 1627-1639.
* Robinson RO, Herzog W, Nigg BM (1987). Use of force platform variables to quantify the effects of chiropractic
  manipulation on gait symmetry. J Manipulative Physiol Ther 10(4), 172-176. (Symmetry index.)
* Munro A, Herrington L, Carolan M (2012). Reliability of 2-dimensional video assessment of frontal-plane dynamic
  knee valgus during common athletic screening tasks. J Sport Rehabil 21(1), 7-11. (FPPA definition, normal
  ranges in single-leg squat: about 3-8 deg in men, 7-13 deg in women.)
* Perry J, Burnfield JM (2010). Gait Analysis: Normal and Pathological Function, 2nd ed. SLACK. (Pelvic drop about
  4-5 deg on the swing side; trunk nearly upright.)
* Staheli LT, Corbett M, Wyss C, King H (1985). Lower-extremity rotational problems in children. Normal values to
  guide management. J Bone Joint Surg Am 67(1), 39-47. (Adult foot progression angle mean about +10 deg,
  range -3 to +20 deg.)
* Tudor-Locke C et al. (2011). How many steps/day are enough? for adults. Int J Behav Nutr Phys Act 8:79; and
  Tudor-Locke C, Rowe DA (2012). Using cadence to study free-living ambulatory behaviour. Sports Med 42(5),
  381-398. (Walking cadence about 100-130 steps/min; plausibility bounds here are much wider.)
"""
from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Threshold:
    """One documented constant: ``value`` in ``unit``, justified by ``source``."""

    name: str
    value: float
    unit: str
    source: str


THRESHOLDS: dict[str, Threshold] = {}


def _define(name: str, value: float, unit: str, source: str) -> float:
    if name in THRESHOLDS:
        raise ValueError(f"threshold {name} defined twice")
    THRESHOLDS[name] = Threshold(name, float(value), unit, source)
    return float(value)


# --- Input quality -------------------------------------------------------------------------------------------
MIN_VISIBILITY = _define(
    "MIN_VISIBILITY", 0.5, "1",
    "MediaPipe Pose default confidence (0.5); below it a landmark is treated as missing, never as a metric")
EVENT_MIN_VISIBILITY = _define(
    "EVENT_MIN_VISIBILITY", 0.15, "1",
    "Engineering choice: heel/toe tracks used for event timing only (never for angles or lengths); MediaPipe's "
    "far leg in side view is tracked with visibility ~0.2-0.5; the sequence rules reject its glitches")
MAX_GAP_FILL_S = _define(
    "MAX_GAP_FILL_S", 0.2, "s",
    "GaitCoach issues 8, 13: dropouts up to 200 ms are bridged (interpolated, the walk goes on), longer ones stay "
    "honest gaps. A busy machine drops frames live: with half of them dropped at random, runs of 3-5 in a row "
    "(100-167 ms at 30 fps) are common, and a walk that ended at each lost every other contact "
    "(benchmarks/dropped_frames.py); 200 ms stays well under a contact's heel peak plus its approach (~0.3 s)")

# --- Smoothing -----------------------------------------------------------------------------------------------
BUTTERWORTH_ORDER = _define(
    "BUTTERWORTH_ORDER", 4, "1", "Winter 2009: 4th-order zero-lag (filtfilt) Butterworth for gait kinematics")
BUTTERWORTH_CUTOFF_HZ = _define(
    "BUTTERWORTH_CUTOFF_HZ", 6.0, "Hz", "Winter 2009: ~6 Hz keeps walking kinematics, removes digitising noise")
ONE_EURO_MIN_CUTOFF_HZ = _define(
    "ONE_EURO_MIN_CUTOFF_HZ", 1.5, "Hz", "Casiez et al. 2012 (tuned: jitter-free at rest, little lag in gait)")
ONE_EURO_BETA_PER_PX = _define(
    "ONE_EURO_BETA_PER_PX", 0.01, "1/px", "Casiez et al. 2012 speed coefficient, for image landmarks in pixels")
ONE_EURO_BETA_PER_M = _define(
    "ONE_EURO_BETA_PER_M", 3.0, "1/m", "Casiez et al. 2012 speed coefficient, for world landmarks in metres")
ONE_EURO_D_CUTOFF_HZ = _define(
    "ONE_EURO_D_CUTOFF_HZ", 1.0, "Hz", "Casiez et al. 2012 default cut-off of the speed estimate")
EVENT_SMOOTHING_HALF_WINDOW_S = _define(
    "EVENT_SMOOTHING_HALF_WINDOW_S", 0.075, "s",
    "Savitzky & Golay 1964 local quadratic fit, zero phase; half window + 1 sample keeps latency <= 150 ms")
EVENT_SMOOTHING_PAST_FACTOR = _define(
    "EVENT_SMOOTHING_PAST_FACTOR", 2.5, "1",
    "Savitzky & Golay 1964 fit over 2.5x as many past samples as future ones: still exact for a quadratic peak, "
    "less jitter at no extra latency. Engineering choice on the synthetic walker and the real clips: 2x left more "
    "jitter (symmetric walks read a step-time SI of 2-4%), 3x biased the one-sided heel peaks (two ICs of "
    "side_walk_60fps_short.mp4 3 frames off)")
MAX_EVENT_LATENCY_S = _define(
    "MAX_EVENT_LATENCY_S", 0.15, "s", "GaitCoach issue: events confirmed at most 150 ms after they happen")

# --- View (body yaw from the world hip and shoulder lines; 0 = facing the camera) -------------------------------
FRONTAL_MAX_YAW_DEG = _define(
    "FRONTAL_MAX_YAW_DEG", 30.0, "deg",
    "Engineering choice: 2-D frontal-plane angles stay within ~1 deg (cos 30 deg scaling of small angles)")
SIDE_MIN_YAW_DEG = _define(
    "SIDE_MIN_YAW_DEG", 60.0, "deg", "Engineering choice: sagittal angles valid within +-30 deg of side-on")
SIDE_MAX_YAW_DEG = _define("SIDE_MAX_YAW_DEG", 120.0, "deg", "Mirror of SIDE_MIN_YAW_DEG about 90 deg")
VIEW_HYSTERESIS_DEG = _define(
    "VIEW_HYSTERESIS_DEG", 2.0, "deg",
    "Engineering choice: keeps the view from flickering at a sector edge (yaw noise ~1-3 deg), small enough "
    "not to lag in a walking U-turn (~150 deg/s)")
VIEW_MAX_YAW_RATE_DEG_S = _define(
    "VIEW_MAX_YAW_RATE_DEG_S", 250.0, "deg/s",
    "Engineering choice: a faster body rotation is a pivot (view unknown); a walking U-turn is ~150 deg/s and "
    "pelvic rotation in straight walking (+-4 deg at ~1 Hz) < 40 deg/s (Perry & Burnfield 2010)")
VERTICAL_WINDOW_S = _define(
    "VERTICAL_WINDOW_S", 3.0, "s",
    "Engineering choice: the body's vertical in MediaPipe's world frame is the mean hip-minus-ankle direction over "
    "this long (about three strides, so the feet's fore-aft swing averages out under the pelvis); MediaPipe's "
    "world axes follow the camera, pitched 7-32 deg on the annotated real clips")

# --- Gait events (Zeni et al. 2008, heel and toe relative to the pelvis along the walking direction) -----------
MIN_STEP_TIME_S = _define(
    "MIN_STEP_TIME_S", 0.25, "s", "Plausibility: 240 steps/min, far above walking cadence (Tudor-Locke 2012)")
MAX_STEP_TIME_S = _define(
    "MAX_STEP_TIME_S", 1.5, "s", "Plausibility: 40 steps/min; a longer pause ends the walking bout")
MIN_STANCE_TIME_S = _define(
    "MIN_STANCE_TIME_S", 0.2, "s", "Plausibility: stance is ~60% of a >= 0.5 s stride (Perry & Burnfield 2010)")
MAX_STANCE_TIME_S = _define("MAX_STANCE_TIME_S", 2.0, "s", "Plausibility: slow walking stance stays below 2 s")
MIN_FOOT_EXCURSION_LEG = _define(
    "MIN_FOOT_EXCURSION_LEG", 0.25, "leg lengths",
    "Engineering choice: heel/toe must travel this far relative to the pelvis between extremes; walking "
    "steps are 0.6-0.9 leg lengths, standing sway is < 0.1 (rejects standing, swaying, turning on the spot)")
MIN_EXTREMUM_RISE_S = _define(
    "MIN_EXTREMUM_RISE_S", 0.1, "s",
    "Physics: the front heel rises from the feet crossing to the contact over ~40% of a step (> 0.15 s even "
    "running at 180 steps/min); a faster 'rise' is a start-up glitch (seen at the first frames of "
    "side_walk_60fps_short.mp4, where the glitch test has no past samples yet)")
BACK_HEEL_STANCE_S = _define(
    "BACK_HEEL_STANCE_S", 0.1, "s",
    "A back-heel peak is a contact (a step-to limp's painful foot landing level with or behind the other) if the "
    "heels keep their distance this long after it: both feet stand in double support (~0.1 s of a ~0.55 s step, "
    "Perry & Burnfield 2010); the confirmation waits this long")
BACK_HEEL_SPREAD_CHANGE_LEG = _define(
    "BACK_HEEL_SPREAD_CHANGE_LEG", 0.1, "leg lengths",
    "Physics: where the swinging heel passes the stance one (the back heel's peak in every normal stride), the "
    "heels part at the swing's speed relative to the stance foot (~2-4 leg lengths/s: 0.2-0.4 leg in 0.1 s); "
    "two standing feet keep their distance (MediaPipe's jitter: ~0.02-0.05 leg)")
CONTACT_APPROACH_S = _define(
    "CONTACT_APPROACH_S", 0.15, "s",
    "Initial-contact timing (analysis.events.ContactTimer, Zeni et al. 2008 refined): the raw front-heel samples "
    "from this long before the smoothed peak to the newest one (the live path's look-ahead) are fitted with the "
    "heel's approach as a line meeting its stance line. 4 frames of approach at 30 fps: over longer spans the "
    "decelerating terminal-swing approach is no longer straight (synthetic walker: 5 frames moved contacts 8 ms "
    "earlier and biased the step-time symmetry index, 3 frames raised its noise by a third)")
CONTACT_ROUNDED_RSS_RATIO = _define(
    "CONTACT_ROUNDED_RSS_RATIO", 2.0, "1",
    "Contacts are timed at the sharp corner where the heel's path has one: when, over a person's last "
    "STANCE_SLOPE_CONTACTS contacts, the median residual of the best sharp corner is at most 2x that of the best "
    "corner rounded by up to 80 ms; otherwise at the rounded corner (where its lines meet: a rounded peak is "
    "biased by the slopes, which differ between a limping walker's feet). Choosing the rounded corner always "
    "made the plain synthetic walker's noisier: its 15 % limps read 12.0 % instead of 14.2. Measured: synthetic walker (sharp corners: the heel lands moving and "
    "stops) medians 1.0-1.1 in every view at the tests' jitter, 1.55 at a fifth of it and 1.6 without (the "
    "approach's curvature then shows); the four real MediaPipe clips (side view; its video-mode tracking rounds "
    "the heel's stop over 30-80 ms) single contacts 1.0-53, running medians mostly 2.2-11 (side_walk_back_and_"
    "forth.mp4 down to 1.55). On the annotated clips the corner fit put contacts 0.5-1.3 frames before the "
    "annotations, the smoothed peak within 1. The test compares residuals, so it is relative to the jitter")
CONTACT_MAX_EARLY_S = _define(
    "CONTACT_MAX_EARLY_S", 0.03, "s",
    "A corner more than 30 ms before the smoothed peak is left out of its foot's offsets: the asymmetric "
    "smoothing only moves a corner's peak earlier (by 15-30 ms on the synthetic walker), so a much earlier corner "
    "is noise (~1% of straight-walking contacts) or not a corner: in a walking turn the stance line bends and the "
    "fit put contacts 35-55 ms before the peak, up to 0.11 s from the true contact")
STANCE_SLOPE_FROM_STEP = _define(
    "STANCE_SLOPE_FROM_STEP", 0.2, "1",
    "A contact's stance-line slope is measured on the raw front-heel samples from this fraction of a (typical) "
    "step after it ... (Perry & Burnfield 2010: the heel stays down from IC to heel off, ~60% of a step at normal "
    "cadence)")
STANCE_SLOPE_TO_STEP = _define(
    "STANCE_SLOPE_TO_STEP", 0.5, "1",
    "... to this fraction: before heel off and before the other heel passes the stance heel in mid-swing (the "
    "front-heel envelope then follows the other foot); at 110 steps/min 110-270 ms after the contact")
STANCE_SLOPE_CONTACTS = _define(
    "STANCE_SLOPE_CONTACTS", 8, "contacts",
    "Engineering choice: contact timing (analysis.events.ContactTimer) uses medians over the last 8 contacts: of "
    "the person's stance slopes (the stance heel moves back relative to the pelvis at the walking speed, which "
    "changes slowly: a shared robust slope replaces a per-contact one from 3-4 noisy samples), of their "
    "sharp-corner residual ratios, and of each foot's corner-minus-peak offsets (8 per foot, ~9 s of walking); "
    "long enough to average the jitter (one corner fit is good to ~15-20 ms at 30 fps on the synthetic walker), "
    "short enough to follow a change of pace")
MIN_HEEL_AHEAD_AT_IC_LEG = _define(
    "MIN_HEEL_AHEAD_AT_IC_LEG", 0.05, "leg lengths", "Zeni et al. 2008: at IC the heel is ahead of the pelvis")
MIN_TOE_BEHIND_AT_TO_LEG = _define(
    "MIN_TOE_BEHIND_AT_TO_LEG", 0.05, "leg lengths", "Zeni et al. 2008: at TO the toe is behind the pelvis")
MIN_STEP_TYPICAL_RATIO = _define(
    "MIN_STEP_TYPICAL_RATIO", 0.6, "1",
    "Engineering choice: a contact sooner than 0.6 typical step times (median of the last four) after the previous "
    "one is not a step: a limp with a 40 % step-time difference still has its short steps at 0.8 of the typical, "
    "while a false contact mid-step (a heel seen still for a moment) comes at about half")
MISSED_CONTACT_STEP_RATIO = _define(
    "MISSED_CONTACT_STEP_RATIO", 1.5, "1",
    "Engineering choice: two contacts more than 1.5 typical step times apart (median of the last four; within "
    "MAX_STEP_TIME_S) are a "
    "stride apart: the other foot's contact in between was missed, so the same foot lands again")
FLIGHT_TOE_OFF_STEP_FRACTION = _define(
    "FLIGHT_TOE_OFF_STEP_FRACTION", 0.5, "1",
    "Perry & Burnfield 2010: in walking the trailing foot leaves ~20% of a step after the other lands (double "
    "support ~10% of the cycle, up to ~30% of a step when slow); a toe off after half a step is the landing foot's "
    "own, i.e. running (no double support)")
MIN_FLIGHT_STANCE_TIME_S = _define(
    "MIN_FLIGHT_STANCE_TIME_S", 0.1, "s",
    "Plausibility: running stance lasts ~0.15-0.3 s (sprinting ~0.1 s)")
HEEL_LIFT_VOTE_LEG = _define(
    "HEEL_LIFT_VOTE_LEG", 0.12, "leg lengths",
    "Winter 2009 / Perry & Burnfield 2010: in initial swing the heel rises ~0.25-0.35 m (~0.3 leg lengths) as "
    "the knee flexes to ~60 deg; a stance heel lifting at heel off stays below ~0.1 leg lengths before the other "
    "foot lands. A heel this much higher than the other is the swinging foot (it lands next)")
SIDE_LEAD_VOTE_S = _define(
    "SIDE_LEAD_VOTE_S", 0.02, "s",
    "Engineering choice: weight of the front heel's MediaPipe label at a contact in side view, in seconds of "
    "clear heel lift: a tie-breaker only (seen from the side MediaPipe swaps the legs for long stretches, "
    "typically right after the far foot lands)")
FRONTAL_LEAD_VOTE_S = _define(
    "FRONTAL_LEAD_VOTE_S", 1.0, "s",
    "Engineering choice: facing or back to the camera the legs are apart in the image and MediaPipe's labels are "
    "reliable: the front heel's label at a contact decides (heel lift is not measured there: perspective)")
# Frontal views (walking toward or away from the camera): contacts from each foot's speed in the image.
SWING_DEFAULT_PEAK_SPEED_LEG_S = _define(
    "SWING_DEFAULT_PEAK_SPEED_LEG_S", 1.5, "leg lengths/s",
    "Measured: peak image speed of a swinging heel, in the walker's own leg lengths per second, on the real "
    "frontal and back clips (1.0-3.3; tests/data/real_video_events/); assumed until the person's own swings are "
    "seen")
SWING_START_FRACTION = _define(
    "SWING_START_FRACTION", 0.3, "1",
    "Engineering choice: a toe faster than this fraction of the typical swing peak speed has left the ground (toe "
    "off at the crossing); a still stance foot (MediaPipe jitter and camera drift) stays below about 0.2 of it")
SWING_CONFIRM_FRACTION = _define(
    "SWING_CONFIRM_FRACTION", 0.6, "1",
    "Engineering choice: a swing is real once the foot is this fast (a fraction of the typical swing peak speed) "
    "while the other foot is slower than this, i.e. standing (both feet fast: the whole body or the camera moved)")
SWING_END_FRACTION = _define(
    "SWING_END_FRACTION", 0.3, "1",
    "Engineering choice: the landing heel slowed below this fraction of its swing's peak speed: initial contact at "
    "the crossing (the swing's speed profile is bell-shaped; the foot stops within a frame or two of landing)")
SWING_STOP_FRACTION = _define(
    "SWING_STOP_FRACTION", 0.15, "1",
    "Measured: the landing heel's falling speed, extrapolated to this fraction of its swing's peak, times the "
    "contact: crossing SWING_END_FRACTION itself was 1.4 frames early on the real frontal clip's first contacts "
    "(shadow stops, by eye) and 1.4 early on the synthetic walker's (exact); extrapolated to 0.15: +0.1 +-1.0 and "
    "-0.5 +-0.7 frames")
MIN_SWING_TRAVEL_LEG = _define(
    "MIN_SWING_TRAVEL_LEG", 0.1, "leg lengths",
    "Geometry: a 0.6 m step seen from 3 m by a camera at 0.75 m moves the foot ~0.17 leg lengths in the image; "
    "less is a shuffle, a turn on the spot or jitter")
MAX_SWING_TIME_S = _define(
    "MAX_SWING_TIME_S", 1.0, "s", "Plausibility: swing lasts ~0.4 s in walking (40 % of a ~1 s stride)")
TRAVEL_WINDOW_S = _define(
    "TRAVEL_WINDOW_S", 1.5, "s",
    "Engineering choice: about a stride and a half, so the feet's travel is measured over whole strides")
MIN_TRAVEL_SPEED_LEG_S = _define(
    "MIN_TRAVEL_SPEED_LEG_S", 0.12, "leg lengths/s",
    "Measured: the feet's mean position moves 0.24-1.5 leg lengths/s in the image on the real frontal and back "
    "clips (walking toward and away), at most 0.065 on synthetic treadmill walks (camera at 0.75 and 1.2 m); "
    "slower is walking in place or on a treadmill, where a stance foot moves with the belt and contacts come from "
    "the feet relative to the pelvis (world depth, Zeni et al. 2008)")
SWING_PEAK_HISTORY = _define(
    "SWING_PEAK_HISTORY", 6, "swings", "Engineering choice: the typical swing peak speed is the median of this many")
ENVELOPE_MAX_BACKWARD_SPEED_LEG_S = _define(
    "ENVELOPE_MAX_BACKWARD_SPEED_LEG_S", 2.5, "leg lengths/s",
    "Physics: the front heel moves back relative to the pelvis no faster than the stance foot, i.e. the walking "
    "speed (<= ~2 m/s, ~2.3 leg lengths/s); a faster drop is a pose glitch (MediaPipe losing the front foot for a "
    "frame or two, seen on side_walk_60fps_short.mp4) and the sample is dropped before smoothing")
ENVELOPE_GLITCH_LEG = _define(
    "ENVELOPE_GLITCH_LEG", 0.08, "leg lengths",
    "Engineering choice: tolerance on top of ENVELOPE_MAX_BACKWARD_SPEED_LEG_S for landmark jitter (real-video "
    "heel jitter ~0.01-0.02 leg lengths per frame; MediaPipe glitches drop the front heel by 0.15-0.3)")
ENVELOPE_GLITCH_WINDOW_S = _define(
    "ENVELOPE_GLITCH_WINDOW_S", 0.1, "s",
    "Engineering choice: past samples the glitch test compares with (2-3 frames at 30 fps, 6 at 60 fps): "
    "catches glitches up to two frames long; past samples only, so it adds no latency")
BACKWARD_WALKING_SPEED_LEG_S = _define(
    "BACKWARD_WALKING_SPEED_LEG_S", 0.5, "leg lengths/s",
    "Engineering choice: seen from the side, a pelvis moving against the facing direction faster than this "
    "(~40 cm/s) is walking backward (side_walk_back_and_forth.mp4's second half is its first half played in "
    "reverse: -1.7 leg lengths/s); Zeni's rule assumes forward walking, so those frames give no events. Forward "
    "walking on the real clips: +0.8 to +2.4; a runner drifting on a treadmill: down to -0.2")
BACKWARD_WINDOW_S = _define(
    "BACKWARD_WINDOW_S", 1.0, "s",
    "Engineering choice: the pelvis speed is measured over about two steps, so within-step speed changes and a "
    "treadmill user's drift average out")
LABEL_SWAP_GAIN = _define(
    "LABEL_SWAP_GAIN", 0.5, "1",
    "Engineering choice: swap L/R leg labels back when swapping shrinks frame-to-frame leg motion by half "
    "(MediaPipe briefly swaps the legs in side view)")
LABEL_SWAP_MAX_S = _define(
    "LABEL_SWAP_MAX_S", 0.2, "s",
    "Measured (benchmarks/pose_noise.py): MediaPipe's side-on leg swaps last 1.4-5.7 frames on average on the "
    "annotated clips (47-95 ms). A 'swap' kept up longer is taken as the end of one whose start went unseen (the "
    "legs crossing): undoing it mislabelled whole swings of the synthetic walker with MediaPipe's noise, whose "
    "feet read wrong for whole passes")

# --- Metrics ---------------------------------------------------------------------------------------------------
LEG_LENGTH_PER_HEIGHT = _define(
    "LEG_LENGTH_PER_HEIGHT", 0.491, "1",
    "Winter 2009 (Drillis & Contini): thigh 0.245 H + shank 0.246 H = hip-to-ankle length")
USER_HEIGHT_MIN_M = _define(
    "USER_HEIGHT_MIN_M", 1.0, "m", "Plausibility: a person's height the app accepts (settings, analyze --height)")
USER_HEIGHT_MAX_M = _define(
    "USER_HEIGHT_MAX_M", 2.3, "m", "Plausibility: a person's height the app accepts (settings, analyze --height)")
CADENCE_WINDOW_STEPS = _define("CADENCE_WINDOW_STEPS", 10, "steps", "GaitCoach issue: live cadence over 10 steps")
MIDSTANCE_FRACTION = _define(
    "MIDSTANCE_FRACTION", 0.5, "1",
    "Foot progression is the median, and the FPPA peak the signed extreme, over the middle half of stance, when "
    "the foot is flat and the knee nearly straight (Perry 2010)")
KNEE_NEAR_EXTENSION_DEG = _define(
    "KNEE_NEAR_EXTENSION_DEG", 35.0, "deg",
    "Frontal views: a knee FPPA counts only where the knee is near extension, bent less than this in MediaPipe's "
    "3-D world landmarks (in a bent knee the projection shows the bend, not the alignment). Walking: ~15-20 deg "
    "in loading response, ~5 deg at mid-stance, ~60 deg in swing (Perry & Burnfield 2010); MediaPipe's world "
    "knee reads about 20 deg more: on frontal_walk_toward_outdoor.mp4 13-34 deg through stance, 38-60 deg at the "
    "swing peaks")

PEAK_SMOOTHING_S = _define(
    "PEAK_SMOOTHING_S", 0.15, "s",
    "Engineering choice: per-stance peaks (FPPA, pelvic drop) are taken after a 150 ms moving average, so "
    "jitter does not inflate them; a ~0.6 s stance peak loses < 2% (Winter 2009 on noise and peaks)")

# --- Coaching cue thresholds (what counts as notable; used by the coaching layer and the summary) -------------
CADENCE_TYPICAL_MIN_STEPS_PER_MIN = _define(
    "CADENCE_TYPICAL_MIN_STEPS_PER_MIN", 100.0, "steps/min",
    "Perry & Burnfield 2010: adults' free walking cadence is about 100-120 steps/min (explained in the app)")
CADENCE_TYPICAL_MAX_STEPS_PER_MIN = _define(
    "CADENCE_TYPICAL_MAX_STEPS_PER_MIN", 120.0, "steps/min",
    "Perry & Burnfield 2010: adults' free walking cadence is about 100-120 steps/min (explained in the app)")
SYMMETRY_INDEX_NOTABLE_PCT = _define(
    "SYMMETRY_INDEX_NOTABLE_PCT", 10.0, "%", "Robinson et al. 1987: SI > ~10% is a notable asymmetry")
KNEE_FPPA_VALGUS_CUE_DEG = _define(
    "KNEE_FPPA_VALGUS_CUE_DEG", 8.0, "deg",
    "Munro et al. 2012: upper normal FPPA in men's single-leg squat (women 13); walking values are lower")
PELVIC_DROP_CUE_DEG = _define(
    "PELVIC_DROP_CUE_DEG", 8.0, "deg", "Perry & Burnfield 2010: normal swing-side drop is about 4-5 deg")
TRUNK_LEAN_LATERAL_CUE_DEG = _define(
    "TRUNK_LEAN_LATERAL_CUE_DEG", 5.0, "deg", "Perry & Burnfield 2010: trunk stays within a few degrees")
TRUNK_LEAN_FORWARD_CUE_DEG = _define(
    "TRUNK_LEAN_FORWARD_CUE_DEG", 10.0, "deg", "Perry & Burnfield 2010: upright trunk, a few degrees forward")
FOOT_PROGRESSION_NORMAL_MIN_DEG = _define(
    "FOOT_PROGRESSION_NORMAL_MIN_DEG", -3.0, "deg", "Staheli et al. 1985: adult range -3 to +20 deg (toe-out +)")
FOOT_PROGRESSION_NORMAL_MAX_DEG = _define(
    "FOOT_PROGRESSION_NORMAL_MAX_DEG", 20.0, "deg", "Staheli et al. 1985: adult range -3 to +20 deg (toe-out +)")

MAX_STANCE_STEP_TIMES = _define(
    "MAX_STANCE_STEP_TIMES", 2.0, "step times",
    "Perry & Burnfield 2010: stance is ~60 % of a stride (1.2 step times), longer on a painful limp's sound side; a "
    "'stance' longer than a whole stride (two step times) took in a swing or a pause, so its mid-stance figures "
    "(knee FPPA, pelvic drop, foot progression) are not given")
# --- Plausibility gates (analysis.analyser: a frame that fails is a gap, never a figure) -----------------------
UPRIGHT_HIPS_BELOW_SHOULDERS_TORSO = _define(
    "UPRIGHT_HIPS_BELOW_SHOULDERS_TORSO", 0.5, "torso lengths",
    "Measured: the hip centre sits 0.82-1.00 torso lengths (shoulder centre to hip centre in the image) below the "
    "shoulder centre in every frame of the real walking clips; lying or bent over it is near 0")
UPRIGHT_KNEES_BELOW_HIPS_TORSO = _define(
    "UPRIGHT_KNEES_BELOW_HIPS_TORSO", 0.3, "torso lengths",
    "Measured: the knees' mean sits >= 0.47 torso lengths below the hips in 99 % of the real walking and running "
    "frames (0.31 at 5 % from the high back camera); sitting (thighs level) or a knee above the hip is below 0.3")
UPRIGHT_ANKLES_BELOW_HIPS_TORSO = _define(
    "UPRIGHT_ANKLES_BELOW_HIPS_TORSO", 0.6, "torso lengths",
    "Measured: the ankles' mean sits >= 0.96 torso lengths below the hips in 99 % of the real walking and running "
    "frames (0.64 at 5 % from the high back camera); sitting cross-legged or ankles above the hips is far below")
SEATED_THIGH_TO_TRUNK_DEG = _define(
    "SEATED_THIGH_TO_TRUNK_DEG", 75.0, "deg",
    "Measured: in the plausible frames of the real clips the straighter thigh is at most 23-48 deg from the "
    "trunk's line (shoulders to hips, MediaPipe's 3-D) walking, running and standing, 65 deg in the worst frame; "
    "seated or crouching, both thighs are at 90 deg or more")
SEGMENT_LENGTH_MAX_RATIO = _define(
    "SEGMENT_LENGTH_MAX_RATIO", 1.8, "1",
    "Measured (MediaPipe's 3-D world lengths of thighs, shanks and trunk sides against their median over the "
    "person's last 3 s): every frame of the real walking clips (side, facing, back, treadmill run) within 1.54x, "
    "99 % within 1.1-1.4x, and the synthetic walker's noisy far leg side-on within 1.61x; "
    "people_come_and_go_high_camera.mp4 (people at a table's edge, pose ghosts) 2.6 % beyond 1.75x")
SEGMENT_LENGTH_HISTORY = _define(
    "SEGMENT_LENGTH_HISTORY", 90, "frames", "Engineering choice: the median is over the last 3 s at 30 fps")
SEGMENT_LENGTH_MIN_FRAMES = _define(
    "SEGMENT_LENGTH_MIN_FRAMES", 15, "frames",
    "Engineering choice: half a second of a person's frames before their proportions are judged")

MIN_PERSON_MEASURED_S = _define(
    "MIN_PERSON_MEASURED_S", 1.0, "s",
    "Engineering choice, checked on people_come_and_go_high_camera.mp4: a person counts once their pose was measured "
    "for about a stride; briefer ones are pose ghosts in an empty room and fragments at the picture's edges (there: "
    "21 people followed, 6 people by eye, 6 counted)")

# --- Symmetry index: how sure it is (analysis.summary.symmetry_index_interval; numbers: benchmarks/si_interval.py) -
SYMMETRY_CONFIDENCE = _define(
    "SYMMETRY_CONFIDENCE", 0.95, "1", "Convention: a 95 % interval beside every symmetry index")
SYMMETRY_MIN_STEPS_PER_SIDE = _define(
    "SYMMETRY_MIN_STEPS_PER_SIDE", 6, "steps",
    "Measured: no symmetry index (summary, coach, tiles, review, sessions list) from fewer step times than this on "
    "either side. Even synthetic walks through the analyser (200 walks toward the camera at 30 fps, step-time "
    "jitter 0.6 frames): the 95th percentile of their SI is 8.5 % with 2 step times a side, 7.0 with 3, 6.3 with 4, "
    "5.8 with 6, then levels off (5.1 with 10); the median top of their 95 % interval is 25 % with 2, 12 with 3, "
    "9.3 with 4 and 7.7 with 6. From 6 a side an even walk reads as even, its interval ends well under the 10 % "
    "cue threshold and the t interval has 5-10 degrees of freedom; below, a figure would mostly show noise")

# --- Formulas (implemented in analysis.geometry, .steps, .summary and .events) ---------------------------------------------
FORMULAS: dict[str, tuple[str, str]] = {
    "symmetry_index_pct": ("SI = 100 * |L - R| / (0.5 * (L + R)) of positive quantities (times, lengths); none "
                           "for signed angles", "Robinson et al. 1987"),
    "symmetry_index_interval": ("t interval on r = ln(L / R) (delta method, neighbour covariance, Welch df), "
                                "through SI = 200 tanh(r / 2), folded onto |SI|", "analysis.summary"),
    "lr_ratio": ("ratio = L / R (signed: > 1 means the left value is larger)", "Robinson et al. 1987"),
    "cadence_steps_per_min": ("60 * (n_steps) / (t_last_IC - t_first_IC), n_steps = n_IC - 1", "definition"),
    "step_time_s": ("left step time = right IC -> next left IC (and mirrored)", "Perry & Burnfield 2010"),
    "stride_time_s": ("IC -> next IC of the same foot", "Perry & Burnfield 2010"),
    "stance_time_s": ("IC -> TO of the same foot", "Perry & Burnfield 2010"),
    "swing_time_s": ("TO -> next IC of the same foot (the swing that ends at the step's IC)",
                     "Perry & Burnfield 2010"),
    "double_support_time_s": ("IC of one foot -> TO of the other foot (initial double support)",
                              "Perry & Burnfield 2010"),
    "ic_to_events": ("IC = max of the front heel's position ahead of the pelvis; TO = min of the back toe's (most "
                     "behind); the front / back foot whatever MediaPipe's leg label, feet by alternation",
                     "Zeni et al. 2008 (side view: image x; frontal view: world depth z)"),
    "step_length_leg": ("heel-to-heel distance along the walking direction at IC / hip-to-ankle leg length",
                        "definition; leg length from Winter 2009"),
    "knee_fppa_deg": ("angle between thigh (hip->knee) and shank (knee->ankle) in the image, + = knee medial of "
                      "the hip-ankle line (valgus)", "Munro et al. 2012"),
    "knee_flexion_deg": ("angle between thigh and shank in the image, side view, + = flexion", "Winter 2009"),
    "pelvic_obliquity_deg": ("angle of the image hip line; + = left hip higher than right", "Perry 2010"),
    "pelvic_drop_deg": ("peak swing-side hip drop during single support of the stance foot", "Perry 2010"),
    "trunk_lean_deg": ("hip-centre -> shoulder-centre vs image vertical; frontal: + = toward the person's "
                       "right; side: + = forward", "Perry & Burnfield 2010"),
    "foot_progression_deg": ("heel->toe vs walking direction on the ground plane (world x-z), + = toe out; "
                             "frontal views only: side-on, MediaPipe's world depth puts the toe-out on the axis it "
                             "knows least (+39 / -18 deg per foot for a normal walker on a real clip)",
                             "Staheli et al. 1985"),
}

# --- Data quality notes (analysis.quality.data_notes) ---
QUALITY_MIN_PERSON_SEEN_PCT = _define(
    "QUALITY_MIN_PERSON_SEEN_PCT", 60.0, "%",
    "Engineering choice: a session whose walker was seen in less of its frames is marked (its figures rest on "
    "part of the walk)")
QUALITY_MOSTLY_ONE_VIEW_PCT = _define(
    "QUALITY_MOSTLY_ONE_VIEW_PCT", 80.0, "%",
    "Engineering choice: a session seen side-on in this share of its frames with a view is marked: knee "
    "alignment needs you facing or back to the camera")

# --- Recordings too short or too coarse for steps (gaitcoach analyze says why it found none) ---
MIN_RECORDING_S = _define(
    "MIN_RECORDING_S", 2.0, "s",
    "Engineering choice: two steps take ~1.1 s, and the event detectors need a few frames before the first; a "
    "shorter video cannot show a step")
MIN_VIDEO_FPS = _define(
    "MIN_VIDEO_FPS", 10.0, "frames/s",
    "Engineering choice: a contact is found from the heel's last ~0.1-0.2 s of approach (at least 2-3 frames); "
    "the annotated 15 fps clip still shows its contacts, a 5 fps video cannot")


# --- Guided check-up (analysis.checkup) ---------------------------------------------------------------------------
# Set-up check.
SETUP_MIN_POSE_SHARE = _define(
    "SETUP_MIN_POSE_SHARE", 0.8, "1",
    "Engineering choice: the person must be found in at least 80 % of the set-up check's frames")
SETUP_EDGE_MARGIN = _define(
    "SETUP_EDGE_MARGIN", 0.02, "image heights",
    "Engineering choice: a body landmark closer than 2 % of the picture's height to its edge is taken as cut off "
    "(MediaPipe guesses landmarks beyond the edge, and feet at the very edge leave the picture as you move)")
SETUP_BODY_HEIGHT_MIN = _define(
    "SETUP_BODY_HEIGHT_MIN", 0.45, "image heights",
    "Engineering choice: heel to top of the head at least 45 % of the picture's height; smaller, a knee is ~15 px "
    "in a 360-px picture and the angles get coarse (README walking set-up: 2-5 m from the camera)")
SETUP_BODY_HEIGHT_MAX = _define(
    "SETUP_BODY_HEIGHT_MAX", 0.85, "image heights",
    "Engineering choice: at most 85 %: room to move, sway and lift a foot without leaving the picture")
SETUP_ASSUMED_HFOV_DEG = _define(
    "SETUP_ASSUMED_HFOV_DEG", 65.0, "deg",
    "Typical laptop webcams have a 60-75 deg horizontal field of view; used only to turn 'too small in the "
    "picture' into metres to step closer or back")
SETUP_HEAD_TOP_PER_NOSE = _define(
    "SETUP_HEAD_TOP_PER_NOSE", 1.07, "1",
    "Winter 2009: the eyes/nose are at ~0.936 H and the top of the head at 1.0 H above the floor: heel-to-head "
    "height = heel-to-nose height / 0.936 (about 1.07x)")
SETUP_CAMERA_HEIGHT_MIN_M = _define(
    "SETUP_CAMERA_HEIGHT_MIN_M", 0.7, "m",
    "README walking set-up: camera at about hip-to-chest height (0.8-1.2 m); 0.7-1.3 m accepted")
SETUP_CAMERA_HEIGHT_MAX_M = _define(
    "SETUP_CAMERA_HEIGHT_MAX_M", 1.3, "m",
    "README walking set-up: camera at about hip-to-chest height (0.8-1.2 m); 0.7-1.3 m accepted")
SETUP_CAMERA_TILT_MAX_DEG = _define(
    "SETUP_CAMERA_TILT_MAX_DEG", 15.0, "deg",
    "Engineering choice: a camera pitched more than 15 deg up or down foreshortens the legs (a 15 deg pitch "
    "shortens a vertical segment's picture by ~3 %, and tilts height into MediaPipe's depth)")
SETUP_CAMERA_LEVEL_DEG = _define(
    "SETUP_CAMERA_LEVEL_DEG", 8.0, "deg",
    "Engineering choice: the camera's height is judged (as a level camera's: where the picture's middle row "
    "crosses the body) only while MediaPipe's axes put its tilt within 8 deg; on the real clips that gave 1.25 m "
    "(by eye ~1.1 m) and 1.8 m for a phone held at ~1.5-1.8 m")
SETUP_MIN_VISIBILITY = _define(
    "SETUP_MIN_VISIBILITY", 0.7, "1",
    "Engineering choice: the median visibility MediaPipe gives the legs' landmarks in good light is 0.9 or more; "
    "below 0.7 they are guessed more than seen")
SETUP_BRIGHTNESS_MIN = _define(
    "SETUP_BRIGHTNESS_MIN", 50.0, "grey level",
    "Engineering choice: mean grey level (0-255) of the picture; darker, webcams raise their gain and the noise "
    "blurs the joints")
SETUP_BRIGHTNESS_MAX = _define(
    "SETUP_BRIGHTNESS_MAX", 215.0, "grey level",
    "Engineering choice: brighter on average, the picture is washed out (a window or lamp facing the camera)")
SETUP_MIN_FPS = _define(
    "SETUP_MIN_FPS", 20.0, "frames/s",
    "GaitCoach issue 13: below 20 analysed frames a second contacts get missed (the keep-up notice's floor)")

# Standing tests (still for a few seconds).
STANDING_MIN_STILL_S = _define(
    "STANDING_MIN_STILL_S", 3.0, "s",
    "Engineering choice: the standing figures are medians over at least 3 s of standing still (issue 14: ~5 s "
    "asked, 3 s of it still)")
STANDING_STILL_SPEED_LEG_S = _define(
    "STANDING_STILL_SPEED_LEG_S", 0.15, "leg lengths/s",
    "Engineering choice: standing still = the hip centre and both ankles move less than this in the picture "
    "(quiet standing sways ~1 cm/s; MediaPipe's jitter ~1-2 % of a leg per frame)")
STANDING_KNEE_FPPA_NORMAL_MIN_DEG = _define(
    "STANDING_KNEE_FPPA_NORMAL_MIN_DEG", -5.5, "deg",
    "Moreland JR, Bassett LW, Hanker GJ (1987) Radiographic analysis of the axial alignment of the lower "
    "extremity. J Bone Joint Surg Am 69(5):745-749: standing mechanical axis 1.2 +- 2.2 deg varus in normal "
    "adults; mean +- 2 SD = 5.6 deg varus to 3.2 deg valgus (an X-ray figure: a camera sees the skin, so this "
    "is a guide)")
STANDING_KNEE_FPPA_NORMAL_MAX_DEG = _define(
    "STANDING_KNEE_FPPA_NORMAL_MAX_DEG", 3.2, "deg",
    "Moreland et al. 1987: standing mechanical axis 1.2 +- 2.2 deg varus; mean + 2 SD = 3.2 deg valgus")
LEVEL_NORMAL_MAX_DEG = _define(
    "LEVEL_NORMAL_MAX_DEG", 3.0, "deg",
    "Knutson GA (2005) Anatomic and functional leg-length inequality: a review. Part I. Chiropr Osteopat 13:11: "
    "leg-length differences up to about 1 cm are common and normal; across hips ~0.2 m apart that tilts the "
    "pelvis ~3 deg. The same bound is used for the shoulders (no published camera figure)")

# Standing posture, side-on (Kendall's plumb line: ear, shoulder, hip over a point just in front of the ankle).
PLUMB_LINE_AHEAD_OF_ANKLE_CM = _define(
    "PLUMB_LINE_AHEAD_OF_ANKLE_CM", 3.0, "cm",
    "Kendall FP, McCreary EK, Provance PG et al. (2005) Muscles: Testing and Function, with Posture and Pain, 5th "
    "ed.: the ideal line falls slightly in front of the lateral malleolus (~2-4 cm; MediaPipe's ankle landmark is "
    "near the malleolus)")
PLUMB_LINE_TOLERANCE_CM = _define(
    "PLUMB_LINE_TOLERANCE_CM", 5.0, "cm",
    "Engineering choice: Kendall's ideal alignment is qualitative; ear, shoulder or hip more than 5 cm off the "
    "line is a visible deviation (landmark noise side-on ~1-2 cm)")
POSTURE_TRUNK_LEAN_MAX_DEG = _define(
    "POSTURE_TRUNK_LEAN_MAX_DEG", 5.0, "deg",
    "Kendall et al. 2005: in ideal standing the trunk is upright; 5 deg as for walking's lateral lean")
HEAD_FORWARD_MAX_DEG = _define(
    "HEAD_FORWARD_MAX_DEG", 20.0, "deg",
    "Engineering choice after Kendall et al. 2005 (the ear over the shoulder): the shoulder-to-ear line more than "
    "20 deg from vertical is a forward head; the usual clinical measure, the craniovertebral angle from C7 (< ~50 "
    "deg: forward head), needs a landmark MediaPipe does not give")

# Single-leg squat.
SQUAT_FREE_FOOT_LIFT_LEG = _define(
    "SQUAT_FREE_FOOT_LIFT_LEG", 0.08, "leg lengths",
    "Engineering choice: standing on one leg = one ankle at least 8 % of a leg higher in the picture than the "
    "other (a foot held up ~15-20 cm reads ~0.2; jitter ~0.02)")
SQUAT_TOUCH_DOWN_LEG = _define(
    "SQUAT_TOUCH_DOWN_LEG", 0.04, "leg lengths",
    "Engineering choice: the free ankle back within 4 % of a leg of the stance ankle's height = the free foot came "
    "down (balance lost)")
SQUAT_REP_START_LEG = _define(
    "SQUAT_REP_START_LEG", 0.02, "leg lengths",
    "Engineering choice: a repetition starts when the hip centre (averaged over 150 ms) is this far below its "
    "standing height (its jitter ~0.005) and ends when it is back within half of it; a knee bent ~20 deg drops the "
    "hip ~0.015-0.02, so even a too-shallow attempt is counted (and flagged)")
SQUAT_STANDING_MEMORY_S = _define(
    "SQUAT_STANDING_MEMORY_S", 2.0, "s",
    "Engineering choice: a squat's depth is measured from the hip's median height over the last 2 s of standing on "
    "that leg (outside repetitions), so a slow drift of the camera or of the stance does not add up")
SQUAT_BOTTOM_FRACTION = _define(
    "SQUAT_BOTTOM_FRACTION", 0.8, "1",
    "Screening protocols measure the FPPA at the squat's deepest point (Munro et al. 2012); it is averaged over "
    "the frames at least 80 % as deep (~0.6 s of a 2.5 s repetition) to beat the tracking's jitter")
SQUAT_MIN_STANDING_S = _define(
    "SQUAT_MIN_STANDING_S", 0.5, "s",
    "Engineering choice: a repetition is counted after at least half a second standing on the leg (its standing "
    "height known first)")
SQUAT_MIN_DEPTH_LEG = _define(
    "SQUAT_MIN_DEPTH_LEG", 0.07, "leg lengths",
    "Screening protocols ask for at least 45 deg of knee flexion (e.g. Munro et al. 2012); with thigh and shank "
    "about equal the hip then drops ~1 - cos(22.5 deg) = 7.6 % of the leg: shallower repetitions are not scored")
SQUAT_MIN_SCORED_REPS = _define(
    "SQUAT_MIN_SCORED_REPS", 3, "repetitions",
    "Engineering choice: a leg's median FPPA needs at least 3 good repetitions of the 5 asked (one noisy "
    "repetition cannot set it)")
SQUAT_KNEE_FPPA_NORMAL_MAX_DEG = _define(
    "SQUAT_KNEE_FPPA_NORMAL_MAX_DEG", 8.0, "deg",
    "Munro et al. 2012: single-leg squat FPPA normal range about 3-8 deg in men, 7-13 deg in women; the men's "
    "upper end is used (the app does not ask your sex; the result card gives both)")
SQUAT_KNEE_FPPA_WOMEN_MAX_DEG = _define(
    "SQUAT_KNEE_FPPA_WOMEN_MAX_DEG", 13.0, "deg", "Munro et al. 2012: women's single-leg squat FPPA up to ~13 deg")

# Timed walk.
TIMED_WALK_S = _define(
    "TIMED_WALK_S", 60.0, "s",
    "Issue 14: walk toward and away from the camera for 1 minute (as the 1-minute walk test)")


# --- Comparing sessions: the smallest change GaitCoach can detect (benchmarks/smallest_change.py) -----------------
# MDC95 = 1.96 * sqrt(2) * SEM (Haley SM, Fragala-Pinkham MA (2006) Interpreting change scores of tests and
# measures used in physical therapy. Phys Ther 86(5):735-743); SEM = the SD of a figure over 20 one-minute
# synthetic walks of the same person with MediaPipe's measured noise (pose_noise="mediapipe"), and where the
# real-video truth set gives the figure, its error there. Assumes the same camera set-up in both sessions.
SMALLEST_CADENCE_CHANGE = _define(
    "SMALLEST_CADENCE_CHANGE", 2.5, "steps/min",
    "benchmarks/smallest_change.py: synthetic MDC95 0.7 steps/min; on the real clips cadence is off the by-eye "
    "truth by -0.9 to +1.3 (SD ~0.9): MDC95 ~2.5, the larger")
SMALLEST_SYMMETRY_CHANGE = _define(
    "SMALLEST_SYMMETRY_CHANGE", 3.5, "percentage points",
    "benchmarks/smallest_change.py: MDC95 3.2 points of step-time symmetry index over one-minute walks (the real "
    "clips are too short to give one); rounded up")
SMALLEST_KNEE_FPPA_CHANGE = _define(
    "SMALLEST_KNEE_FPPA_CHANGE", 1.0, "deg",
    "benchmarks/smallest_change.py: MDC95 0.74 deg of a knee's mean FPPA; rounded up (no real truth for FPPA yet)")
SMALLEST_PELVIC_DROP_CHANGE = _define(
    "SMALLEST_PELVIC_DROP_CHANGE", 1.0, "deg", "benchmarks/smallest_change.py: MDC95 0.67 deg; rounded up")
SMALLEST_TOE_OUT_CHANGE = _define(
    "SMALLEST_TOE_OUT_CHANGE", 2.0, "deg", "benchmarks/smallest_change.py: MDC95 1.57 deg; rounded up")
SMALLEST_STEP_LENGTH_CHANGE = _define(
    "SMALLEST_STEP_LENGTH_CHANGE", 0.1, "m", "benchmarks/smallest_change.py: MDC95 0.09 m (side-on); rounded up")
SMALLEST_PAIN_CHANGE = _define(
    "SMALLEST_PAIN_CHANGE", 2.0, "points",
    "Farrar JT et al. (2001) Clinical importance of changes in chronic pain intensity measured on an 11-point "
    "numerical pain rating scale. Pain 94(2):149-158: about 2 points is a change people feel")
SMALLEST_CHANGE: dict[str, float] = {  # figure -> its smallest real change (benchmarks/smallest_change.py)
    "cadence_steps_per_min": SMALLEST_CADENCE_CHANGE, "step_time_si_pct": SMALLEST_SYMMETRY_CHANGE,
    "knee_fppa_deg": SMALLEST_KNEE_FPPA_CHANGE, "pelvic_drop_deg": SMALLEST_PELVIC_DROP_CHANGE,
    "toe_out_deg": SMALLEST_TOE_OUT_CHANGE, "step_length_m": SMALLEST_STEP_LENGTH_CHANGE,
    "pain": SMALLEST_PAIN_CHANGE,
}


def check_user_height_m(height_m: float | None) -> float | None:
    """The person's height in metres if it is None (not known) or plausible (``USER_HEIGHT_MIN_M`` to
    ``USER_HEIGHT_MAX_M``); else ValueError saying the range. The one check of a height, wherever it comes from."""
    if height_m is None:
        return None
    if not (isinstance(height_m, (int, float)) and math.isfinite(height_m)
            and USER_HEIGHT_MIN_M <= height_m <= USER_HEIGHT_MAX_M):
        raise ValueError(f"height must be between {USER_HEIGHT_MIN_M:g} and {USER_HEIGHT_MAX_M:g} m, got {height_m!r}")
    return float(height_m)
