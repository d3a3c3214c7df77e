"""Names of every exported gait column, in one place (the CSV writer in ``gaitcoach/export.py`` imports these).

Values are SI with the unit in the name; an empty cell (NaN / None in Python) means "does not apply or could not
be measured", never zero. ``FrameMetrics``, ``StepMetrics`` and ``SummaryRow`` in ``analysis.results`` have
exactly these fields, in this order (``tests/test_analysis_units.py`` checks it).
"""
from __future__ import annotations

# frames.csv: one row per analysed frame (the gait part; the pose worker adds t_s, frame_index, landmarks).
FRAME_GAIT_COLUMNS: tuple[str, ...] = (
    "view",                        # analysis.types.View of this frame: facing/back/side_left/side_right/unknown
    "yaw_deg",                     # body yaw from world hip+shoulder lines: 0 facing camera, +90 walking image-left
    "knee_fppa_left_deg",          # frontal views only: left knee frontal-plane projection angle, + = valgus
    "knee_fppa_right_deg",         # frontal views only: right knee FPPA, + = valgus
    "knee_flexion_left_deg",       # side views only: left knee flexion in the image, 0 = straight
    "knee_flexion_right_deg",      # side views only: right knee flexion
    "pelvic_obliquity_deg",        # frontal views only: hip line tilt, + = left hip higher than right
    "trunk_lean_deg",              # frontal: lateral lean, + = toward person's right; side: forward lean, + = forward
    "foot_progression_left_deg",   # frontal views only: left foot angle to walking direction, + = toe out
    "foot_progression_right_deg",  # frontal views only: right foot angle, + = toe out
    "cadence_steps_per_min",       # live cadence over the last CADENCE_WINDOW_STEPS steps (NaN before 2 steps)
)

# steps.csv: one row per step (a foot's swing ending in IC, then its stance up to TO).
STEP_COLUMNS: tuple[str, ...] = (
    "step",                  # 0-based step number in the recording / session
    "foot",                  # "left" or "right": the foot that lands (IC) at the start of this step's stance
    "ic_frame",              # frame index nearest the initial contact
    "ic_t_s",                # initial contact time (sub-frame), s
    "to_frame",              # frame index nearest the toe off that ends this stance (empty: toe off not seen)
    "to_t_s",                # toe off time (sub-frame), s (empty: toe off not seen, e.g. it fell in a turn)
    "step_time_s",           # contralateral IC -> this IC, s (left step time = right IC -> left IC)
    "stance_time_s",         # this IC -> this foot's TO, s
    "swing_time_s",          # this foot's previous TO -> this IC, s (the swing that ends in this step)
    "step_length_leg",       # side view: heel-to-heel distance at IC in leg lengths (hip-to-ankle)
    "step_length_m",         # step_length_leg * leg length from the user's height; NaN when height unknown
    "knee_fppa_deg",         # frontal view: signed peak FPPA of this knee in mid-stance, + = valgus
    "knee_flexion_ic_deg",   # side view: knee flexion of this leg at IC
    "pelvic_drop_deg",       # frontal view: peak swing-side hip drop in this foot's single support, + = drop
    "foot_progression_deg",  # frontal view: median foot progression angle in mid-stance, + = toe out
    "view",                  # view during this stance (the step's metrics are valid for this view only)
)

# summary.csv: one row per metric.
SUMMARY_COLUMNS: tuple[str, ...] = (
    "metric",                   # metric name (SI unit in the name is repeated in `unit`)
    "left",                     # mean over left steps (empty when not per foot)
    "right",                    # mean over right steps
    "overall",                  # mean over all steps (or the session value, e.g. cadence)
    "symmetry_index_pct",       # 100 * |L - R| / (0.5 * (L + R)), Robinson et al. 1987, >= 0; only for the
                                # SYMMETRY_METRICS, and empty with fewer than SYMMETRY_MIN_STEPS_PER_SIDE values a side
    "symmetry_index_low_pct",   # its 95 % interval (analysis.summary.symmetry_index_interval): low end, 0 when
    "symmetry_index_high_pct",  # the interval reaches an even walk; empty where the SI is empty
    "unit",                     # unit of left/right/overall
)

# Metrics with a symmetry index: positive quantities on a ratio scale (times, lengths, the knee's swing flexion).
# Signed angles near zero (knee FPPA, pelvic drop, foot progression, knee flexion at contact) get none: a
# percentage of a mean near 0 means nothing (-3 vs +2 deg would read -1000 %); their left and right columns say it.
SYMMETRY_METRICS: frozenset[str] = frozenset({
    "step_time_s", "stride_time_s", "stance_time_s", "swing_time_s", "double_support_time_s",
    "step_length_leg", "step_length_m", "knee_flexion_swing_peak_deg",
})

# Rows of summary.csv, in order: (metric, unit, per_foot).
SUMMARY_METRICS: tuple[tuple[str, str, bool], ...] = (
    ("step_count", "steps", True),
    ("cadence_steps_per_min", "steps/min", False),
    ("cadence_last_10_steps_per_min", "steps/min", False),
    ("step_time_s", "s", True),
    ("stride_time_s", "s", True),
    ("stance_time_s", "s", True),
    ("swing_time_s", "s", True),
    ("double_support_time_s", "s", True),
    ("step_length_leg", "leg lengths", True),
    ("step_length_m", "m", True),
    ("knee_fppa_peak_deg", "deg", True),
    ("knee_flexion_ic_deg", "deg", True),
    ("knee_flexion_swing_peak_deg", "deg", True),
    ("pelvic_drop_deg", "deg", True),
    ("trunk_lean_lateral_deg", "deg", False),
    ("trunk_lean_forward_deg", "deg", False),
    ("foot_progression_deg", "deg", True),
)

# checkup.csv: one row per figure of a guided check-up (analysis.checkup.CheckupRow has exactly these fields).
CHECKUP_COLUMNS: tuple[str, ...] = (
    "test",         # which test: setup, standing_alignment, standing_posture, single_leg_squat, timed_walk
    "metric",       # what was measured (unit in the name where it has one)
    "left",         # the left side's figure (empty when not per side)
    "right",        # the right side's figure
    "overall",      # the figure for the whole body or both sides (empty when only per side)
    "unit",         # unit of left/right/overall
    "normal_low",   # the normal range's low end (empty: none published or none needed)
    "normal_high",  # and high end
    "passed",       # 1 within the normal range / the set-up item is right, 0 not, empty: not judged
)

# pain.csv: one row per note of the pain diary (analysis.pain.PainNote has exactly these fields).
PAIN_COLUMNS: tuple[str, ...] = (
    "date",   # the day, ISO 8601 (YYYY-MM-DD)
    "when",   # "before" or "after" the session, or "day" (a day without one)
    "site",   # knee_left, knee_right, hip, back or foot
    "score",  # 0 (no pain) to 10 (the worst imaginable): the numeric rating scale
    "note",   # the person's short note (may be empty)
)

assert SYMMETRY_METRICS <= {metric for metric, _, per_foot in SUMMARY_METRICS if per_foot}
