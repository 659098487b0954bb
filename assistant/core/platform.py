"""Everything that differs between POSIX and Windows, in one place, and what the OS says in words.

Branch PCs run Windows: there `os.fchmod` does not exist before Python 3.13, a folder cannot be
opened to fsync it, and file modes mean little (the user profile's ACL protects the data).
Callers use these helpers and never call the POSIX-only functions themselves.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700


def os_name() -> str:
    """os.name, asked here only (tests report 'nt' through this without breaking pathlib)."""
    return os.name


def is_posix() -> bool:
    return os_name() == "posix"


def secure_fd(fd: int, mode: int = FILE_MODE) -> None:
    """Give an open file owner-only permissions (POSIX); nothing to do where modes do not apply."""
    if not is_posix() or not hasattr(os, "fchmod"):
        return
    if (os.fstat(fd).st_mode & 0o777) != mode:
        os.fchmod(fd, mode)


def secure_path(path: Path, mode: int) -> None:
    """chmod on POSIX when the mode differs; a no-op elsewhere."""
    if not is_posix():
        return
    if (os.stat(path).st_mode & 0o777) != mode:
        os.chmod(path, mode)


def fsync_dir(path: Path) -> None:
    """Make a rename or a new file in `path` durable. Windows cannot open a folder: nothing to do."""
    if not is_posix():
        return
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


def pread(fd: int, size: int, offset: int) -> bytes:
    """os.pread where it exists; elsewhere (Windows) seek and read. Our append descriptors
    write at the end whatever the position (O_APPEND), so moving it is harmless."""
    if is_posix() and hasattr(os, "pread"):
        return os.pread(fd, size, offset)
    os.lseek(fd, offset, os.SEEK_SET)
    return os.read(fd, size)


def secure_file(path: Path, mode: int = FILE_MODE) -> None:
    """Owner-only permissions for a file by name (POSIX); nothing to do elsewhere."""
    secure_path(path, mode)


def owned_private(path: Path) -> bool:
    """True when `path` is a regular file we own that nobody else can read or write (POSIX), or
    simply a regular file where ownership and modes are not checked (Windows)."""
    try:
        st = os.stat(path, follow_symlinks=False)
    except OSError:
        return False
    import stat

    if not stat.S_ISREG(st.st_mode):
        return False
    if not is_posix() or not hasattr(os, "getuid"):
        return True
    return st.st_uid == os.getuid() and (st.st_mode & 0o077) == 0


_ADVICE = {
    errno.ENOSPC: "磁盘满了：请腾出空间（删掉不用的文件）后再试",
    errno.EDQUOT: "超出了磁盘配额：请腾出空间后再试",
    errno.EACCES: "没有权限：请检查这个文件或文件夹的权限，或换一个位置",
    errno.EPERM: "没有权限：请检查这个文件或文件夹的权限，或换一个位置",
    errno.EISDIR: "这里应该是一个文件，却是一个文件夹：请把这个文件夹移走或改名后再试",
    errno.ENOTDIR: "路径中有一段应该是文件夹，却是一个文件：请检查路径",
    errno.ENOENT: "找不到这个文件或文件夹：请检查路径",
    errno.EROFS: "磁盘是只读的：请换一个可写的位置",
    errno.EIO: "读写磁盘出错（磁盘可能有问题）：请复制出重要数据，检查磁盘后再试",
    errno.ENAMETOOLONG: "路径太长：请换一个短一点的路径",
    errno.EMFILE: "打开的文件太多：请关掉其他程序后再试",
}


def describe_os_error(exc: OSError) -> str:
    """`读写 FILE 失败：<advice>（<the OS's own words>）` — never a class name."""
    where = exc.filename if exc.filename is not None else "数据文件"
    advice = _ADVICE.get(exc.errno or 0, "请检查这个文件和它所在的文件夹后再试")
    said = exc.strerror or str(exc) or "未知错误"
    other = f" → {exc.filename2}" if getattr(exc, "filename2", None) else ""
    return f"读写 {where}{other} 失败：{advice}（系统提示：{said}）。"
