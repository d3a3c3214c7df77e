"""The physiotherapist's PDF report (issue 15, item 1): written with Qt's PDF writer, read back with Qt's PDF reader
(its text extracted, its pages rendered to artifacts/report_page_*.png to be looked at), from the review window
and the command line; a bad request changes nothing."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSize  # noqa: E402
from PySide6.QtPdf import QPdfDocument  # noqa: E402

from analysis.checkup import SINGLE_LEG_SQUAT, STANDING_ALIGNMENT, CheckupRow  # noqa: E402
from analysis.synthetic import WalkerSpec  # noqa: E402
from gaitcoach.store import DATABASE_NAME, SessionStore  # noqa: E402
from sessions_helpers import record_synthetic_session  # noqa: E402
from test_checkup_window import recorded_checkup  # noqa: E402
from ui.report import ReportError, write_report  # noqa: E402
from ui.review_window import ReviewWindow  # noqa: E402

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CHECKUP_ROWS = [
    CheckupRow(STANDING_ALIGNMENT, "knee_fppa_deg", 6.5, 0.5, float("nan"), "deg", -5.5, 3.2, False),
    CheckupRow(SINGLE_LEG_SQUAT, "knee_fppa_peak_deg", 9.0, 4.0, float("nan"), "deg", float("nan"), 8.0, False),
]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    """Two walks three weeks apart (a limp with an inward right knee that improves) and a check-up."""
    folder = tmp_path_factory.mktemp("report")
    database = folder / DATABASE_NAME
    record_synthetic_session(database, WalkerSpec(direction="toward", duration_s=30.0, knee_valgus_right_deg=12.0,
                                                  step_time_asymmetry_pct=20.0, seed=1),
                             source="Camera 0", started_at="2025-05-04T18:10:00+02:00")
    record_synthetic_session(database, WalkerSpec(direction="toward", duration_s=30.0, knee_valgus_right_deg=4.0,
                                                  step_time_asymmetry_pct=5.0, seed=3),
                             source="Camera 0", started_at="2025-05-25T09:30:00+02:00")
    recorded_checkup(database, CHECKUP_ROWS, "2025-05-26T09:30:00+02:00")
    return folder


def pdf_pages(path: Path, name: str | None = None) -> list[str]:
    """Each page's text; with ``name``, each page rendered to artifacts/<name>_page_<n>.png."""
    document = QPdfDocument()
    assert document.load(str(path)) == QPdfDocument.Error.None_
    # Each page's words, whitespace made single spaces (a table cell's text wraps across lines).
    texts = [" ".join(document.getAllText(page).text().split()) for page in range(document.pageCount())]
    if name:
        ARTIFACTS.mkdir(exist_ok=True)
        for page in range(document.pageCount()):
            size = document.pagePointSize(page)
            image = document.render(page, QSize(round(size.width() * 2), round(size.height() * 2)))
            assert image.save(str(ARTIFACTS / f"{name}_page_{page + 1}.png"))
    document.close()
    return texts


def test_a_report_of_three_sessions_reads_as_a_physiotherapist_expects(qapp, data_dir, tmp_path):
    store = SessionStore(data_dir / DATABASE_NAME)
    path, pages = write_report(store, [3, 1, 2], tmp_path / "report")  # any order; ".pdf" added
    assert path == tmp_path / "report.pdf" and path.exists()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # health data: the owner's only
    texts = pdf_pages(path, "report")
    assert len(texts) == pages >= 4
    first = texts[0]
    for expected in ("GaitCoach report", "Who: Me", "3 sessions", "Step-time difference", "Cadence",
                     "Knee alignment", "Pelvic drop", "Toe-out", "Robinson et al. 1987", "Munro et al. 2012",
                     "Cues given", "Data quality", "The chosen sessions", "Coaching, not a diagnosis"):
        assert expected in first, expected
    everything = "\n".join(texts)
    assert "Check-up of" in everything and "Knee at the bottom" in everything  # the check-up's cards
    assert "Trend across the 3 sessions" in everything
    assert "can and cannot say" in texts[-1] and "not a medical device" in texts[-1]
    assert not list(tmp_path.glob("*.part"))
    into_folder, _ = write_report(store, [1], tmp_path)  # a folder: the report goes into it
    assert into_folder == tmp_path / "gaitcoach-report-1.pdf" and into_folder.exists()


def test_the_latest_walk_is_charted_and_letter_paper_is_letter(qapp, data_dir, tmp_path):
    store = SessionStore(data_dir / DATABASE_NAME)
    a4, _ = write_report(store, [2], tmp_path / "a4.pdf")
    letter, _ = write_report(store, [2], tmp_path / "letter.pdf", page="Letter")
    texts = pdf_pages(a4, "report_walk")
    assert "Charts of session 2" in texts[1] and "Knee alignment (FPPA) per step" in "\n".join(texts)
    assert "Trend across" not in "\n".join(texts)  # one session: no trend
    sizes = []
    for path in (a4, letter):
        document = QPdfDocument()
        document.load(str(path))
        sizes.append(document.pagePointSize(0))
        document.close()
    assert round(sizes[0].width()) == 595 and round(sizes[0].height()) == 842  # A4 in points
    assert round(sizes[1].width()) == 612 and round(sizes[1].height()) == 792  # US Letter


def test_a_bad_request_says_why_and_changes_nothing(qapp, data_dir, tmp_path, read_only_dir):
    store = SessionStore(data_dir / DATABASE_NAME)
    with pytest.raises(ReportError, match="no session 99"):
        write_report(store, [99], tmp_path / "x.pdf")
    with pytest.raises(ReportError, match="does not exist"):
        write_report(store, [1], tmp_path / "missing" / "x.pdf")
    with pytest.raises(ReportError, match="Cannot write"):
        write_report(store, [1], read_only_dir / "x.pdf")
    kept = tmp_path / "kept.pdf"
    kept.write_bytes(b"the earlier report")
    with pytest.raises(ReportError):
        write_report(store, [99], kept)
    assert kept.read_bytes() == b"the earlier report"


def test_the_review_window_writes_the_selected_sessions_report(qtbot, data_dir, tmp_path):
    review = ReviewWindow(SessionStore(data_dir / DATABASE_NAME))
    qtbot.addWidget(review)
    assert review.report_button.isEnabled()
    assert review.report_sessions(2) == [1, 2]  # its person's sessions of the 8 weeks before it
    review.write_report(2, tmp_path / "from_review.pdf")
    assert (tmp_path / "from_review.pdf").exists() and "Report saved" in review.status_label.text()
    review.write_report(2, tmp_path / "missing" / "x.pdf")
    assert "does not exist" in review.status_label.text()


def test_gaitcoach_sessions_report(data_dir, tmp_path):
    env = {**os.environ, "GAITCOACH_DATA_DIR": str(data_dir)}
    env.pop("DISPLAY", None)
    out = tmp_path / "cli.pdf"
    done = subprocess.run([sys.executable, "-m", "gaitcoach.cli", "sessions", "report", "1", "2", "--out", str(out),
                           "--page", "Letter"], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"Wrote {out} (") and out.exists()
    bad = subprocess.run([sys.executable, "-m", "gaitcoach.cli", "sessions", "report", "99", "--out", str(out)],
                         capture_output=True, text=True, env=env, timeout=120)
    assert bad.returncode == 2 and bad.stderr.startswith("gaitcoach: ") and len(bad.stderr.splitlines()) == 1
