"""``gaitcoach sessions list|export|delete|review`` and the ``--save`` of ``gaitcoach analyze``.

Problems the user can fix (a damaged or newer database, an unknown session id, an output folder that cannot be
written, a full disk) raise ``StoreError`` or ``ExportError``; ``gaitcoach.cli.main`` prints them as one line and
exits with 2. Nothing here changes stored data except ``delete``.
"""
from __future__ import annotations

import argparse
import sys
from functools import partial
from pathlib import Path


def add_sessions_command(commands, review_handler, report_handler) -> None:
    """Add ``sessions`` and its actions to the CLI's sub-commands; ``review_handler`` opens the review window and
    ``report_handler`` writes the PDF report (``gaitcoach.cli``: the CLI is where the core hands over to the UI)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--debug", action="store_true", help="print tracebacks for internal errors")
    sessions = commands.add_parser(
        "sessions", help="list, export, delete or review the stored sessions",
        description="Stored sessions live in one database in GaitCoach's data folder (GAITCOACH_DATA_DIR "
        "overrides it).")
    actions = sessions.add_subparsers(title="actions", metavar="ACTION", required=True)
    listing = actions.add_parser("list", parents=[common],
                                 help="a header line, then one line per session, its id first")
    listing.set_defaults(handler=cmd_list)
    export = actions.add_parser("export", parents=[common],
                                help="write a session's frames.csv, steps.csv and summary.csv (as analyze does), "
                                     "session.csv, cues.csv and a check-up's checkup.csv")
    export.add_argument("id", help="session id (first column of `gaitcoach sessions list`)")
    export.add_argument("--out", help="output folder (default: ./session-<id>-gaitcoach)")
    export.set_defaults(handler=cmd_export)
    delete = actions.add_parser("delete", parents=[common], help="delete a session for good")
    delete.add_argument("id", help="session id")
    delete.set_defaults(handler=cmd_delete)
    review = actions.add_parser("review", parents=[common], help="open the review window (charts, progress)")
    review.set_defaults(handler=review_handler)
    report = actions.add_parser("report", parents=[common],
                                help="write a PDF report of one or several sessions for your physiotherapist")
    report.add_argument("ids", nargs="+", metavar="ID", help="session ids (the latest is summarised and charted)")
    report.add_argument("--out", required=True, metavar="FILE.pdf", help="the PDF to write")
    report.add_argument("--page", choices=("A4", "Letter"), default="A4", help="paper size (default A4)")
    report.set_defaults(handler=report_handler)


def _session_id(text: str) -> int:
    from gaitcoach.store import StoreError

    # ASCII digits only: int() also reads "2_0" as 20 and Arabic-Indic digits; SQLite ids fit in 63 bits.
    if not (text.isascii() and text.isdigit()) or len(text) > 18 or int(text) < 1:
        raise StoreError(f"A session id is a whole number from 1 (see `gaitcoach sessions list`), got {text!r}.")
    return int(text)


def _existing_store(session_id: int | None = None):
    """The user's store, without creating it just to find it empty (None: nothing stored yet)."""
    from gaitcoach.store import SessionStore, StoreError, default_database_path

    path = default_database_path()
    if not path.exists():
        if session_id is not None:
            raise StoreError(f"There is no session {session_id}: no session has been stored yet (in {path.parent}).")
        return None
    return SessionStore(path)


def printable(text: str) -> str:
    """``text`` with control characters shown as escapes: a stored name cannot move the terminal's cursor, clear
    it or forge another line."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


LIST_HEADER = ("ID", "STARTED", "DURATION", "STATUS", "STEPS", "STEPS/MIN", "STEP-TIME DIFF % (95% CI)",
               "KNEE FPPA L/R DEG", "PELVIC DROP L/R DEG", "SOURCE")
_RIGHT_ALIGNED = {"ID", "DURATION", "STEPS", "STEPS/MIN"}


CHECKUP_SOURCE_PREFIX = "[check-up] "  # how ``sessions list`` marks a guided check-up: before its source


def session_fields(info) -> list[str]:
    """One session's cells for ``sessions list`` (plain ASCII: "-" where a figure could not be measured); a
    check-up's source starts with ``CHECKUP_SOURCE_PREFIX``."""
    from gaitcoach.display_text import duration_text, figure_text
    from gaitcoach.store.schema import CHECKUP_KIND

    f = info.figures
    figure = partial(figure_text, missing="-")
    return [
        str(info.id),
        info.started_at,
        duration_text(info.duration_s),
        info.status,
        str(f.step_count),
        figure(f.cadence_steps_per_min, ".0f"),
        f.step_time_symmetry.text(".1f", missing="-"),
        f"{figure(f.knee_fppa_left_deg, '.1f')} / {figure(f.knee_fppa_right_deg, '.1f')}",
        f"{figure(f.pelvic_drop_left_deg, '.1f')} / {figure(f.pelvic_drop_right_deg, '.1f')}",
        (CHECKUP_SOURCE_PREFIX if info.kind == CHECKUP_KIND else "") + printable(info.source),
    ]


def session_table(sessions) -> list[str]:
    """``sessions list``: a header line, then one aligned line per session, its id first, its source last."""
    rows = [list(LIST_HEADER), *(session_fields(info) for info in sessions)]
    widths = [max(len(row[column]) for row in rows) for column in range(len(LIST_HEADER) - 1)]
    lines = []
    for row in rows:
        cells = [cell.rjust(width) if name in _RIGHT_ALIGNED else cell.ljust(width)
                 for name, cell, width in zip(LIST_HEADER, row, widths)]
        lines.append("  ".join([*cells, row[-1]]))
    return lines


def cmd_list(args: argparse.Namespace) -> int:
    from gaitcoach.store import default_database_path

    store = _existing_store()
    sessions = store.list_sessions() if store is not None else []
    if not sessions:
        print(f"No sessions stored yet (in {default_database_path().parent}).", file=sys.stderr)
    else:
        print("\n".join(session_table(sessions)))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from gaitcoach.export import export_session

    session_id = _session_id(args.id)
    store = _existing_store(session_id)
    out_dir = Path(args.out) if args.out else Path.cwd() / f"session-{session_id}-gaitcoach"
    written = export_session(store, session_id, out_dir)
    print(f"Exported session {session_id} to {out_dir}: {', '.join(path.name for path in written)}")
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    session_id = _session_id(args.id)
    info = _existing_store(session_id).delete_session(session_id)
    print(f"Deleted session {info.id} (started {info.started_at}, {printable(info.source)}).")
    return 0


def save_analysis(outcome, model_label: str, user_height_m: float | None = None, person: str | None = None) -> str:
    """Store what ``gaitcoach analyze`` analysed (with the height it was given) as a finished session; the line to
    print."""
    import gaitcoach
    from analysis.rules import DEFAULT_CUE_THRESHOLDS
    from gaitcoach.store import SessionStore, save_recording

    store = SessionStore.open_default()
    gait = outcome.gait
    # Nobody was coached: the session is judged against the default thresholds (analysis.rules), and says so.
    session_id = save_recording(store, outcome.results, gait.frames, gait.steps, gait.summary,
                                source=str(Path(outcome.video).resolve()), model=model_label,
                                user_height_m=user_height_m, app_version=gaitcoach.__version__,
                                cue_thresholds=DEFAULT_CUE_THRESHOLDS, person=person)
    return f"  saved as session {session_id} in {store.path} (see `gaitcoach sessions list`)"


def check_store() -> None:
    """Open (and if needed create) the user's store and check it can be written: StoreError now rather than after a
    long analysis."""
    from gaitcoach.store import SessionStore

    store = SessionStore.open_default()
    try:
        store.check_writable()
    finally:
        store.close()
