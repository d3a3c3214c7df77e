"""The physiotherapist's report: one or several stored sessions as a PDF a clinician reads in a minute (issue 15).

Page 1 is the summary: who, when, the set-up (source, pose model, height), each figure against its usual range
(with its source), the cues the coach gave and what to know about the data. Then the latest session's charts (as
the review draws them), a check-up's result cards where there are any, the trend across the chosen sessions, and
last what the figures can and cannot say. Written with Qt's own PDF writer (``QPdfWriter``): A4 or Letter, text
selectable, the charts drawn as vectors (the review's pyqtgraph charts rendered straight into the PDF).

``write_report(store, session_ids, path)`` is what the review's "Report…" button and ``gaitcoach sessions report``
call; it needs a ``QApplication`` (the CLI makes an offscreen one).
"""
from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Sequence
from html import escape
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPoint, QRectF, Qt
from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter, QTextDocument
from PySide6.QtWidgets import QApplication

from analysis.checkup import judged
from analysis.pain import SITES
from analysis.thresholds import (
    CADENCE_TYPICAL_MAX_STEPS_PER_MIN, CADENCE_TYPICAL_MIN_STEPS_PER_MIN, FOOT_PROGRESSION_NORMAL_MAX_DEG,
    FOOT_PROGRESSION_NORMAL_MIN_DEG, KNEE_FPPA_VALGUS_CUE_DEG, PELVIC_DROP_CUE_DEG,
)
from gaitcoach.store import CHECKUP_KIND, SessionInfo, SessionStore, StoreError, duration_text
from gaitcoach.display_text import figure_text
from ui.checkup_window import checkup_html
from ui.help_text import SAFETY_NOTE, source_name
from ui.review_window import PROGRESS_FIGURES, ReviewWindow, local_time

PAGE_SIZES = {"A4": QPageSize.PageSizeId.A4, "Letter": QPageSize.PageSizeId.Letter}
RESOLUTION_DPI = 300
CHART_WINDOW_PX = (1900, 1300)  # the hidden review window the charts are laid out in
MARGIN_MM = 15.0
MISSING = "\u2013"
# Page 1's figures: (label, summary metric, per side?, usual low, usual high, unit, threshold naming the source, fmt).
FIGURE_ROWS = (
    ("Cadence", "cadence_steps_per_min", False, CADENCE_TYPICAL_MIN_STEPS_PER_MIN, CADENCE_TYPICAL_MAX_STEPS_PER_MIN,
     " steps/min", "CADENCE_TYPICAL_MIN_STEPS_PER_MIN", ".0f"),
    ("Knee alignment (FPPA, + = knee in)", "knee_fppa_peak_deg", True, math.nan, KNEE_FPPA_VALGUS_CUE_DEG,
     "\u00b0", "KNEE_FPPA_VALGUS_CUE_DEG", ".1f"),
    ("Pelvic drop (on the stance leg)", "pelvic_drop_deg", True, math.nan, PELVIC_DROP_CUE_DEG, "\u00b0",
     "PELVIC_DROP_CUE_DEG", ".1f"),
    ("Toe-out", "foot_progression_deg", True, FOOT_PROGRESSION_NORMAL_MIN_DEG, FOOT_PROGRESSION_NORMAL_MAX_DEG,
     "\u00b0", "FOOT_PROGRESSION_NORMAL_MAX_DEG", ".0f"),
    ("Step length", "step_length_m", True, math.nan, math.nan, " m", "", ".2f"),
)
PAIN_ROWS = 20  # the pain diary's latest notes on page 1
OUTSIDE = "\u25b2"  # marks a figure outside its usual range (never colour alone)
LIMITS_TEXT = (
    "What these figures can and cannot say. They come from one ordinary camera and a pose model that estimates "
    "where the joints are: a few degrees and a few hundredths of a second are within its error, so single "
    "values matter less than the trend over several sessions. Knee alignment, pelvic drop and toe-out are "
    "measured only while walking toward or away from the camera, step length only side-on. The step-time "
    "difference is given only with at least 6 step times a side, always with its 95 % interval. One camera cannot "
    "see the pelvis's forward tilt, the arches of the feet, or forces and muscle activity. " + SAFETY_NOTE)


class ReportError(Exception):
    """The report could not be written; the message (one line) says why. Nothing under the target name changed."""


def _source(name: str) -> str:
    return source_name(name) if name else ""


def _number(value: float, fmt: str) -> str:
    return figure_text(value, fmt, MISSING)


class _Pages:
    """A QPainter on a QPdfWriter with a running y position: blocks of HTML and charts, new pages as needed."""

    def __init__(self, writer: QPdfWriter) -> None:
        self.writer = writer
        self.painter = QPainter(writer)
        self.width = float(writer.width())
        self.height = float(writer.height())
        self.y = 0.0
        self.pages = 1

    def new_page(self) -> None:
        self.writer.newPage()
        self.pages += 1
        self.y = 0.0

    def html(self, html: str, *, page_break: bool = False) -> None:
        """Text flowed across as many pages as it needs (selectable text in the PDF)."""
        if page_break and self.y > 0:
            self.new_page()
        doc = QTextDocument()
        doc.documentLayout().setPaintDevice(self.writer)  # point sizes as on paper
        doc.setDefaultStyleSheet("body { font-family: sans-serif; font-size: 10pt; } h1 { font-size: 18pt; } "
                                 "h2 { font-size: 13pt; margin-top: 10px; } td, th { padding: 3px 6px; } "
                                 "th { text-align: left; background: #eeeeee; }")
        doc.setHtml(f"<body>{html}</body>")
        doc.setTextWidth(self.width)
        total = doc.size().height()
        done = 0.0
        while done < total:
            room = self.height - self.y
            if room < 0.08 * self.height:
                self.new_page()
                room = self.height
            take = min(room, total - done)
            if take < total - done:  # break between lines: find the last block that fits whole
                take = self._fit(doc, done, room)
            self.painter.save()
            self.painter.translate(0, self.y - done)
            doc.drawContents(self.painter, QRectF(0, done, self.width, take))
            self.painter.restore()
            done += take
            self.y += take
            if done < total:
                self.new_page()

    @staticmethod
    def _fit(doc: QTextDocument, start: float, room: float) -> float:
        """How much of ``doc`` from ``start`` fits in ``room`` without cutting a block (a paragraph, a row)."""
        layout = doc.documentLayout()
        best = 0.0
        block = doc.begin()
        while block.isValid():
            rect = layout.blockBoundingRect(block)
            if rect.top() >= start and rect.bottom() - start <= room:
                best = rect.bottom() - start
            block = block.next()
        return best if best > 0 else room

    def charts(self, widgets: Sequence, columns: int = 2) -> None:
        """Chart widgets (laid out at the size they are drawn at), ``columns`` to a row, drawn as vectors (each
        scaled to its cell's width)."""
        gap = 0.03 * self.width
        cell_w = (self.width - gap * (columns - 1)) / columns
        cell_h = max(cell_w * widget.height() / max(widget.width(), 1) for widget in widgets) if widgets else 0.0
        for index, widget in enumerate(widgets):
            column = index % columns
            if column == 0 and self.y + cell_h > self.height:
                self.new_page()
            scale = cell_w / widget.width()
            self.painter.save()
            self.painter.translate(column * (cell_w + gap), self.y)
            self.painter.scale(scale, scale)
            widget.render(self.painter, QPoint())
            self.painter.restore()
            if column == columns - 1 or index == len(widgets) - 1:
                self.y += cell_h + gap

    def finish(self) -> bool:
        return self.painter.end()


def _summary_html(store: SessionStore, sessions: list[SessionInfo]) -> str:
    latest = sessions[-1]
    who = escape(latest.person or "nobody in particular")
    span = (local_time(sessions[0]) + " to " + local_time(latest)) if len(sessions) > 1 else local_time(latest)
    height = f"{latest.user_height_m:.2f} m" if latest.user_height_m else "not given"
    lines = [f"<h1>GaitCoach report</h1><p><b>Who</b>: {who} &nbsp; <b>When</b>: {span} "
             f"({len(sessions)} session{'s' if len(sessions) != 1 else ''})<br><b>Set-up</b>: {escape(latest.source)}, "
             f"pose model {escape(latest.model)}, height {height}; GaitCoach {escape(latest.app_version)}</p>"]
    summary = {row.metric: row for row in store.summary(latest.id)}
    f = latest.figures
    kind = "Check-up" if latest.kind == CHECKUP_KIND else "Walk"
    lines.append(f"<h2>{kind} of {local_time(latest)} (session {latest.id}): {f.step_count} steps in "
                 f"{duration_text(latest.duration_s)} min</h2>")
    rows = ["<tr><th>Figure</th><th>Left</th><th>Right</th><th>Whole walk</th><th>Usual</th><th>Source</th></tr>"]
    si = f.step_time_symmetry
    rows.append("<tr><td>Step-time difference (symmetry index)</td><td></td><td></td>"
                f"<td><b>{si.text('.1f', missing=MISSING + ' (fewer than 6 steps a side)')}</b></td>"
                f"<td>below 10 %</td><td>{escape(_source('SYMMETRY_INDEX_NOTABLE_PCT'))}</td></tr>")
    for label, metric, per_side, low, high, unit, source, fmt in FIGURE_ROWS:
        row = summary.get(metric)

        def cell(value: float) -> str:
            if not math.isfinite(value):
                return MISSING
            mark = f" <b>{OUTSIDE}</b>" if judged(value, low, high) is False else ""
            return f"{format(value, fmt)}{unit}{mark}"

        left = cell(row.left) if row is not None and per_side else ""
        right = cell(row.right) if row is not None and per_side else ""
        overall = cell(row.overall) if row is not None and not per_side else ""
        usual = (f"{low:g} to {high:g}{unit}" if math.isfinite(low) and math.isfinite(high) else
                 f"below {high:g}{unit}" if math.isfinite(high) else "")
        rows.append(f"<tr><td>{label}</td><td>{left}</td><td>{right}</td><td>{overall}</td><td>{usual}</td>"
                    f"<td>{escape(_source(source))}</td></tr>")
    lines.append(f"<table width='100%' cellspacing='0' border='1' style='border-collapse: collapse'>{''.join(rows)}</table>"
                 f"<p>{OUTSIDE}: outside the usual range. Left and right: the mean over that foot's steps (knee and "
                 "toe-out walking toward or away from the camera, step length side-on).</p>")
    cues = store.cues(latest.id)
    counts: dict[str, int] = {}
    for _, cue in cues:
        counts[cue.text] = counts.get(cue.text, 0) + 1
    said = "; ".join(f"{escape(text)}" + (f" (\u00d7{n})" if n > 1 else "") for text, n in counts.items())
    lines.append(f"<p><b>Cues given</b>: {said or 'none'}</p>")
    lines.append(f"<p><b>Data quality</b>: {escape('; '.join(latest.data_notes) or 'good (nothing to note)')}</p>")
    lines.append(_pain_html(store, sessions))
    if len(sessions) > 1:
        table = ["<tr><th>Date</th><th>Kind</th><th>Steps</th><th>Cadence</th><th>Step-time difference</th>"
                 "<th>Knee FPPA L / R</th></tr>"]
        for info in sessions:
            g = info.figures
            table.append(f"<tr><td>{local_time(info)}</td><td>{'check-up' if info.kind == CHECKUP_KIND else 'walk'}</td>"
                         f"<td>{g.step_count}</td><td>{_number(g.cadence_steps_per_min, '.0f')}</td>"
                         f"<td>{g.step_time_symmetry.text('.1f', missing=MISSING)}</td>"
                         f"<td>{_number(g.knee_fppa_left_deg, '.1f')} / {_number(g.knee_fppa_right_deg, '.1f')}</td>"
                         "</tr>")
        lines.append("<h2>The chosen sessions</h2><table cellspacing='0' border='1' "
                     f"style='border-collapse: collapse'>{''.join(table)}</table>")
    lines.append("<p><i>Coaching, not a diagnosis: see the last page for what these figures can and cannot "
                 "say.</i></p>")
    return "".join(lines)


def _pain_html(store: SessionStore, sessions: list[SessionInfo]) -> str:
    """The pain diary over the chosen sessions' days (the latest person's notes, and each session's own)."""
    first = sessions[0].started.date().isoformat()
    last = sessions[-1].started.date().isoformat()
    person = sessions[-1].person
    notes = [n for n in (store.pain_notes(person=person) if person is not None else []) if first <= n.date <= last]
    if person is None:
        notes = [n for info in sessions for n in store.pain_notes(info.id)]
    if not notes:
        return "<p><b>Pain diary</b>: nothing noted in these days.</p>"
    rows = "".join(f"<tr><td>{n.date}</td><td>{n.when}</td><td>{escape(SITES[n.site])}</td><td>{n.score}/10</td>"
                   f"<td>{escape(n.note)}</td></tr>" for n in notes[-PAIN_ROWS:])
    return ("<h2>Pain diary (0 none - 10 the worst imaginable)</h2><table width='100%' cellspacing='0' border='1' "
            "style='border-collapse: collapse'><tr><th>Date</th><th>When</th><th>Where</th><th>Pain</th>"
            f"<th>Note</th></tr>{rows}</table>")


def write_report(store: SessionStore, session_ids: Sequence[int], path: str | Path, page: str = "A4"
                 ) -> tuple[Path, int]:
    """Write the report of ``session_ids`` (in date order; the latest is summarised and charted) to ``path`` (a
    folder: ``gaitcoach-report-<latest id>.pdf`` in it); return the path written (``.pdf`` added if missing) and
    its page count.

    Raises ``ReportError`` (an unknown session, a folder that is missing or not writable, a full disk) with the
    target untouched: the PDF is written to a temporary file beside it (readable by its owner only), then moved.
    """
    if page not in PAGE_SIZES:
        raise ReportError(f"page size must be one of {', '.join(PAGE_SIZES)}, got {page!r}")
    try:
        sessions = sorted((store.session(int(i)) for i in dict.fromkeys(session_ids)), key=lambda s: s.started_at)
    except StoreError as error:
        raise ReportError(str(error)) from error
    if not sessions:
        raise ReportError("No session to report: give at least one session id.")
    path = Path(path)
    if path.is_dir():  # a folder: the report goes into it
        path = path / f"gaitcoach-report-{sessions[-1].id}.pdf"
    elif path.suffix.lower() != ".pdf":
        path = path.with_suffix(".pdf")
    if not path.parent.is_dir():
        raise ReportError(f"The folder {path.parent} does not exist.")
    latest = sessions[-1]
    # The charts exactly as the review draws them: a review window laid out (never shown on screen) wide enough
    # for each chart to be ~900 px wide, the size they are drawn at before being scaled onto the page.
    review = ReviewWindow(store)
    review.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    review.resize(*CHART_WINDOW_PX)
    review.show()
    try:
        review.select_session(latest.id)
        QApplication.processEvents()
        charts = [panel.chart_area for panel in review.charts.values() if panel.has_data]
        try:
            descriptor, temporary = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".pdf.part", dir=path.parent)
        except OSError as error:
            raise ReportError(f"Cannot write in {path.parent}: {error.strerror or error}") from error
        os.close(descriptor)
        try:
            writer = QPdfWriter(temporary)
            writer.setResolution(RESOLUTION_DPI)
            writer.setTitle(f"GaitCoach report: {latest.person or 'session'} {local_time(latest)}")
            writer.setCreator("GaitCoach")
            writer.setPageLayout(QPageLayout(QPageSize(PAGE_SIZES[page]), QPageLayout.Orientation.Portrait,
                                             QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
                                             QPageLayout.Unit.Millimeter))
            pages = _Pages(writer)
            pages.html(_summary_html(store, sessions))
            if charts:
                pages.html(f"<h2>Charts of session {latest.id} ({local_time(latest)})</h2><p>Each step's figure "
                           "through the session (left: blue, solid; right: orange, dashed; coaching thresholds "
                           "dotted).</p>", page_break=True)
                pages.charts(charts)
            checkups = [(info, store.checkup_results(info.id)) for info in sessions if info.kind == CHECKUP_KIND]
            for info, rows in checkups:
                if rows:
                    pages.html(f"<h2>Check-up of {local_time(info)}</h2>{checkup_html(rows)}", page_break=True)
            if len(sessions) > 1:
                trend = []
                for slot, key in zip(review.progress_charts, ("progress-symmetry", "progress-knees")):
                    panel = review.progress_charts[slot]
                    figure = next(f for f in PROGRESS_FIGURES if f.spec.key == key)
                    panel.set_spec(figure.spec)
                    review._progress_chart(panel, figure, sessions, latest.thresholds())
                    if panel.has_data:
                        trend.append(panel.chart_area)
                review.tabs.setCurrentIndex(1)  # the progress tab, laid out
                QApplication.processEvents()
                if trend:
                    words = escape(review._progress_words(sessions, latest.person))
                    pages.html(f"<h2>Trend across the {len(sessions)} sessions</h2><p>{words}</p>", page_break=True)
                    pages.charts(trend)
            pages.html(f"<h2>What the figures can and cannot say</h2><p>{escape(LIMITS_TEXT)}</p>",
                       page_break=True)
            page_count = pages.pages
            if not pages.finish():
                raise OSError("the PDF could not be completed (is the disk full?)")
            os.chmod(temporary, 0o600)  # health data: the owner's only
            os.replace(temporary, path)
        except OSError as error:
            raise ReportError(f"Cannot write {path}: {error.strerror or error}") from error
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
    finally:
        review.close()
        review.deleteLater()
    return path, page_count
