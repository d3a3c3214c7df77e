"""The layers stay as drawn (ui -> gaitcoach -> analysis): the analysis package is pure (no Qt, OpenCV or
MediaPipe), and the headless core never imports the Qt application except through the CLI's one hand-over."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import analysis
import gaitcoach

FORBIDDEN_PREFIXES = ("PySide6", "cv2", "mediapipe", "pyqtgraph", "shiboken6")


def test_analysis_imports_no_qt_opencv_or_mediapipe():
    package_dir = Path(analysis.__file__).parent
    modules = sorted("analysis." + p.stem for p in package_dir.glob("*.py") if p.stem != "__init__")
    assert modules, "no analysis modules found"
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN_PREFIXES!r})\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"analysis pulled in: {result.stdout.strip()}"


def test_analysis_source_never_names_forbidden_packages():
    package_dir = Path(analysis.__file__).parent
    for path in package_dir.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for prefix in FORBIDDEN_PREFIXES:
            assert f"import {prefix}" not in text and f"from {prefix}" not in text, f"{path} imports {prefix}"


def test_the_analysis_tests_run_without_qt_opencv_or_mediapipe(tmp_path):
    """Issue 11, item 5: ``pytest tests/test_analysis_*.py`` needs numpy (and scipy) only. Here importing any of
    the forbidden packages (and pytest-qt) fails, as where they are not installed."""
    blocker = tmp_path / "sitecustomize.py"
    blocker.write_text(
        "import sys\n"
        "class _Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        f"        if name.split('.')[0] in {FORBIDDEN_PREFIXES + ('pytestqt',)!r}:\n"
        "            raise ImportError('blocked: ' + name)\n"
        "sys.meta_path.insert(0, _Block())\n")
    root = Path(analysis.__file__).parents[1]
    tests = sorted(str(p) for p in (root / "tests").glob("test_analysis_*.py"))
    env = {**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{root}"}
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:pytest-qt", "-p", "no:cacheprovider",
                             *tests], capture_output=True, text=True, cwd=root, env=env)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "blocked" not in result.stdout


UI_PREFIXES = ("ui", "pyqtgraph", "PySide6.QtWidgets", "PySide6.QtGui")  # the Qt application and its widgets


def _core_modules() -> list[str]:
    root = Path(gaitcoach.__file__).parents[1]
    return sorted(".".join(p.relative_to(root).with_suffix("").parts).removesuffix(".__init__")
                  for p in Path(gaitcoach.__file__).parent.rglob("*.py"))


def test_the_core_imports_no_ui_and_no_qt_widgets():
    """Issue 11, item 2: importing every module of ``gaitcoach/`` (the CLI included) loads nothing of ``ui/``,
    pyqtgraph or Qt's widgets; the CLI reaches the UI only when a window is asked for."""
    modules = _core_modules()
    assert "gaitcoach.cli" in modules and "gaitcoach.store.recorder" in modules and "gaitcoach.live" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        f"bad = sorted(m for m in sys.modules if any(m == p or m.startswith(p + '.') for p in {UI_PREFIXES!r}))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            cwd=Path(gaitcoach.__file__).parents[1])
    assert result.stdout.strip() == "", f"the core pulled in: {result.stdout.strip()}"


def test_only_the_cli_names_the_ui_and_only_inside_a_function():
    package_dir = Path(gaitcoach.__file__).parent
    naming = []
    for path in package_dir.rglob("*.py"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.lstrip().startswith(("from ui", "import ui", "from PySide6.QtWidgets", "from PySide6.QtGui",
                                         "import pyqtgraph")):
                naming.append((path.name, number, line))
    assert naming and all(name == "cli.py" and line.startswith("    ") for name, _, line in naming), naming


def test_a_live_run_plays_without_qt(tmp_path):
    """Issue 11, item 1: the live run (source -> pose worker -> analysis -> coach -> reports) needs no Qt: here
    importing PySide6 fails. The demo walker, unpaced, reports an update per frame, then that the source ended."""
    blocker = tmp_path / "sitecustomize.py"
    blocker.write_text(
        "import sys\n"
        "class _Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph', 'ui'):\n"
        "            raise ImportError('blocked: ' + name)\n"
        "sys.meta_path.insert(0, _Block())\n")
    code = (
        "import queue\n"
        "from gaitcoach.demo import DemoSource, demo_estimator_factory\n"
        "from gaitcoach.live import LiveConfig, LiveRun, LiveUpdate, RunEnded\n"
        "reports = queue.SimpleQueue()\n"
        "run = LiveRun(DemoSource('limp', paced=False, duration_s=6.0), None, 'none', LiveConfig(), reports.put,\n"
        "              estimator_factory=demo_estimator_factory('limp'))\n"
        "run.start()\n"
        "got = []\n"
        "while not got or not isinstance(got[-1], RunEnded): got.append(reports.get(timeout=60))\n"
        "run.stop()\n"
        "updates = [r for r in got if isinstance(r, LiveUpdate)]\n"
        "steps = [s for u in updates for s in u.new_steps]\n"
        "print(len(updates), got[-1].frames_processed, len(steps), sorted({s.foot for s in steps}))\n"
    )
    root = Path(gaitcoach.__file__).parents[1]
    env = {**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{root}"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root, env=env,
                            timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    updates, processed, steps, feet = result.stdout.split(maxsplit=3)
    assert int(updates) == int(processed) == 180  # 6 s at 30 fps, every frame (unpaced, nothing dropped)
    assert int(steps) >= 8 and feet.strip() == "['left', 'right']"
