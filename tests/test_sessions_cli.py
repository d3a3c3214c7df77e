"""`gaitcoach sessions list|export|delete` and `gaitcoach analyze --save`: real runs, real exit codes, every fault."""
from __future__ import annotations

import csv
import errno
import hashlib
import os
import re
import sqlite3
import subprocess
import sys

import pytest

from analysis.synthetic import WalkerSpec
from gaitcoach import cli
from gaitcoach.export import FRAME_COLUMNS, LANDMARK_COLUMNS
from gaitcoach.store import LANDMARK_RELATIVE_ERROR, SCHEMA_VERSION
from sessions_helpers import record_synthetic_session

WALK = WalkerSpec(direction="toward", duration_s=8.0, knee_valgus_left_deg=6.0, seed=2)


def gaitcoach(*args, data_dir, cwd=None):
    env = {**os.environ, "GAITCOACH_DATA_DIR": str(data_dir)}
    return subprocess.run([sys.executable, "-m", "gaitcoach.cli", *map(str, args)], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=300)


def read_rows(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def saved_analysis(assets, tmp_path_factory):
    """`gaitcoach analyze --height 1.8 --save` of a real video (MediaPipe runs once for this module), then the
    session export."""
    root = tmp_path_factory.mktemp("roundtrip")
    analysed = gaitcoach("analyze", assets.video("side_walk_60fps_short.mp4"), "--out", root / "analyze",
                         "--model", assets.model_path, "--height", "1.8", "--save", "--person", " Dana  K ",
                         data_dir=root / "data")
    listed = gaitcoach("sessions", "list", data_dir=root / "data")
    exported = gaitcoach("sessions", "export", "1", "--out", root / "export", data_dir=root / "data")
    return root, analysed, listed, exported


def test_analyze_save_then_export_gives_what_analyze_wrote(saved_analysis):
    root, analysed, listed, exported = saved_analysis
    assert analysed.returncode == 0, analysed.stderr
    assert "saved as session 1" in analysed.stdout
    assert listed.returncode == 0, listed.stderr
    header, line = listed.stdout.splitlines()
    assert header.split("  ")[:2] == ["ID", "STARTED"] and "PELVIC DROP L/R DEG" in header
    fields = [cell.strip() for cell in re.split(r"\s{2,}", line)]
    assert fields[0] == "1" and fields[1][10] == "T" and fields[3] == "finished"
    assert os.path.isabs(fields[-1]) and fields[-1].endswith("side_walk_60fps_short.mp4")
    assert header.index("SOURCE") == line.index(fields[-1])  # the columns line up under their header
    assert exported.returncode == 0, exported.stderr
    for name in ("steps.csv", "summary.csv"):  # stored exactly: byte for byte
        assert (root / "export" / name).read_bytes() == (root / "analyze" / name).read_bytes(), name
    # The height given (issue 11, item 4): step lengths in metres, and stored with the session.
    with open(root / "export" / "session.csv", encoding="utf-8", newline="") as handle:
        assert float(next(csv.DictReader(handle))["user_height_m"]) == 1.8
    with open(root / "analyze" / "steps.csv", encoding="utf-8", newline="") as handle:
        assert any(row["step_length_m"] for row in csv.DictReader(handle))
    # Nobody was coached: the session says it is judged against the default thresholds (analysis.rules).
    from analysis.rules import DEFAULT_CUE_THRESHOLDS
    from gaitcoach.store import SessionStore

    with SessionStore(root / "data" / "sessions.sqlite3") as store:
        assert store.session(1).cue_thresholds == DEFAULT_CUE_THRESHOLDS
        assert store.session(1).person == "Dana K"  # --person: in Dana's progress (spaces tidied)
    ours, theirs = read_rows(root / "export" / "frames.csv"), read_rows(root / "analyze" / "frames.csv")
    assert ours[0] == theirs[0] == list(FRAME_COLUMNS) and len(ours) == len(theirs) == 136
    landmark = set(LANDMARK_COLUMNS)
    rounded = 0
    for mine, original in zip(ours[1:], theirs[1:]):
        for column, a, b in zip(FRAME_COLUMNS, mine, original):
            if column not in landmark or a == b:
                assert a == b, column  # frame, time, detection and every gait figure: exactly as analyze wrote
                continue
            # Landmarks went through float16: within 2^-11 of the value, plus the last printed digit.
            decimals = len(b.split(".")[1])
            assert abs(float(a) - float(b)) <= LANDMARK_RELATIVE_ERROR * abs(float(b)) + 10.0 ** -decimals, column
            rounded += 1
    assert rounded > 0


@pytest.mark.faults
@pytest.mark.parametrize("height", ["3", "0.4", "nan"])
def test_analyze_with_an_implausible_height_exits_2_before_reading_the_video(tmp_path, height):
    result = gaitcoach("analyze", tmp_path / "no_such_video.mp4", "--height", height, data_dir=tmp_path / "data")
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert "height must be between 1 and 2.3 m" in result.stderr


@pytest.mark.faults
def test_analyze_with_a_name_too_long_exits_2_before_reading_the_video(tmp_path):
    result = gaitcoach("analyze", tmp_path / "no_such_video.mp4", "--save", "--person", "x" * 41,
                       data_dir=tmp_path / "data")
    assert result.returncode == 2 and "at most 40 printable characters" in result.stderr


def test_list_without_sessions_prints_nothing_and_creates_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("GAITCOACH_DATA_DIR", str(tmp_path / "data"))
    assert cli.main(["sessions", "list"]) == 0
    out, err = capsys.readouterr()
    assert out == "" and "No sessions stored yet" in err
    assert not (tmp_path / "data").exists()


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """A data folder with two stored synthetic sessions."""
    folder = tmp_path / "data"
    folder.mkdir()
    for _ in range(2):
        record_synthetic_session(folder / "sessions.sqlite3", WALK)
    monkeypatch.setenv("GAITCOACH_DATA_DIR", str(folder))
    return folder


def run(capsys, *args) -> tuple[int, list[str], list[str]]:
    code = cli.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err.splitlines()


@pytest.mark.faults
def test_list_shows_control_characters_in_a_stored_name_as_escapes(tmp_path, monkeypatch, capsys):
    """A source name with terminal control characters (issue 10, item 7) is printed escaped: it cannot clear the
    screen or forge another line."""
    database = tmp_path / "sessions.sqlite3"
    record_synthetic_session(database, WALK, source="cam\x1b[2J\nfake 99  line")
    monkeypatch.setenv("GAITCOACH_DATA_DIR", str(tmp_path))
    code, out, _ = run(capsys, "sessions", "list")
    assert code == 0 and len(out) == 2 and out[1].endswith("cam\\x1b[2J\\nfake 99  line")


def test_list_and_delete(data_dir, capsys):
    code, out, _ = run(capsys, "sessions", "list")
    assert code == 0 and out[0].startswith("ID  STARTED") and [line.split()[0] for line in out[1:]] == ["1", "2"]
    assert "STEPS/MIN" in out[0] and "STEPS" in out[0]
    code, out, _ = run(capsys, "sessions", "delete", "1")
    assert code == 0 and out[0].startswith("Deleted session 1")
    code, out, _ = run(capsys, "sessions", "list")
    assert [line.split()[0] for line in out[1:]] == ["2"]
    code, out, err = run(capsys, "sessions", "delete", "1")
    assert code == 2 and err == ["gaitcoach: There is no session 1 (`gaitcoach sessions list` shows them)."]


@pytest.mark.parametrize("args, message", [
    (("export", "99"), "There is no session 99"),
    (("delete", "99"), "There is no session 99"),
    (("export", "abc"), "A session id is a whole number"),
    (("delete", "0"), "A session id is a whole number from 1"),
    (("export", "99999999999999999999999"), "A session id is a whole number from 1"),  # once an internal error
    (("export", "2_0"), "A session id is a whole number from 1"),  # int() reads 20
    (("delete", "\u0661"), "A session id is a whole number from 1"),  # an Arabic-Indic one: int() reads 1
])
@pytest.mark.faults
def test_bad_session_ids_exit_2_with_one_line_and_change_nothing(data_dir, capsys, args, message):
    database = data_dir / "sessions.sqlite3"
    before = digest(database)
    code, out, err = run(capsys, "sessions", *args)
    assert code == 2 and len(err) == 1 and message in err[0]
    assert digest(database) == before


@pytest.mark.faults
def test_export_into_a_read_only_folder_exits_2(data_dir, capsys, read_only_dir):
    before = digest(data_dir / "sessions.sqlite3")
    code, _, err = run(capsys, "sessions", "export", "1", "--out", read_only_dir / "out")
    assert code == 2 and len(err) == 1 and "Cannot create the output folder" in err[0]
    assert digest(data_dir / "sessions.sqlite3") == before


def test_export_below_a_file_exits_2(data_dir, capsys, tmp_path):
    (tmp_path / "a_file").write_text("x")
    code, _, err = run(capsys, "sessions", "export", "1", "--out", tmp_path / "a_file" / "out")
    assert code == 2 and len(err) == 1 and "Cannot create the output folder" in err[0]


@pytest.mark.faults
def test_export_onto_a_full_disk_exits_2_and_leaves_no_partial_file(data_dir, capsys, full_disk_dir):
    before = digest(data_dir / "sessions.sqlite3")
    code, _, err = run(capsys, "sessions", "export", "1", "--out", full_disk_dir)
    assert code == 2 and len(err) == 1 and "No space left on device" in err[0]
    assert list(full_disk_dir.iterdir()) == []
    assert digest(data_dir / "sessions.sqlite3") == before


@pytest.mark.faults
def test_export_when_the_disk_fills_keeps_the_previous_export(data_dir, capsys, tmp_path, monkeypatch):
    out = tmp_path / "out"
    assert run(capsys, "sessions", "export", "1", "--out", out)[0] == 0
    previous = (out / "frames.csv").read_bytes()

    def no_space(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", no_space)
    code, _, err = run(capsys, "sessions", "export", "2", "--out", out)
    assert code == 2 and len(err) == 1 and "No space left on device" in err[0]
    assert (out / "frames.csv").read_bytes() == previous
    assert not [p for p in out.iterdir() if p.name.endswith(".part")]


@pytest.mark.faults
@pytest.mark.parametrize("fault", ["garbage", "newer"])
@pytest.mark.parametrize("action", [("list",), ("export", "1"), ("delete", "1")])
def test_a_damaged_or_newer_database_exits_2_and_is_kept(data_dir, capsys, tmp_path, fault, action):
    database = data_dir / "sessions.sqlite3"
    if fault == "garbage":
        database.write_bytes(b"\x00garbage" * 1000)
    else:
        conn = sqlite3.connect(database)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
        conn.close()
    before = digest(database)
    code, out, err = run(capsys, "sessions", *action, *(("--out", tmp_path / "out") if action[0] == "export" else ()))
    assert code == 2 and out == [] and len(err) == 1
    assert ("damaged" in err[0]) if fault == "garbage" else ("newer GaitCoach" in err[0])
    assert digest(database) == before and database.exists()
    assert not (tmp_path / "out").exists()


@pytest.mark.faults
def test_analyze_save_with_a_damaged_database_stops_before_analysing(data_dir, capsys, tmp_path, assets):
    (data_dir / "sessions.sqlite3").write_bytes(b"not a database" * 100)
    code, out, err = run(capsys, "analyze", assets.video("side_walk_60fps_short.mp4"), "--out", tmp_path / "out",
                         "--model", assets.model_path, "--save")
    assert code == 2 and len(err) == 1 and "damaged" in err[0]
    assert not (tmp_path / "out").exists()  # failed fast: nothing analysed, nothing written


@pytest.mark.faults
def test_analyze_save_into_a_locked_database_says_so_before_the_work(tmp_path, assets):
    """Issue 10, item 7: a database another program holds locked for writing is reported before the analysis
    (after the store's busy wait), not after it; nothing is written."""
    data = tmp_path / "data"
    record_synthetic_session(data / "sessions.sqlite3", WALK)
    holder = sqlite3.connect(data / "sessions.sqlite3", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer's transaction, open for the whole run
    try:
        done = gaitcoach("analyze", assets.video("side_walk_60fps_short.mp4"), "--out", tmp_path / "out", "--model",
                         assets.model_path, "--save", data_dir=data)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert done.returncode == 2, done.stderr
    assert "busy" in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert not (tmp_path / "out").exists()  # reported before any work
