"""Is the computer keeping up with the camera? (issue 13, item 2)

When pose inference is slower than the camera, the pose worker drops stale frames. A few are harmless (the analysis
bridges short gaps, ``benchmarks/dropped_frames.py``); when too many go for too long, contacts are missed and the
figures rest on less. :class:`KeepUpMonitor` watches the frame rates a live run reports and says so once, so that the
app can tell the user in plain words and offer (or, with a setting, make) the switch to the faster pose model.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

# Falling behind: fewer than MIN_PROCESSED_FPS frames analysed a second and under MIN_PROCESSED_SHARE of the camera's
# frames, for FALLING_BEHIND_S in a row. 20 fps keeps contacts within 2 frames on the real side clips with every
# other frame of 30 dropped (benchmarks/dropped_frames.py); a camera that itself delivers few frames (dim light)
# is not the computer's fault, hence the share.
MIN_PROCESSED_FPS = 20.0
MIN_PROCESSED_SHARE = 0.7
FALLING_BEHIND_S = 5.0


@dataclass(frozen=True)
class FallingBehind:
    """The computer analyses too few of the camera's frames (reported once per run)."""

    processed_fps: float
    camera_fps: float
    model_label: str

    @property
    def text(self) -> str:
        return (f"This computer analyses only {self.processed_fps:.0f} of the camera's {self.camera_fps:.0f} "
                f"frames a second, so some steps may be missed.")


class KeepUpMonitor:
    """Fed each update's frame rates (and its time, the source's clock); :meth:`add` returns a
    :class:`FallingBehind` the first time the rates stay too low for ``FALLING_BEHIND_S``, else None."""

    def __init__(self, model_label: str) -> None:
        self.model_label = model_label
        self._low_since_s: float | None = None
        self.reported = False

    def add(self, t_s: float, camera_fps: float, processed_fps: float) -> FallingBehind | None:
        if self.reported:
            return None
        low = (math.isfinite(camera_fps) and math.isfinite(processed_fps) and processed_fps < MIN_PROCESSED_FPS
               and processed_fps < MIN_PROCESSED_SHARE * camera_fps)
        if not low:
            self._low_since_s = None
            return None
        if self._low_since_s is None:
            self._low_since_s = t_s
        if t_s - self._low_since_s < FALLING_BEHIND_S:
            return None
        self.reported = True
        return FallingBehind(processed_fps, camera_fps, self.model_label)
