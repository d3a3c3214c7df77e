#!/usr/bin/env python3
"""One-step set-up for GaitCoach: creates ``.venv``, installs the project into it, then runs it.

    python3 dev.py start [gaitcoach options]   set up, then start the app
    python3 dev.py test  [pytest options]      set up, then run the whole test suite

Only needs Python 3.11+ with pip and venv. The install is repeated only when ``pyproject.toml`` changes.
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent
VENV_DIR = PROJECT_DIR / ".venv"
INSTALL_STAMP = VENV_DIR / ".gaitcoach-install-stamp"


def venv_executable(name: str) -> Path:
    bin_dir = VENV_DIR / ("Scripts" if os.name == "nt" else "bin")
    return bin_dir / (name + (".exe" if os.name == "nt" else ""))


def ensure_installed() -> None:
    if sys.version_info < (3, 11):
        sys.exit(f"GaitCoach needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    if not venv_executable("python").exists():
        print(f"Creating virtual environment in {VENV_DIR} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV_DIR)
    wanted = hashlib.sha256((PROJECT_DIR / "pyproject.toml").read_bytes()).hexdigest()
    if INSTALL_STAMP.exists() and INSTALL_STAMP.read_text().strip() == wanted:
        return
    print("Installing GaitCoach and its dependencies (first run takes a few minutes) ...", flush=True)
    python = str(venv_executable("python"))
    subprocess.run([python, "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
    subprocess.run([python, "-m", "pip", "install", "--quiet", "-e", f"{PROJECT_DIR}[test]"], check=True)
    INSTALL_STAMP.write_text(wanted)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"start", "test"}:
        print(__doc__.strip())
        return 2
    command, rest = argv[0], argv[1:]
    try:
        ensure_installed()
    except subprocess.CalledProcessError as error:
        print(f"Set-up failed ({error}); see the pip output above.", file=sys.stderr)
        return 1
    if command == "start":
        args = [str(venv_executable("gaitcoach")), *rest]
    else:
        args = [str(venv_executable("python")), "-m", "pytest", *rest]
    return subprocess.run(args, cwd=PROJECT_DIR).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
