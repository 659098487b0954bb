"""Owner-only files, the inter-process lock, and atomic replacement: the durable primitives.

Customers' personal data lives in these files, so every file is created 0600 and every folder 0700.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from assistant.core.errors import HistoryLockedError

FILE_MODE = 0o600
DIR_MODE = 0o700
#: Seconds to wait for another process before giving up with a clear message.
LOCK_TIMEOUT = 10.0


def ensure_dir(path: Path) -> None:
    """Create `path` (and parents) owner-only; tighten an existing folder we own."""
    path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    if (path.stat().st_mode & 0o777) != DIR_MODE:
        os.chmod(path, DIR_MODE)


def open_append(path: Path) -> int:
    """A file descriptor for appending, the file created 0600 when new."""
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, FILE_MODE)
    if (os.fstat(fd).st_mode & 0o777) != FILE_MODE:
        os.fchmod(fd, FILE_MODE)
    return fd


def fsync_dir(path: Path) -> None:
    """Make a rename or a new file in `path` durable (no-op where folders cannot be opened)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes) -> None:
    """Replace `path` with `data`: temp file in the same folder, fsync, os.replace, fsync folder.

    A crash or a full disk leaves either the old file or the new one, never a torn one.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        tmp.unlink(missing_ok=True)
        raise
    os.close(fd)
    os.replace(tmp, path)
    fsync_dir(path.parent)


class Lock:
    """A re-entrant inter-process lock (filelock) that fails with HistoryLockedError, not Timeout."""

    def __init__(self, path: Path, timeout: float = LOCK_TIMEOUT):
        from filelock import FileLock

        self.path = path
        self.timeout = timeout
        self._lock = FileLock(str(path), timeout=timeout, mode=FILE_MODE)

    @contextmanager
    def held(self) -> Iterator[None]:
        from filelock import Timeout

        try:
            self._lock.acquire()
        except Timeout:
            raise HistoryLockedError(
                f"历史记录正被另一个程序占用（锁文件 {self.path}，等了 {self.timeout:g} 秒）。"
                "请关掉另一个正在运行的 coach 窗口或命令后再试。"
            ) from None
        try:
            yield
        finally:
            self._lock.release()
