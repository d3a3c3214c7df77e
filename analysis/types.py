"""Data passed into the analysis: one pose per frame. Results types live next to the code that makes them."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analysis.landmarks import NUM_LANDMARKS


@dataclass(frozen=True)
class PoseFrame:
    """The chosen person's pose in one processed frame (see ``analysis.landmarks`` for axes and units).

    Attributes
    ----------
    t_s
        Capture time in seconds on a monotonic clock (any origin; differences matter). Frames may be
        unevenly spaced: the pose worker drops stale frames when inference is slower than the camera.
    frame_index
        Index of the frame in its source (0-based), for export and for finding the frame again.
    image_width_px, image_height_px
        Size of the analysed image.
    image_landmarks
        ``(33, 5)`` float array: ``x_px, y_px, z, visibility, presence``; ``None`` when no person was found.
    world_landmarks
        ``(33, 3)`` float array in metres, hip-centred, camera-aligned; ``None`` when no person was found.
    person_id
        Which person the pose belongs to (the pose worker's choice); a pose of another person than the last one
        ends the walking bout, so no step joins two people's. ``None``: not known (never ends a bout).
    other_people_count
        How many other people the pose worker last saw in the picture (0: the person was alone).
    """

    t_s: float
    frame_index: int
    image_width_px: int
    image_height_px: int
    image_landmarks: np.ndarray | None
    world_landmarks: np.ndarray | None
    person_id: int | None = None
    other_people_count: int = 0

    @property
    def pose_detected(self) -> bool:
        return self.image_landmarks is not None

    def __post_init__(self) -> None:
        if self.image_landmarks is not None and self.image_landmarks.shape != (NUM_LANDMARKS, 5):
            raise ValueError(f"image_landmarks must have shape (33, 5), got {self.image_landmarks.shape}")
        if self.world_landmarks is not None and self.world_landmarks.shape != (NUM_LANDMARKS, 3):
            raise ValueError(f"world_landmarks must have shape (33, 3), got {self.world_landmarks.shape}")


class View:
    """How the person is seen in a frame. Plain strings so they go straight into CSV and SQLite."""

    FACING = "facing"  # facing the camera (walking toward it, or on a treadmill facing it)
    BACK = "back"  # back to the camera (walking away)
    SIDE_LEFT = "side_left"  # side-on, walking toward the image's left
    SIDE_RIGHT = "side_right"  # side-on, walking toward the image's right
    UNKNOWN = "unknown"  # turning, oblique, or not enough landmarks to tell

    ALL = (FACING, BACK, SIDE_LEFT, SIDE_RIGHT, UNKNOWN)
    FRONTAL = (FACING, BACK)
    SIDE = (SIDE_LEFT, SIDE_RIGHT)


LEFT, RIGHT = "left", "right"  # the person's feet
INITIAL_CONTACT, TOE_OFF = "IC", "TO"  # heel strike (foot lands), toe off (foot leaves the ground)


@dataclass(frozen=True, order=True)
class GaitEvent:
    """One gait event. ``t_s`` may fall between frames (sub-frame timing)."""

    t_s: float
    foot: str  # LEFT or RIGHT
    kind: str  # INITIAL_CONTACT or TOE_OFF
