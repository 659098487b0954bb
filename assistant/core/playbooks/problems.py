"""Problems found in playbooks: one per line, `path:line: severity: message`, sorted by place."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

#: Sort order of severities when two problems share a line.
SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class Problem:
    """Something wrong (error) or doubtful (warning) at a line of a playbook file."""

    #: The file (absolute; `format_problem` shows it relative to the working directory).
    path: str
    #: 1-based line number; 0 when the problem concerns the whole file or library.
    line: int
    severity: str
    message: str

    def sort_key(self) -> tuple:
        return (self.path, self.line, SEVERITY_RANK.get(self.severity, 9), self.message)


def display_path(path: str | os.PathLike) -> str:
    """The path relative to the working directory when it lies below it, else absolute."""
    p = Path(path)
    try:
        return Path(os.path.relpath(p.resolve(), Path.cwd())).as_posix() if _below_cwd(p) else str(p)
    except ValueError:  # another drive on Windows
        return str(p)


def _below_cwd(p: Path) -> bool:
    try:
        p.resolve().relative_to(Path.cwd().resolve())
        return True
    except ValueError:
        return False


#: How a severity reads to the people who write playbooks (the summary line says 错误 / 警告 too).
SEVERITY_LABEL = {"error": "错误", "warning": "警告", "info": "提示"}


def format_problem(p: Problem) -> str:
    """`path:line: 错误：message`: the file and line first, as editors and CI jump to them."""
    where = f"{display_path(p.path)}:{p.line}" if p.line else display_path(p.path)  # line 0: the whole file
    return f"{where}: {SEVERITY_LABEL.get(p.severity, p.severity)}：{p.message}"


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Sorted by path, line, severity; exact duplicates dropped."""
    return sorted(set(problems), key=Problem.sort_key)


def count(problems: Iterable[Problem], severity: str) -> int:
    return sum(1 for p in problems if p.severity == severity)


def summary(problems: Iterable[Problem], n_files: int) -> str:
    """The closing line of `coach validate`: `N 个文件，N 个错误，N 个警告`."""
    problems = list(problems)
    return f"{n_files} 个文件，{count(problems, 'error')} 个错误，{count(problems, 'warning')} 个警告"
