"""Where the session store lives, and its files kept readable by their owner only.

``$GAITCOACH_DATA_DIR/sessions.sqlite3`` when that variable is set (tests, portable use), else the same file in
Qt's application data folder for "GaitCoach" (``~/.local/share/GaitCoach/GaitCoach`` on Linux). One database holds
every session; videos (only with "save video") go to ``videos/`` beside it.
"""
from __future__ import annotations

import os
from pathlib import Path

from gaitcoach import APP_NAME, ORGANIZATION_NAME
from gaitcoach.export import PRIVATE_FILE_MODE
from gaitcoach.store.schema import StoreError

DATA_DIR_ENV = "GAITCOACH_DATA_DIR"
DATABASE_NAME = "sessions.sqlite3"
VIDEO_DIR_NAME = "videos"


def data_dir() -> Path:
    """GaitCoach's data folder: ``$GAITCOACH_DATA_DIR`` if set, else Qt's AppDataLocation for GaitCoach."""
    configured = os.environ.get(DATA_DIR_ENV, "").strip()
    if configured:
        return Path(configured).expanduser()
    from PySide6.QtCore import QCoreApplication, QStandardPaths

    names = QCoreApplication.organizationName(), QCoreApplication.applicationName()
    QCoreApplication.setOrganizationName(ORGANIZATION_NAME)
    QCoreApplication.setApplicationName(APP_NAME)
    try:
        location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    finally:
        QCoreApplication.setOrganizationName(names[0])
        QCoreApplication.setApplicationName(names[1])
    if not location:
        raise StoreError(f"No folder for GaitCoach's data was found: set {DATA_DIR_ENV} to one.")
    return Path(location)


def _make_private_database(path: Path) -> None:
    """The database and its WAL and shared-memory files readable by their owner only: created so if missing (SQLite
    gives the WAL and -shm files the database's own permissions), set so if they exist with looser ones. A new file
    is created, not opened: while this process has no connection to a file that did not exist, closing it can drop
    no lock (see ``SessionStore._open``)."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE))
    except FileExistsError:
        pass
    except OSError:
        return  # a read-only folder: SQLite says why it cannot open it
    for name in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            if name.exists() and name.stat().st_mode & 0o077:
                os.chmod(name, PRIVATE_FILE_MODE)
        except OSError:
            pass  # someone else's file: SQLite's own checks decide


def default_database_path() -> Path:
    return data_dir() / DATABASE_NAME
