"""Owner-only files, the inter-process lock, and atomic replacement: the durable primitives.

Customers' personal data lives in these files, so every file is created 0600 and every folder 0700.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from assistant.core.errors import HistoryLockedError
from assistant.core.platform import DIR_MODE, FILE_MODE, fsync_dir, secure_fd, secure_path

__all__ = ["DIR_MODE", "FILE_MODE", "Lock", "atomic_write", "ensure_dir", "fsync_dir", "open_append"]
#: Seconds to wait for another process before giving up with a clear message.
LOCK_TIMEOUT = 10.0


def ensure_dir(path: Path) -> None:
    """Create `path` (and the parents it needs) owner-only; tighten an existing folder we own.

    `mkdir(parents=True, mode=...)` gives the mode to the last folder only; the parents would
    follow the umask, so they are created one by one here.
    """
    missing = []
    folder = path
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for folder in reversed(missing):
        folder.mkdir(mode=DIR_MODE, exist_ok=True)
        secure_path(folder, DIR_MODE)  # mkdir's mode is filtered by the umask
    if not path.is_dir():
        raise NotADirectoryError(20, "不是文件夹", str(path))
    secure_path(path, DIR_MODE)


def open_append(path: Path) -> int:
    """A file descriptor for appending, the file created 0600 when new."""
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0), FILE_MODE)
    try:
        secure_fd(fd, FILE_MODE)
    except BaseException:
        os.close(fd)
        raise
    return fd


def atomic_write(path: Path, data: bytes) -> None:
    """Replace `path` with `data`: temp file in the same folder, fsync, os.replace, fsync folder.

    A crash or a full disk leaves either the old file or the new one, never a torn one.
    """
    atomic_write_with(path, lambda fd: write_all(fd, data))


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def atomic_write_with(path: Path, fill: Callable[[int], None]) -> None:
    """`atomic_write` for a file written piece by piece: `fill(fd)` writes the new content to the
    temp file (a big snapshot never needs to be one bytes object in memory)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_RDWR | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), FILE_MODE)
    try:
        secure_fd(fd, FILE_MODE)
        fill(fd)
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        tmp.unlink(missing_ok=True)
        raise
    os.close(fd)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def stray_temp_files(folder: Path) -> list[Path]:
    """`.NAME.PID.tmp` files a killed atomic write left behind (they may hold customers' data)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob(".*.tmp") if p.is_file() and p.name.count(".") >= 3)


def remove_stray_temp_files(folder: Path) -> list[Path]:
    """Delete the leftovers of killed writes; caller holds the lock, so none is being written."""
    removed = []
    for path in stray_temp_files(folder):
        try:
            path.unlink()
            removed.append(path)
        except OSError:
            pass
    return removed


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
