"""How stored sessions' figures read as text: shared by the review window and ``gaitcoach sessions list``."""
from __future__ import annotations

import math


def duration_text(seconds: float) -> str:
    """A duration as ``m:ss``: how the review window and ``gaitcoach sessions list`` show a session's length."""
    minutes, secs = divmod(int(round(seconds)), 60)
    return f"{minutes}:{secs:02d}"


def figure_text(value: float, fmt: str, missing: str) -> str:
    """A session figure formatted with ``fmt``, or ``missing`` where there is none (NaN)."""
    return format(value, fmt) if math.isfinite(value) else missing
