"""Writing the state: changed rows appended to the log (fsynced, under the history lock), a
command's writes as one batch streamed between begin and end lines, a failed batch cut off, and
compaction (the log folded into a new snapshot, atomically). Reading is in state_files.py.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from typing import Iterator

from assistant.core.errors import CoachError
from assistant.core.history.files import atomic_write, atomic_write_with, open_append, write_all
from assistant.core.history.journal import corrupt
from assistant.core.history.snapshot import BEGIN, END, Op, Source, op_line, read_head, write_snapshot
from assistant.core.history.state_files import StateFiles, _Batch, _Disk, _identity


class StateLog(StateFiles):
    """StateFiles plus the writes: every change goes through `_log`."""

    #: Compact when the log is bigger than this and bigger than the snapshot.
    COMPACT_MIN_BYTES = 8 * 1024 * 1024

    def _log(self, ops: list[Op]) -> None:
        """Apply `ops` in memory and append them to the log (fsynced; inside `batch`, at its end)."""
        if not ops:
            return
        lines = []
        for op in ops:
            self._apply(op)
            lines.append(op_line(op))
        batch = self._batch
        if batch is None:
            try:
                self._append(b"".join(lines))
            except BaseException:
                self._reload()  # not written: forget the change in memory too
                raise
            return
        batch.lines += lines
        batch.count += len(lines)
        batch.size += sum(map(len, lines))
        if batch.size >= batch.FLUSH_BYTES:
            self._flush(batch)

    def _cut_tail(self, fd: int) -> None:
        """Drop what follows the last change we read (caller holds the lock and has caught up):
        a torn line or an unfinished batch, left by a crash and never acknowledged."""
        if os.fstat(fd).st_size > self._disk.offset:
            os.ftruncate(fd, self._disk.offset)

    def _append(self, payload: bytes, lines: int | None = None) -> None:
        """Append and fsync (caller holds the lock and has caught up); on failure nothing of
        `payload` stays in the log (a full disk: the caller says so, and nobody reads it)."""
        fd = open_append(self.log_path)
        try:
            self._cut_tail(fd)
            try:
                write_all(fd, payload)
                os.fsync(fd)
            except BaseException:
                os.ftruncate(fd, self._disk.offset)
                raise
            st = os.fstat(fd)
        finally:
            os.close(fd)
        self._appended(st, payload.count(b"\n") if lines is None else lines)

    def _appended(self, st: os.stat_result, lines: int) -> None:
        self._disk.log_ino, self._disk.offset = st.st_ino, st.st_size
        self._disk.line += lines
        if st.st_size > max(self.COMPACT_MIN_BYTES, (self._disk.snapshot or (0, 0))[1]):
            try:
                self._compact()
            except OSError:
                pass  # the change is safe in the log; the next write tries to compact again

    def _flush(self, batch: _Batch) -> None:
        """Stream a batch's lines to the log (not fsynced: nothing counts before its end line)."""
        payload = b"".join(batch.lines)
        batch.lines, batch.size = [], 0
        fd = open_append(self.log_path)
        try:
            if not batch.began:
                self._cut_tail(fd)
                payload = BEGIN + payload
                batch.began = True
            write_all(fd, payload)
        finally:
            os.close(fd)

    def _commit(self, batch: _Batch) -> None:
        """The batch's last lines and its end line, fsynced: from here on it counts."""
        if not batch.began:
            if batch.lines:
                self._append(b"".join(batch.lines), batch.count)
            return
        fd = open_append(self.log_path)
        try:
            write_all(fd, b"".join(batch.lines) + END)
            os.fsync(fd)
            st = os.fstat(fd)
        finally:
            os.close(fd)
        self._appended(st, batch.count + 2)

    def _rollback(self, batch: _Batch) -> None:
        """Forget a batch that failed: cut its lines off the log, read the disk again."""
        self._batch = None
        try:
            if os.path.getsize(self.log_path) > batch.start:
                os.truncate(self.log_path, batch.start)
        except OSError:
            pass  # no end line reached the disk: readers skip the batch, the next write cuts it
        self._reload()

    def _sources(self) -> dict[str, Source]:
        """Every table for a new snapshot: the rows of those read, the old section's bytes as they
        are for those never read and unchanged (100k customers are not decoded to compact)."""
        sources: dict[str, Source] = {}
        for name in self._names():
            section = (self._disk.sections or {}).get(name)
            if name in self._tables or name in self._later or section is None:
                sources[name] = self._rows(name)
            else:
                sources[name] = (lambda s=section: self._copy_section(s), section[1], section[2], section[3])
        return sources

    def _copy_section(self, section: list[int]) -> Iterator[bytes]:
        with open(self.path, "rb") as f:
            if _identity(os.fstat(f.fileno())) != self._disk.snapshot:
                raise CoachError(f"{self.path} 在压缩时被别的程序换掉了（不应发生：写入都持锁）。请重试。")
            f.seek(self._disk.body + section[0])
            left = section[1]
            while left > 0:
                piece = f.read(min(1 << 20, left))
                if not piece:
                    raise corrupt(self.path, "比文件头说的短（可能在写入时断电）")
                left -= len(piece)
                yield piece

    def _compact(self, tables: dict[str, dict[str, bytes]] | None = None) -> None:
        """Write every table as the new snapshot, then start an empty log (caller holds the lock)."""
        if tables is not None:  # exactly these tables (a migration): not the sections on disk
            self._tables, self._later = tables, {}
            self._disk.sections = None
            self._index()
        sources = self._sources()
        written: list[bytes] = []
        atomic_write_with(self.path, lambda fd: written.append(write_snapshot(fd, sources)))
        atomic_write(self.log_path, b"")
        head = read_head(self.path, written[0])
        disk = _Disk()
        disk.snapshot = self._snapshot_id()
        disk.sections, disk.body = head["tables"], len(written[0])
        disk.log_ino = os.stat(self.log_path).st_ino
        self._disk, self._later = disk, {}
        for name, section in disk.sections.items():
            self._next[name] = max(self._next.get(name, 1), section[3])

    def compact(self) -> None:
        """Fold the log into the snapshot now (repair, tests, and when the log has grown)."""
        with self.lock.held():
            self._catch_up()
            self._compact()

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Hold the lock and write every change made inside as one batch, fsynced once at the end.

        For commands that change many rows (an import): nothing is acknowledged, nor read by any
        process, before the end; the lines are streamed to the log as they come (a 100k-row import
        holds a few MB of them, not all), between begin and end lines.
        """
        if self._batch is not None:
            yield
            return
        with self.lock.held():
            self._catch_up()
            batch = self._batch = _Batch(self._disk.offset)
            try:
                yield
                self._batch = None
                self._commit(batch)
            except BaseException:
                self._rollback(batch)
                raise
