"""CSV export: the one writer behind ``gaitcoach analyze`` and session export.

Files are UTF-8 with a header row, written to a temporary file beside the target and renamed into place, so
a full disk or a crash never leaves a half-written file under the real name. Text cells that a spreadsheet
would run as a formula (starting with ``=``, ``+``, ``-`` or ``@``) are prefixed with a quote.
"""
from __future__ import annotations

import csv
import glob
import math
import os
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import dataclasses

import numpy as np

from analysis.columns import CHECKUP_COLUMNS, FRAME_GAIT_COLUMNS, PAIN_COLUMNS, STEP_COLUMNS, SUMMARY_COLUMNS
from analysis.quality import QUALITY_COLUMNS
from analysis.landmarks import LANDMARK_NAMES, VISIBILITY, X_PX, Y_PX, Z

if TYPE_CHECKING:  # gaitcoach.store imports this module: no import back at run time
    from gaitcoach.store import SessionStore

FRAMES_CSV = "frames.csv"
STEPS_CSV = "steps.csv"
SUMMARY_CSV = "summary.csv"
QUALITY_CSV = "quality.csv"
SESSION_CSV = "session.csv"
CUES_CSV = "cues.csv"
CHECKUP_CSV = "checkup.csv"
PAIN_CSV = "pain.csv"  # the pain diary's notes of a session (analysis.pain.PainNote, PAIN_COLUMNS)  # a check-up session's result figures (analysis.checkup.CheckupRow, CHECKUP_COLUMNS)
# session.csv: one row describing the exported session (times ISO 8601 with the UTC offset).
SESSION_COLUMNS = ("session", "started_at", "ended_at", "status", "source", "model", "user_height_m",
                   "app_version", "frame_count", "duration_s")
CUE_COLUMNS = ("t_s", "key", "text", "kind", "priority", "detail")  # cues.csv: one row per cue shown
LANDMARK_FIELDS = ("x_px", "y_px", "z", "visibility")  # per landmark, in this order
FRAME_BASE_COLUMNS = ("frame", "t_s", "pose_detected")
LANDMARK_COLUMNS = tuple(f"{name}_{field}" for name in LANDMARK_NAMES for field in LANDMARK_FIELDS)
_LANDMARK_SOURCE_COLUMNS = (X_PX, Y_PX, Z, VISIBILITY)
_LANDMARK_DECIMALS = (2, 2, 4, 3)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")  # OWASP: tab and carriage return can start a formula too


class ExportError(Exception):
    """Writing the export failed; the message is for the user. Nothing under the target name was changed."""


def neutralise_text(value: str) -> str:
    """Stop spreadsheets from running a text cell as a formula (CSV injection)."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def format_cell(value: object, decimals: int = 4) -> str:
    """Numbers as plain decimals, NaN/None as an empty cell (never a fake 0), text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool | np.bool_):
        return "1" if value else "0"
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        return "" if not math.isfinite(value) else f"{float(value):.{decimals}f}"
    return neutralise_text(str(value))


def landmark_cells(image_landmarks: np.ndarray | None) -> list[str]:
    if image_landmarks is None:
        return [""] * len(LANDMARK_COLUMNS)
    cells = []
    for row in image_landmarks:
        for column, decimals in zip(_LANDMARK_SOURCE_COLUMNS, _LANDMARK_DECIMALS):
            cells.append(format_cell(float(row[column]), decimals))
    return cells


# frame, t_s, pose_detected, the landmarks (the contract of `gaitcoach analyze`), then the gait columns.
FRAME_COLUMNS = (*FRAME_BASE_COLUMNS, *LANDMARK_COLUMNS, *FRAME_GAIT_COLUMNS)


def frame_row(frame_index: int, t_s: float, image_landmarks: np.ndarray | None, gait) -> list[str]:
    """One frames.csv row; ``gait`` is an ``analysis.results.FrameMetrics`` (or None: gait cells empty)."""
    gait_cells = (
        [format_cell(getattr(gait, name), 3) for name in FRAME_GAIT_COLUMNS]
        if gait is not None
        else [""] * len(FRAME_GAIT_COLUMNS)
    )
    return [
        format_cell(frame_index),
        format_cell(t_s, 4),
        format_cell(image_landmarks is not None),
        *landmark_cells(image_landmarks),
        *gait_cells,
    ]


def dataclass_row(record, columns: tuple[str, ...], decimals: int = 4) -> list[str]:
    """Cells of a result dataclass whose field names are the CSV columns."""
    values = dataclasses.asdict(record)
    return [format_cell(values[name], decimals) for name in columns]


def write_analysis(out_dir: Path, frame_rows: Iterable[list[str]], steps, summary) -> list[Path]:
    """Write frames.csv, steps.csv and summary.csv into ``out_dir`` (the one writer for every export)."""
    return [
        write_csv(out_dir / FRAMES_CSV, FRAME_COLUMNS, frame_rows),
        write_csv(out_dir / STEPS_CSV, STEP_COLUMNS, (dataclass_row(step, STEP_COLUMNS) for step in steps)),
        write_csv(out_dir / SUMMARY_CSV, SUMMARY_COLUMNS, (summary_row(row) for row in summary)),
    ]


_COUNT_CELLS = ("left", "right", "overall")  # of a count row (unit "steps"); its symmetry index is a percentage


def summary_row(row) -> list[str]:
    """One summary.csv row; a count as a whole number: "12", not "12.0000"."""
    return [format_cell(getattr(row, name), 0 if row.unit == "steps" and name in _COUNT_CELLS else 4)
            for name in SUMMARY_COLUMNS]


def write_quality(out_dir: Path, rows) -> Path:
    """Write quality.csv (``analysis.quality``: metric, value, unit) into ``out_dir``."""
    return write_csv(out_dir / QUALITY_CSV, QUALITY_COLUMNS, (dataclass_row(row, QUALITY_COLUMNS, 1) for row in rows))


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> Path:
    """Write ``rows`` (already formatted cells) under ``header`` to ``path`` atomically, readable by its owner
    only (``mkstemp`` creates the file 0600 and the rename keeps it)."""
    path = Path(path)
    folder = path.parent
    if not folder.is_dir():
        raise ExportError(f"Cannot export: the folder {folder} does not exist.")
    remove_stale_parts(folder, f".{path.name}.")
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    except OSError as error:
        raise ExportError(f"Cannot write to {folder}: {error.strerror or error}.") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(header)
            writer.writerows(rows)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp_name, path)
    except OSError as error:
        Path(temp_name).unlink(missing_ok=True)
        raise ExportError(f"Cannot write {path}: {error.strerror or error}.") from None
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return path


PRIVATE_DIR_MODE, PRIVATE_FILE_MODE = 0o700, 0o600  # health data: readable by its owner only
STALE_PART_S = 600.0  # a ".part" file this old was left by a run that was killed while writing it


def remove_stale_parts(folder: Path, prefix: str) -> None:
    """Remove the ``prefix*.part`` files a killed run left in ``folder`` (older than ``STALE_PART_S``: a run
    writing one now is left alone); best effort."""
    now = time.time()
    for part in folder.glob(f"{glob.escape(prefix)}*.part"):
        try:
            if now - part.stat().st_mtime > STALE_PART_S:
                part.unlink()
        except OSError:
            pass


def make_private_dir(folder: Path) -> None:
    """Create ``folder`` (and missing parents) readable by its owner only; a folder that already exists keeps its
    permissions (it may be the user's own, e.g. their Documents). Raises OSError."""
    missing = [p for p in (folder, *folder.parents) if not p.exists()]
    folder.mkdir(parents=True, exist_ok=True)
    for created in missing:
        os.chmod(created, PRIVATE_DIR_MODE)  # mkdir's mode is masked by the umask


def prepare_output_dir(folder: Path) -> Path:
    """Create ``folder`` if needed (owner-only: it will hold health data) and check it can be written;
    ExportError otherwise. The files written into it (``write_csv``) are owner-only too."""
    folder = Path(folder)
    try:
        make_private_dir(folder)
    except OSError as error:
        raise ExportError(f"Cannot create the output folder {folder}: {error.strerror or error}.") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ExportError(f"Cannot write to the output folder {folder}: permission denied.")
    return folder


def export_session(store: SessionStore, session_id: int, out_dir: str | Path) -> list[Path]:
    """Write a stored session's ``frames.csv``, ``steps.csv``, ``summary.csv`` (the schema of ``gaitcoach analyze``,
    by the same writer), ``session.csv`` and ``cues.csv`` into ``out_dir`` (created if needed); for a check-up with
    result figures also ``checkup.csv`` (``CHECKUP_COLUMNS``; ``passed`` 1/0, empty: not judged); with pain diary
    notes taken before or after it, ``pain.csv`` (``PAIN_COLUMNS``).

    Parameters
    ----------
    store
        The ``gaitcoach.store.SessionStore`` holding the session; everything is read in one snapshot of it.
    session_id
        The session.
    out_dir
        The output folder.

    Raises
    ------
    gaitcoach.store.StoreError
        No such session, or the database cannot be read.
    ExportError
        The folder cannot be created or written (nothing under the target names is left half-written).
    """
    out_dir = Path(out_dir)
    with store.read_snapshot():
        info = store.session(session_id)
        prepare_output_dir(out_dir)
        frame_rows = (frame_row(f.frame, f.t_s, f.image_landmarks, f.metrics) for f in store.frames(session_id))
        written = write_analysis(out_dir, frame_rows, store.steps(session_id), store.summary(session_id))
        session_cells = [info.id, info.started_at, info.ended_at, info.status, info.source, info.model,
                         info.user_height_m, info.app_version, info.frame_count, info.duration_s]
        written.append(write_csv(out_dir / SESSION_CSV, SESSION_COLUMNS,
                                 [[format_cell(value) for value in session_cells]]))
        cue_rows = ([format_cell(t_s), *(format_cell(getattr(cue, name)) for name in CUE_COLUMNS[1:])]
                    for t_s, cue in store.cues(session_id))
        written.append(write_csv(out_dir / CUES_CSV, CUE_COLUMNS, cue_rows))
        checkup = store.checkup_results(session_id)
        if checkup:
            written.append(write_csv(out_dir / CHECKUP_CSV, CHECKUP_COLUMNS,
                                     (dataclass_row(row, CHECKUP_COLUMNS) for row in checkup)))
        pain = store.pain_notes(session_id)
        if pain:
            written.append(write_csv(out_dir / PAIN_CSV, PAIN_COLUMNS, (dataclass_row(n, PAIN_COLUMNS) for n in pain)))
    return written
