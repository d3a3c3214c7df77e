"""The demo walker: the synthetic walker played as if live, through the real pose worker, analysis and coaching.

No camera and no pose model needed. :class:`DemoSource` delivers a plain studio background at 30 fps, paced in
real time like a camera; :class:`DemoEstimator` stands in for MediaPipe on the pose thread and returns the
synthetic walker's landmarks for each frame's time, so everything after inference is the same code as live. The
window draws the walker as its usual skeleton overlay: a stick figure on the plain background.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import cv2
import numpy as np

from analysis.synthetic import WalkerSpec, generate
from analysis.landmarks import X_PX, Y_PX
from gaitcoach.sources import Frame, monotonic_ms, wait_until_due
from gaitcoach.store.schema import DEMO_SOURCE_PREFIX
from gaitcoach.estimate import PoseEstimate
from gaitcoach.worker import PoseWorker

# Fault name (the CLI's --demo choices) -> (label for people, walker settings). Sizes well past the cue
# thresholds so that the fault is plain to see, as in the coaching tests.
DEMO_FAULTS: dict[str, tuple[str, dict[str, float]]] = {
    "none": ("no fault", {}),
    "valgus": ("knee valgus", {"knee_valgus_left_deg": 14.0, "knee_valgus_right_deg": 14.0}),
    "limp": ("limp", {"step_time_asymmetry_pct": 30.0}),
    "pelvic_drop": ("pelvic drop", {"pelvic_drop_deg": 12.0}),
}
DEMO_FPS = 30.0
DEMO_WIDTH_PX, DEMO_HEIGHT_PX = 1280, 720
DEMO_LOOP_S = 120.0  # the walk repeats after this long ...
DEMO_GAP_S = 1.0  # ... after the walker has left the picture for this long
DEMO_PERSON_ID = 1
DEMO_FOV_DEG = 45.0  # a narrower lens than a laptop's (~70 deg), so the stick figure fills more of the picture


def demo_label(fault: str) -> str:
    return f"{DEMO_SOURCE_PREFIX} ({DEMO_FAULTS[fault][0]})"


def demo_spec(fault: str, duration_s: float = DEMO_LOOP_S) -> WalkerSpec:
    """The walker for ``fault``: toward the camera and back (knees, hips and steps all measurable), 1280x720."""
    if fault not in DEMO_FAULTS:
        raise ValueError(f"demo fault must be one of {', '.join(DEMO_FAULTS)}, got {fault!r}")
    return WalkerSpec(direction="toward", duration_s=duration_s, fps=DEMO_FPS, image_width_px=DEMO_WIDTH_PX,
                      image_height_px=DEMO_HEIGHT_PX, horizontal_fov_deg=DEMO_FOV_DEG, seed=1,
                      **DEMO_FAULTS[fault][1])


def studio_background(width_px: int = DEMO_WIDTH_PX, height_px: int = DEMO_HEIGHT_PX) -> np.ndarray:
    """A plain room (BGR): dark wall, lighter floor below the horizon with a few lines running to it."""
    image = np.empty((height_px, width_px, 3), np.uint8)
    horizon = height_px // 2  # the walker's camera looks horizontally
    wall = np.linspace(58, 42, horizon)
    image[:horizon] = np.stack([wall + 10, wall + 4, wall], axis=-1)[:, None, :]
    floor = np.linspace(70, 110, height_px - horizon)
    image[horizon:] = np.stack([floor, floor + 4, floor + 8], axis=-1)[:, None, :]
    centre = (width_px // 2, horizon)
    for x in np.linspace(-2.5 * width_px, 3.5 * width_px, 13):
        cv2.line(image, centre, (int(x), height_px), (120, 124, 128), 1, cv2.LINE_AA)
    cv2.line(image, (0, horizon), (width_px, horizon), (90, 92, 96), 2, cv2.LINE_AA)
    return image


class DemoSource:
    """Frames of the plain background, paced in real time (``paced``) or as fast as they are taken."""

    camera_index = None

    def __init__(self, fault: str = "none", *, paced: bool = True, duration_s: float | None = None) -> None:
        demo_spec(fault)  # checks the name
        self.fault = fault
        self.live = paced
        self.duration_s = duration_s  # None: forever
        self.fps = DEMO_FPS
        self.description = self.origin = demo_label(fault)
        self.background = studio_background()

    def frames(self) -> Iterator[Frame]:
        start_s = time.monotonic()
        index = 0
        while self.duration_s is None or index < self.duration_s * self.fps:
            t_ms = index * 1000.0 / self.fps
            if self.live:
                wait_until_due(start_s, t_ms)
            yield Frame(self.background, t_ms, index, monotonic_ms())
            index += 1

    def close(self) -> None:
        pass


class DemoEstimator:
    """Stands in for MediaPipe: the synthetic walker's pose at each frame's time (normalised, as MediaPipe)."""

    scan_count = 0
    busy = False  # nothing runs in the background here

    def __init__(self, spec: WalkerSpec) -> None:
        self.spec = spec
        self.walk = generate(spec)
        self._period_frames = len(self.walk.frames) + int(round(DEMO_GAP_S * spec.fps))

    def process(self, image_bgr: np.ndarray, t_ms: float) -> PoseEstimate:
        started = time.perf_counter()
        index = int(round(t_ms * self.spec.fps / 1000.0)) % self._period_frames
        frame = self.walk.frames[index] if index < len(self.walk.frames) else None
        if frame is None or frame.image_landmarks is None:
            return PoseEstimate(None, None, None, 0, (time.perf_counter() - started) * 1000.0)
        landmarks = frame.image_landmarks.copy()
        landmarks[:, X_PX] /= frame.image_width_px
        landmarks[:, Y_PX] /= frame.image_height_px
        return PoseEstimate(landmarks, frame.world_landmarks, DEMO_PERSON_ID, 0,
                            (time.perf_counter() - started) * 1000.0)

    def close(self) -> None:
        pass


def demo_estimator_factory(fault: str) -> Callable[[Path | None], DemoEstimator]:
    """For :class:`PoseWorker`: makes the demo estimator on the pose thread (where the walk is generated)."""
    spec = demo_spec(fault)

    def make_estimator(_model_path: Path | None) -> DemoEstimator:
        return DemoEstimator(spec)

    return make_estimator


def demo_worker(fault: str, on_result, on_finished=None, *, paced: bool = True,
                duration_s: float | None = None) -> PoseWorker:
    """A pose worker playing the demo walker with ``fault``."""
    return PoseWorker(DemoSource(fault, paced=paced, duration_s=duration_s), None, on_result, on_finished,
                      estimator_factory=demo_estimator_factory(fault))
