"""What a pose estimator gives for one frame, and what the pose thread needs of an estimator.

Its own module so that the pose thread (``gaitcoach.worker``), MediaPipe's estimator (``gaitcoach.pose``) and the
demo's (``gaitcoach.demo``) all depend on it, not on each other.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np


@dataclass(frozen=True)
class PoseEstimate:
    """The chosen person in one frame (landmarks normalised 0..1), or nobody: what an estimator returns."""

    landmarks: np.ndarray | None  # (33, 5): x, y, z, visibility, presence
    world_landmarks: np.ndarray | None  # (33, 3) metres
    person_id: int | None
    other_people_count: int
    inference_ms: float


class PoseEstimatorLike(Protocol):
    """What the pose thread needs from an estimator (:class:`gaitcoach.pose.PoseEstimator` or the demo's)."""

    scan_count: int
    busy: bool  # set by the pose thread before ``process``: frames were dropped lately (do less in the background)

    def process(self, image_bgr: np.ndarray, t_ms: float) -> PoseEstimate: ...

    def close(self) -> None: ...
