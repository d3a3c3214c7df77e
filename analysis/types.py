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
    """

    t_s: float
    frame_index: int
    image_width_px: int
    image_height_px: int
    image_landmarks: np.ndarray | None
    world_landmarks: np.ndarray | None

    @property
    def pose_detected(self) -> bool:
        return self.image_landmarks is not None

    def __post_init__(self) -> None:
        if self.image_landmarks is not None and self.image_landmarks.shape != (NUM_LANDMARKS, 5):
            raise ValueError(f"image_landmarks must have shape (33, 5), got {self.image_landmarks.shape}")
        if self.world_landmarks is not None and self.world_landmarks.shape != (NUM_LANDMARKS, 3):
            raise ValueError(f"world_landmarks must have shape (33, 3), got {self.world_landmarks.shape}")
