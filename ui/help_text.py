"""What each figure means, in plain words: for the tiles' and charts' tooltips, the review's column headers and the
Help panel. Aims come from the coaching rules (``analysis.rules``), their sources from ``analysis.thresholds``."""
from __future__ import annotations

from dataclasses import dataclass
from html import escape

from analysis.rules import KNEE_VALGUS, PELVIC_DROP, STEP_SYMMETRY, TOE_OUT
from analysis.thresholds import (
    CADENCE_TYPICAL_MAX_STEPS_PER_MIN, CADENCE_TYPICAL_MIN_STEPS_PER_MIN, SYMMETRY_MIN_STEPS_PER_SIDE, THRESHOLDS,
)

SAFETY_NOTE = (
    "GaitCoach is a walking coach, not a medical device: it gives no diagnosis. Its figures come from one camera "
    "and can be wrong, so watch their trend rather than a single value. If walking hurts more, or you feel sharp "
    "pain, numbness or giving way, stop and talk to your physiotherapist or doctor. What GaitCoach records "
    "stays on this computer.")


def source_name(name: str) -> str:
    """The reference a threshold (``analysis.thresholds``) rests on, without its detail: "Munro et al. 2012"."""
    return THRESHOLDS[name].source.split(":")[0]


@dataclass(frozen=True)
class FigureHelp:
    """One figure explained: what it is, how GaitCoach measures it, the usual range (with its source), what to do."""

    title: str
    what: str
    how: str
    normal: str
    todo: str

    def tooltip(self) -> str:
        """A short rich-text tooltip (the Help panel has the whole text)."""
        return (f"<b>{escape(self.title)}</b>: {escape(self.what)}<br><b>Usual</b>: {escape(self.normal)}"
                f"<br><b>What to do</b>: {escape(self.todo)}")

    def html(self) -> str:
        return (f"<h3>{escape(self.title)}</h3><p>{escape(self.what)}</p><p><b>How it is measured</b>: "
                f"{escape(self.how)}</p><p><b>Usual range</b>: {escape(self.normal)}</p>"
                f"<p><b>What to do</b>: {escape(self.todo)}</p>")


FIGURES: dict[str, FigureHelp] = {
    "cadence": FigureHelp(
        "Cadence (steps per minute)",
        "How many steps you take in a minute; the tile shows your last 10 seconds of walking.",
        "From the time between your heel strikes, seen in any view.",
        f"About {CADENCE_TYPICAL_MIN_STEPS_PER_MIN:g}-{CADENCE_TYPICAL_MAX_STEPS_PER_MIN:g} steps/min for adults "
        f"walking at their own pace ({source_name('CADENCE_TYPICAL_MIN_STEPS_PER_MIN')}).",
        "Walk at a pace you could keep for a while; short quick steps are often easier on a sore hip or knee."),
    "symmetry": FigureHelp(
        "Step-time difference (%)",
        "How different your left and right steps take, as a share of their mean: 0 % is perfectly even; a limp "
        "makes one step shorter than the other. The bracket is its 95 % interval: how sure the figure is.",
        f"Left and right step times from your heel strikes (any view), over your last 24 steps; no figure until "
        f"there are {SYMMETRY_MIN_STEPS_PER_SIDE:g} steps a side.",
        f"Below about 5 % is even; the coach says \"Even out your steps\" only when the whole interval is above "
        f"{STEP_SYMMETRY.cue_above:g} % ({source_name('SYMMETRY_INDEX_NOTABLE_PCT')}).",
        "Take steps of the same length and rhythm on both sides; slow down if one side hurts."),
    "knee": FigureHelp(
        "Knee alignment (FPPA, degrees)",
        "The frontal-plane projection angle: how far your knee moves inward (+, knee valgus) or outward (-) from "
        "the line between your hip and ankle, seen from the front. Knees that drift inward while you stand on a "
        "leg load the knee and hip unevenly.",
        "Walking toward or away from the camera: the angle between thigh and shank in the picture, its peak in "
        "the middle of each stance, per leg.",
        f"Near 0 in walking; the coach asks you to keep knees over your toes above {KNEE_VALGUS.cue_above:g} "
        f"degrees ({source_name('KNEE_FPPA_VALGUS_CUE_DEG')}; validated on single-leg squats, walking values are "
        f"lower).",
        "Point knees and feet the same way, straight ahead; think of your knee staying over your second toe."),
    "pelvic_drop": FigureHelp(
        "Pelvic drop (degrees)",
        "While you stand on one leg, how far the hip on the other side sinks. The tile names the hip that drops "
        "(R HIP DROPS: standing on the left leg, the right hip sinks): often weak hip muscles of the standing leg.",
        "Walking toward or away from the camera: the tilt of the line between your hips at its largest during "
        "each single-leg stance.",
        f"About 4-5 degrees; the coach cues above {PELVIC_DROP.cue_above:g} ({source_name('PELVIC_DROP_CUE_DEG')}).",
        "Keep your hips level, as if carrying a tray on them; your physiotherapist can give hip strengthening."),
    "step_length": FigureHelp(
        "Step length",
        "The distance from one heel to the other at each heel strike, in metres when your height is set in "
        "Settings, otherwise in leg lengths.",
        "Walking across the camera (side-on): heel to heel along the walking direction.",
        "About 0.7 m (0.8-0.9 leg lengths) for adults at a comfortable pace (Perry & Burnfield 2010).",
        "Shorter, even steps are fine when something hurts; evenness matters more than length."),
    "toe_out": FigureHelp(
        "Toe-out (degrees)",
        "How far each foot points outward from the walking direction.",
        "Walking toward or away from the camera: heel-to-toe direction on the ground plane, per step.",
        f"Between -3 and +{TOE_OUT.cue_above:g} degrees ({source_name('FOOT_PROGRESSION_NORMAL_MAX_DEG')}).",
        "Let your feet point the way your knees point."),
    "pain": FigureHelp(
        "Pain diary (0-10)",
        "How much it hurts, 0 (none) to 10 (the worst you can imagine), where: left or right knee, hip, back, "
        "foot; noted before and after a session, or on any day.",
        "You note it: GaitCoach asks before and after each session (Esc skips; Settings can turn it off), and "
        "'Pain diary…' in the review takes a day's note.",
        "The numeric rating scale (Hawker et al. 2011): a change of about 2 points is one people feel.",
        "Show it to your physiotherapist beside your walking figures: does walking better go with less pain?"),
    "squat": FigureHelp(
        "Single-leg squat: knee at the bottom (check-up, degrees)",
        "Standing on one leg and bending it, how far the knee moves inside (+) or outside (-) the straight line "
        "from hip to ankle at the deepest point: the screening test for knee valgus.",
        "Facing the camera, 5 repetitions a leg; a repetition too shallow (under ~45 degrees of knee bend) or with "
        "the other foot coming down is not measured; the figure is the median of the measured ones (3 at least).",
        f"About 3-8 degrees in men and 7-13 in women ({source_name('SQUAT_KNEE_FPPA_NORMAL_MAX_DEG')}).",
        "Squat slowly in front of a mirror, keeping the knee over the middle of the foot; strengthen the hip "
        "(e.g. side-lying leg raises) with your physiotherapist's advice."),
    "head_posture": FigureHelp(
        "Head position side-on (check-up, degrees)",
        "Standing side-on, how far the line from shoulder to ear leans forward of vertical (a forward head).",
        "5 seconds standing still side-on; also the ear, shoulder and hip against a plumb line just in front of "
        "the ankle, in cm.",
        f"Up to 20 degrees; ear, shoulder and hip within 5 cm of the line ({source_name('HEAD_FORWARD_MAX_DEG')}).",
        "Stand tall as if a string pulled the top of your head up; check again against a wall."),
}
FIGURE_HELP_FOR_TILE = {"cadence": "cadence", "symmetry": "symmetry", "knee_left": "knee", "knee_right": "knee",
                        "pelvic_drop": "pelvic_drop", "step_length": "step_length"}


def help_html() -> str:
    """The Help panel: the safety note, then every figure."""
    return (f"<h2>What the figures mean</h2><p><i>{escape(SAFETY_NOTE)}</i></p>"
            + "".join(figure.html() for figure in FIGURES.values()))
