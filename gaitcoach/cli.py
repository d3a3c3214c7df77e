"""Command line: ``gaitcoach`` starts the app; ``gaitcoach analyze VIDEO [VIDEO ...]`` analyses videos headless;
``gaitcoach sessions ...`` lists, exports, deletes and reviews stored sessions (``gaitcoach.sessions_cli``).

Exit codes (``gaitcoach.batch``): 0 done, 2 bad input (one-line reason on stderr), 1 internal error.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path

from gaitcoach.batch import EXIT_BAD_INPUT, EXIT_INTERNAL_ERROR, default_jobs
from gaitcoach.offline import keep_mediapipe_offline

DEMO_CHOICES = ("none", "valgus", "limp", "pelvic_drop")  # gaitcoach.demo.DEMO_FAULTS (not imported: slow)


class BadInput(Exception):
    """Something the user gave us is wrong; the message says what."""


class ProgressBar:
    """A one-line progress bar on stderr (redrawn at most 10 times a second, only on a terminal)."""

    def __init__(self, label: str, stream=None) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self._last_draw_s = 0.0

    def update(self, done: int, total: int | None, suffix: str = "", *, force: bool = False) -> None:
        now = time.monotonic()
        if not self.enabled or (not force and now - self._last_draw_s < 0.1):
            return
        self._last_draw_s = now
        if total:
            fraction = min(1.0, done / total)
            filled = int(fraction * 30)
            bar = f"[{'#' * filled}{'-' * (30 - filled)}] {fraction * 100:5.1f}%"
        else:
            bar = f"{done}"
        self.stream.write(f"\r{self.label} {bar} {suffix}\033[K")
        self.stream.flush()

    def finish(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()


def _download_progress() -> ProgressBar:
    return ProgressBar("Downloading pose model")


def resolve_model_or_fail(requested: str | None):
    from gaitcoach.models import ModelError, resolve_model

    bar = _download_progress()
    try:
        resolved = resolve_model(
            requested, progress=lambda done, total: bar.update(done // 1024, (total or 0) // 1024 or None, "KiB")
        )
    except ModelError as error:
        raise BadInput(str(error)) from None
    finally:
        if bar._last_draw_s:
            bar.finish()
    return resolved


def cmd_analyze(args: argparse.Namespace) -> int:
    from analysis.thresholds import check_user_height_m
    from gaitcoach.batch import AnalyzeJob, analyze_one, combined_exit_code, output_dirs, report, run_jobs
    from gaitcoach.sources import SourceError, VideoFileSource
    from gaitcoach.store import StoreError, person_name

    try:
        user_height_m = check_user_height_m(args.height)
        person = person_name(args.person)
        if args.jobs is not None and args.jobs < 1:
            raise ValueError(f"--jobs must be 1 or more, got {args.jobs}")
        videos = [Path(video) for video in args.video]
        out_dirs = output_dirs(videos, args.out)
    except (ValueError, StoreError) as error:
        raise BadInput(str(error)) from None
    several = len(videos) > 1
    # A bad video is reported before anything else happens; with several, the others are still analysed.
    readable, codes = [], []
    for video, out_dir in zip(videos, out_dirs):
        try:
            VideoFileSource(video, paced=False).close()
        except SourceError as error:
            if not several:
                raise
            print(f"gaitcoach: {error}", file=sys.stderr)
            codes.append(EXIT_BAD_INPUT)
            continue
        readable.append((video, out_dir))
    if not readable:
        return EXIT_BAD_INPUT
    if args.save:
        from gaitcoach.sessions_cli import check_store

        check_store()  # a damaged or newer session database is reported before the work, not after
    model = resolve_model_or_fail(args.model)
    jobs = [AnalyzeJob(video, out_dir, model.path, model.label, user_height_m, person, args.save)
            for video, out_dir in readable]
    workers = min(len(jobs), args.jobs or default_jobs())
    if workers > 1:
        return combined_exit_code(codes + [run_jobs(jobs, workers)])
    for job in jobs:
        bar = ProgressBar(f"Analysing {job.video.name}")
        result = analyze_one(job, progress=lambda done, total, fps: bar.update(
            done, total, f"{done}/{total or '?'} frames, {fps:.0f} fps"))
        bar.finish()
        report(result, job.video.name if several else None, sys.stdout, sys.stderr)
        codes.append(result.exit_code)
    return combined_exit_code(codes)


# The core's only hand-over to the Qt application (``ui/``): imported when a window is asked for.
def cmd_app(args: argparse.Namespace) -> int:
    from ui.app import run_app

    return run_app(source=args.source, model=args.model, demo=args.demo, checkup=args.checkup)


def cmd_report(args: argparse.Namespace) -> int:
    from gaitcoach.sessions_cli import _existing_store, _session_id
    from gaitcoach.store import StoreError
    from ui.app import write_report_offscreen

    ids = [_session_id(text) for text in args.ids]
    store = _existing_store(ids[0])
    if store is None:
        raise StoreError("No session has been stored yet.")
    path, pages = write_report_offscreen(store, ids, Path(args.out), args.page)
    print(f"Wrote {path} ({pages} page{'s' if pages != 1 else ''}).")
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    from ui.app import run_review

    return run_review()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gaitcoach",
        description="Live webcam gait coach: knee alignment and step symmetry, coached while you walk. "
        "Everything runs on this machine.",
    )
    parser.add_argument("--source", help="camera index (0, 1, ...) or a video file to play as if live")
    parser.add_argument("--model", help="pose model: lite, full (default), heavy, or a .task file path")
    parser.add_argument("--demo", nargs="?", const="none", choices=DEMO_CHOICES, metavar="FAULT",
                        help="play the synthetic demo walker (no camera or model needed), with a fault: "
                        + ", ".join(DEMO_CHOICES) + " (default none)")
    parser.add_argument("--checkup", action="store_true",
                        help="open the guided check-up (set-up check, standing alignment and posture, single-leg "
                        "squats, a one-minute walk) as soon as the camera (or --source) plays")
    parser.add_argument("--debug", action="store_true", help="print tracebacks for internal errors")
    parser.set_defaults(handler=cmd_app)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    analyze = commands.add_parser("analyze", help="analyse video files headless and write CSV files")
    analyze.add_argument("video", nargs="+", help="video file(s) (mp4, mov, avi, ...)")
    analyze.add_argument("--out", help="output folder (default: ./<video name>-gaitcoach); with several videos, the "
                                       "folder that holds each one's <video name>-gaitcoach folder")
    analyze.add_argument("--jobs", type=int, metavar="N", help="videos analysed at once, each in its own process "
                                                               "(default: the number of cores)")
    analyze.add_argument("--model", help="pose model: lite, full (default), heavy, or a .task file path")
    analyze.add_argument("--height", type=float, metavar="M",
                         help="your height in metres (1.0-2.3): step length in metres too; stored with --save")
    analyze.add_argument("--person", metavar="NAME",
                         help="who walks in the video: with --save, the session counts in their progress (default: "
                              "nobody's; the review can say it later)")
    analyze.add_argument("--debug", action="store_true", help="print tracebacks for internal errors")
    analyze.add_argument("--save", action="store_true", help="also store the analysis as a session "
                         "(see `gaitcoach sessions`)")
    analyze.set_defaults(handler=cmd_analyze)
    from gaitcoach.sessions_cli import add_sessions_command

    add_sessions_command(commands, review_handler=cmd_review, report_handler=cmd_report)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    keep_mediapipe_offline()  # before any thread starts: changing the environment later is not thread-safe
    from gaitcoach.export import ExportError
    from gaitcoach.models import ModelError
    from gaitcoach.sources import SourceError
    from gaitcoach.store import StoreError

    try:
        return args.handler(args)
    except (BadInput, SourceError, ExportError, ModelError, StoreError) as error:
        print(f"gaitcoach: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("gaitcoach: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # noqa: BLE001 - the last line of defence: one line, exit 1
        if args.debug or os.environ.get("GAITCOACH_DEBUG"):
            traceback.print_exc()
        print(f"gaitcoach: internal error: {type(error).__name__}: {error} (run with --debug for details)",
              file=sys.stderr)
        return EXIT_INTERNAL_ERROR


if __name__ == "__main__":
    sys.exit(main())
