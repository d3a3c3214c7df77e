"""Frames dropped as a busy live pipeline drops them (issue 13), shared by ``tests/test_dropped_frames.py`` and
``benchmarks/dropped_frames.py``.

Live, the pose thread takes the newest frame when it is free; the frames that arrived while it was busy are
dropped before inference. So a live run with dropped frames is the pose pipeline and the analysis seeing only the
kept frames, each with its own capture time: :class:`KeptFrames` replays a video that way (every kept frame
processed, reproducibly), and :func:`live_analysis` runs the live analyser over the results.

Patterns (``DROP_PATTERNS``): ``regular`` drops the same frames of every cycle (30 %: frames 1, 4 and 7 of 10;
50 %: every other frame), as a steady inference time a little longer than the frame period does; ``random``
drops each frame independently with the given chance (seeded), which also gives runs of 3-5 dropped frames in a
row, as a machine that stalls now and then does.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from analysis.analyser import GaitAnalyser

REGULAR_DROPPED = {0.3: (1, 4, 7), 0.5: (1,)}  # drop share -> dropped positions in a cycle
REGULAR_CYCLE = {0.3: 10, 0.5: 2}


@dataclass(frozen=True)
class DropPattern:
    share: float  # of the frames dropped (0: none)
    kind: str = "regular"  # or "random"
    seed: int = 0

    @property
    def label(self) -> str:
        return "every frame" if self.share == 0 else f"{self.share:.0%} {self.kind}"

    def kept(self, count: int) -> np.ndarray:
        """Boolean mask of the ``count`` frames: True where the frame reaches inference. The first frame is kept."""
        index = np.arange(count)
        if self.share == 0:
            keep = np.ones(count, bool)
        elif self.kind == "regular":
            keep = ~np.isin(index % REGULAR_CYCLE[self.share], REGULAR_DROPPED[self.share])
        elif self.kind == "random":
            keep = np.random.default_rng(self.seed).random(count) >= self.share
        else:
            raise ValueError(f"unknown drop pattern {self.kind!r}")
        keep[:1] = True
        return keep


DROP_PATTERNS = (DropPattern(0.0), DropPattern(0.3), DropPattern(0.5),
                 DropPattern(0.3, "random", 1), DropPattern(0.5, "random", 2))


class KeptFrames:
    """A frame source that passes on only the kept frames of another, with their own index and capture time."""

    def __init__(self, source, keep: np.ndarray) -> None:
        self.source, self.keep = source, keep
        self.live = False
        self.description, self.origin, self.fps = source.description, source.origin, source.fps
        self.camera_index = None

    def frames(self) -> Iterator:
        for frame in self.source.frames():
            if frame.index >= len(self.keep) or self.keep[frame.index]:
                yield frame

    def close(self) -> None:
        self.source.close()


def live_analysis(pose_frames, user_height_m: float | None = None) -> GaitAnalyser:
    """The live analyser after every frame (one by one, as live) and the end of the recording: its ``events_``,
    ``steps_`` and ``summary()``."""
    analyser = GaitAnalyser(user_height_m=user_height_m)
    for frame in pose_frames:
        analyser.update(frame)
    analyser.finish()
    return analyser
